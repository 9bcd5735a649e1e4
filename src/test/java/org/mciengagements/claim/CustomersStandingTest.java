package org.mciengagements.claim;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.mciengagements.eligibility.Reason;
import org.mciengagements.eligibility.ReasonCode;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.security.UserAccounts;
import org.mciengagements.shared.ProgramClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The Customers page's read model of known customers stays current as the program changes: other
 * partners' claims, new known customers, directory changes; and the sweep repairs a row a change
 * did not reach. Contoso's administrator on the Copilot Readiness Workshop (at most one active claim
 * per customer), over the demo program.
 */
@SpringBootTest(properties = {"mci.test.isolated-context=customers-standing", "mci.jobs.deadlines.initial-delay=1h",
        "mci.jobs.standing.interval=1h"})
@DirtiesContext
class CustomersStandingTest {

    static final String ENGAGEMENT = "copilot-readiness-workshop";

    @Autowired CustomersPage page;
    @Autowired CustomersStanding standing;
    @Autowired EngagementCatalog catalog;
    @Autowired UserAccounts accounts;
    @Autowired JdbcClient jdbc;
    @Autowired ProgramClock clock;

    private CustomersPage.Result tab(CustomersPage.Tab tab) {
        return show(catalog.find(ENGAGEMENT).orElseThrow(), tab, 200);
    }

    private CustomersPage.Result show(Engagement engagement, CustomersPage.Tab tab, int limit) {
        CurrentUser anna = accounts.currentUser("anna").orElseThrow();
        return page.show(anna, engagement, new CustomersPage.Request(tab, null, CustomersPage.Sort.NAME, false, null,
                limit), clock.instant());
    }

    /** Contoso comes to know a tenant, as a consent would make it (the triggers do the rest). */
    private void contosoKnowsTenant(String key, String name) {
        long claimId = jdbc.sql("select max(id) from claim where partner_id = 'contoso'").query(Long.class).single();
        jdbc.sql("""
                        insert into known_customer (partner_id, customer_key, identifier_type, identifier_value,
                            customer_name, last_claim_id, consented_at) values ('contoso', ?, 'TENANT_ID', ?, ?, ?, ?)""")
                .params(key, key.substring("TENANT:".length()), name, claimId, Timestamp.from(clock.instant())).update();
    }

    private static List<String> known(CustomersPage.Result result) {
        return result.rows().stream().filter(r -> r.kind() == CustomersPage.Row.Kind.KNOWN_CUSTOMER)
                .map(CustomersPage.Row::customerName).toList();
    }

    private static List<ReasonCode> reasons(CustomersPage.Result result, String name) {
        return result.rows().stream().filter(r -> r.customerName().equals(name)).findFirst().orElseThrow()
                .reasons().stream().map(Reason::code).toList();
    }

    private String keyOf(String name) {
        return jdbc.sql("select customer_key from known_customer where partner_id = 'contoso' and customer_name = ?")
                .param(name).query(String.class).single();
    }

    /** A claim of Fabrikam for the key, written as a nomination would (the triggers do the rest). */
    private void fabrikamClaims(String key, String name, Instant now) {
        long id = jdbc.sql("""
                        insert into claim (engagement_id, partner_id, location_id, origin, friendly_name, identifier_type,
                            identifier_value, customer_key, customer_name, status, created_at, created_by, consent_due_at,
                            customer_contact_name, customer_contact_email, partner_contact_name, partner_contact_email,
                            updated_at)
                        values (?, 'fabrikam', '5200411', 'ADD', 'Rival claim', 'TENANT_ID', ?, ?, ?, 'CUSTOMER_CLAIMED',
                            ?, 'farah', ?, 'Contact', 'contact@example.com', 'Farah Demir', 'farah@example.com', ?)
                        returning id""")
                .params(ENGAGEMENT, key.substring(key.indexOf(':') + 1), key, name, Timestamp.from(now),
                        Timestamp.from(now.plus(Duration.ofDays(30))), Timestamp.from(now))
                .query(Long.class).single();
        assertThat(id).isPositive();
    }

