package org.mciengagements.referral;

/** What a referral's history records: its creation, the co-sell upgrade, each decision and its expiry. */
public enum ReferralAction {
    CREATED, CO_SELL, ACCEPT, WON, LOST, DECLINE, EXPIRED;

    static ReferralAction of(ReferralDecision decision) {
        return valueOf(decision.name());
    }
}
