package org.mciengagements.claim;

import java.time.Instant;

/**
 * The customer consented ({@code AWAITING_CONSENT → CONSENT_RECEIVED}). Published inside the
 * transaction of the move, which holds the claim and its (engagement, customer key) lock.
 */
public record ConsentReceived(long claimId, String engagementId, String customerKey, Instant at) {}