    @Test
    void anotherPartnersClaimMovesAKnownCustomerToIneligibleAtOnce() {
        assertThat(known(tab(CustomersPage.Tab.ELIGIBLE))).contains("Coho Winery");
        long eligibleBefore = tab(CustomersPage.Tab.ELIGIBLE).counts().get(CustomersPage.Tab.ELIGIBLE);

        fabrikamClaims(keyOf("Coho Winery"), "Coho Winery", clock.instant());

        CustomersPage.Result eligible = tab(CustomersPage.Tab.ELIGIBLE);
        assertThat(known(eligible)).doesNotContain("Coho Winery");
        assertThat(eligible.counts().get(CustomersPage.Tab.ELIGIBLE)).isEqualTo(eligibleBefore - 1);
        assertThat(reasons(tab(CustomersPage.Tab.INELIGIBLE), "Coho Winery")).containsExactly(ReasonCode.CLAIM_LIMIT_REACHED);
    }

    @Test
    void aNewKnownCustomerAppearsOnAPageAlreadyBuilt() {
        tab(CustomersPage.Tab.ELIGIBLE);
        // A tenant of the directory that Contoso has not worked with, meeting the workshop's criteria.
        String key = jdbc.sql("""
                        select customer_key from directory_customer d where customer_key like 'TENANT:%'
                          and (attributes->>'paidSeats')::int >= 300 and (attributes->>'monthlyActiveUsers')::int >= 100
                          and not exists (select 1 from known_customer k where k.customer_key = d.customer_key)
                          and not exists (select 1 from claim c where c.customer_key = d.customer_key)
                        order by customer_key limit 1""").query(String.class).single();
        String name = jdbc.sql("select display_name from directory_customer where customer_key = ?").param(key)
                .query(String.class).single();
        contosoKnowsTenant(key, name);

        assertThat(known(tab(CustomersPage.Tab.ELIGIBLE))).contains(name);
    }

    @Test
    void aDirectoryChangeIsJudgedAgain() {
        assertThat(known(tab(CustomersPage.Tab.ELIGIBLE))).contains("Trey Research");

        jdbc.sql("update directory_customer set attributes = attributes || '{\"paidSeats\": 3}'::jsonb where customer_key = ?")
                .param(keyOf("Trey Research")).update();

        assertThat(known(tab(CustomersPage.Tab.ELIGIBLE))).doesNotContain("Trey Research");
        assertThat(reasons(tab(CustomersPage.Tab.INELIGIBLE), "Trey Research")).containsExactly(ReasonCode.CRITERIA_NOT_MET);
    }

    @Test
    void theSweepRepairsARowThatAChangeDidNotReach() {
        tab(CustomersPage.Tab.ELIGIBLE);
        String key = keyOf("Relecloud");
        fabrikamClaims(key, "Relecloud", clock.instant());
        // As if the claim had committed while the page built this row in another transaction.
        jdbc.sql("update known_customer_standing set active_claims = 0 where partner_id = 'contoso' and engagement_id = ?"
                + " and customer_key = ?").params(ENGAGEMENT, key).update();
        assertThat(known(tab(CustomersPage.Tab.ELIGIBLE))).contains("Relecloud");

        assertThat(standing.sweep()).isPositive();

        assertThat(known(tab(CustomersPage.Tab.ELIGIBLE))).doesNotContain("Relecloud");
        assertThat(reasons(tab(CustomersPage.Tab.INELIGIBLE), "Relecloud")).containsExactly(ReasonCode.CLAIM_LIMIT_REACHED);
    }

