package org.mciengagements.engagement;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import org.mciengagements.program.Market;

/**
 * One version of a VARIABLE engagement's rate card: hourly rate per market, the most hours a claim
 * may ask for, and a cap as a percentage of the opportunity's estimated value.
 */
public record RateCard(LocalDate effectiveFrom, int maxHours, BigDecimal capPercent, BigDecimal rateA,
                       BigDecimal rateB, BigDecimal rateC) {

    public BigDecimal hourlyRate(Market market) {
        return switch (market) {
            case A -> rateA;
            case B -> rateB;
            case C -> rateC;
        };
    }

    /** The proposed payout: hours × market rate, capped at capPercent of the opportunity value. */
    public Payout payout(int hours, Market market, BigDecimal opportunityValueUsd) {
        BigDecimal uncapped = hourlyRate(market).multiply(BigDecimal.valueOf(hours)).setScale(2, RoundingMode.HALF_UP);
        BigDecimal cap = opportunityValueUsd.multiply(capPercent).divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
        return new Payout(hours, market, hourlyRate(market), uncapped, cap, uncapped.min(cap));
    }

    /** The breakdown the review step shows. */
    public record Payout(int hours, Market market, BigDecimal hourlyRate, BigDecimal uncapped, BigDecimal cap,
                         BigDecimal amount) {
        public boolean capped() {
            return amount.compareTo(uncapped) < 0;
        }
    }
}
