package org.mciengagements.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mciengagements.directory.DirectoryCustomer;
import org.mciengagements.eligibility.Decision;
import org.mciengagements.eligibility.EligibilityPolicy;
import org.mciengagements.eligibility.Expressions;
import org.mciengagements.eligibility.MarketFacts;
import org.mciengagements.eligibility.Question;
import org.mciengagements.engagement.Criterion;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementType;
import org.mciengagements.engagement.PaymentModel;
import org.mciengagements.engagement.ReferralPolicy;
import org.mciengagements.program.Enrollment;
import org.mciengagements.program.Location;
import org.mciengagements.program.Market;
import org.mciengagements.shared.CustomerIdentifier;
import org.mciengagements.shared.CustomerKey;
import org.mciengagements.shared.IdentifierType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * JMH: the eligibility of one customer key against 20 engagements (every rule, CEL criteria
 * included, as the customer check runs it) and the canonicalization of each identifier type.
 * Writes its section of {@code docs/benchmarks.md}. Run:
 * {@code mvn -B -o test -Dtest=EligibilityBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class EligibilityBenchmark {

    static final String SECTION = "JMH: eligibility and identifiers";

    private EligibilityPolicy policy;
    private List<Question> questions;

    @Setup
    public void setUp() {
        policy = new EligibilityPolicy(new Expressions());
        questions = questions();
    }

    /** 20 engagements like the scale program's: 1–2 CEL criteria each, various identifier types and windows. */
    static List<Question> questions() {
        Instant now = Instant.parse("2026-06-01T10:00:00Z");
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Location location = new Location("4100231", "contoso", "Contoso Consulting Amsterdam", "NL", Enrollment.ENROLLED);
        DirectoryCustomer customer = new DirectoryCustomer(CustomerKey.tenant("321591da-f721-58aa-807d-39fa4f917473"),
                "Northwind Traders", "NL", 1100001L, null, null, null, null,
                Map.of("paidSeats", 1200L, "monthlyActiveUsers", 950L, "industry", "Retail", "coSellEligible", true,
                        "azureMonthlyConsumptionUsd", 4200.5));
        List<Question> questions = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            List<Criterion> criteria = switch (i % 4) {
                case 0 -> List.of(new Criterion("Paid seats", "customer.paidSeats >= " + (50 * (i + 1)), "seats"));
                case 1 -> List.of(new Criterion("Paid seats", "customer.paidSeats >= 300", "seats"),
                        new Criterion("Active usage", "customer.monthlyActiveUsers >= " + (40 * i), "usage"));
                case 2 -> List.of(new Criterion("Azure", "customer.azureMonthlyConsumptionUsd >= " + (500.0 * i), "azure"));
                default -> List.of(new Criterion("Industry", "customer.industry in [\"Retail\", \"Manufacturing\"]", "industry"),
                        new Criterion("Co-sell", "customer.coSellEligible == true", "co-sell"));
            };
            Set<IdentifierType> types = i % 5 == 4 ? Set.of(IdentifierType.TPID)
                    : Set.of(IdentifierType.DOMAIN, IdentifierType.TENANT_ID);
            Engagement engagement = new Engagement("engagement-" + i, "Engagement " + i, "", "Area",
                    EngagementType.WORKSHOP, today.minusDays(100), today.plusDays(100 - i * 10), PaymentModel.FIXED,
                    types, i % 6 == 5 ? Set.of("DE") : Set.of(), Set.of(), 1, EngagementType.WORKSHOP.defaultDeadlines(),
                    criteria, Map.of(Market.A, BigDecimal.TEN, Market.B, BigDecimal.TEN, Market.C, BigDecimal.TEN),
                    List.of(), ReferralPolicy.off());
            MarketFacts facts = i % 7 == 3 ? new MarketFacts(now.plusSeconds(86_400), false, 1, false) : MarketFacts.NONE;
            questions.add(new Question(engagement, location, IdentifierType.DOMAIN, customer.key(), Optional.of(customer),
                    facts, now));
        }
        return questions;
    }

    @Benchmark
    public void oneKeyAgainstTwentyEngagements(Blackhole blackhole) {
        for (Question question : questions) {
            blackhole.consume(policy.decide(question));
        }
    }

    @Benchmark
    public Object canonicalizeDomain() {
        return CustomerIdentifier.parse(IdentifierType.DOMAIN, " Bücher-Ünïcode.Example.COM. ");
    }

    @Benchmark
    public Object canonicalizeTenantId() {
        return CustomerIdentifier.parse(IdentifierType.TENANT_ID, "321591DA-F721-58AA-807D-39FA4F917473");
    }

    @Benchmark
    public Object canonicalizeTpid() {
        return CustomerIdentifier.parse(IdentifierType.TPID, "0012345");
    }

    @Benchmark
    public Object canonicalizeSubscription() {
        return CustomerIdentifier.parse(IdentifierType.AZURE_SUBSCRIPTION_ID, "3C7C8E45-D414-5810-97EF-8FF7E809788E");
    }

    @Benchmark
    public Object canonicalizeOpportunity() {
        return CustomerIdentifier.parse(IdentifierType.MSX_OPPORTUNITY_ID, "7-2k4m8q1zxa");
    }

    @Test
    void eligibilityAndCanonicalizationTimes() throws Exception {
        // The questions are the ones measured: some eligible, some not, every rule reached.
        List<Decision> decisions = questions().stream()
                .map(q -> new EligibilityPolicy(new Expressions()).decide(q)).toList();
        assertThat(decisions).anyMatch(Decision::eligible).anyMatch(d -> !d.eligible());

        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(EligibilityBenchmark.class.getName() + "\\.")
                .shouldFailOnError(true)
                .build()).run();
        StringBuilder md = new StringBuilder();
        md.append("Command: `mvn -B -o test -Dtest=EligibilityBenchmark -Dsurefire.failIfNoSpecifiedTests=false`")
                .append(" (JMH 1.37, one fork with `-Xmx512m`, 3 × 2 s warm-up, 5 × 2 s measured, average time).\n\n");
        md.append("Machine: ").append(BenchmarkReport.machine("no database")).append(".\n\n");
        md.append("| benchmark | µs/op | ± error |\n|---|---|---|\n");
        double eligibility = 0;
        for (RunResult result : results.stream().sorted(java.util.Comparator.comparing(
                r -> r.getParams().getBenchmark())).toList()) {
            String name = result.getParams().getBenchmark().replaceAll(".*\\.", "");
            double score = result.getPrimaryResult().getScore();
            if (name.equals("oneKeyAgainstTwentyEngagements")) {
                eligibility = score;
            }
            md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f |%n", name, score,
                    result.getPrimaryResult().getScoreError()));
        }
        md.append(String.format(Locale.ROOT, "%nTarget: eligibility of one key against 20 engagements ≤ 50 µs — "
                + "measured %.1f µs: %s.%n", eligibility, eligibility <= 50 ? "met" : "**not met**"));
        BenchmarkReport.replaceSection(SECTION, md.toString());
        assertThat(eligibility).isPositive();
    }
}