    @Test
    void theIneligibleTabsStoredReasonsAreTheReasonsTheDirectoryAndCriteriaGive() {
        // A known customer whose tenant has left the directory since.
        contosoKnowsTenant("TENANT:0d1e7ed0-0000-4000-8000-000000000001", "Gone Tenant");
        List<Engagement> engagements = catalog.visibleTo(accounts.currentUser("anna").orElseThrow().locations()
                .stream().map(CurrentUser.LocationAccess::location).toList()).stream()
                .filter(e -> !e.isVariable()).toList();
        Map<String, List<CustomersPage.Row>> stored = new LinkedHashMap<>();
        engagements.forEach(e -> stored.put(e.id(), show(e, CustomersPage.Tab.INELIGIBLE, Integer.MAX_VALUE).rows()));
        // Rows judged but without their reasons, as a known customer added since a page made its
        // rows ready: the page reads the directory and evaluates the criteria for them.
        jdbc.sql("update known_customer_standing set failed_criteria = null where partner_id = 'contoso'").update();

        try {
            engagements.forEach(e -> assertThat(show(e, CustomersPage.Tab.INELIGIBLE, Integer.MAX_VALUE).rows()).as(e.id()).isEqualTo(stored.get(e.id())));
            assertThat(stored.values().stream().flatMap(List::stream).flatMap(r -> r.reasons().stream())
                    .map(Reason::code).distinct())
                    .contains(ReasonCode.CRITERIA_NOT_MET, ReasonCode.IDENTIFIER_TYPE_NOT_ALLOWED, ReasonCode.CUSTOMER_NOT_FOUND);
            assertThat(stored.values().stream().flatMap(List::stream).flatMap(r -> r.reasons().stream())
                    .flatMap(r -> r.failedCriteria().stream()).distinct().count()).isGreaterThan(1);
        } finally {
            jdbc.sql("update known_customer_coverage set basis = null where partner_id = 'contoso'").update();
        }
    }

    /** Every (partner, engagement) whose summed count deltas differ from the rows they count. */
    private List<Map<String, Object>> countsThatDisagreeWithTheirRows() {
        return jdbc.sql("""
                        select coalesce(r.partner_id, c.partner_id) as partner_id,
                               coalesce(r.engagement_id, c.engagement_id) as engagement_id,
                               r.eligible as rows_eligible, c.eligible as counted_eligible,
                               r.ineligible as rows_ineligible, c.ineligible as counted_ineligible
                        from (select partner_id, engagement_id, count(*) filter (where eligible) as eligible,
                                     count(*) filter (where not eligible) as ineligible
                              from known_customer_standing where not mine group by partner_id, engagement_id) r
                        full join (select partner_id, engagement_id, sum(eligible) as eligible,
                                          sum(ineligible) as ineligible
                                   from known_customer_standing_count group by partner_id, engagement_id) c
                          on c.partner_id = r.partner_id and c.engagement_id = r.engagement_id
                        where (coalesce(r.eligible, 0), coalesce(r.ineligible, 0))
                              is distinct from (coalesce(c.eligible, 0), coalesce(c.ineligible, 0))""")
                .query().listOfRows();
    }

    /** Contoso's eligible tenants in the workshop that the other tests of this class leave alone. */
    private List<String> eligibleTenantsNoOtherTestTouches() {
        List<String> keys = jdbc.sql("""
                        select customer_key from known_customer_standing where partner_id = 'contoso'
                          and engagement_id = ? and eligible and customer_key like 'TENANT:%'
                          and customer_name not in ('Coho Winery', 'Trey Research', 'Relecloud')
                        order by customer_key""")
                .param(ENGAGEMENT).query(String.class).list();
        assertThat(keys).hasSizeGreaterThanOrEqualTo(4);
        return keys;
    }

