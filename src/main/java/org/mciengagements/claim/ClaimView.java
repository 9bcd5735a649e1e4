package org.mciengagements.claim;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.mciengagements.shared.IdentifierType;

/** A claim as partners and reviewers read it, with its history (oldest first). */
public record ClaimView(long id, String engagementId, String partnerId, String locationId, String origin,
                        String friendlyName, IdentifierType identifierType, String identifierValue,
                        String customerKey, String customerName, ClaimStatus status, String statusReason,
                        Instant createdAt, String createdBy, Deadlines deadlines, Instant consentRequestedAt,
                        Instant consentReceivedAt, Instant submittedAt, BigDecimal estimatedDealSizeUsd,
                        Integer hours, BigDecimal proposedPayoutUsd, BigDecimal approvedPayoutUsd,
                        Contact customerContact, Contact partnerContact, String mismatchReason,
                        String mismatchNote, Long previousClaimId, Instant updatedAt, List<HistoryEntry> history,
                        LocalDate executionDate, Payout payout, List<Submission> submissions,
                        List<ReviewNote> reviewNotes, Long nextClaimId, Referral referral) {

    public record Contact(String name, String email, String phone, String language) {}

    /**
     * The referral created from the claim, as claim details show it: which one, where it stands and
     * whether it was upgraded to co-sell. Statuses are the referral module's names.
     */
    public record Referral(long id, String status, String subStatus, boolean coSell) {}

    /** The payout recorded for a completed claim. */
    public record Payout(BigDecimal paidUsd, LocalDate paidOn, String reference) {}

    /** What the partner sent: a submission, a resubmission or a dispute, with its documents. */
    public record Submission(long id, String kind, Instant at, String by, LocalDate executionDate, String comments,
                             List<Document> documents) {}

    /** A proof document; its bytes are downloaded from {@code …/claims/{id}/documents/{documentId}}. */
    public record Document(long id, String fileName, String contentType, int sizeBytes, String sha256) {}

    /** A reviewer's request for action, rejection or approval, as the partner reads it. */
    public record ReviewNote(Instant at, String reviewer, String decision, List<ReviewReason> checklist,
                             String comment) {}

    /** The latest reviewer request the partner must answer, when the claim waits for the partner. */
    public ReviewNote openRequest() {
        if (status != ClaimStatus.PARTNER_ACTION_REQUIRED && status != ClaimStatus.REJECTED) {
            return null;
        }
        return reviewNotes.isEmpty() ? null : reviewNotes.getLast();
    }

    /** Every deadline a claim can have; each is null until the step that starts it. */
    public record Deadlines(Instant consentDueAt, Instant firstSubmissionDueAt, Instant reviewDueAt,
                            Instant actionDueAt, Instant disputeDueAt) {

        /** The deadline the partner (or reviewer) is working against in a status, if any. */
        public Deadline next(ClaimStatus status) {
            return switch (status) {
                case CUSTOMER_CLAIMED, AWAITING_CONSENT -> Deadline.of(Deadline.Kind.CONSENT, consentDueAt);
                case CONSENT_RECEIVED -> Deadline.of(Deadline.Kind.FIRST_SUBMISSION, firstSubmissionDueAt);
                case SUBMITTED, UNDER_REVIEW, DISPUTED -> Deadline.of(Deadline.Kind.REVIEW, reviewDueAt);
                case PARTNER_ACTION_REQUIRED -> Deadline.of(Deadline.Kind.PARTNER_ACTION, actionDueAt);
                case REJECTED -> Deadline.of(Deadline.Kind.DISPUTE, disputeDueAt);
                default -> null;
            };
        }
    }

    /** A named deadline. */
    public record Deadline(Kind kind, Instant at) {
        public enum Kind { CONSENT, FIRST_SUBMISSION, REVIEW, PARTNER_ACTION, DISPUTE }

        static Deadline of(Kind kind, Instant at) {
            return at == null ? null : new Deadline(kind, at);
        }
    }

    /** One append-only history entry: who did what, when, and the status before and after. */
    public record HistoryEntry(Instant at, String actorType, String actor, String action, ClaimStatus fromStatus,
                               ClaimStatus toStatus, String detail) {}

    public Deadline nextDeadline() {
        return deadlines.next(status);
    }
}
