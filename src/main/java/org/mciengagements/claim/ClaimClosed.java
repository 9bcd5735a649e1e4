package org.mciengagements.claim;

import java.time.Instant;

/**
 * A claim reached a terminal status: canceled (by the partner, or because another partner's
 * customer consented first), consent declined, expired, rejected for good or completed. Published
 * inside the transaction of the move, so a listener's writes commit or roll back with it.
 *
 * @param reason the status reason the claim carries, if any
 */
public record ClaimClosed(long claimId, ClaimStatus status, String reason, Instant at) {}
