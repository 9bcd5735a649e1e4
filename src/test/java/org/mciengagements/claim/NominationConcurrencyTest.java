package org.mciengagements.claim;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.TestInstance;
import org.mciengagements.Application;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.engagement.EngagementType;
import org.mciengagements.engagement.PaymentModel;
import org.mciengagements.engagement.ReferralPolicy;
import org.mciengagements.program.Market;
import org.mciengagements.shared.IdentifierType;
import org.mciengagements.support.Http;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The nomination invariants of SPEC §6 under concurrency, on two servers sharing one PostgreSQL:
 * 32 threads, four partners (one of them with two users), all nominating the same customer keys
 * for an engagement that allows two active claims per key, at the same moment. Afterwards no
 * limit is exceeded, no partner holds two active claims for one key, and every request that did
 * not create a claim was refused with 409 or 422 for the right reason.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NominationConcurrencyTest {

    static final int THREADS = 32;
    static final int LIMIT = 2;
    static final List<String> PARTNERS = List.of("race-a", "race-b", "race-c", "race-d");
    static final List<String> TENANTS = List.of(
            "11111111-0000-4000-8000-000000000001", "11111111-0000-4000-8000-000000000002",
            "11111111-0000-4000-8000-000000000003", "11111111-0000-4000-8000-000000000004");

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    EngagementCatalog catalog;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    EmbeddedPostgres postgres;
    @Autowired
    org.mciengagements.shared.ProgramClock clock;

    ConfigurableApplicationContext secondServer;
    List<Http> servers;
    final AtomicInteger round = new AtomicInteger();

    @BeforeAll
    void startSecondServerAndRaceProgram() {
        secondServer = new SpringApplicationBuilder(Application.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres",
                "--mci.security.bcrypt-strength=4");
        int secondPort = Integer.parseInt(secondServer.getEnvironment().getProperty("local.server.port"));
        servers = List.of(new Http(port), new Http(secondPort));

        for (int p = 0; p < PARTNERS.size(); p++) {
            String partner = PARTNERS.get(p);
            String location = "99000" + p + "1";
            jdbc.sql("insert into partner values (?, ?)").params(partner, "Race partner " + p).update();
            jdbc.sql("insert into location values (?, ?, ?, 'NL', 'ENROLLED')").params(location, partner, partner).update();
            for (String user : p == 0 ? List.of(partner + "-1", partner + "-2") : List.of(partner + "-1")) {
                jdbc.sql("insert into app_user (username, password_hash, display_name, email, partner_id) values (?, ?, ?, ?, ?)")
                        .params(user, passwords.encode(Http.DEMO_PASSWORD), user, user + "@race.example", partner).update();
                jdbc.sql("insert into user_location_role values (?, ?, 'INCENTIVES_USER')").params(user, location).update();
            }
        }
        for (String tenant : TENANTS) {
            jdbc.sql("insert into directory_customer (customer_key, display_name, country) values (?, ?, 'NL')")
                    .params("TENANT:" + tenant, "Contested " + tenant.substring(tenant.length() - 1)).update();
            jdbc.sql("insert into directory_domain (domain, tenant_id) values (?, ?::uuid)")
                    .params(domainOf(tenant), tenant).update();
        }
    }

    @AfterAll
    void stopSecondServer() {
        secondServer.close();
    }

    /** Each repetition races on a fresh engagement, so every round starts from no claims. */
    @RepeatedTest(5)
    void concurrentNominationsNeverBreakTheInvariants() throws Exception {
        String engagementId = "race-" + round.incrementAndGet();
        LocalDate today = LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
        catalog.save(new Engagement(engagementId, "Race " + engagementId, "Contested engagement", "Race",
                EngagementType.WORKSHOP, today.minusDays(10), today.plusDays(10), PaymentModel.FIXED,
                EnumSet.of(IdentifierType.TENANT_ID), Set.of(), Set.of(), LIMIT,
                EngagementType.WORKSHOP.defaultDeadlines(), List.of(), Map.of(Market.A, java.math.BigDecimal.TEN,
                Market.B, java.math.BigDecimal.TEN, Market.C, java.math.BigDecimal.TEN), List.of(), ReferralPolicy.off()),
                clock.instant());

        List<String> users = new ArrayList<>();
        PARTNERS.forEach(p -> users.add(p + "-1"));
        users.add("race-a-2");
        CyclicBarrier start = new CyclicBarrier(THREADS);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            runs.add(pool.submit(() -> {
                String user = users.get(thread % users.size());
                String tenant = TENANTS.get((thread / users.size()) % TENANTS.size());
                Http server = servers.get(thread % servers.size());
                start.await(30, TimeUnit.SECONDS);
                HttpResponse<String> response = server.postJson(user, "/api/v1/claims", body(engagementId, user, tenant));
                statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                if (response.statusCode() != 201) {
                    refusals.add(response.statusCode() + " " + response.body());
                }
                return null;
            }));
        }
        for (Future<?> run : runs) {
            run.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(statuses.keySet()).as("only created, conflict or unprocessable: %s", refusals).isSubsetOf(201, 409, 422);
        int created = statuses.getOrDefault(201, new AtomicInteger()).get();
        assertThat(created).as("claims created").isEqualTo(rowCount(engagementId));
        for (String refusal : refusals) {
            if (refusal.startsWith("409")) {
                assertThat(refusal).contains("\"code\":\"ALREADY_NOMINATED\"");
            } else {
                assertThat(refusal).contains("\"code\":\"NOT_ELIGIBLE\"").contains("CLAIM_LIMIT_REACHED");
            }
        }
        for (String tenant : TENANTS) {
            long active = jdbc.sql("select count(*) from claim where engagement_id = ? and customer_key = ?")
                    .params(engagementId, "TENANT:" + tenant).query(Long.class).single();
            long attempting = jdbc.sql("select count(*) from partner where id like 'race-%'").query(Long.class).single();
            // Every attempt was eligible but for the limit and duplicates: the limit is reached exactly.
            assertThat(active).as("active claims for %s", tenant).isEqualTo(Math.min(LIMIT, attempting));
        }
        assertThat(jdbc.sql("""
                        select count(*) from (select partner_id, customer_key from claim where engagement_id = ?
                        group by partner_id, customer_key having count(*) > 1) twice""")
                .param(engagementId).query(Long.class).single())
                .as("a partner with two active claims for one key").isZero();
        assertThat(created + refusals.size()).isEqualTo(THREADS);
    }

    private long rowCount(String engagementId) {
        return jdbc.sql("select count(*) from claim where engagement_id = ?").param(engagementId).query(Long.class).single();
    }

    private static String body(String engagementId, String user, String tenant) {
        String location = "99000" + PARTNERS.indexOf(user.substring(0, user.lastIndexOf('-'))) + "1";
        return """
                {"origin":"ADD","friendlyName":"Race for %s","locationId":"%s",
                 "identifier":{"type":"TENANT_ID","value":"%s"},"engagementIds":["%s"],
                 "customerContact":{"name":"Chris Contested","email":"chris@%s"},
                 "partnerContact":{"name":"%s","email":"%s@race.example"}}"""
                .formatted(tenant, location, tenant, engagementId, domainOf(tenant), user, user);
    }

    private static String domainOf(String tenant) {
        return "contested-" + tenant.substring(tenant.length() - 1) + ".example";
    }
}
