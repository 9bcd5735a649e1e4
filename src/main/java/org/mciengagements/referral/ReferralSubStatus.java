package org.mciengagements.referral;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The referral lifecycle. The sub-status decides the status ({@link #status()}); {@link #canMoveTo}
 * is the one transition table, checked by every move:
 * <pre>
 * PENDING  (NEW)    → ACCEPTED (accept), DECLINED (decline), EXPIRED (the claim ended)
 * ACCEPTED (ACTIVE) → WON, LOST, EXPIRED (the claim ended)
 * WON, LOST, DECLINED, EXPIRED (CLOSED) → nothing
 * </pre>
 * Declining is for a referral nobody took on; once accepted it ends as won or lost.
 */
public enum ReferralSubStatus {
    PENDING(ReferralStatus.NEW),
    ACCEPTED(ReferralStatus.ACTIVE),
    WON(ReferralStatus.CLOSED),
    LOST(ReferralStatus.CLOSED),
    DECLINED(ReferralStatus.CLOSED),
    EXPIRED(ReferralStatus.CLOSED);

    private static final Map<ReferralSubStatus, Set<ReferralSubStatus>> NEXT = Map.of(
            PENDING, EnumSet.of(ACCEPTED, DECLINED, EXPIRED),
            ACCEPTED, EnumSet.of(WON, LOST, EXPIRED));

    private final ReferralStatus status;

    ReferralSubStatus(ReferralStatus status) {
        this.status = status;
    }

    public ReferralStatus status() {
        return status;
    }

    public boolean isOpen() {
        return status != ReferralStatus.CLOSED;
    }

    public boolean canMoveTo(ReferralSubStatus next) {
        return NEXT.getOrDefault(this, Set.of()).contains(next);
    }
}
