package org.mciengagements.security;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.mciengagements.program.Location;
import org.mciengagements.shared.AuditTrail;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProblemException.FieldProblem;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Incentives administrators manage their partner's user roles (SPEC §2). An administrator of a
 * location grants and revokes {@code INCENTIVES_ADMIN} and {@code INCENTIVES_USER} on that
 * location; an administrator of any of the partner's locations grants and revokes the partner-wide
 * {@code REFERRAL_ADMIN}; only for users of their own partner. Other partners' users do not exist
 * for them (404, so nothing leaks); anyone who administers no location is refused (403).
 *
 * <p>A location never loses its last administrator: a revocation of {@code INCENTIVES_ADMIN} locks
 * the location's row, then counts its administrators, so concurrent revocations on one location
 * are decided one after the other. Under that lock the caller's own administrator role is read
 * again, so a caller whose role was revoked a moment ago changes nothing. Granting a role already
 * held, or revoking one not held, changes and records nothing. Every change is an audit event
 * (subject {@code USER}, the user's name) in the same transaction. Roles take effect on the
 * user's next request, as {@link CurrentUser} is loaded for each one. Users themselves come from the
 * program file or the identity provider; nothing here creates users or passwords.
 */
@Service
public class TeamRoles {

    /** The roles partner administrators manage. */
    public enum Role {
        INCENTIVES_ADMIN, INCENTIVES_USER, REFERRAL_ADMIN;

        public boolean perLocation() {
            return this != REFERRAL_ADMIN;
        }
    }

    /** A location of the partner, and whether the caller may change roles on it. */
    public record TeamLocation(Location location, boolean youMayChangeRoles) {}

    /** A user of the partner with the roles they hold. */
    public record Member(String username, String displayName, String email, Map<String, Set<LocationRole>> locationRoles,
                         Set<GlobalRole> partnerRoles) {

        public boolean holds(Role role, String locationId) {
            return role.perLocation()
                    ? locationRoles.getOrDefault(locationId, Set.of()).contains(LocationRole.valueOf(role.name()))
                    : partnerRoles.contains(GlobalRole.REFERRAL_ADMIN);
        }
    }

    /** The caller's partner: its locations, its users, and whether the caller may change referral administrators. */
    public record Team(String partnerId, String partnerName, List<TeamLocation> locations, List<Member> members,
                       boolean youMayChangePartnerRoles) {

        public boolean mayChange(Role role, String locationId) {
            return role.perLocation()
                    ? locations.stream().anyMatch(l -> l.location().id().equals(locationId) && l.youMayChangeRoles())
                    : youMayChangePartnerRoles;
        }
    }

    /** A grant or revocation as it arrives: the role's name and, for location roles, the location. */
    public record GrantRequest(String role, String locationId) {}

    /** The outcome: whether anything changed (false for a repeat), and the user as they are now. */
    public record Change(boolean changed, Member member) {}

    private final JdbcClient jdbc;
    private final AuditTrail audit;

    TeamRoles(JdbcClient jdbc, AuditTrail audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    /** The caller's team; 403 {@code TEAM_ADMIN_REQUIRED} unless they administer a location. */
    public Team team(CurrentUser caller) {
        requireAdministrator(caller);
        List<TeamLocation> locations = caller.locations().stream()
                .map(a -> new TeamLocation(a.location(), a.roles().contains(LocationRole.INCENTIVES_ADMIN)))
                .toList();
        return new Team(caller.partnerId(), caller.partnerName(), locations, members(caller.partnerId(), null), true);
    }

    /** The partner's recorded changes (roles and enrollment), newest first. */
    public List<AuditTrail.Event> history(CurrentUser caller, int limit) {
        requireAdministrator(caller);
        return audit.ofPartner(caller.partnerId(), limit);
    }

    /** Display names of users named in events, for pages; unknown names are left out. */
    public Map<String, String> displayNames(List<AuditTrail.Event> events) {
        List<String> names = events.stream()
                .flatMap(e -> e.subject() == AuditTrail.Subject.USER ? java.util.stream.Stream.of(e.actor(), e.subjectId())
                        : java.util.stream.Stream.of(e.actor()))
                .distinct().toList();
        Map<String, String> found = new TreeMap<>();
        if (!names.isEmpty()) {
            jdbc.sql("select username, display_name from app_user where username = any(?)")
                    .param(names.toArray(String[]::new))
                    .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2))).list()
                    .forEach(e -> found.put(e.getKey(), e.getValue()));
        }
        return found;
    }

    @Transactional
    public Change grant(CurrentUser caller, String username, GrantRequest request, Instant now) {
        Target target = target(caller, username, request);
        lockAndRecheck(caller, target);
        int inserted = target.role().perLocation()
                ? jdbc.sql("""
                                insert into user_location_role (username, location_id, role) values (?, ?, ?)
                                on conflict do nothing""")
                        .params(target.username(), target.locationId(), target.role().name()).update()
                : jdbc.sql("insert into user_role (username, role) values (?, ?) on conflict do nothing")
                        .params(target.username(), target.role().name()).update();
        if (inserted > 0) {
            record(caller, target, "ROLE_GRANTED", "GRANTED", now);
        }
        return new Change(inserted > 0, members(caller.partnerId(), target.username()).getFirst());
    }

    @Transactional
    public Change revoke(CurrentUser caller, String username, GrantRequest request, Instant now) {
        Target target = target(caller, username, request);
        lockAndRecheck(caller, target);
        if (target.role() == Role.INCENTIVES_ADMIN && holds(target)) {
            long administrators = jdbc.sql("""
                            select count(*) from user_location_role where location_id = ? and role = 'INCENTIVES_ADMIN'""")
                    .param(target.locationId()).query(Long.class).single();
            if (administrators <= 1) {
                throw new ProblemException(HttpStatus.CONFLICT, "LAST_ADMINISTRATOR", "problem.team.lastAdministrator",
                        List.of(target.locationId()), List.of(), Map.of("locationId", target.locationId()));
            }
        }
        int deleted = target.role().perLocation()
                ? jdbc.sql("delete from user_location_role where username = ? and location_id = ? and role = ?")
                        .params(target.username(), target.locationId(), target.role().name()).update()
                : jdbc.sql("delete from user_role where username = ? and role = ?")
                        .params(target.username(), target.role().name()).update();
        if (deleted > 0) {
            record(caller, target, "ROLE_REVOKED", "REVOKED", now);
        }
        return new Change(deleted > 0, members(caller.partnerId(), target.username()).getFirst());
    }

    // ------------------------------------------------------------------ checks, in order: role, visibility, input, permission

    private record Target(String username, Role role, String locationId) {}

    private static void requireAdministrator(CurrentUser caller) {
        if (!caller.isPartnerUser() || !caller.administersAnyLocation()) {
            throw ProblemException.forbidden("TEAM_ADMIN_REQUIRED", "problem.forbidden.teamAdmin");
        }
    }

    private Target target(CurrentUser caller, String username, GrantRequest request) {
        requireAdministrator(caller);
        String name = username == null ? "" : username.strip();
        boolean member = jdbc.sql("select count(*) from app_user where username = ? and partner_id = ?")
                .params(name, caller.partnerId()).query(Long.class).single() > 0;
        if (!member) {
            // Users of other partners and vendor staff do not exist for a partner's administrators.
            throw ProblemException.notFound("USER_NOT_FOUND", "problem.team.userNotFound", name);
        }
        List<FieldProblem> problems = new ArrayList<>();
        Role role = null;
        String roleName = request == null || request.role() == null ? "" : request.role().strip();
        if (roleName.isEmpty()) {
            problems.add(new FieldProblem("role", "REQUIRED", "team.role.required"));
        } else {
            try {
                role = Role.valueOf(roleName.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem("role", "INVALID_VALUE", "team.role.invalid"));
            }
        }
        String locationId = request == null || request.locationId() == null || request.locationId().isBlank()
                ? null : request.locationId().strip();
        if (role != null && role.perLocation()) {
            if (locationId == null) {
                problems.add(new FieldProblem("locationId", "REQUIRED", "team.location.required"));
            } else if (caller.access(locationId).isEmpty()) {
                problems.add(new FieldProblem("locationId", "UNKNOWN_LOCATION", "team.location.unknown"));
            }
        } else if (role != null && locationId != null) {
            problems.add(new FieldProblem("locationId", "NOT_APPLICABLE", "team.location.notApplicable"));
        }
        if (!problems.isEmpty()) {
            throw ProblemException.badRequest(problems);
        }
        if (role.perLocation() && !caller.access(locationId).orElseThrow().roles().contains(LocationRole.INCENTIVES_ADMIN)) {
            throw notAdministrator(locationId);
        }
        return new Target(name, role, locationId);
    }

    /**
     * Serializes role changes on one location (the last-administrator count depends on it) and
     * reads the caller's own administrator role again under that lock.
     */
    private void lockAndRecheck(CurrentUser caller, Target target) {
        if (target.role().perLocation()) {
            // "for no key update": waits for other role changes of this location, not for claims referencing it.
            jdbc.sql("select id from location where id = ? for no key update").param(target.locationId())
                    .query(String.class).single();
            if (!isAdministrator(caller.username(), target.locationId())) {
                throw notAdministrator(target.locationId());
            }
        } else if (jdbc.sql("""
                        select count(*) from user_location_role r join location l on l.id = r.location_id
                        where r.username = ? and r.role = 'INCENTIVES_ADMIN' and l.partner_id = ?""")
                .params(caller.username(), caller.partnerId()).query(Long.class).single() == 0) {
            throw ProblemException.forbidden("TEAM_ADMIN_REQUIRED", "problem.forbidden.teamAdmin");
        }
    }

    private boolean isAdministrator(String username, String locationId) {
        return jdbc.sql("""
                        select count(*) from user_location_role
                        where username = ? and location_id = ? and role = 'INCENTIVES_ADMIN'""")
                .params(username, locationId).query(Long.class).single() > 0;
    }

    private boolean holds(Target target) {
        return jdbc.sql("select count(*) from user_location_role where username = ? and location_id = ? and role = ?")
                .params(target.username(), target.locationId(), target.role().name()).query(Long.class).single() > 0;
    }

    private static ProblemException notAdministrator(String locationId) {
        return ProblemException.forbidden("NOT_LOCATION_ADMINISTRATOR", "problem.team.notLocationAdministrator",
                locationId);
    }

    private void record(CurrentUser caller, Target target, String action, String change, Instant now) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("role", target.role().name());
        if (target.locationId() != null) {
            detail.put("locationId", target.locationId());
        }
        detail.put("change", change);
        audit.record(caller.username(), AuditTrail.Subject.USER, target.username(), caller.partnerId(), action, detail,
                now);
    }

    // ------------------------------------------------------------------ reading the team

    private List<Member> members(String partnerId, String onlyUsername) {
        record Row(String username, String displayName, String email) {}
        List<Row> rows = jdbc.sql("""
                        select username, display_name, email from app_user
                        where partner_id = ? and (cast(? as text) is null or username = ?)
                        order by display_name, username""")
                .params(partnerId, onlyUsername, onlyUsername)
                .query((rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3))).list();
        Map<String, Map<String, Set<LocationRole>>> locationRoles = new LinkedHashMap<>();
        jdbc.sql("""
                        select r.username, r.location_id, r.role from user_location_role r
                        join app_user u on u.username = r.username
                        where u.partner_id = ? and (cast(? as text) is null or r.username = ?)""")
                .params(partnerId, onlyUsername, onlyUsername)
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}).list()
                .forEach(r -> locationRoles.computeIfAbsent(r[0], k -> new TreeMap<>())
                        .computeIfAbsent(r[1], k -> EnumSet.noneOf(LocationRole.class)).add(LocationRole.valueOf(r[2])));
        Set<String> referralAdmins = new java.util.HashSet<>(jdbc.sql("""
                        select r.username from user_role r join app_user u on u.username = r.username
                        where u.partner_id = ? and r.role = 'REFERRAL_ADMIN'""")
                .param(partnerId).query(String.class).list());
        return rows.stream().map(r -> new Member(r.username(), r.displayName(), r.email(),
                        locationRoles.getOrDefault(r.username(), Map.of()),
                        referralAdmins.contains(r.username()) ? EnumSet.of(GlobalRole.REFERRAL_ADMIN)
                                : EnumSet.noneOf(GlobalRole.class)))
                .toList();
    }
}
