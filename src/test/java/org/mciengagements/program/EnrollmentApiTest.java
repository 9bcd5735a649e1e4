package org.mciengagements.program;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.support.ClaimJourney;
import org.mciengagements.support.Http;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Enrollment through the operators' API against PostgreSQL, and what it does to partners: a
 * suspended location nominates nothing ({@code POST /api/v1/claims} and {@code customer-checks}
 * answer {@code LOCATION_SUSPENDED} and create nothing) while its claims in flight continue, the
 * pages say why, re-enrolling lets it nominate again, every change is audited for the partner, and
 * two operators racing on one location apply one move. Each test works on locations of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mci.test.isolated-context=enrollment-api", "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class EnrollmentApiTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String ADMIN = "/api/v1/admin/locations";
    static final String WORKSHOP = "enrollment-workshop";

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    EngagementCatalog catalog;
    @Autowired
    ProgramClock clock;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    Enrollments enrollments;
    @Autowired
    org.springframework.transaction.support.TransactionTemplate transactions;
    Http http;
    ClaimJourney journey;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        journey = new ClaimJourney(http, jdbc);
        if (catalog.find(WORKSHOP).isEmpty()) {
            ClaimJourney.saveWorkshop(catalog, WORKSHOP, 5, BigDecimal.valueOf(5000), clock.instant());
        }
    }

    @Test
    void operatorsSeeEveryPartnersLocationsWithTheirEnrollmentAndFilterThem() {
        JsonNode all = json(http.get("oscar", ADMIN), 200);
        assertThat(ids(all)).contains("4100231", "4100232", "4100233", "4100234", "5200411", "5200412", "5200413");
        JsonNode ankara = find(all, "5200413");
        assertThat(ankara.get("partnerName").asString()).isEqualTo("Fabrikam Partners");
        assertThat(ankara.get("enrollment").asString()).isEqualTo("SUSPENDED");
        assertThat(ankara.get("enrollmentReason").asString()).isEqualTo("Annual compliance review overdue");
        assertThat(ankara.get("allowedActions").toString()).isEqualTo("[\"REENROLL\",\"WITHDRAW\"]");
        assertThat(find(all, "4100234").get("allowedActions").toString()).isEqualTo("[\"ENROLL\"]");

        assertThat(ids(json(http.get("oscar", ADMIN + "?partnerId=fabrikam"), 200)))
                .containsExactly("5200411", "5200412", "5200413");
        JsonNode suspended = json(http.get("oscar", ADMIN + "?enrollment=SUSPENDED"), 200);
        suspended.forEach(l -> assertThat(l.get("enrollment").asString()).isEqualTo("SUSPENDED"));
        assertThat(ids(suspended)).contains("5200413");
        assertThat(ids(json(http.get("oscar", ADMIN + "?q=ANKARA"), 200))).containsExactly("5200413");
        assertThat(ids(json(http.get("oscar", ADMIN + "?q=contoso&enrollment=NOT_ENROLLED"), 200)))
                .containsExactly("4100234");
        assertThat(http.get("oscar", ADMIN + "?enrollment=PAUSED").statusCode()).isEqualTo(400);
    }

    @Test
    void refusedChangesAreClearProblemsAndChangeNothing() {
        String berlin = ADMIN + "/5200411/enrollment";
        assertProblem(http.postJson("oscar", ADMIN + "/9999999/enrollment", "{\"action\":\"SUSPEND\",\"reason\":\"x\"}"),
                404, "LOCATION_NOT_FOUND");
        assertThat(http.get("oscar", ADMIN + "/9999999").statusCode()).isEqualTo(404);
        assertThat(fieldErrors(assertProblem(http.postJson("oscar", berlin, "{}"), 400, "VALIDATION_FAILED")))
                .containsExactly("action:REQUIRED");
        assertThat(fieldErrors(assertProblem(http.postJson("oscar", berlin, "{\"action\":\"SUSPEND\"}"), 400,
                "VALIDATION_FAILED"))).containsExactly("reason:REQUIRED");
        assertThat(fieldErrors(assertProblem(http.postJson("oscar", berlin, "{\"action\":\"WITHDRAW\",\"reason\":\" \"}"),
                400, "VALIDATION_FAILED"))).containsExactly("reason:REQUIRED");
        assertThat(fieldErrors(assertProblem(http.postJson("oscar", berlin, "{\"action\":\"PAUSE\",\"reason\":\"x\"}"),
                400, "VALIDATION_FAILED"))).containsExactly("action:INVALID_VALUE");
        assertThat(fieldErrors(assertProblem(http.postJson("oscar", berlin,
                "{\"action\":\"SUSPEND\",\"reason\":\"" + "x".repeat(501) + "\"}"), 400, "VALIDATION_FAILED")))
                .containsExactly("reason:TOO_LONG");
        JsonNode conflict = assertProblem(http.postJson("oscar", berlin, "{\"action\":\"ENROLL\"}"), 409,
                "INVALID_ENROLLMENT_MOVE");
        assertThat(conflict.get("enrollment").asString()).isEqualTo("ENROLLED");
        assertThat(conflict.get("allowedActions").toString()).isEqualTo("[\"SUSPEND\",\"WITHDRAW\"]");
        assertProblem(http.postJson("oscar", berlin, "{\"action\":"), 400, "MALFORMED_REQUEST");

        JsonNode berlinNow = json(http.get("oscar", ADMIN + "/5200411"), 200);
        assertThat(berlinNow.get("location").get("enrollment").asString()).isEqualTo("ENROLLED");
        assertThat(berlinNow.get("location").get("enrollmentChangedBy").isNull()).isTrue();
        assertThat(berlinNow.get("history")).isEmpty();
        assertThat(audits("5200411")).isZero();
    }

    @Test
    void aSuspendedLocationNominatesNothingUntilReEnrolledWhileItsClaimsInFlightContinue() {
        long inFlight = jdbc.sql("""
                        select id from claim where location_id = '4100231' and status = 'CUSTOMER_CLAIMED'
                        order by id limit 1""").query(Long.class).single();
        JsonNode suspended = json(http.postJson("oscar", ADMIN + "/4100231/enrollment",
                "{\"action\":\"SUSPEND\",\"reason\":\"Compliance review pending\"}"), 200);
        assertThat(suspended.get("location").get("enrollment").asString()).isEqualTo("SUSPENDED");
        assertThat(suspended.get("location").get("enrollmentReason").asString()).isEqualTo("Compliance review pending");
        assertThat(suspended.get("location").get("enrollmentChangedBy").asString()).isEqualTo("oscar");
        assertThat(suspended.get("location").get("allowedActions").toString()).isEqualTo("[\"REENROLL\",\"WITHDRAW\"]");
        assertThat(suspended.get("history")).hasSize(1);
        assertThat(suspended.get("history").get(0).get("action").asString()).isEqualTo("SUSPEND");

        // The partner's locations say why.
        JsonNode amsterdam = find(json(http.get("anna", "/api/v1/locations"), 200), "4100231");
        assertThat(amsterdam.get("usable").asBoolean()).isFalse();
        assertThat(amsterdam.get("enrollmentReason").asString()).isEqualTo("Compliance review pending");
        assertThat(amsterdam.get("refusal").get("code").asString()).isEqualTo("LOCATION_SUSPENDED");
        assertThat(amsterdam.get("refusal").get("message").asString()).startsWith("Suspended on ")
                .endsWith(": Compliance review pending");
        assertThat(find(json(http.get("anna", "/api/v1/locations"), 200), "4100233").get("refusal").isNull()).isTrue();

        // No new nomination and no dry run from it; nothing is created.
        String tenant = journey.newTenant("Suspended Customer");
        long claimsBefore = claims();
        String nomination = ClaimJourney.nominationBody("4100231", WORKSHOP, tenant, "en");
        JsonNode refused = assertProblem(http.postJson("anna", "/api/v1/claims", nomination), 400, "VALIDATION_FAILED");
        assertThat(fieldErrors(refused)).containsExactly("locationId:LOCATION_SUSPENDED");
        assertThat(refused.get("errors").get(0).get("message").asString()).contains("Compliance review pending");
        assertThat(fieldErrors(assertProblem(http.postJson("anna", "/api/v1/customer-checks",
                "{\"locationId\":\"4100231\",\"identifier\":{\"type\":\"TENANT_ID\",\"value\":\"" + tenant + "\"}}"),
                400, "VALIDATION_FAILED"))).containsExactly("locationId:LOCATION_SUSPENDED");
        assertThat(claims()).isEqualTo(claimsBefore);

        // A claim already under way continues: its consent email still goes out, and its page says why no new ones.
        journey.sendConsent("anna", inFlight);
        assertThat(jdbc.sql("select status from claim where id = ?").param(inFlight).query(String.class).single())
                .isEqualTo("AWAITING_CONSENT");
        String page = http.page("anna", "/claims/" + inFlight).body();
        assertThat(page).contains("id=\"location-notice\"").contains("Compliance review pending")
                .contains("This claim continues as before");

        // Back in MCI, it nominates again.
        JsonNode back = json(http.postJson("oscar", ADMIN + "/4100231/enrollment", "{\"action\":\"REENROLL\"}"), 200);
        assertThat(back.get("location").get("enrollment").asString()).isEqualTo("ENROLLED");
        assertThat(back.get("location").get("enrollmentReason").isNull()).isTrue();
        assertThat(http.postJson("anna", "/api/v1/claims", nomination).statusCode()).isEqualTo(201);
        assertThat(claims()).isEqualTo(claimsBefore + 1);

        // Both changes are recorded, newest first, for the operators and for the partner's administrators.
        JsonNode history = json(http.get("oscar", ADMIN + "/4100231"), 200).get("history");
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("action").asString()).isEqualTo("REENROLL");
        assertThat(history.get(0).get("actor").asString()).isEqualTo("oscar");
        assertThat(history.get(0).get("detail").get("from").asString()).isEqualTo("SUSPENDED");
        assertThat(history.get(1).get("detail").get("reason").asString()).isEqualTo("Compliance review pending");
        assertThat(jdbc.sql("select count(*) from audit_event where subject_type = 'LOCATION' and subject_id = '4100231' "
                + "and partner_id = 'contoso'").query(Long.class).single()).isEqualTo(2);
        JsonNode partnerHistory = json(http.get("anna", "/api/v1/team/history"), 200);
        assertThat(partnerHistory.toString()).contains("\"subjectId\":\"4100231\"").contains("Compliance review pending");
        assertThat(json(http.get("farah", "/api/v1/team/history"), 200).toString()).doesNotContain("4100231");
    }

    @Test
    void aUserWhoseEveryLocationIsSuspendedIsToldWhyOnThePages() {
        json(http.postJson("oscar", ADMIN + "/4100232/enrollment",
                "{\"action\":\"SUSPEND\",\"reason\":\"Tax registration expired\"}"), 200);
        // umut's only location is 4100232.
        String engagements = http.page("umut", "/engagements").body();
        assertThat(engagements).contains("id=\"no-usable-location\"").contains("Tax registration expired");
        String customers = http.page("umut", "/engagements/" + WORKSHOP + "/customers").body();
        assertThat(customers).contains("id=\"nomination-blocked\"").contains("4100232")
                .contains("Tax registration expired").doesNotContain("id=\"add-customer\"");
        assertThat(http.page("umut", "/engagements/" + WORKSHOP + "/customers/add").body())
                .contains("id=\"unavailable-locations\"").contains("Tax registration expired");
        // anna still has enrolled locations: she adds customers, and sees nothing blocked.
        String annas = http.page("anna", "/engagements/" + WORKSHOP + "/customers").body();
        assertThat(annas).contains("id=\"add-customer\"").doesNotContain("id=\"nomination-blocked\"");
        assertThat(http.page("anna", "/engagements").body()).doesNotContain("id=\"no-usable-location\"");

        json(http.postJson("oscar", ADMIN + "/4100232/enrollment", "{\"action\":\"REENROLL\"}"), 200);
        assertThat(http.page("umut", "/engagements/" + WORKSHOP + "/customers").body())
                .contains("id=\"add-customer\"").doesNotContain("id=\"nomination-blocked\"");
    }

    @Test
    void twoOperatorsRacingOnOneLocationApplyExactlyOneMove() throws Exception {
        jdbc.sql("insert into app_user (username, password_hash, display_name, email) values ('olga', ?, 'Olga Operator', "
                + "'olga@vendor.example')").param(passwords.encode(Http.DEMO_PASSWORD)).update();
        jdbc.sql("insert into user_role (username, role) values ('olga', 'PROGRAM_OPERATOR')").update();
        String chicago = ADMIN + "/5200412/enrollment";
        int rounds = 4;
        for (int round = 0; round < rounds; round++) {
            // Both ask for the same move: once one applied, the others are moves from a status that is gone.
            // (Suspend and withdraw would not do: withdrawing a just-suspended location is a second valid move.)
            List<HttpResponse<String>> answers = race(8, i -> i % 2 == 0
                    ? http.postJson("oscar", chicago, "{\"action\":\"SUSPEND\",\"reason\":\"Round by oscar\"}")
                    : http.postJson("olga", chicago, "{\"action\":\"SUSPEND\",\"reason\":\"Round by olga\"}"));
            List<HttpResponse<String>> won = answers.stream().filter(a -> a.statusCode() == 200).toList();
            assertThat(won).as("round %d", round).hasSize(1);
            assertThat(answers).filteredOn(a -> a.statusCode() != 200)
                    .allSatisfy(a -> {
                        assertThat(a.statusCode()).isEqualTo(409);
                        assertThat(a.body()).contains("\"code\":\"INVALID_ENROLLMENT_MOVE\"");
                    });
            String status = jdbc.sql("select enrollment from location where id = '5200412'").query(String.class).single();
            assertThat(JSON.readTree(won.getFirst().body()).get("location").get("enrollment").asString()).isEqualTo(status);
            assertThat(audits("5200412")).isEqualTo(2L * round + 1);
            assertThat(status).isEqualTo("SUSPENDED");
            assertThat(jdbc.sql("select enrollment_reason from location where id = '5200412'").query(String.class).single())
                    .as("the winner's reason").isEqualTo(JSON.readTree(won.getFirst().body()).get("location")
                            .get("enrollmentReason").asString());
            // Back to enrolled for the next round.
            json(http.postJson("oscar", chicago, "{\"action\":\"REENROLL\"}"), 200);
        }
        assertThat(audits("5200412")).isEqualTo(2L * rounds);
    }

    /**
     * The interleaving that makes the conditional update necessary, forced rather than hoped for: the
     * second operator decides from the status it read while the first one's move was not yet
     * committed, then waits on the row. When the first commits, the second's move must find the
     * location no longer in the status it was decided from, and is refused.
     */
    @Test
    void aMoveDecidedFromAStatusAnotherOperatorJustChangedIsRefused() throws Exception {
        java.time.Instant now = clock.instant();
        java.util.concurrent.CountDownLatch firstMoved = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = pool.submit(() -> transactions.executeWithoutResult(tx -> {
                enrollments.suspend("4100233", "First operator", "oscar", now);
                firstMoved.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertThat(firstMoved.await(30, TimeUnit.SECONDS)).isTrue();
            Future<Object> second = pool.submit(() -> {
                try {
                    return enrollments.withdraw("4100233", "Second operator", "olga", now);
                } catch (org.mciengagements.shared.ProblemException e) {
                    return e;
                }
            });
            // The second move waits on the first one's row lock (or, were nothing guarding, is done already).
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> second.isDone()
                    || jdbc.sql("""
                                    select count(*) from pg_stat_activity
                                    where wait_event_type = 'Lock' and query like 'update location set enrollment%'""")
                            .query(Long.class).single() > 0);
            release.countDown();
            first.get(30, TimeUnit.SECONDS);
            Object outcome = second.get(30, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(org.mciengagements.shared.ProblemException.class);
            org.mciengagements.shared.ProblemException refusal = (org.mciengagements.shared.ProblemException) outcome;
            assertThat(refusal.code()).isEqualTo("INVALID_ENROLLMENT_MOVE");
            assertThat(refusal.properties()).containsEntry("enrollment", "SUSPENDED");
        } finally {
            release.countDown();
            pool.shutdown();
        }
        Location seattle = enrollments.find("4100233").location();
        assertThat(seattle.enrollment()).isEqualTo(Enrollment.SUSPENDED);
        assertThat(seattle.enrollmentReason()).isEqualTo("First operator");
        assertThat(audits("4100233")).isEqualTo(1);
        json(http.postJson("oscar", ADMIN + "/4100233/enrollment", "{\"action\":\"REENROLL\"}"), 200);
    }

    // ------------------------------------------------------------------ helpers

    private interface Request {
        HttpResponse<String> send(int racer);
    }

    private static List<HttpResponse<String>> race(int racers, Request request) throws Exception {
        CyclicBarrier start = new CyclicBarrier(racers);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<HttpResponse<String>>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                int racer = i;
                Callable<HttpResponse<String>> call = () -> {
                    start.await(10, TimeUnit.SECONDS);
                    return request.send(racer);
                };
                results.add(pool.submit(call));
            }
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> result : results) {
                answers.add(result.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdown();
        }
    }

    private long audits(String locationId) {
        return jdbc.sql("select count(*) from audit_event where subject_type = 'LOCATION' and subject_id = ?")
                .param(locationId).query(Long.class).single();
    }

    private long claims() {
        return jdbc.sql("select count(*) from claim").query(Long.class).single();
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private static JsonNode assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("code").asString()).isEqualTo(code);
        return problem;
    }

    private static List<String> fieldErrors(JsonNode problem) {
        List<String> errors = new ArrayList<>();
        problem.get("errors").forEach(e -> errors.add(e.get("field").asString() + ":" + e.get("code").asString()));
        return errors;
    }

    private static List<String> ids(JsonNode locations) {
        List<String> ids = new ArrayList<>();
        locations.forEach(l -> ids.add(l.get("locationId").asString()));
        return ids;
    }

    private static JsonNode find(JsonNode locations, String id) {
        for (JsonNode l : locations) {
            if (l.get("locationId").asString().equals(id)) {
                return l;
            }
        }
        throw new AssertionError("no location " + id + " in " + locations);
    }
}
