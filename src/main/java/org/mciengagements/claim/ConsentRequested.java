package org.mciengagements.claim;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The consent email of a claim went out ({@code CUSTOMER_CLAIMED → AWAITING_CONSENT}); the deal size
 * is fixed from now on. Published inside the transaction of the move, so whatever a listener writes
 * commits or rolls back with it.
 *
 * @param requestedBy the partner user who sent the email
 */
public record ConsentRequested(long claimId, String engagementId, String partnerId, String locationId,
                               String customerKey, String customerName, String friendlyName,
                               BigDecimal estimatedDealSizeUsd, Integer hours, ClaimView.Contact partnerContact,
                               String requestedBy, Instant at) {}
