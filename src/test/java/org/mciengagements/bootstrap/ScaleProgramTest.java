package org.mciengagements.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.mciengagements.claim.ClaimStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The scale program generator at a small scale (2,000 claims), started the way the benchmarks
 * start it ({@code mci.demo.scale}); everything is read back with SQL.
 */
@SpringBootTest(properties = {"mci.test.isolated-context=scale-program", "mci.demo.scale=2000",
        "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class ScaleProgramTest {

    private static final long CLAIMS = 2_000;

    @Autowired JdbcClient jdbc;
    @Autowired ScaleProgram scale;

    private ScaleProgram.Summary summary() {
        return scale.generatedAtStart().orElseThrow();
    }

    private String generated() {
        return " from claim where id >= " + summary().firstClaimId();
    }

    @Test
    void theSettingGeneratesTheProgramOnceWithEveryStatusAcrossTwentyEngagements() {
        assertThat(summary().claims()).isEqualTo(CLAIMS);
        assertThat(jdbc.sql("select count(*)" + generated()).query(Long.class).single()).isEqualTo(CLAIMS);
        Set<ClaimStatus> statuses = jdbc.sql("select distinct status" + generated()).query(String.class).list().stream()
                .map(ClaimStatus::valueOf).collect(Collectors.toCollection(() -> EnumSet.noneOf(ClaimStatus.class)));
        assertThat(statuses).containsExactlyInAnyOrder(ClaimStatus.values());
        assertThat(jdbc.sql("select count(distinct engagement_id)" + generated()).query(Long.class).single())
                .isGreaterThanOrEqualTo(20);
        assertThat(jdbc.sql("select count(*) from partner").query(Long.class).single()).isEqualTo(10);
        assertThat(jdbc.sql("select count(*) from directory_customer").query(Long.class).single())
                .isGreaterThanOrEqualTo(2_000);
        assertThat(scale.generated()).isTrue();
    }

    @Test
    void contosoHasAFiftiethOfTheClaimsAsKnownCustomers() {
        long contoso = jdbc.sql("select count(*) from known_customer where partner_id = 'contoso'").query(Long.class).single();
        assertThat(contoso).isGreaterThanOrEqualTo(CLAIMS / 50);
    }

    @Test
    void knownCustomersAreExactlyTheLatestConsentOfEachPartnerAndKey() {
        long mismatches = jdbc.sql("""
                        with latest as (
                            select distinct on (partner_id, customer_key) partner_id, customer_key, id, consent_received_at
                            from claim where consent_received_at is not null
                            order by partner_id, customer_key, consent_received_at desc, id desc)
                        select count(*) from latest l full join known_customer k
                            on k.partner_id = l.partner_id and k.customer_key = l.customer_key
                        where k.partner_id is null or l.partner_id is null or k.last_claim_id <> l.id
                           or k.consented_at <> l.consent_received_at""")
                .query(Long.class).single();
        assertThat(mismatches).isZero();
    }

    @Test
    void claimsRespectTheLimitsAndStampsOfTheirStatus() {
        assertThat(jdbc.sql("""
                        select count(*) from (select c.engagement_id, c.customer_key, count(*) n, max(e.max_active_claims) m
                            from claim c join engagement e on e.id = c.engagement_id where c.status in %s
                            group by c.engagement_id, c.customer_key) s where n > m"""
                        .formatted(list(Set.copyOf(ClaimStatus.active()))))
                .query(Long.class).single()).as("active-claim limit").isZero();
        assertThat(jdbc.sql("select count(*)" + generated() + " and status in " + list(ClaimStatus.CONSENT_HELD)
                + " and (consent_received_at is null or first_submission_due_at is null or review_due_at is null)")
                .query(Long.class).single()).as("consent stamps").isZero();
        Instant now = summary().now();
        assertThat(jdbc.sql("""
                        select count(*) %s and (
                            (status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT') and consent_due_at <= :now)
                            or (status = 'CONSENT_RECEIVED' and first_submission_due_at <= :now)
                            or (status = 'PARTNER_ACTION_REQUIRED' and action_due_at <= :now)
                            or (status = 'REJECTED' and dispute_due_at <= :now)
                            or (status in ('SUBMITTED', 'UNDER_REVIEW', 'DISPUTED') and review_due_at <= :now)
                            or updated_at > :now)""".formatted(generated()))
                .param("now", Timestamp.from(now)).query(Long.class).single()).as("deadlines ahead, steps past").isZero();
        assertThat(jdbc.sql("select count(*)" + generated() + " and status = 'COMPLETED'"
                        + " and (paid_usd is null or paid_usd <> approved_payout_usd or payout_reference is null)")
                .query(Long.class).single()).as("payouts").isZero();
        assertThat(jdbc.sql("select count(*)" + generated() + " and status = 'AWAITING_CONSENT'"
                        + " and (estimated_deal_size_usd is null or consent_requested_at is null)")
                .query(Long.class).single()).as("consent requests").isZero();
        // A successor follows an expired claim of the same partner, engagement and key.
        assertThat(jdbc.sql("""
                        select count(*) from claim s join claim p on p.id = s.previous_claim_id
                        where s.id >= %d and (p.status not in %s or p.partner_id <> s.partner_id
                            or p.engagement_id <> s.engagement_id or p.customer_key <> s.customer_key)"""
                        .formatted(summary().firstClaimId(), list(ClaimStatus.EXPIRED)))
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*)" + generated() + " and previous_claim_id is not null")
                .query(Long.class).single()).isPositive();
    }

    @Test
    void everyHistoryWalksTheTransitionTableFromCreationToTheClaimsStatus() {
        Map<Long, List<String[]>> histories = new HashMap<>();
        jdbc.sql("select h.claim_id, h.from_status, h.to_status from claim_history h where h.claim_id >= ? order by h.id")
                .param(summary().firstClaimId())
                .query((rs, n) -> histories.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new String[] {rs.getString(2), rs.getString(3)}))
                .list();
        Map<Long, String> statuses = new HashMap<>();
        jdbc.sql("select id, status" + generated()).query((rs, n) -> statuses.put(rs.getLong(1), rs.getString(2))).list();
        assertThat(histories.keySet()).isEqualTo(statuses.keySet());
        assertThat(summary().history()).isEqualTo(histories.values().stream().mapToLong(List::size).sum());
        statuses.forEach((id, status) -> {
            List<String[]> steps = histories.get(id);
            assertThat(steps.getFirst()[0]).isNull();
            assertThat(steps.getFirst()[1]).isEqualTo("CUSTOMER_CLAIMED");
            for (int i = 1; i < steps.size(); i++) {
                assertThat(steps.get(i)[0]).isEqualTo(steps.get(i - 1)[1]);
                assertThat(ClaimStatus.valueOf(steps.get(i)[0]).canMoveTo(ClaimStatus.valueOf(steps.get(i)[1])))
                        .as("claim %d: %s -> %s", id, steps.get(i)[0], steps.get(i)[1]).isTrue();
            }
            assertThat(steps.getLast()[1]).isEqualTo(status);
        });
    }

    @Test
    void theSameSeedAndInstantGiveTheSameRows() {
        ScaleProgram.Summary summary = summary();
        assertThat(scale.digest(CLAIMS, summary.now(), summary.firstClaimId())).isEqualTo(summary.digest());
        assertThat(scale.digest(CLAIMS + 1, summary.now(), summary.firstClaimId())).isNotEqualTo(summary.digest());
    }

    @Test
    void freshTenantsHaveNoClaimsAndMeetTheCriteriaTheBenchmarksNominateThemFor() {
        long fresh = jdbc.sql("""
                        select count(*) from directory_customer d where d.customer_key like 'TENANT:%'
                          and (d.attributes->>'azureMonthlyConsumptionUsd')::numeric >= 20000
                          and not exists (select 1 from claim c where c.customer_key = d.customer_key)""")
                .query(Long.class).single();
        assertThat(fresh).isGreaterThanOrEqualTo(ScaleProgram.Sizes.of(CLAIMS).freshTenants());
    }

    private static String list(Set<ClaimStatus> statuses) {
        return statuses.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", ", "(", ")"));
    }
}
