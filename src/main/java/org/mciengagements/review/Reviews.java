package org.mciengagements.review;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mciengagements.claim.ClaimLifecycle;
import org.mciengagements.claim.ClaimLifecycle.Actor;
import org.mciengagements.claim.ClaimLifecycle.ClaimRef;
import org.mciengagements.claim.ClaimStatus;
import org.mciengagements.claim.PartnerMails;
import org.mciengagements.claim.ReviewReason;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.security.GlobalRole;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProblemException.FieldProblem;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A reviewer's decisions on a claim and the payout record. Each checks its input in full, moves
 * the claim through its guarded verb, and mails the partner in the same transaction.
 */
@Service
public class Reviews {

    static final int MAX_COMMENT = 4000;
    static final int MAX_REFERENCE = 100;

    private final ClaimLifecycle lifecycle;
    private final PartnerMails mails;

    Reviews(ClaimLifecycle lifecycle, PartnerMails mails) {
        this.lifecycle = lifecycle;
        this.mails = mails;
    }

    public enum Decision { START_REVIEW, REQUEST_ACTION, APPROVE, REJECT }

    /** A decision as the reviewer sends it; the checklist holds {@link ReviewReason} names. */
    public record DecisionRequest(String decision, String comment, List<String> checklist) {}

    /** A payout as the reviewer records it. */
    public record PayoutRequest(BigDecimal amountUsd, LocalDate paidOn, String reference) {}

    /** Takes a decision; returns the claim's new status. */
    @Transactional
    public ClaimStatus decide(CurrentUser reviewer, long claimId, DecisionRequest request, Instant now) {
        requireReviewer(reviewer);
        List<FieldProblem> problems = new ArrayList<>();
        Decision decision = null;
        if (request.decision() == null || request.decision().isBlank()) {
            problems.add(new FieldProblem("decision", "REQUIRED", "review.decision.required"));
        } else {
            try {
                decision = Decision.valueOf(request.decision().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem("decision", "INVALID_VALUE", "review.decision.invalid"));
            }
        }
        String comment = request.comment() == null || request.comment().isBlank() ? null : request.comment().strip();
        if (comment != null && comment.length() > MAX_COMMENT) {
            problems.add(new FieldProblem("comment", "TOO_LONG", "claim.text.tooLong", List.of(MAX_COMMENT)));
        }
        List<ReviewReason> checklist = checklist(request.checklist(), problems);
        if ((decision == Decision.REQUEST_ACTION || decision == Decision.REJECT) && checklist.isEmpty() && comment == null
                && problems.stream().noneMatch(p -> p.field().startsWith("checklist"))) {
            problems.add(new FieldProblem("checklist", "REASON_REQUIRED", "review.reasonRequired"));
        }
        if ((decision == Decision.START_REVIEW || decision == Decision.APPROVE) && !checklist.isEmpty()) {
            problems.add(new FieldProblem("checklist", "NOT_APPLICABLE", "review.checklist.notApplicable"));
        }
        if (!problems.isEmpty()) {
            throw ProblemException.badRequest(problems);
        }
        ClaimRef claim = lifecycle.lock(claimId);
        Actor actor = Actor.reviewer(reviewer.username());
        return switch (decision) {
            case START_REVIEW -> {
                lifecycle.startReview(claim, actor, now);
                yield ClaimStatus.UNDER_REVIEW;
            }
            case REQUEST_ACTION -> {
                lifecycle.requestAction(claim, checklist, comment, actor, now);
                ClaimRef moved = lifecycle.read(claimId);
                mails.send(moved, "claim-action-required", "claim-action-required:" + claimId + ":" + now.toEpochMilli(),
                        moved.deadlines().actionDueAt(), Map.of("comment", comment == null ? "" : comment), now);
                yield ClaimStatus.PARTNER_ACTION_REQUIRED;
            }
            case APPROVE -> {
                BigDecimal amount = lifecycle.approve(claim, comment, actor, now);
                mails.send(claim, "claim-approved", "claim-approved:" + claimId, null,
                        Map.of("amount", amount.toPlainString()), now);
                yield ClaimStatus.APPROVED;
            }
            case REJECT -> {
                ClaimStatus status = lifecycle.reject(claim, checklist, comment, actor, now);
                ClaimRef moved = lifecycle.read(claimId);
                String template = status == ClaimStatus.REJECTED ? "claim-rejected" : "claim-rejected-final";
                mails.send(moved, template, template + ":" + claimId,
                        status == ClaimStatus.REJECTED ? moved.deadlines().disputeDueAt() : null,
                        Map.of("comment", comment == null ? "" : comment), now);
                yield status;
            }
        };
    }

