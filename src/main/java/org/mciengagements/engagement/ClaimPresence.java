package org.mciengagements.engagement;

/**
 * Whether an engagement has claims. Some configuration (the payment model, rate-card versions in
 * force) may not change under existing claims. Implemented by the claim module.
 */
public interface ClaimPresence {

    boolean hasClaims(String engagementId);
}
