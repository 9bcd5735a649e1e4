package org.mciengagements.review.web;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.mciengagements.claim.ClaimQueries;
import org.mciengagements.claim.ClaimStatus;
import org.mciengagements.claim.ClaimView;
import org.mciengagements.claim.ProofDocuments;
import org.mciengagements.claim.ReviewReason;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.program.Partner;
import org.mciengagements.program.ProgramDirectory;
import org.mciengagements.review.Reviews;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.security.GlobalRole;
import org.mciengagements.shared.Cursor;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProgramClock;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The reviewer's pages: the queue across partners in deadline order, and one claim with the
 * decision forms its status allows. Forms post here and come back to the claim with a notice, or
 * with the refusal next to the fields it concerns.
 */
@Controller
class ReviewPages {

    static final int PAGE_SIZE = 25;

    /**
     * The queue's status choices: the reviewer's own work (the default), the claims waiting for the
     * partner, both, or one status of either.
     */
    enum View {
        AWAITING_REVIEWER(ClaimQueries.AWAITING_REVIEWER),
        WAITING_FOR_PARTNER(EnumSet.of(ClaimStatus.PARTNER_ACTION_REQUIRED, ClaimStatus.REJECTED)),
        ALL_OPEN(EnumSet.of(ClaimStatus.SUBMITTED, ClaimStatus.UNDER_REVIEW, ClaimStatus.DISPUTED, ClaimStatus.APPROVED,
                ClaimStatus.PARTNER_ACTION_REQUIRED, ClaimStatus.REJECTED));

        final Set<ClaimStatus> statuses;

        View(Set<ClaimStatus> statuses) {
            this.statuses = statuses;
        }
    }

    /** Single statuses the queue can be narrowed to, in lifecycle order. */
    static final List<ClaimStatus> QUEUE_STATUSES = List.copyOf(View.ALL_OPEN.statuses);

    /** One row of the queue as the page shows it, with the deadline its {@code dueAt} is. */
    record Row(ClaimQueries.ReviewItem item, String partnerName, String engagementName, boolean overdue) {

        /** The partner's deadline while the claim waits for the partner, else the review deadline. */
        public ClaimView.Deadline.Kind deadlineKind() {
            return switch (item.claim().status()) {
                case PARTNER_ACTION_REQUIRED -> ClaimView.Deadline.Kind.PARTNER_ACTION;
                case REJECTED -> ClaimView.Deadline.Kind.DISPUTE;
                default -> ClaimView.Deadline.Kind.REVIEW;
            };
        }
    }

    private final Reviews reviews;
    private final ClaimQueries claims;
    private final ProofDocuments documents;
    private final EngagementCatalog catalog;
    private final ProgramDirectory program;
    private final MessageSource messages;
    private final ProgramClock clock;

    ReviewPages(Reviews reviews, ClaimQueries claims, ProofDocuments documents, EngagementCatalog catalog,
                ProgramDirectory program, MessageSource messages, ProgramClock clock) {
        this.reviews = reviews;
        this.claims = claims;
        this.documents = documents;
        this.catalog = catalog;
        this.program = program;
        this.messages = messages;
        this.clock = clock;
    }

