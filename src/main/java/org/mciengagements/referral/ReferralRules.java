package org.mciengagements.referral;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.mciengagements.eligibility.Expressions;
import org.mciengagements.engagement.ReferralPolicy;
import org.springframework.stereotype.Component;

/**
 * An engagement's referral policy applied to a claim: whether a referral is created when the
 * consent email goes out, and whether it is upgraded to co-sell when the customer consents. Each
 * answer carries its reason and the expression it judged, which the referral's history keeps.
 * Conditions are CEL over {@code claim} (see {@link #claimFacts}) and {@code customer} (the customer
 * key's directory entry as criteria see it); anything but {@code true} — a missing attribute
 * included — does not hold.
 */
@Component
public class ReferralRules {

    /** Why a referral is, or is not, created or upgraded. */
    public enum Reason {
        /** The engagement's referral policy is off. */
        POLICY_OFF,
        /** The policy is on and names no condition for creation: every consent request creates one. */
        NO_CONDITION,
        /** The policy names no co-sell condition: nothing is upgraded. */
        NO_CO_SELL_CONDITION,
        CONDITION_MET,
        CONDITION_NOT_MET
    }

    /** An answer: whether it holds, why, and the expression judged (null when none was). */
    public record Verdict(boolean holds, Reason reason, String expression) {

        /** A line for the referral's history. */
        String detail() {
            return expression == null ? reason.name() : reason.name() + ": " + expression;
        }
    }

    private final Expressions expressions;

    ReferralRules(Expressions expressions) {
        this.expressions = expressions;
    }

    /** Is a partner-led referral created when the consent email goes out? */
    public Verdict creation(ReferralPolicy policy, Map<String, Object> customer, Map<String, Object> claim) {
        if (policy == null || !policy.enabled()) {
            return new Verdict(false, Reason.POLICY_OFF, null);
        }
        if (policy.condition() == null || policy.condition().isBlank()) {
            return new Verdict(true, Reason.NO_CONDITION, null);
        }
        return judge(policy.condition(), customer, claim);
    }

    /** Is the referral upgraded to co-sell when the customer consents? */
    public Verdict coSell(ReferralPolicy policy, Map<String, Object> customer, Map<String, Object> claim) {
        if (policy == null || !policy.enabled()) {
            return new Verdict(false, Reason.POLICY_OFF, null);
        }
        if (policy.coSellCondition() == null || policy.coSellCondition().isBlank()) {
            return new Verdict(false, Reason.NO_CO_SELL_CONDITION, null);
        }
        return judge(policy.coSellCondition(), customer, claim);
    }

    private Verdict judge(String expression, Map<String, Object> customer, Map<String, Object> claim) {
        boolean holds = expressions.holds(expression, customer, claim);
        return new Verdict(holds, holds ? Reason.CONDITION_MET : Reason.CONDITION_NOT_MET, expression);
    }

    /**
     * What conditions see as {@code claim}. The deal size is a double, so
     * {@code claim.estimatedDealSizeUsd >= 10000.0} and {@code >= 10000} both work; hours (VARIABLE
     * engagements only) an integer, and absent when the claim has none.
     */
    public static Map<String, Object> claimFacts(String engagementId, String partnerId, String locationId,
                                                 String customerKey, BigDecimal estimatedDealSizeUsd, Integer hours) {
        Map<String, Object> claim = new HashMap<>();
        claim.put("engagementId", engagementId);
        claim.put("partnerId", partnerId);
        claim.put("locationId", locationId);
        claim.put("customerKey", customerKey);
        if (estimatedDealSizeUsd != null) {
            claim.put("estimatedDealSizeUsd", estimatedDealSizeUsd.doubleValue());
        }
        if (hours != null) {
            claim.put("hours", hours.longValue());
        }
        return claim;
    }
}
