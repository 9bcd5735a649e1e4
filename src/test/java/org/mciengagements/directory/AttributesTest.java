package org.mciengagements.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mciengagements.Fixtures;
import org.mciengagements.eligibility.Expressions;
import org.mciengagements.shared.CustomerKey;
import tools.jackson.databind.json.JsonMapper;

/** Directory attributes as CEL sees them: integral numbers are int (Long), others double (SPEC §3). */
class AttributesTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void integralNumbersBecomeLong() {
        Map<String, Object> attributes = Attributes.parse(json,
                "{\"paidSeats\": 300, \"big\": 9999999999, \"negative\": -5, \"zero\": 0}");

        assertThat(attributes).containsExactly(entry("paidSeats", 300L), entry("big", 9_999_999_999L),
                entry("negative", -5L), entry("zero", 0L));
        assertThat(attributes.values()).allMatch(Long.class::isInstance);
    }

    @Test
    void integersBeyondLongBecomeDoubleInsteadOfWrappingAround() {
        Map<String, Object> attributes = Attributes.parse(json,
                "{\"max\": 9223372036854775807, \"min\": -9223372036854775808, \"huge\": 123456789012345678901234,"
                        + " \"hugeNegative\": -99999999999999999999}");

        assertThat(attributes).containsExactly(entry("max", Long.MAX_VALUE), entry("min", Long.MIN_VALUE),
                entry("huge", 1.2345678901234568E23), entry("hugeNegative", -1.0E20));
        assertThat(Attributes.normalize(new BigDecimal("1E+30"))).isEqualTo(1.0E30);
        assertThat(new Expressions().holds("customer.paidSeats >= 300", Map.of("paidSeats", attributes.get("huge")),
                Map.of())).as("a huge seat count is not read as a negative one").isTrue();
    }

    @Test
    void decimalsBecomeDouble() {
        Map<String, Object> attributes = Attributes.parse(json,
                "{\"usd\": 1250.75, \"whole\": 300.0, \"exp\": 1.5e3, \"tiny\": 0.001}");

        assertThat(attributes).containsExactly(entry("usd", 1250.75), entry("whole", 300.0), entry("exp", 1500.0),
                entry("tiny", 0.001));
        assertThat(attributes.values()).allMatch(Double.class::isInstance);
    }

    @Test
    void booleansAndStringsAreKept() {
        Map<String, Object> attributes = Attributes.parse(json,
                "{\"coSellEligible\": true, \"trial\": false, \"industry\": \"Retail\", \"code\": \"0042\"}");

        assertThat(attributes).containsExactly(entry("coSellEligible", true), entry("trial", false),
                entry("industry", "Retail"), entry("code", "0042"));
    }

    @Test
    void absentOrBlankAttributesAreEmpty() {
        assertThat(Attributes.parse(json, null)).isEmpty();
        assertThat(Attributes.parse(json, "  ")).isEmpty();
        assertThat(Attributes.parse(json, "{}")).isEmpty();
    }

    @Test
    void normalizeTurnsEveryJavaNumberTypeIntoLongOrDouble() {
        assertThat(Attributes.normalize(7)).isEqualTo(7L);
        assertThat(Attributes.normalize((short) 7)).isEqualTo(7L);
        assertThat(Attributes.normalize(java.math.BigInteger.valueOf(7))).isEqualTo(7L);
        assertThat(Attributes.normalize(1.5f)).isEqualTo(1.5d);
        assertThat(Attributes.normalize(new BigDecimal("12.00"))).isEqualTo(12L);
        assertThat(Attributes.normalize(new BigDecimal("12.50"))).isEqualTo(12.5d);
        assertThat(Attributes.normalize(new BigDecimal("1.2E+3"))).isEqualTo(1200L);
        assertThat(Attributes.normalize(8L)).isEqualTo(8L);
        assertThat(Attributes.normalize("x")).isEqualTo("x");
        assertThat(Attributes.normalize(null)).isNull();
    }

    @Test
    void parsedAttributesWorkInCriteriaWhateverTheNumberType() {
        Expressions expressions = new Expressions();
        Map<String, Object> integral = Attributes.parse(json, "{\"paidSeats\": 300}");
        Map<String, Object> decimal = Attributes.parse(json, "{\"paidSeats\": 299.5}");

        assertThat(expressions.holds("customer.paidSeats >= 300", integral, Map.of())).isTrue();
        assertThat(expressions.holds("customer.paidSeats == 300", integral, Map.of())).isTrue();
        assertThat(expressions.holds("customer.paidSeats >= 300", decimal, Map.of())).isFalse();
    }

    @Test
    void criteriaViewExposesDirectoryFields() {
        DirectoryCustomer customer = new DirectoryCustomer(new CustomerKey(CustomerKey.Kind.OPPORTUNITY, "7-ABCDE12345"),
                "Fabrikam deal", "TR", 1234567L, null, "SMB", new BigDecimal("25000.50"), "open",
                Map.of("industry", "Retail"));

        assertThat(customer.criteriaView()).containsOnly(
                entry("industry", "Retail"),
                entry("name", "Fabrikam deal"),
                entry("country", "TR"),
                entry("segment", "SMB"),
                entry("tpid", 1234567L),
                entry("estimatedValueUsd", 25000.5),
                entry("opportunityState", "open"));
    }

    @Test
    void criteriaViewLeavesOutAbsentFields() {
        DirectoryCustomer customer = Fixtures.customer(Fixtures.tenantKey()).country("NL").build();

        assertThat(customer.criteriaView()).containsOnlyKeys("name", "country");
    }

    @Test
    void attributesOfTheSameNameWinOverDirectoryFields() {
        DirectoryCustomer customer = Fixtures.customer(Fixtures.tpidKey()).name("Directory name").country("NL")
                .segment("Enterprise").tpid(42).estimatedValueUsd("10")
                .attribute("name", "Attribute name").attribute("country", "TR").attribute("segment", "SMB")
                .attribute("tpid", 7L).attribute("estimatedValueUsd", 99.5).build();

        assertThat(customer.criteriaView()).containsOnly(entry("name", "Attribute name"), entry("country", "TR"),
                entry("segment", "SMB"), entry("tpid", 7L), entry("estimatedValueUsd", 99.5));
    }

    @Test
    void criteriaViewDoesNotChangeTheAttributes() {
        Map<String, Object> attributes = new HashMap<>(Map.of("paidSeats", 10L));
        DirectoryCustomer customer = new DirectoryCustomer(Fixtures.tenantKey(), "Fabrikam", "NL", null, null,
                null, null, null, attributes);

        customer.criteriaView().put("paidSeats", 1000L);

        assertThat(customer.attributes()).containsOnly(entry("paidSeats", 10L));
        assertThat(customer.criteriaView()).contains(entry("paidSeats", 10L));
    }

    @Test
    void criteriaCanReadDirectoryFields() {
        Expressions expressions = new Expressions();
        DirectoryCustomer customer = Fixtures.customer(Fixtures.tenantKey()).country("TR").segment("SMB")
                .attribute("paidSeats", 350L).build();

        assertThat(expressions.holds("customer.country == 'TR' && customer.segment == 'SMB' && customer.paidSeats >= 300",
                customer.criteriaView(), Map.of())).isTrue();
        assertThat(expressions.holds("customer.country == 'NL'", customer.criteriaView(), Map.of())).isFalse();
    }

    @Test
    void customerWithoutDisplayNameStillEvaluates() {
        Expressions expressions = new Expressions();
        DirectoryCustomer customer = new DirectoryCustomer(Fixtures.tenantKey(), null, null, null, null, null, null,
                null, Map.of("paidSeats", 500L));

        assertThat(expressions.holds("customer.paidSeats >= 300", customer.criteriaView(), Map.of())).isTrue();
        assertThat(expressions.holds("customer.name == 'Fabrikam'", customer.criteriaView(), Map.of())).isFalse();
    }
}