    @GetMapping("/review")
    String queue(CurrentUser me, @RequestParam(required = false) String status,
                 @RequestParam(required = false) String engagementId, @RequestParam(required = false) String partnerId,
                 @RequestParam(required = false) String q, @RequestParam(defaultValue = "false") boolean overdue,
                 @RequestParam(required = false) String cursor, Model model) {
        requireReviewer(me);
        Instant now = clock.instant();
        String selected = blank(status) == null ? View.AWAITING_REVIEWER.name() : status.strip();
        Set<ClaimStatus> statuses = statuses(selected);
        String engagement = blank(engagementId);
        String partner = blank(partnerId);
        Cursor.Page<ClaimQueries.ReviewItem> page = claims.reviewQueue(
                new ClaimQueries.ReviewFilter(statuses, engagement, partner, blank(q), overdue ? now : null),
                Cursor.decode(cursor, "cursor"), PAGE_SIZE);

        Map<String, String> partnerNames = program.partners().stream()
                .collect(Collectors.toMap(Partner::id, Partner::name, (a, b) -> a, LinkedHashMap::new));
        Map<String, String> engagementNames = catalog.all().stream()
                .collect(Collectors.toMap(Engagement::id, Engagement::name, (a, b) -> a, LinkedHashMap::new));
        List<Row> rows = page.items().stream()
                .map(i -> new Row(i, partnerNames.getOrDefault(i.partnerId(), i.partnerId()),
                        engagementNames.getOrDefault(i.claim().engagementId(), i.claim().engagementId()),
                        i.dueAt() != null && i.dueAt().isBefore(now)))
                .toList();

        model.addAttribute("me", me);
        model.addAttribute("rows", rows);
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute("paged", cursor != null && !cursor.isBlank());
        model.addAttribute("queueStatuses", QUEUE_STATUSES);
        model.addAttribute("status", selected);
        model.addAttribute("engagements", catalog.all());
        model.addAttribute("engagementId", engagement);
        model.addAttribute("partners", partnerNames);
        model.addAttribute("partnerId", partner);
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("overdue", overdue);
        return "review/queue";
    }

    @GetMapping("/review/claims/{claimId}")
    String claim(CurrentUser me, @PathVariable long claimId, Model model) {
        requireReviewer(me);
        ClaimView claim = find(claimId);
        Instant now = clock.instant();
        LocalDate utcToday = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate localToday = LocalDate.ofInstant(now, me.timeZone());
        model.addAttribute("me", me);
        model.addAttribute("claim", claim);
        model.addAttribute("engagement", catalog.find(claim.engagementId()).orElse(null));
        model.addAttribute("partnerName", program.partner(claim.partnerId()).map(Partner::name).orElse(claim.partnerId()));
        model.addAttribute("reasons", ReviewReason.values());
        // After a dispute, a rejection is final (SPEC §10): the reviewer is told before deciding.
        model.addAttribute("disputed", claim.history().stream().anyMatch(h -> h.toStatus() == ClaimStatus.DISPUTED));
        // The payment day cannot be later than today in UTC, whatever the reviewer's time zone.
        model.addAttribute("latestPaidOn", utcToday);
        model.addAttribute("defaultPaidOn", localToday.isAfter(utcToday) ? utcToday : localToday);
        return "review/claim";
    }

    @PostMapping("/review/claims/{claimId}/decisions")
    String decide(CurrentUser me, @PathVariable long claimId, @RequestParam(required = false) String decision,
                  @RequestParam(required = false) String comment,
                  @RequestParam(required = false) List<String> checklist, RedirectAttributes redirect) {
        requireReviewer(me);
        try {
            ClaimStatus status = reviews.decide(me, claimId,
                    new Reviews.DecisionRequest(decision, comment, checklist == null ? List.of() : checklist),
                    clock.instant());
            redirect.addFlashAttribute("notice", text("review.notice." + status.name()));
        } catch (ProblemException e) {
            Map<String, Object> form = new LinkedHashMap<>();
            form.put("comment", comment == null ? "" : comment);
            form.put("checklist", checklist == null ? List.of() : List.copyOf(checklist));
            fail(e, decision == null ? "" : decision.strip(), form, redirect);
        }
        return "redirect:/review/claims/" + claimId;
    }

    @PostMapping("/review/claims/{claimId}/payouts")
    String payout(CurrentUser me, @PathVariable long claimId, @RequestParam(required = false) String amountUsd,
                  @RequestParam(required = false) String paidOn, @RequestParam(required = false) String reference,
                  RedirectAttributes redirect) {
        requireReviewer(me);
        try {
            List<ProblemException.FieldProblem> unreadable = new ArrayList<>();
            BigDecimal amount = amount(amountUsd, unreadable);
            LocalDate day = day(paidOn, unreadable);
            if (!unreadable.isEmpty()) {
                throw ProblemException.badRequest(unreadable);
            }
            reviews.recordPayout(me, claimId, new Reviews.PayoutRequest(amount, day, reference), clock.instant());
            redirect.addFlashAttribute("notice", text("review.notice." + ClaimStatus.COMPLETED.name()));
        } catch (ProblemException e) {
            Map<String, Object> form = new LinkedHashMap<>();
            form.put("amountUsd", amountUsd == null ? "" : amountUsd);
            form.put("paidOn", paidOn == null ? "" : paidOn);
            form.put("reference", reference == null ? "" : reference);
            fail(e, "PAYOUT", form, redirect);
        }
        return "redirect:/review/claims/" + claimId;
    }