    @Test
    void theTabCountsAreTheRowsTheyCountThroughEveryKindOfChange() {
        CustomersPage.Result before = tab(CustomersPage.Tab.ELIGIBLE);
        List<String> keys = eligibleTenantsNoOtherTestTouches();
        fabrikamClaims(keys.get(0), "Rival claim", clock.instant());
        jdbc.sql("update directory_customer set attributes = attributes || '{\"paidSeats\": 3}'::jsonb where customer_key = ?")
                .param(keys.get(1)).update();
        CustomersPage.Result after = tab(CustomersPage.Tab.ELIGIBLE);
        jdbc.sql("update claim set status = 'CANCELED' where partner_id = 'fabrikam' and customer_key = ?")
                .param(keys.get(0)).update();

        assertThat(countsThatDisagreeWithTheirRows()).isEmpty();
        assertThat(after.counts().get(CustomersPage.Tab.ELIGIBLE)).isEqualTo(before.counts().get(CustomersPage.Tab.ELIGIBLE) - 2);
        assertThat(after.counts().get(CustomersPage.Tab.INELIGIBLE)).isEqualTo(before.counts().get(CustomersPage.Tab.INELIGIBLE) + 2);
        assertThat(tab(CustomersPage.Tab.ELIGIBLE).counts().get(CustomersPage.Tab.ELIGIBLE))
                .isEqualTo(before.counts().get(CustomersPage.Tab.ELIGIBLE) - 1);

        standing.fold();

        assertThat(countsThatDisagreeWithTheirRows()).isEmpty();
        assertThat(jdbc.sql("select count(*) from known_customer_standing_count group by partner_id, engagement_id"
                + " having count(*) > 1").query().listOfRows()).isEmpty();
    }

    @Test
    void concurrentClaimsAndFoldsOnTwoServersNeitherLoseNorDoubleACount() throws Exception {
        tab(CustomersPage.Tab.ELIGIBLE);
        List<String> keys = eligibleTenantsNoOtherTestTouches();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        AtomicBoolean claiming = new AtomicBoolean(true);
        AtomicInteger folds = new AtomicInteger();
        try {
            List<? extends Future<?>> folders = IntStream.range(0, 2)
                    .mapToObj(n -> pool.submit(() -> {
                        while (claiming.get()) {
                            try {
                                standing.fold();
                                folds.incrementAndGet();
                            } catch (PessimisticLockingFailureException busy) {
                                // The other server is folding the same rows: its turn.
                            }
                        }
                    })).toList();
            List<? extends Future<?>> claims = keys.stream()
                    .map(key -> pool.submit(() -> {
                        fabrikamClaims(key, "Rival of " + key, clock.instant());
                        jdbc.sql("update claim set status = 'CANCELED' where partner_id = 'fabrikam' and customer_key = ?"
                                + " and engagement_id = ?").params(key, ENGAGEMENT).update();
                        fabrikamClaims(key, "Rival of " + key, clock.instant());
                        jdbc.sql("update claim set status = 'CANCELED' where partner_id = 'fabrikam' and customer_key = ?"
                                + " and engagement_id = ?").params(key, ENGAGEMENT).update();
                    })).toList();
            for (Future<?> claim : claims) {
                claim.get(60, TimeUnit.SECONDS);
            }
            claiming.set(false);
            for (Future<?> folder : folders) {
                folder.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(folds.get()).isPositive();
        assertThat(countsThatDisagreeWithTheirRows()).isEmpty();
        assertThat(tab(CustomersPage.Tab.ELIGIBLE).counts().get(CustomersPage.Tab.ELIGIBLE))
                .isEqualTo(jdbc.sql("""
                        select (select count(*) from known_customer_standing where partner_id = 'contoso'
                                  and engagement_id = :engagement and eligible and not mine)
                             + (select count(*) from claim where partner_id = 'contoso' and engagement_id = :engagement
                                  and status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT', 'CONSENT_RECEIVED', 'SUBMITTED',
                                      'UNDER_REVIEW', 'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', 'APPROVED'))""")
                        .param("engagement", ENGAGEMENT).query(Long.class).single());
    }
}
