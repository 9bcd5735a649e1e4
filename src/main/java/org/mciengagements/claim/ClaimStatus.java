package org.mciengagements.claim;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The claim lifecycle of SPEC §10. {@link #canMoveTo} is the one transition table; every verb on a
 * claim checks it. Groups used by eligibility and the Customers page are derived here too.
 */
public enum ClaimStatus {
    CUSTOMER_CLAIMED,
    AWAITING_CONSENT,
    CONSENT_RECEIVED,
    SUBMITTED,
    UNDER_REVIEW,
    PARTNER_ACTION_REQUIRED,
    REJECTED,
    DISPUTED,
    APPROVED,
    COMPLETED,
    CANCELED,
    CONSENT_DECLINED,
    CONSENT_EXPIRED,
    NOT_SUBMITTED_EXPIRED,
    POST_SUBMISSION_EXPIRED,
    DISPUTE_EXPIRED,
    REJECTED_FINAL;

    private static final Map<ClaimStatus, Set<ClaimStatus>> NEXT = Map.ofEntries(
            Map.entry(CUSTOMER_CLAIMED, EnumSet.of(AWAITING_CONSENT, CANCELED, CONSENT_EXPIRED)),
            Map.entry(AWAITING_CONSENT, EnumSet.of(CONSENT_RECEIVED, CONSENT_DECLINED, CONSENT_EXPIRED, CANCELED)),
            Map.entry(CONSENT_RECEIVED, EnumSet.of(SUBMITTED, CANCELED, NOT_SUBMITTED_EXPIRED)),
            Map.entry(SUBMITTED, EnumSet.of(UNDER_REVIEW)),
            Map.entry(UNDER_REVIEW, EnumSet.of(PARTNER_ACTION_REQUIRED, APPROVED, REJECTED, REJECTED_FINAL)),
            Map.entry(PARTNER_ACTION_REQUIRED, EnumSet.of(SUBMITTED, POST_SUBMISSION_EXPIRED)),
            Map.entry(REJECTED, EnumSet.of(DISPUTED, DISPUTE_EXPIRED)),
            Map.entry(DISPUTED, EnumSet.of(UNDER_REVIEW)),
            Map.entry(APPROVED, EnumSet.of(COMPLETED)));

    /** Statuses in which the customer's consent is held and the engagement is not yet decided. */
    public static final Set<ClaimStatus> CONSENT_HELD = EnumSet.of(CONSENT_RECEIVED, SUBMITTED, UNDER_REVIEW,
            PARTNER_ACTION_REQUIRED, REJECTED, DISPUTED, APPROVED);

    /** Delivered or being delivered: submitted or later, including paid, excluding failed ends. */
    public static final Set<ClaimStatus> ENGAGED = EnumSet.of(SUBMITTED, UNDER_REVIEW, PARTNER_ACTION_REQUIRED,
            REJECTED, DISPUTED, APPROVED, COMPLETED);

    /** Another partner in one of these blocks a customer's consent: it holds consent or delivers. */
    public static final Set<ClaimStatus> ENGAGED_OR_CONSENTED = EnumSet.of(CONSENT_RECEIVED, SUBMITTED, UNDER_REVIEW,
            PARTNER_ACTION_REQUIRED, REJECTED, DISPUTED, APPROVED, COMPLETED);

    /** Terminal statuses shown on the Complete tab; declined and consent-expired claims leave the page. */
    public static final Set<ClaimStatus> COMPLETE_TAB = EnumSet.of(COMPLETED, CANCELED, NOT_SUBMITTED_EXPIRED,
            POST_SUBMISSION_EXPIRED, DISPUTE_EXPIRED, REJECTED_FINAL);

    /**
     * Terminal because a deadline passed: such a claim is never revived, but the partner may start
     * one new claim from it (SPEC §10).
     */
    public static final Set<ClaimStatus> EXPIRED = EnumSet.of(CONSENT_EXPIRED, NOT_SUBMITTED_EXPIRED,
            POST_SUBMISSION_EXPIRED, DISPUTE_EXPIRED);

    public boolean isExpired() {
        return EXPIRED.contains(this);
    }

    public boolean isTerminal() {
        return !NEXT.containsKey(this);
    }

    public boolean isActive() {
        return !isTerminal();
    }

    public boolean canMoveTo(ClaimStatus next) {
        return NEXT.getOrDefault(this, Set.of()).contains(next);
    }

    public static List<ClaimStatus> active() {
        return Arrays.stream(values()).filter(ClaimStatus::isActive).toList();
    }

    /** SQL list literal of statuses, for queries that must agree with this table. */
    static String sqlList(Iterable<ClaimStatus> statuses) {
        StringBuilder sql = new StringBuilder("(");
        for (ClaimStatus status : statuses) {
            sql.append(sql.length() > 1 ? ", '" : "'").append(status.name()).append('\'');
        }
        return sql.append(')').toString();
    }
}
