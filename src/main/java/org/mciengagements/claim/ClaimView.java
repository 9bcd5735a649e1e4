package org.mciengagements.claim;

import java.math.BigDecimal;
import java.time.Instant;
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
                        String mismatchNote, Long previousClaimId, Instant updatedAt, List<HistoryEntry> history) {

    public record Contact(String name, String email, String phone, String language) {}

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
