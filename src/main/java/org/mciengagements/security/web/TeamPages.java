package org.mciengagements.security.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.security.TeamRoles;
import org.mciengagements.shared.AuditTrail;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProgramClock;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Team page of an incentives administrator: the partner's users × locations with their roles,
 * grant and revoke buttons only where the caller may use them, and the recorded changes. With htmx a
 * button replaces the team table and history in place, refusals shown in the cell they concern;
 * without JavaScript the form posts and the page comes back with the outcome.
 */
@Controller
class TeamPages {

    static final int HISTORY = 50;

    private final TeamRoles team;
    private final MessageSource messages;
    private final ProgramClock clock;

    TeamPages(TeamRoles team, MessageSource messages, ProgramClock clock) {
        this.team = team;
        this.messages = messages;
        this.clock = clock;
    }

    /** One recorded change in words: when, who, what, and the reason when one was given. */
    record HistoryLine(Instant at, String who, String what, String reason) {}

    @GetMapping("/team")
    String page(CurrentUser user, Model model) {
        fill(user, model);
        return "security/team";
    }

    @PostMapping("/team/{username}/grants")
    String grant(CurrentUser user, @PathVariable String username, @RequestParam(required = false) String role,
                 @RequestParam(required = false) String locationId,
                 @RequestHeader(name = "HX-Request", required = false) String htmx, Model model,
                 RedirectAttributes redirect) {
        return change(user, username, role, locationId, true, htmx != null, model, redirect);
    }

    @PostMapping("/team/{username}/revocations")
    String revoke(CurrentUser user, @PathVariable String username, @RequestParam(required = false) String role,
                  @RequestParam(required = false) String locationId,
                  @RequestHeader(name = "HX-Request", required = false) String htmx, Model model,
                  RedirectAttributes redirect) {
        return change(user, username, role, locationId, false, htmx != null, model, redirect);
    }

    private String change(CurrentUser user, String username, String role, String locationId, boolean grant,
                          boolean htmx, Model model, RedirectAttributes redirect) {
        TeamRoles.GrantRequest request = new TeamRoles.GrantRequest(role, locationId);
        Map<String, Object> outcome;
        try {
            TeamRoles.Change change = grant ? team.grant(user, username, request, clock.instant())
                    : team.revoke(user, username, request, clock.instant());
            String key = change.changed() ? (grant ? "team.granted" : "team.revoked")
                    : (grant ? "team.alreadyHeld" : "team.notHeld");
            outcome = Map.of("notice", text(key, change.member().displayName(), rolePhrase(role, locationId)));
        } catch (ProblemException e) {
            // No such user for the caller, or no Team page for them at all: the error page, as for a GET.
            if (e.status().value() == 404 || "TEAM_ADMIN_REQUIRED".equals(e.code())) {
                throw e;
            }
            String problem = e.fieldProblems().isEmpty() ? text(e.messageKey(), e.args().toArray())
                    : text(e.fieldProblems().getFirst().messageKey(), e.fieldProblems().getFirst().args().toArray());
            outcome = Map.of("problem", problem, "problemCell", cell(username, role, locationId));
        }
        if (!htmx) {
            outcome.forEach(redirect::addFlashAttribute);
            return "redirect:/team";
        }
        model.addAllAttributes(outcome);
        fill(user, model);
        return "security/team :: team";
    }

    private void fill(CurrentUser user, Model model) {
        TeamRoles.Team t = team.team(user);
        List<AuditTrail.Event> events = team.history(user, HISTORY);
        Map<String, String> names = team.displayNames(events);
        model.addAttribute("me", user);
        model.addAttribute("team", t);
        model.addAttribute("locationRoles", List.of(TeamRoles.Role.INCENTIVES_ADMIN, TeamRoles.Role.INCENTIVES_USER));
        model.addAttribute("referralAdmin", TeamRoles.Role.REFERRAL_ADMIN);
        model.addAttribute("history", events.stream().map(e -> line(e, names)).toList());
    }

    private HistoryLine line(AuditTrail.Event e, Map<String, String> names) {
        Map<String, Object> d = e.detail();
        String who = names.getOrDefault(e.actor(), e.actor());
        String what = switch (e.subject()) {
            case USER -> text("REVOKED".equals(d.get("change")) ? "team.history.revoked" : "team.history.granted",
                    rolePhrase(String.valueOf(d.get("role")), (String) d.get("locationId")),
                    names.getOrDefault(e.subjectId(), e.subjectId()));
            case LOCATION -> text("team.history.location", e.subjectId(),
                    text("enrollment." + d.get("from")), text("enrollment." + d.get("to")));
            default -> e.action();
        };
        return new HistoryLine(e.at(), who, what, (String) d.get("reason"));
    }

    /** "Incentives user on 4100231", "Referral administrator". */
    private String rolePhrase(String role, String locationId) {
        String name = text("role." + (role == null ? "" : role.strip().toUpperCase(java.util.Locale.ROOT)));
        return locationId == null || locationId.isBlank() ? name : text("team.roleOn", name, locationId.strip());
    }

    /** The cell a refusal is shown in: the user's row, the location's column (or the partner-wide one). */
    static String cell(String username, String role, String locationId) {
        boolean partnerWide = "REFERRAL_ADMIN".equalsIgnoreCase(role == null ? "" : role.strip());
        return username + "|" + (partnerWide || locationId == null || locationId.isBlank() ? "partner" : locationId.strip());
    }

    private String text(String key, Object... args) {
        return messages.getMessage(key, args, key, LocaleContextHolder.getLocale());
    }
}
