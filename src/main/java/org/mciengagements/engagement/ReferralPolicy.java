package org.mciengagements.engagement;

/**
 * Whether claims create a partner-led referral (when {@code condition} holds at consent request)
 * and when it is upgraded to co-sell ({@code coSellCondition} at consent). Both are CEL.
 */
public record ReferralPolicy(boolean enabled, String condition, String coSellCondition) {

    public static ReferralPolicy off() {
        return new ReferralPolicy(false, null, null);
    }
}
