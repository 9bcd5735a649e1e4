package org.mciengagements.engagement.web;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.mciengagements.engagement.Availability;
import org.mciengagements.engagement.Deadlines;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementType;
import org.mciengagements.engagement.PaymentModel;
import org.mciengagements.engagement.RateCard;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.IdentifierType;
import org.mciengagements.shared.ProgramClock;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/engagements")
class EngagementsApi {

    private final EngagementListing listing;
    private final ProgramClock clock;

    EngagementsApi(EngagementListing listing, ProgramClock clock) {
        this.listing = listing;
        this.clock = clock;
    }

    record EngagementItem(String id, String name, String solutionArea, EngagementType type, PaymentModel paymentModel,
                          Availability availability, LocalDate firstClaimDay, LocalDate lastClaimDay,
                          Set<IdentifierType> identifierTypes, int activeCustomers) {}

    record CriterionView(String name, String expression, String message) {}

    record PartnerEligibility(Set<String> allowedCountries, Set<String> eligibleLocationIds,
                              List<String> yourEligibleLocations) {}

    record Payout(Map<String, BigDecimal> fixedUsdByMarket, List<RateCard> rateCards) {}

    record Referral(boolean enabled) {}

    record EngagementDetails(String id, String name, String description, String solutionArea, EngagementType type,
                             PaymentModel paymentModel, Availability availability, LocalDate firstClaimDay,
                             LocalDate lastClaimDay, Set<IdentifierType> identifierTypes,
                             PartnerEligibility partnerEligibility, List<CriterionView> customerCriteria,
                             int maxActiveClaimsPerCustomer, Deadlines deadlinesInDays, Payout payout,
                             Referral referralPolicy) {}

    @GetMapping
    List<EngagementItem> list(CurrentUser user, @RequestParam(required = false) String location,
                              @RequestParam(required = false) Availability availability) {
        user.requireIncentivesRole();
        return listing.list(user, location, availability, clock.instant()).stream()
                .map(i -> new EngagementItem(i.engagement().id(), i.engagement().name(), i.engagement().solutionArea(),
                        i.engagement().type(), i.engagement().paymentModel(), i.availability(),
                        i.engagement().firstClaimDay(), i.engagement().lastClaimDay(),
                        i.engagement().identifierTypes(), i.activeCustomers()))
                .toList();
    }

    @GetMapping("/{engagementId}")
    EngagementDetails one(CurrentUser user, @PathVariable String engagementId) {
        user.requireIncentivesRole();
        Engagement e = listing.one(user, engagementId);
        Map<String, BigDecimal> fixed = new TreeMap<>();
        e.fixedPayouts().forEach((market, amount) -> fixed.put(market.name(), amount));
        return new EngagementDetails(e.id(), e.name(), e.description(), e.solutionArea(), e.type(), e.paymentModel(),
                e.availability(clock.instant()), e.firstClaimDay(), e.lastClaimDay(), e.identifierTypes(),
                new PartnerEligibility(e.allowedCountries(), e.eligibleLocationIds(),
                        user.partnerLocations().stream().filter(l -> l.enrolled() && e.locationEligible(l))
                                .map(l -> l.id()).toList()),
                e.criteria().stream().map(c -> new CriterionView(c.name(), c.expression(), c.message())).toList(),
                e.maxActiveClaimsPerCustomer(), e.deadlines(), new Payout(fixed, e.rateCards()),
                new Referral(e.referralPolicy().enabled()));
    }
}
