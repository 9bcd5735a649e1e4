package org.mciengagements.referral;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mciengagements.eligibility.Expressions;
import org.mciengagements.engagement.ReferralPolicy;
import org.mciengagements.referral.ReferralRules.Reason;
import org.mciengagements.referral.ReferralRules.Verdict;

/** The referral policy of SPEC §4 applied to a claim: every answer with its reason. */
class ReferralRulesTest {

    static final ReferralPolicy DEMO = ReferralFixture.DEMO_POLICY;
    static final Map<String, Object> CO_SELL_CUSTOMER = Map.of("coSellEligible", true, "paidSeats", 1200L);

    final ReferralRules rules = new ReferralRules(new Expressions());

    static Map<String, Object> claim(String dealSize, Integer hours) {
        return ReferralRules.claimFacts("copilot-readiness-workshop", "contoso", "4100231", "TENANT:abc",
                dealSize == null ? null : new BigDecimal(dealSize), hours);
    }

    @Test
    void aDealSizeAtTheThresholdCreatesAReferralAndOneCentBelowDoesNot() {
        assertThat(rules.creation(DEMO, Map.of(), claim("10000", null)))
                .isEqualTo(new Verdict(true, Reason.CONDITION_MET, "claim.estimatedDealSizeUsd >= 10000.0"));
        assertThat(rules.creation(DEMO, Map.of(), claim("9999.99", null)))
                .isEqualTo(new Verdict(false, Reason.CONDITION_NOT_MET, "claim.estimatedDealSizeUsd >= 10000.0"));
    }

    @Test
    void aPolicyThatIsOffCreatesNothingWhateverTheDeal() {
        assertThat(rules.creation(ReferralPolicy.off(), CO_SELL_CUSTOMER, claim("1000000", null)))
                .isEqualTo(new Verdict(false, Reason.POLICY_OFF, null));
        assertThat(rules.creation(new ReferralPolicy(false, "true", "true"), CO_SELL_CUSTOMER, claim("1000000", null)))
                .isEqualTo(new Verdict(false, Reason.POLICY_OFF, null));
        assertThat(rules.coSell(new ReferralPolicy(false, "true", "true"), CO_SELL_CUSTOMER, claim("1000000", null)))
                .isEqualTo(new Verdict(false, Reason.POLICY_OFF, null));
    }

    @Test
    void aPolicyWithoutConditionCreatesForEveryConsentRequestButNeverUpgrades() {
        ReferralPolicy always = new ReferralPolicy(true, " ", null);
        assertThat(rules.creation(always, Map.of(), claim("0", null))).isEqualTo(new Verdict(true, Reason.NO_CONDITION, null));
        assertThat(rules.coSell(always, CO_SELL_CUSTOMER, claim("0", null)))
                .isEqualTo(new Verdict(false, Reason.NO_CO_SELL_CONDITION, null));
    }

    @Test
    void coSellNeedsTheCustomerKeysAttributeToBeTrue() {
        assertThat(rules.coSell(DEMO, CO_SELL_CUSTOMER, claim("20000", null)))
                .isEqualTo(new Verdict(true, Reason.CONDITION_MET, "customer.coSellEligible == true"));
        assertThat(rules.coSell(DEMO, Map.of("coSellEligible", false), claim("20000", null)).reason())
                .isEqualTo(Reason.CONDITION_NOT_MET);
        assertThat(rules.coSell(DEMO, Map.of(), claim("20000", null)).holds()).as("a missing attribute never holds").isFalse();
        assertThat(rules.coSell(DEMO, Map.of("coSellEligible", "true"), claim("20000", null)).holds())
                .as("a string is not a boolean").isFalse();
    }

    @Test
    void conditionsSeeEveryClaimFactWithNumbersAsNumbers() {
        String expression = "claim.engagementId == 'copilot-readiness-workshop' && claim.partnerId == 'contoso'"
                + " && claim.locationId == '4100231' && claim.customerKey == 'TENANT:abc'"
                + " && claim.estimatedDealSizeUsd > 9999 && claim.hours >= 40 && customer.paidSeats >= 1000";
        ReferralPolicy policy = new ReferralPolicy(true, expression, null);
        assertThat(rules.creation(policy, CO_SELL_CUSTOMER, claim("10000.50", 40)).holds()).isTrue();
        assertThat(rules.creation(policy, CO_SELL_CUSTOMER, claim("10000.50", 39)).holds()).isFalse();
        assertThat(rules.creation(policy, CO_SELL_CUSTOMER, claim("10000.50", null)).holds())
                .as("a claim without hours has no hours fact").isFalse();
        assertThat(rules.creation(new ReferralPolicy(true, "!has(claim.hours)", null), Map.of(), claim("1", null)).holds())
                .isTrue();
        assertThat(ReferralRules.claimFacts("e", "p", "l", "k", new BigDecimal("12.50"), 7))
                .containsEntry("estimatedDealSizeUsd", 12.5).containsEntry("hours", 7L);
    }
}
