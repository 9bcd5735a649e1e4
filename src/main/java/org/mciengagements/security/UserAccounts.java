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
import org.mciengagements.program.ProgramDirectory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Local user accounts: credentials for login, and the {@link CurrentUser} view of a caller.
 * Spring Security authorities carry only coarse facts (vendor roles, "is a partner user"); the
 * per-location rules are decided from {@link CurrentUser}.
 */
@Service
public class UserAccounts implements UserDetailsService {

    private final JdbcClient jdbc;

    UserAccounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * An account with its roles and, for a partner user, the partner's name and locations: every
     * request of a partner user needs all of them, so they are read in one statement.
     */
    private record Account(String username, String passwordHash, String displayName, String email, String partnerId,
                           String timeZone, String language, Set<GlobalRole> roles,
                           Map<String, Set<LocationRole>> locationRoles, String partnerName, List<Location> locations) {

        Account withLocations(List<Location> partnerLocations) {
            return new Account(username, passwordHash, displayName, email, partnerId, timeZone, language, roles,
                    locationRoles, partnerName, List.copyOf(partnerLocations));
        }
    }

    /**
     * The account, read once per request: Basic authentication loads it, and the caller's
     * {@link CurrentUser} is made from it a moment later in the same request.
     */
    private Optional<Account> account(String username) {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        String attribute = Account.class.getName() + ":" + username;
        if (request != null && request.getAttribute(attribute, RequestAttributes.SCOPE_REQUEST) instanceof Account kept) {
            return Optional.of(kept);
        }
        Optional<Account> account = read(username);
        if (request != null) {
            account.ifPresent(a -> request.setAttribute(attribute, a, RequestAttributes.SCOPE_REQUEST));
        }
        return account;
    }

    /** One row per location of the user's partner (one row without a location for vendor staff). */
    private static final String READ = """
            with a as materialized (
                select username, password_hash, display_name, email, partner_id as account_partner, time_zone, language,
                       array(select role from user_role r where r.username = u.username) as roles,
                       array(select location_id from user_location_role l where l.username = u.username
                             order by location_id, role) as grant_locations,
                       array(select role from user_location_role l where l.username = u.username
                             order by location_id, role) as grant_roles
                from app_user u where username = ?)
            select a.*, p.name as partner_name, %s
            from a left join partner p on p.id = a.account_partner
            left join location l on l.partner_id = a.account_partner
            order by l.id""".formatted(ProgramDirectory.locationColumns("l"));

    private Optional<Account> read(String username) {
        Account[] account = new Account[1];
        List<Location> locations = new ArrayList<>();
        jdbc.sql(READ).param(username).query(rs -> {
            if (account[0] == null) {
                Set<GlobalRole> roles = EnumSet.noneOf(GlobalRole.class);
                for (String role : (String[]) rs.getArray("roles").getArray()) {
                    roles.add(GlobalRole.valueOf(role));
                }
                Map<String, Set<LocationRole>> locationRoles = new HashMap<>();
                String[] grantLocations = (String[]) rs.getArray("grant_locations").getArray();
                String[] grantRoles = (String[]) rs.getArray("grant_roles").getArray();
                for (int i = 0; i < grantLocations.length; i++) {
                    locationRoles.computeIfAbsent(grantLocations[i], k -> EnumSet.noneOf(LocationRole.class))
                            .add(LocationRole.valueOf(grantRoles[i]));
                }
                account[0] = new Account(rs.getString("username"), rs.getString("password_hash"),
                        rs.getString("display_name"), rs.getString("email"), rs.getString("account_partner"),
                        rs.getString("time_zone"), rs.getString("language"), roles, locationRoles,
                        rs.getString("partner_name"), List.of());
            }
            if (rs.getString("id") != null) {
                locations.add(ProgramDirectory.mapLocation(rs, 0));
            }
        });
        return Optional.ofNullable(account[0]).map(a -> a.withLocations(locations));
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        Account account = account(username).orElseThrow(() -> new UsernameNotFoundException(username));
        List<GrantedAuthority> authorities = new ArrayList<>();
        account.roles().forEach(r -> authorities.add(new SimpleGrantedAuthority("ROLE_" + r.name())));
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
            List<CurrentUser.LocationAccess> locations = new ArrayList<>();
            for (Location location : account.locations()) {
                locations.add(new CurrentUser.LocationAccess(location,
                        Set.copyOf(account.locationRoles().getOrDefault(location.id(), EnumSet.noneOf(LocationRole.class)))));
            }
            String partnerName = account.partnerName() != null ? account.partnerName() : account.partnerId();
            return new CurrentUser(account.username(), account.displayName(), account.email(), account.partnerId(),
                    partnerName, List.copyOf(locations), Set.copyOf(account.roles()),
                    ZoneId.of(account.timeZone()), account.language());
        });
    }
}
