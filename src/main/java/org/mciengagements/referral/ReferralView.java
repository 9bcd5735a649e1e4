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

    /** One append-only history entry: who did what, when, and the sub-status before and after. */
    public record HistoryEntry(Instant at, String actorType, String actor, ReferralAction action,
                               ReferralSubStatus fromSubStatus, ReferralSubStatus toSubStatus, String detail) {}
}
