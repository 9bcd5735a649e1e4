package org.mciengagements.referral;

import java.math.BigDecimal;
import java.time.Instant;

/** A referral as lists show it. */
public record ReferralSummary(long id, long claimId, String engagementId, String engagementName, String partnerId,
                              String partnerName, String locationId, String customerName, String claimName,
                              BigDecimal estimatedDealSizeUsd, ReferralStatus status, ReferralSubStatus subStatus,
                              boolean coSell, Instant createdAt, Instant updatedAt) {}
