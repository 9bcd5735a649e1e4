package org.mciengagements.claim;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mciengagements.claim.ClaimLifecycle.Actor;
import org.mciengagements.claim.ClaimLifecycle.ClaimRef;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProblemException.FieldProblem;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What a partner does with a claim after consent (SPEC §10): submit proof of execution, resubmit
 * after a reviewer's request, dispute a rejection, and cancel before the first submission. Input is
 * checked in full before anything is stored, and a refusal changes nothing.
 */
@Service
public class ClaimActions {

    static final int MAX_TEXT = 4000;

    private final ClaimLifecycle lifecycle;
    private final ProofDocuments documents;

    ClaimActions(ClaimLifecycle lifecycle, ProofDocuments documents) {
        this.lifecycle = lifecycle;
        this.documents = documents;
    }

    /** A submission as the partner sends it; the execution date is the date the engagement was delivered. */
    public record Submission(LocalDate executionDate, String comments, List<ProofDocuments.Upload> files) {}

    /**
     * Submits proof of execution, or resubmits after a reviewer's request. The first submission
     * needs at least one document; a resubmission needs a document or a comment answering the request.
     */
    @Transactional
    public void submit(CurrentUser user, long claimId, Submission submission, Instant now) {
        ClaimRef claim = actionable(user, lifecycle.lock(claimId));
        if (!claim.status().canMoveTo(ClaimStatus.SUBMITTED)) {
            throw ClaimLifecycle.invalidStatus(claim);
        }
        boolean resubmission = claim.status() == ClaimStatus.PARTNER_ACTION_REQUIRED;
        List<FieldProblem> problems = new ArrayList<>();
        LocalDate date = submission.executionDate();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (date == null) {
            problems.add(new FieldProblem("executionDate", "REQUIRED", "claim.submit.executionDate.required"));
        } else if (date.isAfter(today)) {
            problems.add(new FieldProblem("executionDate", "IN_FUTURE", "claim.submit.executionDate.future"));
        } else if (claim.consentReceivedAt() != null
                && date.isBefore(LocalDate.ofInstant(claim.consentReceivedAt(), ZoneOffset.UTC))) {
            problems.add(new FieldProblem("executionDate", "BEFORE_CONSENT", "claim.submit.executionDate.beforeConsent",
                    List.of(LocalDate.ofInstant(claim.consentReceivedAt(), ZoneOffset.UTC).toString())));
        }
        String comments = text(submission.comments());
        textProblem("comments", comments).ifPresent(problems::add);
        ProofDocuments.Checked files = ProofDocuments.check(submission.files());
        problems.addAll(files.problems());
        if (files.problems().isEmpty() && submission.files().isEmpty() && (!resubmission || comments == null)) {
            problems.add(new FieldProblem("files", "REQUIRED",
                    resubmission ? "claim.resubmit.somethingRequired" : "claim.files.required"));
        }
        if (!problems.isEmpty()) {
            throw ProblemException.badRequest(problems);
        }
        lifecycle.submit(claim, date, Actor.partner(user.username()), now);
        documents.store(claim.id(), resubmission ? ProofDocuments.Kind.RESUBMISSION : ProofDocuments.Kind.SUBMISSION, user.username(), date, comments,
                files.files(), now);
    }

    /** Disputes a rejection, once, inside the dispute window: a reason is required, documents are optional. */
    @Transactional
    public void dispute(CurrentUser user, long claimId, String reason, List<ProofDocuments.Upload> uploads, Instant now) {
        ClaimRef claim = actionable(user, lifecycle.lock(claimId));
        if (!claim.status().canMoveTo(ClaimStatus.DISPUTED)) {
            throw ClaimLifecycle.invalidStatus(claim);
        }
        List<FieldProblem> problems = new ArrayList<>();
        String text = text(reason);
        if (text == null) {
            problems.add(new FieldProblem("reason", "REQUIRED", "claim.dispute.reasonRequired"));
        }
        textProblem("reason", text).ifPresent(problems::add);
        ProofDocuments.Checked files = ProofDocuments.check(uploads);
        problems.addAll(files.problems());
        if (!problems.isEmpty()) {
            throw ProblemException.badRequest(problems);
        }
        lifecycle.dispute(claim, text, Actor.partner(user.username()), now);
        documents.store(claim.id(), ProofDocuments.Kind.DISPUTE, user.username(), null, text, files.files(), now);
    }

    /** Cancels a claim before its first submission; the reason is kept with the claim. */
    @Transactional
    public void cancel(CurrentUser user, long claimId, String reason, Instant now) {
        ClaimRef claim = actionable(user, lifecycle.lock(claimId));
        if (!claim.status().canMoveTo(ClaimStatus.CANCELED)) {
            throw ClaimLifecycle.invalidStatus(claim);
        }
        String text = text(reason);
        if (text == null) {
            throw ProblemException.badRequest("reason", "REQUIRED", "claim.cancel.reasonRequired");
        }
        textProblem("reason", text).ifPresent(p -> {
            throw ProblemException.badRequest(List.of(p));
        });
        lifecycle.cancel(claim, text, Actor.partner(user.username()), now);
    }

    /**
     * The claim must belong to the caller's partner at a location they see (else it does not exist
     * for them). The location's enrollment does not matter here: a suspended or withdrawn location
     * nominates no new customers, but the claims it already made continue — consent, submission,
     * dispute and cancel — so work the customer agreed to is not lost.
     */
    public static ClaimRef actionable(CurrentUser user, ClaimRef claim) {
        user.requireIncentivesRole();
        Optional<CurrentUser.LocationAccess> access = claim.partnerId().equals(user.partnerId())
                ? user.access(claim.locationId()) : Optional.empty();
        if (access.isEmpty() || !access.get().visible()) {
            throw ProblemException.notFound("CLAIM_NOT_FOUND", "problem.claim.notFound", String.valueOf(claim.id()));
        }
        return claim;
    }

    static String text(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    static Optional<FieldProblem> textProblem(String field, String value) {
        return value != null && value.length() > MAX_TEXT
                ? Optional.of(new FieldProblem(field, "TOO_LONG", "claim.text.tooLong", List.of(MAX_TEXT)))
                : Optional.empty();
    }
}
