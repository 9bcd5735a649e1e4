package org.mciengagements.security;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mciengagements.program.Location;
import org.mciengagements.program.Partner;
import org.mciengagements.program.ProgramDirectory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;

/**
 * Local user accounts: credentials for login, and the {@link CurrentUser} view of a caller.
 * Spring Security authorities carry only coarse facts (vendor roles, "is a partner user"); the
 * per-location rules are decided from {@link CurrentUser}.
 */
@Service
public class UserAccounts implements UserDetailsService {

    private final JdbcClient jdbc;
    private final ProgramDirectory program;

    UserAccounts(JdbcClient jdbc, ProgramDirectory program) {
        this.jdbc = jdbc;
        this.program = program;
    }

    private record Account(String username, String passwordHash, String displayName, String email, String partnerId,
                           String timeZone, String language) {}

    private Optional<Account> account(String username) {
        return jdbc.sql("""
                        select username, password_hash, display_name, email, partner_id, time_zone, language
                        from app_user where username = ?""")
                .param(username).query(Account.class).optional();
    }

    private Set<GlobalRole> globalRoles(String username) {
        Set<GlobalRole> roles = EnumSet.noneOf(GlobalRole.class);
        jdbc.sql("select role from user_role where username = ?").param(username)
                .query(String.class).list().forEach(r -> roles.add(GlobalRole.valueOf(r)));
        return roles;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        Account account = account(username).orElseThrow(() -> new UsernameNotFoundException(username));
        List<GrantedAuthority> authorities = new ArrayList<>();
        globalRoles(username).forEach(r -> authorities.add(new SimpleGrantedAuthority("ROLE_" + r.name())));
        if (account.partnerId() != null) {
            authorities.add(new SimpleGrantedAuthority("ROLE_PARTNER_USER"));
        }
        return User.withUsername(account.username()).password(account.passwordHash()).authorities(authorities).build();
    }

    /** A user's language for what is written to them; empty when the account no longer exists. */
    public Optional<String> language(String username) {
        return jdbc.sql("select language from app_user where username = ?").param(username).query(String.class)
                .optional();
    }

    /** The languages of several users; accounts that no longer exist are left out. */
    public Map<String, String> languages(java.util.Collection<String> usernames) {
        Map<String, String> languages = new HashMap<>();
        jdbc.sql("select username, language from app_user where username = any(?)")
                .param(usernames.toArray(String[]::new))
                .query((rs, n) -> languages.put(rs.getString(1), rs.getString(2))).list();
        return languages;
    }

    /** The caller as the domain sees it; empty when the account no longer exists. */
    public Optional<CurrentUser> currentUser(String username) {
        return account(username).map(account -> {
            Map<String, Set<LocationRole>> roles = new HashMap<>();
            jdbc.sql("select location_id, role from user_location_role where username = ?").param(username)
                    .query((rs, n) -> Map.entry(rs.getString(1), LocationRole.valueOf(rs.getString(2))))
                    .list()
                    .forEach(e -> roles.computeIfAbsent(e.getKey(), k -> EnumSet.noneOf(LocationRole.class)).add(e.getValue()));
            List<CurrentUser.LocationAccess> locations = new ArrayList<>();
            String partnerName = null;
            if (account.partnerId() != null) {
                partnerName = program.partner(account.partnerId()).map(Partner::name).orElse(account.partnerId());
                for (Location location : program.locationsOf(account.partnerId())) {
                    locations.add(new CurrentUser.LocationAccess(location,
                            Set.copyOf(roles.getOrDefault(location.id(), EnumSet.noneOf(LocationRole.class)))));
                }
            }
            return new CurrentUser(account.username(), account.displayName(), account.email(), account.partnerId(),
                    partnerName, List.copyOf(locations), Set.copyOf(globalRoles(username)),
                    ZoneId.of(account.timeZone()), account.language());
        });
    }
}
