package org.mciengagements.referral;

/** What the people working a referral decide, and the sub-status each decision moves it to. */
public enum ReferralDecision {
    ACCEPT(ReferralSubStatus.ACCEPTED),
    WON(ReferralSubStatus.WON),
    LOST(ReferralSubStatus.LOST),
    DECLINE(ReferralSubStatus.DECLINED);

    private final ReferralSubStatus target;

    ReferralDecision(ReferralSubStatus target) {
        this.target = target;
    }

    public ReferralSubStatus target() {
        return target;
    }
}
