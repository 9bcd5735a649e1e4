package org.mciengagements.security.web;

import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mciengagements.program.Enrollment;
import org.mciengagements.program.Enrollments;
import org.mciengagements.program.ProgramDirectory;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.AuditTrail;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.shared.web.FormProblems;
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
 * The operator's partner locations: every partner with its locations and their enrollment, filters,
 * a move per location with its reason (htmx replaces the location's row and the list of recent
 * changes; without JavaScript the form posts and comes back), and one location's page with its
 * history. The operator pages live here rather than in {@code program} because pages need the
 * signed-in {@link CurrentUser}, and {@code security} already depends on {@code program}.
 */
@Controller
class LocationAdminPages {

    static final int RECENT = 30;

    private final Enrollments enrollments;
    private final ProgramDirectory program;
    private final AuditTrail audit;
    private final FormProblems forms;
    private final MessageSource messages;
    private final ProgramClock clock;

    LocationAdminPages(Enrollments enrollments, ProgramDirectory program, AuditTrail audit, FormProblems forms,
                       MessageSource messages, ProgramClock clock) {
        this.enrollments = enrollments;
        this.program = program;
        this.audit = audit;
        this.forms = forms;
        this.messages = messages;
        this.clock = clock;
    }

    @GetMapping("/admin/locations")
    String list(CurrentUser user, @RequestParam(required = false) String partnerId,
                @RequestParam(required = false) Enrollment enrollment, @RequestParam(required = false) String q,
                Model model) {
        Map<String, List<Enrollments.Listing>> byPartner = new LinkedHashMap<>();
        enrollments.list(new Enrollments.Filter(partnerId, enrollment, q)).forEach(l ->
                byPartner.computeIfAbsent(l.partnerName(), k -> new java.util.ArrayList<>()).add(l));
        model.addAttribute("me", user);
        model.addAttribute("byPartner", byPartner);
        model.addAttribute("partners", program.partners());
        model.addAttribute("enrollments", Enrollment.values());
        model.addAttribute("partnerId", partnerId == null ? "" : partnerId);
        model.addAttribute("enrollment", enrollment);
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("recent", audit.latest(AuditTrail.Subject.LOCATION, RECENT));
        return "program/locations";
    }

    @GetMapping("/admin/locations/{locationId}")
    String one(CurrentUser user, @PathVariable String locationId, Model model) {
        model.addAttribute("me", user);
        model.addAttribute("l", enrollments.find(locationId));
        model.addAttribute("history", audit.of(AuditTrail.Subject.LOCATION, locationId, LocationAdminApi.HISTORY));
        return "program/location";
    }

    /**
     * A move from the list (htmx: the row comes back with the outcome in it, plus the recent changes)
     * or from a location's page (a plain post that comes back to the page).
     */
    @PostMapping("/admin/locations/{locationId}/enrollment")
    String change(CurrentUser user, @PathVariable String locationId, @RequestParam(required = false) String action,
                  @RequestParam(required = false) String reason,
                  @RequestHeader(name = "HX-Request", required = false) String htmx, Model model,
                  RedirectAttributes redirect, HttpServletResponse response) {
        try {
            Enrollments.Listing changed = enrollments.change(locationId, new Enrollments.Request(action, reason),
                    user.username(), clock.instant());
            String notice = text("locations.changed." + changed.location().enrollment().name(),
                    changed.location().id());
            if (htmx == null) {
                redirect.addFlashAttribute("notice", notice);
                return "redirect:/admin/locations/" + changed.location().id();
            }
            model.addAttribute("rowNotice", notice);
            return row(user, changed, response, model);
        } catch (ProblemException e) {
            if (htmx == null) {
                forms.reject(e, redirect, "errors");
                redirect.addFlashAttribute("reason", reason);
                return "redirect:/admin/locations/" + locationId;
            }
            if (e.status().value() == 404) {
                throw e;
            }
            // The refusal is said in the row it concerns; what was typed stays.
            Enrollments.Listing current = enrollments.find(locationId);
            Map<String, String> fieldErrors = forms.fieldMessages(e);
            model.addAttribute("rowErrors", fieldErrors);
            if (fieldErrors.isEmpty()) {
                model.addAttribute("rowProblem", e.code().equals("INVALID_ENROLLMENT_MOVE")
                        ? text("locations.invalidMove", text("enrollment." + current.location().enrollment().name()))
                        : text(e.messageKey(), e.args().toArray()));
            }
            model.addAttribute("rowAction", action);
            model.addAttribute("rowReason", reason);
            return row(user, current, response, model);
        }
    }

    /** The recent changes alone: the list page reloads them after each move (htmx). */
    @GetMapping("/admin/locations/changes")
    String changes(CurrentUser user, Model model) {
        model.addAttribute("me", user);
        model.addAttribute("recent", audit.latest(AuditTrail.Subject.LOCATION, RECENT));
        return "program/locations :: recent";
    }

    private String row(CurrentUser user, Enrollments.Listing listing, HttpServletResponse response, Model model) {
        model.addAttribute("me", user);
        model.addAttribute("l", listing);
        // The list of recent changes listens for this and reloads itself.
        response.setHeader("HX-Trigger", "enrollment-changed");
        return "program/locations :: row";
    }

    private String text(String key, Object... args) {
        return messages.getMessage(key, args, key, LocaleContextHolder.getLocale());
    }
}
