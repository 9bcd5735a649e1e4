package org.mciengagements.engagement.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mciengagements.engagement.EngagementConfiguration;
import org.mciengagements.engagement.EngagementDraft;
import org.mciengagements.engagement.EngagementRules;
import org.mciengagements.engagement.EngagementType;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.IdentifierType;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProblemException.FieldProblem;
import org.mciengagements.shared.ProgramClock;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The operator's engagement pages: the list of every engagement, and one form that creates or
 * edits one. A refused save comes back as the same form with what was typed and every problem
 * next to its field; a CEL mistake is shown under the expression, pointing at its position.
 * "Add criterion" and "Add rate card" post the form back with one more empty row.
 */
@Controller
@RequestMapping("/admin/engagements")
class EngagementAdminPages {

    private final EngagementConfiguration configuration;
    private final ProgramClock clock;
    private final MessageSource messages;

    EngagementAdminPages(EngagementConfiguration configuration, ProgramClock clock, MessageSource messages) {
        this.configuration = configuration;
        this.clock = clock;
        this.messages = messages;
    }

    /** Where a CEL compile error is: the expression's line, and the column to point at. */
    record Mark(String lineText, int line, int column, String message) {
        public String pointer() {
            return " ".repeat(Math.max(0, column - 1)) + "^";
        }
    }

    @GetMapping
    String list(CurrentUser user, Model model) {
        Instant now = clock.instant();
        model.addAttribute("me", user);
        model.addAttribute("engagements", configuration.all());
        model.addAttribute("now", now);
        return "admin/engagements";
    }

    @GetMapping("/new")
    String create(CurrentUser user, Model model) {
        model.addAttribute("me", user);
        EngagementForm form = new EngagementForm();
        form.getCriteria().add(new EngagementForm.CriterionRow());
        return form(model, form, true, Map.of(), Map.of(), List.of());
    }

    @GetMapping("/{engagementId}")
    String edit(CurrentUser user, @PathVariable String engagementId, Model model) {
        model.addAttribute("me", user);
        var found = configuration.find(engagementId).orElseThrow(() ->
                ProblemException.notFound("ENGAGEMENT_NOT_FOUND", "engagement.config.notFound", engagementId));
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        EngagementForm form = EngagementForm.of(engagementId, found.version(), EngagementDraft.of(found.engagement()),
                today);
        return form(model, form, false, Map.of(), Map.of(), configuration.history(engagementId, 50));
    }

    @PostMapping
    String saveNew(CurrentUser user, @ModelAttribute("form") EngagementForm form,
                   @RequestParam(required = false) String add, @RequestParam(required = false) String remove,
                   Model model, RedirectAttributes redirect) {
        return save(user, form.getId() == null ? "" : form.getId().strip(), form, true, add, remove, model, redirect);
    }

    @PostMapping("/{engagementId}")
    String saveExisting(CurrentUser user, @PathVariable String engagementId, @ModelAttribute("form") EngagementForm form,
                        @RequestParam(required = false) String add, @RequestParam(required = false) String remove,
                        Model model, RedirectAttributes redirect) {
        configuration.find(engagementId).orElseThrow(() ->
                ProblemException.notFound("ENGAGEMENT_NOT_FOUND", "engagement.config.notFound", engagementId));
        form.setId(engagementId);
        return save(user, engagementId, form, false, add, remove, model, redirect);
    }

