package org.mciengagements.referral;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The referral state machine, written out once more so a change to the table has to be made twice. */
class ReferralSubStatusTest {

    static final Map<ReferralSubStatus, Set<ReferralSubStatus>> EXPECTED = Map.of(
            ReferralSubStatus.PENDING, EnumSet.of(ReferralSubStatus.ACCEPTED, ReferralSubStatus.DECLINED,
                    ReferralSubStatus.EXPIRED),
            ReferralSubStatus.ACCEPTED, EnumSet.of(ReferralSubStatus.WON, ReferralSubStatus.LOST,
                    ReferralSubStatus.EXPIRED));

    @Test
    void theTransitionTableIsTheDocumentedOne() {
        for (ReferralSubStatus from : ReferralSubStatus.values()) {
            for (ReferralSubStatus to : ReferralSubStatus.values()) {
                assertThat(from.canMoveTo(to)).as("%s → %s", from, to)
                        .isEqualTo(EXPECTED.getOrDefault(from, Set.of()).contains(to));
            }
        }
    }

    @Test
    void theSubStatusDecidesTheStatus() {
        assertThat(ReferralSubStatus.PENDING.status()).isEqualTo(ReferralStatus.NEW);
        assertThat(ReferralSubStatus.ACCEPTED.status()).isEqualTo(ReferralStatus.ACTIVE);
        for (ReferralSubStatus closed : EnumSet.of(ReferralSubStatus.WON, ReferralSubStatus.LOST,
                ReferralSubStatus.DECLINED, ReferralSubStatus.EXPIRED)) {
            assertThat(closed.status()).as(closed.name()).isEqualTo(ReferralStatus.CLOSED);
            assertThat(closed.isOpen()).isFalse();
        }
        assertThat(ReferralSubStatus.PENDING.isOpen()).isTrue();
        assertThat(ReferralSubStatus.ACCEPTED.isOpen()).isTrue();
    }

    @Test
    void eachDecisionLeadsToItsSubStatusAndNothingLeadsBackToPending() {
        assertThat(ReferralDecision.ACCEPT.target()).isEqualTo(ReferralSubStatus.ACCEPTED);
        assertThat(ReferralDecision.WON.target()).isEqualTo(ReferralSubStatus.WON);
        assertThat(ReferralDecision.LOST.target()).isEqualTo(ReferralSubStatus.LOST);
        assertThat(ReferralDecision.DECLINE.target()).isEqualTo(ReferralSubStatus.DECLINED);
        for (ReferralSubStatus from : ReferralSubStatus.values()) {
            assertThat(from.canMoveTo(ReferralSubStatus.PENDING)).as(from.name()).isFalse();
        }
    }
}