    /** Records the payout of an approved claim, which completes it. The amount must be the approved one. */
    @Transactional
    public void recordPayout(CurrentUser reviewer, long claimId, PayoutRequest request, Instant now) {
        requireReviewer(reviewer);
        List<FieldProblem> problems = new ArrayList<>();
        BigDecimal amount = request.amountUsd();
        if (amount == null) {
            problems.add(new FieldProblem("amountUsd", "REQUIRED", "review.payout.amountRequired"));
        } else if (amount.signum() <= 0 || amount.scale() > 2 || amount.precision() - amount.scale() > 10) {
            problems.add(new FieldProblem("amountUsd", "OUT_OF_RANGE", "review.payout.amountRange"));
        }
        if (request.paidOn() == null) {
            problems.add(new FieldProblem("paidOn", "REQUIRED", "review.payout.paidOnRequired"));
        } else if (request.paidOn().isAfter(LocalDate.ofInstant(now, ZoneOffset.UTC))) {
            problems.add(new FieldProblem("paidOn", "IN_FUTURE", "review.payout.paidOnFuture"));
        }
        String reference = request.reference() == null ? "" : request.reference().strip();
        if (reference.isEmpty()) {
            problems.add(new FieldProblem("reference", "REQUIRED", "review.payout.referenceRequired"));
        } else if (reference.length() > MAX_REFERENCE) {
            problems.add(new FieldProblem("reference", "TOO_LONG", "claim.text.tooLong", List.of(MAX_REFERENCE)));
        }
        if (!problems.isEmpty()) {
            throw ProblemException.badRequest(problems);
        }
        ClaimRef claim = lifecycle.lock(claimId);
        if (!claim.status().canMoveTo(ClaimStatus.COMPLETED)) {
            throw new ProblemException(HttpStatus.CONFLICT, "INVALID_STATUS", "problem.claim.invalidStatus",
                    List.of(claim.status().name()), List.of(), Map.of("status", claim.status().name()));
        }
        if (claim.approvedPayoutUsd() != null && amount.compareTo(claim.approvedPayoutUsd()) != 0) {
            throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "PAYOUT_AMOUNT_MISMATCH",
                    "review.payout.amountMismatch", List.of(claim.approvedPayoutUsd().toPlainString()),
                    List.of(new FieldProblem("amountUsd", "PAYOUT_AMOUNT_MISMATCH", "review.payout.amountMismatch",
                            List.of(claim.approvedPayoutUsd().toPlainString()))),
                    Map.of("approvedPayoutUsd", claim.approvedPayoutUsd()));
        }
        lifecycle.recordPayout(claim, amount, request.paidOn(), reference, Actor.reviewer(reviewer.username()), now);
        mails.send(claim, "claim-paid", "claim-paid:" + claimId, null,
                Map.of("amount", amount.toPlainString(), "reference", reference), now);
    }

    private static List<ReviewReason> checklist(List<String> names, List<FieldProblem> problems) {
        LinkedHashSet<ReviewReason> reasons = new LinkedHashSet<>();
        if (names == null) {
            return List.of();
        }
        for (int i = 0; i < names.size(); i++) {
            try {
                reasons.add(ReviewReason.valueOf(String.valueOf(names.get(i)).strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem("checklist[" + i + "]", "INVALID_VALUE", "review.checklist.invalid"));
            }
        }
        return List.copyOf(reasons);
    }

    static void requireReviewer(CurrentUser user) {
        if (!user.has(GlobalRole.PROGRAM_REVIEWER)) {
            throw ProblemException.forbidden("REVIEWER_ROLE_REQUIRED", "problem.forbidden.reviewerRole");
        }
    }
}
