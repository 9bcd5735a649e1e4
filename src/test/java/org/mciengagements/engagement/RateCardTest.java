package org.mciengagements.engagement;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.mciengagements.Fixtures;
import org.mciengagements.program.Market;

/** VARIABLE payouts (SPEC §4): hours × market rate, capped at a percentage of the opportunity value. */
class RateCardTest {

    private final RateCard card = new RateCard(LocalDate.parse("2026-01-01"), 80, new BigDecimal("15"),
            new BigDecimal("150"), new BigDecimal("120"), new BigDecimal("90.50"));

    @Test
    void payoutIsHoursTimesTheMarketRateWhenUnderTheCap() {
        RateCard.Payout payout = card.payout(40, Market.A, new BigDecimal("100000"));

        assertThat(payout.hourlyRate()).isEqualByComparingTo("150");
        assertThat(payout.uncapped()).isEqualByComparingTo("6000.00");
        assertThat(payout.cap()).isEqualByComparingTo("15000.00");
        assertThat(payout.amount()).isEqualByComparingTo("6000.00");
        assertThat(payout.capped()).isFalse();
        assertThat(payout.hours()).isEqualTo(40);
        assertThat(payout.market()).isEqualTo(Market.A);
    }

    @Test
    void eachMarketHasItsOwnRate() {
        BigDecimal value = new BigDecimal("1000000");

        assertThat(card.payout(10, Market.A, value).amount()).isEqualByComparingTo("1500.00");
        assertThat(card.payout(10, Market.B, value).amount()).isEqualByComparingTo("1200.00");
        assertThat(card.payout(10, Market.C, value).amount()).isEqualByComparingTo("905.00");
    }

    @Test
    void payoutIsCappedAtCapPercentOfTheOpportunityValue() {
        RateCard.Payout payout = card.payout(80, Market.A, new BigDecimal("50000"));

        assertThat(payout.uncapped()).isEqualByComparingTo("12000.00");
        assertThat(payout.cap()).isEqualByComparingTo("7500.00");
        assertThat(payout.amount()).isEqualByComparingTo("7500.00");
        assertThat(payout.capped()).isTrue();
    }

    @Test
    void payoutExactlyAtTheCapIsNotCapped() {
        RateCard.Payout payout = card.payout(50, Market.A, new BigDecimal("50000"));

        assertThat(payout.uncapped()).isEqualByComparingTo("7500.00");
        assertThat(payout.cap()).isEqualByComparingTo("7500.00");
        assertThat(payout.amount()).isEqualByComparingTo("7500.00");
        assertThat(payout.capped()).isFalse();
    }

    @Test
    void capIsRoundedToCents() {
        RateCard fractional = new RateCard(LocalDate.parse("2026-01-01"), 80, new BigDecimal("12.5"),
                new BigDecimal("150"), new BigDecimal("120"), new BigDecimal("90"));

        RateCard.Payout payout = fractional.payout(40, Market.A, new BigDecimal("33333.33"));

        assertThat(payout.cap()).isEqualTo(new BigDecimal("4166.67"));
        assertThat(payout.amount()).isEqualTo(new BigDecimal("4166.67"));
        assertThat(payout.capped()).isTrue();
    }

    @Test
    void zeroOpportunityValueCapsThePayoutToZero() {
        RateCard.Payout payout = card.payout(1, Market.C, BigDecimal.ZERO);

        assertThat(payout.amount()).isEqualByComparingTo("0");
        assertThat(payout.capped()).isTrue();
    }

    @Test
    void rateCardOnPicksTheLatestVersionEffectiveOnOrBeforeTheDate() {
        RateCard january = Fixtures.rateCard("2026-01-01", "100", "10");
        RateCard april = Fixtures.rateCard("2026-04-01", "120", "10");
        RateCard july = Fixtures.rateCard("2026-07-01", "140", "10");
        Engagement engagement = Fixtures.engagement().variable().rateCards(july, january, april).build();

        assertThat(engagement.rateCardOn(LocalDate.parse("2025-12-31"))).as("before the first version").isEmpty();
        assertThat(engagement.rateCardOn(LocalDate.parse("2026-01-01"))).contains(january);
        assertThat(engagement.rateCardOn(LocalDate.parse("2026-03-31"))).contains(january);
        assertThat(engagement.rateCardOn(LocalDate.parse("2026-04-01"))).contains(april);
        assertThat(engagement.rateCardOn(LocalDate.parse("2026-06-30"))).contains(april);
        assertThat(engagement.rateCardOn(LocalDate.parse("2026-07-01"))).contains(july);
        assertThat(engagement.rateCardOn(LocalDate.parse("2030-01-01"))).contains(july);
    }

    @Test
    void engagementWithoutRateCardsHasNoneInForce() {
        assertThat(Fixtures.engagement().build().rateCardOn(LocalDate.parse("2026-06-01"))).isEmpty();
    }

    @Test
    void defaultDeadlinesFollowThePublishedTable() {
        assertThat(EngagementType.ASSESSMENT.defaultDeadlines()).isEqualTo(new Deadlines(30, 60, 90, 30, 14));
        assertThat(EngagementType.WORKSHOP.defaultDeadlines()).isEqualTo(new Deadlines(30, 90, 120, 30, 14));
        assertThat(EngagementType.PROJECT_XS.defaultDeadlines()).isEqualTo(new Deadlines(30, 120, 150, 30, 14));
        assertThat(EngagementType.PROJECT_S.defaultDeadlines()).isEqualTo(new Deadlines(30, 120, 150, 30, 14));
        assertThat(EngagementType.PROJECT_M.defaultDeadlines()).isEqualTo(new Deadlines(30, 200, 230, 30, 14));
        assertThat(EngagementType.PROJECT_L.defaultDeadlines()).isEqualTo(new Deadlines(30, 260, 290, 30, 14));
        assertThat(EngagementType.PROJECT_XL.defaultDeadlines()).isEqualTo(new Deadlines(30, 260, 290, 30, 14));
    }
}
