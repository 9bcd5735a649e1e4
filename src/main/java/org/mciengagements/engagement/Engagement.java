package org.mciengagements.engagement;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mciengagements.program.Location;
import org.mciengagements.program.Market;
import org.mciengagements.shared.IdentifierType;

/**
 * An engagement as configured by operators (SPEC §4). Claim windows are whole UTC days:
 * claims may be created from the start of {@code firstClaimDay} to the end of {@code lastClaimDay}.
 * Partner eligibility: a location qualifies when its country is allowed (an empty list allows all)
 * and, if explicit location IDs are listed, it is one of them.
 */
public record Engagement(String id, String name, String description, String solutionArea, EngagementType type,
                         LocalDate firstClaimDay, LocalDate lastClaimDay, PaymentModel paymentModel,
                         Set<IdentifierType> identifierTypes, Set<String> allowedCountries,
                         Set<String> eligibleLocationIds, int maxActiveClaimsPerCustomer, Deadlines deadlines,
                         List<Criterion> criteria, Map<Market, BigDecimal> fixedPayouts, List<RateCard> rateCards,
                         ReferralPolicy referralPolicy) {

    public Availability availability(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (today.isBefore(firstClaimDay)) {
            return Availability.UPCOMING;
        }
        return today.isAfter(lastClaimDay) ? Availability.RETIRED : Availability.ACTIVE;
    }

    public boolean acceptsClaims(Instant now) {
        return availability(now) == Availability.ACTIVE;
    }

    public boolean locationEligible(Location location) {
        return (allowedCountries.isEmpty() || allowedCountries.contains(location.country()))
                && (eligibleLocationIds.isEmpty() || eligibleLocationIds.contains(location.id()));
    }

    public boolean isVariable() {
        return paymentModel == PaymentModel.VARIABLE;
    }

    /** The rate card in force on a date: the latest version effective on or before it. */
    public Optional<RateCard> rateCardOn(LocalDate day) {
        return rateCards.stream()
                .filter(card -> !card.effectiveFrom().isAfter(day))
                .max(Comparator.comparing(RateCard::effectiveFrom));
    }
}
