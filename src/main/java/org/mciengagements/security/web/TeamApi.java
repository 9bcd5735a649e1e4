package org.mciengagements.security.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mciengagements.program.Enrollment;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.security.GlobalRole;
import org.mciengagements.security.LocationRole;
import org.mciengagements.security.TeamRoles;
import org.mciengagements.shared.AuditTrail;
import org.mciengagements.shared.Cursor;
import org.mciengagements.shared.ProgramClock;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Incentives administrators manage their partner's user roles. {@code GET /api/v1/team}: the
 * partner's users with their roles per location and partner-wide, and which roles the caller may
 * change (per location, and the partner-wide ones). {@code POST /api/v1/team/{username}/grants}
 * {@code {"role":"INCENTIVES_ADMIN"|"INCENTIVES_USER"|"REFERRAL_ADMIN","locationId":"…"}} grants,
 * {@code DELETE /api/v1/team/{username}/grants?role=&locationId=} revokes; both answer 200 with
 * {@code changed} (false when the user already held, or did not hold, the role) and the user.
 * {@code GET /api/v1/team/history}: the partner's recorded role and enrollment changes, newest first.
 * Users of other partners are 404 {@code USER_NOT_FOUND}; callers who administer no location are 403.
 * Users and passwords are not created here: they come from the program file or the identity provider.
 */
@RestController
@RequestMapping("/api/v1/team")
class TeamApi {

    private final TeamRoles team;
    private final ProgramClock clock;

    TeamApi(TeamRoles team, ProgramClock clock) {
        this.team = team;
        this.clock = clock;
    }

    record PartnerRef(String id, String name) {}

    record TeamLocation(String locationId, String name, String country, Enrollment enrollment,
                        boolean youMayChangeRoles) {}

    record PartnerRole(GlobalRole role, boolean youMayChange) {}

    record LocationRoles(String locationId, Set<LocationRole> roles) {}

    record Member(String username, String displayName, String email, List<LocationRoles> locationRoles,
                  Set<GlobalRole> partnerRoles) {

        static Member of(TeamRoles.Member m) {
            return new Member(m.username(), m.displayName(), m.email(), m.locationRoles().entrySet().stream()
                    .map(e -> new LocationRoles(e.getKey(), e.getValue())).toList(), m.partnerRoles());
        }
    }

    record TeamView(PartnerRef partner, List<TeamLocation> locations, List<PartnerRole> partnerRoles,
                    List<Member> members) {}

    record ChangeView(boolean changed, Member member) {}

    record GrantBody(String role, String locationId) {}

    record HistoryItem(long id, Instant at, String actor, AuditTrail.Subject subject, String subjectId, String action,
                       Map<String, Object> detail) {}

    @GetMapping
    TeamView team(CurrentUser user) {
        TeamRoles.Team t = team.team(user);
        return new TeamView(new PartnerRef(t.partnerId(), t.partnerName()),
                t.locations().stream().map(l -> new TeamLocation(l.location().id(), l.location().name(),
                        l.location().country(), l.location().enrollment(), l.youMayChangeRoles())).toList(),
                List.of(new PartnerRole(GlobalRole.REFERRAL_ADMIN, t.youMayChangePartnerRoles())),
                t.members().stream().map(Member::of).toList());
    }

    @PostMapping("/{username}/grants")
    ChangeView grant(CurrentUser user, @PathVariable String username, @RequestBody(required = false) GrantBody body) {
        TeamRoles.Change change = team.grant(user, username,
                body == null ? null : new TeamRoles.GrantRequest(body.role(), body.locationId()), clock.instant());
        return new ChangeView(change.changed(), Member.of(change.member()));
    }

    @DeleteMapping("/{username}/grants")
    ChangeView revoke(CurrentUser user, @PathVariable String username, @RequestParam(required = false) String role,
                      @RequestParam(required = false) String locationId) {
        TeamRoles.Change change = team.revoke(user, username, new TeamRoles.GrantRequest(role, locationId),
                clock.instant());
        return new ChangeView(change.changed(), Member.of(change.member()));
    }

    @GetMapping("/history")
    List<HistoryItem> history(CurrentUser user, @RequestParam(required = false) Integer limit) {
        return team.history(user, Cursor.limit(limit)).stream()
                .map(e -> new HistoryItem(e.id(), e.at(), e.actor(), e.subject(), e.subjectId(), e.action(), e.detail()))
                .toList();
    }
}
