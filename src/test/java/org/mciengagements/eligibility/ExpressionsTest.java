package org.mciengagements.eligibility;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CEL as criteria and referral conditions use it (SPEC §4). */
class ExpressionsTest {

    private final Expressions expressions = new Expressions();

    private boolean holds(String expression, Map<String, Object> customer) {
        return expressions.holds(expression, customer, Map.of());
    }

    @ParameterizedTest(name = "paidSeats {0} (int) >= 300 is {1}")
    @CsvSource({"299, false", "300, true", "301, true", "-1, false"})
    void integralAttributeComparesWithIntLiteral(long seats, boolean expected) {
        assertThat(holds("customer.paidSeats >= 300", Map.of("paidSeats", seats))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "paidSeats {0} (double) >= 300 is {1}")
    @CsvSource({"299.5, false", "299.999, false", "300.0, true", "300.5, true"})
    void decimalAttributeComparesWithIntLiteral(double seats, boolean expected) {
        assertThat(holds("customer.paidSeats >= 300", Map.of("paidSeats", seats))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "consumption {0} (int) > 999.5 is {1}")
    @CsvSource({"999, false", "1000, true"})
    void integralAttributeComparesWithDoubleLiteral(long usd, boolean expected) {
        assertThat(holds("customer.azureMonthlyConsumptionUsd > 999.5", Map.of("azureMonthlyConsumptionUsd", usd)))
                .isEqualTo(expected);
    }

    @Test
    void intLiteralOnTheLeftComparesWithDoubleAttribute() {
        assertThat(holds("300 <= customer.paidSeats", Map.of("paidSeats", 300.0))).isTrue();
        assertThat(holds("300 <= customer.paidSeats", Map.of("paidSeats", 299.9))).isFalse();
        assertThat(holds("300.0 < customer.paidSeats", Map.of("paidSeats", 301L))).isTrue();
        assertThat(holds("300.0 < customer.paidSeats", Map.of("paidSeats", 300L))).isFalse();
    }

    @Test
    void missingAttributeDoesNotHold() {
        assertThat(holds("customer.paidSeats >= 300", Map.of())).isFalse();
        assertThat(holds("customer.paidSeats >= 300", Map.of("monthlyActiveUsers", 5000L))).isFalse();
        assertThat(holds("customer.paidSeats < 300", Map.of()))
                .as("a missing attribute fails the negated criterion too, it is not read as zero").isFalse();
        assertThat(holds("!(customer.paidSeats >= 300)", Map.of())).isFalse();
    }

    @Test
    void presenceCanBeTestedExplicitly() {
        assertThat(holds("!has(customer.paidSeats) || customer.paidSeats >= 300", Map.of())).isTrue();
        assertThat(holds("has(customer.paidSeats)", Map.of("paidSeats", 1L))).isTrue();
        assertThat(expressions.check("has(customer.coSellEligible) && customer.coSellEligible")).isEmpty();
        assertThat(holds("['Retail', 'Finance'].exists(i, i == customer.industry)", Map.of("industry", "Retail")))
                .isTrue();
    }

    @Test
    void typeMismatchDoesNotHold() {
        assertThat(holds("customer.paidSeats >= 300", Map.of("paidSeats", "many"))).isFalse();
        assertThat(holds("customer.segment == 'SMB'", Map.of("segment", 42L))).isFalse();
    }

    @Test
    void stringEquality() {
        assertThat(holds("customer.segment == 'SMB'", Map.of("segment", "SMB"))).isTrue();
        assertThat(holds("customer.segment == 'SMB'", Map.of("segment", "smb"))).as("case-sensitive").isFalse();
        assertThat(holds("customer.segment != 'SMB'", Map.of("segment", "Enterprise"))).isTrue();
        assertThat(holds("customer.industry in ['Retail', 'Finance']", Map.of("industry", "Finance"))).isTrue();
        assertThat(holds("customer.industry in ['Retail', 'Finance']", Map.of("industry", "Health"))).isFalse();
    }

    @Test
    void booleanAttributes() {
        assertThat(holds("customer.coSellEligible == true", Map.of("coSellEligible", true))).isTrue();
        assertThat(holds("customer.coSellEligible == true", Map.of("coSellEligible", false))).isFalse();
        assertThat(holds("customer.coSellEligible", Map.of("coSellEligible", true))).isTrue();
        assertThat(holds("customer.coSellEligible", Map.of("coSellEligible", false))).isFalse();
        assertThat(holds("customer.coSellEligible", Map.of("coSellEligible", "true")))
                .as("a string is not a boolean").isFalse();
    }

    @Test
    void claimVariables() {
        String condition = "claim.estimatedDealSizeUsd >= 10000";

        assertThat(expressions.holds(condition, Map.of(), Map.of("estimatedDealSizeUsd", 10000L))).isTrue();
        assertThat(expressions.holds(condition, Map.of(), Map.of("estimatedDealSizeUsd", 9999.99))).isFalse();
        assertThat(expressions.holds(condition, Map.of(), Map.of())).isFalse();
        assertThat(expressions.holds("claim.estimatedDealSizeUsd >= 10000 && customer.coSellEligible",
                Map.of("coSellEligible", true), Map.of("estimatedDealSizeUsd", 25000L))).isTrue();
        assertThat(expressions.holds("claim.estimatedDealSizeUsd >= 10000 && customer.coSellEligible",
                Map.of("coSellEligible", false), Map.of("estimatedDealSizeUsd", 25000L))).isFalse();
    }

    @Test
    void sameExpressionEvaluatesAgainstEachCustomerSeparately() {
        String expression = "customer.paidSeats >= 300";

        assertThat(holds(expression, Map.of("paidSeats", 500L))).isTrue();
        assertThat(holds(expression, Map.of("paidSeats", 5L))).as("cached program, new input").isFalse();
    }

    @Test
    void validBooleanExpressionHasNoErrors() {
        assertThat(expressions.check("customer.paidSeats >= 300 && customer.segment == 'SMB'")).isEmpty();
        assertThat(expressions.check("claim.estimatedDealSizeUsd >= 10000")).isEmpty();
    }

    @Test
    void nonBooleanExpressionIsReported() {
        List<Expressions.CompileError> errors = expressions.check("customer.paidSeats + 1");

        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.line()).isEqualTo(1);
            assertThat(error.column()).isPositive();
            assertThat(error.message()).containsIgnoringCase("bool");
        });
    }

    @Test
    void syntaxErrorIsReportedWithPosition() {
        List<Expressions.CompileError> errors = expressions.check("customer.paidSeats >=\n  && true");

        assertThat(errors).isNotEmpty();
        assertThat(errors.getFirst().line()).isEqualTo(2);
        assertThat(errors.getFirst().column()).isEqualTo(3);
        assertThat(errors.getFirst().message()).isNotBlank();
    }

    @Test
    void unknownVariableIsReported() {
        List<Expressions.CompileError> errors = expressions.check("partner.country == 'NL'");

        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.line()).isEqualTo(1);
            assertThat(error.column()).isEqualTo(1);
            assertThat(error.message()).contains("partner");
        });
    }
}
