package org.mciengagements.engagement;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * An engagement as an operator writes it (SPEC §4), before it is checked: through the admin API,
 * the configuration pages or the program file. Every field may be missing or wrong; enumerations
 * and days are text so that a bad value is reported against its field rather than failing the
 * whole request. {@link EngagementRules} turns a draft into an {@link Engagement} or lists every
 * problem with it.
 *
 * @param deadlines overrides in days; a missing one takes the engagement type's default
 * @param fixedPayouts USD per market {@code A}, {@code B}, {@code C}, for FIXED engagements
 */
public record EngagementDraft(String name, String description, String solutionArea, String type,
                              String firstClaimDay, String lastClaimDay, String paymentModel,
                              List<String> identifierTypes, List<String> allowedCountries,
                              List<String> eligibleLocationIds, Integer maxActiveClaimsPerCustomer,
                              DeadlineDraft deadlines, List<Criterion> criteria, Map<String, BigDecimal> fixedPayouts,
                              List<RateCardDraft> rateCards, ReferralDraft referralPolicy) {

    public EngagementDraft {
        identifierTypes = identifierTypes == null ? List.of() : identifierTypes;
        allowedCountries = allowedCountries == null ? List.of() : allowedCountries;
        eligibleLocationIds = eligibleLocationIds == null ? List.of() : eligibleLocationIds;
        criteria = criteria == null ? List.of() : criteria;
        fixedPayouts = fixedPayouts == null ? Map.of() : fixedPayouts;
        rateCards = rateCards == null ? List.of() : rateCards;
    }

    /** Deadline overrides in days; null takes the type's default. */
    public record DeadlineDraft(Integer consentDays, Integer firstSubmissionDays, Integer reviewDays,
                                Integer disputeDays, Integer actionRequiredDays) {}

    /** One rate-card version: {@code rates} are USD per hour for markets A, B and C. */
    public record RateCardDraft(String effectiveFrom, Integer maxHours, BigDecimal capPercent,
                                Map<String, BigDecimal> rates) {
        public RateCardDraft {
            rates = rates == null ? Map.of() : rates;
        }
    }

    /** Whether claims create a referral, when, and when it becomes co-sell (CEL). */
    public record ReferralDraft(Boolean enabled, String condition, String coSellCondition) {}

    /** The draft of an engagement as it is now: what an edit starts from. */
    public static EngagementDraft of(Engagement e) {
        return new EngagementDraft(e.name(), e.description(), e.solutionArea(), e.type().name(),
                e.firstClaimDay().toString(), e.lastClaimDay().toString(), e.paymentModel().name(),
                e.identifierTypes().stream().map(Enum::name).sorted().toList(),
                e.allowedCountries().stream().sorted().toList(), e.eligibleLocationIds().stream().sorted().toList(),
                e.maxActiveClaimsPerCustomer(),
                new DeadlineDraft(e.deadlines().consentDays(), e.deadlines().firstSubmissionDays(),
                        e.deadlines().reviewDays(), e.deadlines().disputeDays(), e.deadlines().actionRequiredDays()),
                e.criteria(),
                e.fixedPayouts().entrySet().stream().collect(java.util.stream.Collectors.toMap(
                        entry -> entry.getKey().name(), Map.Entry::getValue, (a, b) -> a, java.util.TreeMap::new)),
                e.rateCards().stream().map(card -> new RateCardDraft(card.effectiveFrom().toString(), card.maxHours(),
                        card.capPercent(), Map.of("A", card.rateA(), "B", card.rateB(), "C", card.rateC()))).toList(),
                new ReferralDraft(e.referralPolicy().enabled(), e.referralPolicy().condition(),
                        e.referralPolicy().coSellCondition()));
    }
}
