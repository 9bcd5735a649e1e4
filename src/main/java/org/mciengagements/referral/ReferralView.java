package org.mciengagements.referral;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A referral as the people working it read it: what it was created from (a snapshot of the claim at
 * its consent request), where it stands, its history (oldest first) and the decisions the caller may
 * take on it now.
 */
public record ReferralView(long id, long claimId, String claimName, String engagementId, String engagementName,
                           String partnerId, String partnerName, String locationId, String customerKey,
                           String customerName, BigDecimal estimatedDealSizeUsd, Integer hours, Contact partnerContact,
                           ReferralStatus status, ReferralSubStatus subStatus, boolean coSell, Instant coSellAt,
                           Instant createdAt, String createdBy, Instant updatedAt, Instant closedAt,
                           List<HistoryEntry> history, List<ReferralDecision> allowedDecisions) {

    public record Contact(String name, String email, String phone) {}

    /**
     * One append-only history entry: who did what, when, and the sub-status before and after. The
     * entries the rules write (created, co-sell, expired) say why in {@code detail} as {@code CODE: text}
     * — a {@link ReferralRules.Reason} and the expression judged, or the claim status that closed the
     * referral and its reason — so pages can put the code in the reader's language; a decision's detail
     * is the comment of whoever took it.
     */
    public record HistoryEntry(Instant at, String actorType, String actor, ReferralAction action,
                               ReferralSubStatus fromSubStatus, ReferralSubStatus toSubStatus, String detail) {

        /** The code a rule's detail starts with; null for decisions, whose detail is a person's comment. */
        public String code() {
            if (detail == null || action == ReferralAction.ACCEPT || action == ReferralAction.WON
                    || action == ReferralAction.LOST || action == ReferralAction.DECLINE) {
                return null;
            }
            return detail.split(": ", 2)[0];
        }

        /** What follows the code (the expression, or the claim's reason), or the whole comment of a decision. */
        public String text() {
            if (code() == null) {
                return detail;
            }
            String[] parts = detail.split(": ", 2);
            return parts.length > 1 ? parts[1] : null;
        }
    }
}