    private String save(CurrentUser user, String id, EngagementForm form, boolean creating, String add, String remove,
                        Model model, RedirectAttributes redirect) {
        model.addAttribute("me", user);
        if (add != null || remove != null) {
            edited(form, add, remove);
            return form(model, form, creating, Map.of(), Map.of(), creating ? List.of() : configuration.history(id, 50));
        }
        Instant now = clock.instant();
        EngagementForm.Read read = form.draft();
        List<FieldProblem> problems = new ArrayList<>(read.problems());
        List<EngagementRules.ExpressionProblem> expressionProblems = new ArrayList<>();
        if (problems.isEmpty()) {
            try {
                configuration.put(user.username(), id, read.draft(),
                        creating ? "new" : form.getVersion(), now);
                redirect.addFlashAttribute("notice", text(creating ? "engagement.config.created"
                        : "engagement.config.saved", List.of(id)));
                return "redirect:/admin/engagements/" + id;
            } catch (ProblemException e) {
                if (e.status() == HttpStatus.PRECONDITION_FAILED) {
                    model.addAttribute("problem", text(creating ? "engagement.config.exists" : e.messageKey(), List.of(id)));
                } else if (e.status() == HttpStatus.BAD_REQUEST) {
                    problems.addAll(e.fieldProblems());
                    expressionProblems.addAll(expressionProblems(e));
                } else {
                    throw e;
                }
            }
        } else if (configuration.check(id, read.draft(), now) instanceof EngagementRules.Invalid invalid) {
            problems.addAll(invalid.problems());
            expressionProblems.addAll(invalid.expressionProblems());
        }
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (FieldProblem problem : problems) {
            String field = problem.field().equals("id") || read.problems().contains(problem)
                    ? problem.field() : EngagementForm.formField(problem.field(), read);
            errors.computeIfAbsent(field, k -> new ArrayList<>()).add(text(problem.messageKey(), problem.args()));
        }
        Map<String, Mark> marks = new LinkedHashMap<>();
        for (var e : expressionProblems) {
            String[] lines = e.expression().split("\n", -1);
            String lineText = e.line() >= 1 && e.line() <= lines.length ? lines[e.line() - 1] : e.expression();
            marks.putIfAbsent(EngagementForm.formField(e.field(), read),
                    new Mark(lineText, e.line(), e.column(), e.message()));
        }
        if (!errors.isEmpty() && !model.containsAttribute("problem")) {
            model.addAttribute("problem", text("engagement.config.invalid", List.of(problems.size())));
        }
        return form(model, form, creating, errors, marks, creating ? List.of() : configuration.history(id, 50));
    }

    /** The CEL errors a refused save carries, so the form can point at them without checking again. */
    private static List<EngagementRules.ExpressionProblem> expressionProblems(ProblemException e) {
        return e.properties().get("expressionErrors") instanceof List<?> list
                ? list.stream().map(EngagementRules.ExpressionProblem.class::cast).toList() : List.of();
    }

    /** Adds an empty criterion or rate-card row, or removes one ({@code criteria:2}, {@code rateCards:0}). */
    private static void edited(EngagementForm form, String add, String remove) {
        if ("criterion".equals(add)) {
            form.getCriteria().add(new EngagementForm.CriterionRow());
        } else if ("rateCard".equals(add)) {
            form.getRateCards().add(new EngagementForm.RateCardRow());
        }
        if (remove != null && remove.matches("(criteria|rateCards):\\d{1,3}")) {
            int index = Integer.parseInt(remove.substring(remove.indexOf(':') + 1));
            List<?> rows = remove.startsWith("criteria") ? form.getCriteria() : form.getRateCards();
            if (index < rows.size()) {
                rows.remove(index);
            }
        }
    }

    private String form(Model model, EngagementForm form, boolean creating, Map<String, List<String>> errors,
                        Map<String, Mark> marks, List<?> history) {
        model.addAttribute("form", form);
        model.addAttribute("creating", creating);
        model.addAttribute("errors", errors);
        model.addAttribute("marks", marks);
        model.addAttribute("history", history);
        model.addAttribute("types", EngagementType.values());
        model.addAttribute("identifierTypes", IdentifierType.values());
        model.addAttribute("hasClaims", !creating && configuration.hasClaims(form.getId()));
        model.addAttribute("typeDefaults", typeDefaults());
        return "admin/engagement";
    }

    /** Each type's default deadlines, shown next to the deadline fields. */
    private static Map<String, String> typeDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (EngagementType type : EngagementType.values()) {
            var d = type.defaultDeadlines();
            defaults.put(type.name(), d.consentDays() + " / " + d.firstSubmissionDays() + " / " + d.reviewDays()
                    + " / " + d.disputeDays() + " / " + d.actionRequiredDays());
        }
        return defaults;
    }

    private String text(String key, List<Object> args) {
        return messages.getMessage(key, args.toArray(), key, LocaleContextHolder.getLocale());
    }
}