    @GetMapping("/review/claims/{claimId}/documents/{documentId}")
    ResponseEntity<byte[]> document(CurrentUser me, @PathVariable long claimId, @PathVariable long documentId) {
        requireReviewer(me);
        find(claimId);
        return documents.content(claimId, documentId).asAttachment();
    }

    /**
     * A refused form comes back to the claim page: a banner with the refusal, each field's problem
     * next to its field in the form that was sent ({@code failedForm}), and what was typed.
     */
    private void fail(ProblemException e, String formName, Map<String, Object> values, RedirectAttributes redirect) {
        if (e.status().value() == 404 || e.status().value() == 403) {
            throw e;
        }
        Map<String, String> errors = new LinkedHashMap<>();
        // checklist[2] is a problem of the checklist as the form shows it.
        e.fieldProblems().forEach(f -> errors.putIfAbsent(f.field().replaceAll("\\[\\d+]$", ""),
                messages.getMessage(f.messageKey(), f.args().toArray(), LocaleContextHolder.getLocale())));
        // A status in a refusal is named as the page names it, not by its code.
        Object[] args = e.args().stream()
                .map(a -> "INVALID_STATUS".equals(e.code()) ? text("status." + a) : a).toArray();
        redirect.addFlashAttribute("problem", messages.getMessage(e.messageKey(), args, LocaleContextHolder.getLocale()));
        redirect.addFlashAttribute("errors", errors);
        redirect.addFlashAttribute("failedForm", formName);
        redirect.addFlashAttribute("values", values);
    }

    private static Set<ClaimStatus> statuses(String selected) {
        for (View view : View.values()) {
            if (view.name().equals(selected)) {
                return view.statuses;
            }
        }
        return QUEUE_STATUSES.stream().filter(s -> s.name().equals(selected)).findFirst().map(EnumSet::of)
                .orElseThrow(() -> ProblemException.badRequest("status", "INVALID_VALUE", "problem.field.invalidValue"));
    }

    private static BigDecimal amount(String text, List<ProblemException.FieldProblem> problems) {
        return parse(text, s -> new BigDecimal(s.replace(",", "")), "amountUsd", "review.payout.amountRange", problems);
    }

    private static LocalDate day(String text, List<ProblemException.FieldProblem> problems) {
        return parse(text, LocalDate::parse, "paidOn", "review.payout.paidOnInvalid", problems);
    }

    /** Blank is "not given" (the decision reports it as required); unreadable text is reported here. */
    private static <T> T parse(String text, Function<String, T> parser, String field, String messageKey,
                               List<ProblemException.FieldProblem> problems) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return parser.apply(text.strip());
        } catch (NumberFormatException | DateTimeParseException e) {
            problems.add(new ProblemException.FieldProblem(field, "INVALID_VALUE", messageKey));
            return null;
        }
    }

    private ClaimView find(long claimId) {
        return claims.findForReview(claimId)
                .orElseThrow(() -> ProblemException.notFound("CLAIM_NOT_FOUND", "problem.claim.notFound", String.valueOf(claimId)));
    }

    /** The security chain already admits only reviewers here; a page never relies on that alone. */
    private static void requireReviewer(CurrentUser me) {
        if (!me.has(GlobalRole.PROGRAM_REVIEWER)) {
            throw ProblemException.forbidden("REVIEWER_ROLE_REQUIRED", "problem.forbidden.reviewerRole");
        }
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private String text(String key) {
        return messages.getMessage(key, null, LocaleContextHolder.getLocale());
    }
}
