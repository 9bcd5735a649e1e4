package org.mciengagements.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.support.Http;
import org.mciengagements.support.PageSession;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Partner user management through the API against PostgreSQL (SPEC §2): who may grant and revoke
 * which role for whom, refusals that change nothing, idempotent repeats that record nothing, the
 * last-administrator guard (also under concurrent revocations), roles that take effect on the next
 * request, and the recorded history. Tests that change roles do it on users and locations of their
 * own, created here, so the demo users keep their roles for the tests that rely on them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mci.test.isolated-context=team-roles", "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class TeamRolesTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    TeamRoles team;
    @Autowired
    UserAccounts accounts;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    ProgramClock clock;
    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    // ------------------------------------------------------------------ reading the team

    @Test
    void anAdministratorSeesOnlyTheirOwnPartnersUsersAndWhichRolesTheyMayChange() {
        JsonNode contoso = json(http.get("anna", "/api/v1/team"), 200);
        assertThat(contoso.get("partner").get("id").asString()).isEqualTo("contoso");
        assertThat(usernames(contoso)).contains("anna", "umut", "ruth", "noah").doesNotContain("farah", "rita", "oscar");
        List<String> demoLocations = List.of("4100231", "4100232", "4100233", "4100234");
        contoso.get("locations").forEach(l -> {
            if (demoLocations.contains(l.get("locationId").asString())) {
                assertThat(l.get("youMayChangeRoles").asBoolean()).as(l.toString()).isTrue();
            }
        });
        List<String> listed = new ArrayList<>();
        contoso.get("locations").forEach(l -> listed.add(l.get("locationId").asString()));
        assertThat(listed).containsAll(demoLocations).doesNotContain("5200411");
        assertThat(contoso.get("partnerRoles").toString()).isEqualTo("[{\"role\":\"REFERRAL_ADMIN\",\"youMayChange\":true}]");
        assertThat(member(contoso, "umut").get("locationRoles").toString())
                .isEqualTo("[{\"locationId\":\"4100232\",\"roles\":[\"INCENTIVES_USER\"]}]");
        assertThat(member(contoso, "ruth").get("partnerRoles").toString()).isEqualTo("[\"REFERRAL_ADMIN\"]");

        JsonNode fabrikam = json(http.get("farah", "/api/v1/team"), 200);
        assertThat(usernames(fabrikam)).containsExactly("farah");
        assertThat(fabrikam.toString()).doesNotContain("4100231").doesNotContain("anna");

        // An administrator of one location changes roles there only.
        user("petra", "contoso", "4100232:INCENTIVES_ADMIN");
        JsonNode petras = json(http.get("petra", "/api/v1/team"), 200);
        petras.get("locations").forEach(l -> assertThat(l.get("youMayChangeRoles").asBoolean())
                .as(l.get("locationId").asString()).isEqualTo(l.get("locationId").asString().equals("4100232")));
    }

    // ------------------------------------------------------------------ who may change roles

    @Test
    void onlyIncentivesAdministratorsChangeRolesAndOtherPartnersUsersDoNotExistForThem() {
        user("gus", "contoso");
        String grant = "{\"role\":\"INCENTIVES_USER\",\"locationId\":\"4100231\"}";
        for (String caller : List.of("umut", "noah", "ruth", "rita", "oscar", "sam")) {
            assertProblem(http.postJson(caller, "/api/v1/team/gus/grants", grant), 403, "TEAM_ADMIN_REQUIRED");
            assertProblem(http.send(caller, delete("/api/v1/team/umut/grants?role=INCENTIVES_USER&locationId=4100232")),
                    403, "TEAM_ADMIN_REQUIRED");
            assertProblem(http.get(caller, "/api/v1/team"), 403, "TEAM_ADMIN_REQUIRED");
        }
        // ruth is a referral administrator, not an incentives administrator: not even the partner-wide role.
        assertProblem(http.postJson("ruth", "/api/v1/team/gus/grants", "{\"role\":\"REFERRAL_ADMIN\"}"), 403,
                "TEAM_ADMIN_REQUIRED");
        assertThat(http.postJson(null, "/api/v1/team/gus/grants", grant).statusCode()).isEqualTo(401);
        // Another partner's users are not found, whatever the request; so is a user nobody has.
        assertProblem(http.postJson("farah", "/api/v1/team/gus/grants", grant), 404, "USER_NOT_FOUND");
        assertProblem(http.postJson("farah", "/api/v1/team/anna/grants", "{}"), 404, "USER_NOT_FOUND");
        assertProblem(http.send("farah", delete("/api/v1/team/anna/grants?role=INCENTIVES_ADMIN&locationId=4100231")),
                404, "USER_NOT_FOUND");
        assertProblem(http.postJson("anna", "/api/v1/team/farah/grants", "{\"role\":\"REFERRAL_ADMIN\"}"), 404,
                "USER_NOT_FOUND");
        assertProblem(http.postJson("anna", "/api/v1/team/rita/grants", "{\"role\":\"REFERRAL_ADMIN\"}"), 404,
                "USER_NOT_FOUND");
        assertProblem(http.postJson("anna", "/api/v1/team/nobody/grants", grant), 404, "USER_NOT_FOUND");
        assertThat(rolesOf("gus")).isEmpty();
        assertThat(rolesOf("anna")).contains("4100231:INCENTIVES_ADMIN");
        assertThat(userAudits("gus") + userAudits("anna")).isZero();

        // An administrator of one location: that location's roles, and the partner-wide one.
        user("petra2", "contoso", "4100232:INCENTIVES_ADMIN");
        assertProblem(http.postJson("petra2", "/api/v1/team/gus/grants", grant), 403, "NOT_LOCATION_ADMINISTRATOR");
        assertThat(json(http.postJson("petra2", "/api/v1/team/gus/grants",
                "{\"role\":\"INCENTIVES_USER\",\"locationId\":\"4100232\"}"), 200).get("changed").asBoolean()).isTrue();
        assertThat(json(http.postJson("petra2", "/api/v1/team/gus/grants", "{\"role\":\"REFERRAL_ADMIN\"}"), 200)
                .get("member").get("partnerRoles").toString()).isEqualTo("[\"REFERRAL_ADMIN\"]");
        assertThat(rolesOf("gus")).containsExactlyInAnyOrder("4100232:INCENTIVES_USER", "REFERRAL_ADMIN");
    }

    @Test
    void grantingAHeldRoleOrRevokingAnAbsentOneChangesAndRecordsNothing() {
        user("hal", "contoso");
        String body = "{\"role\":\"INCENTIVES_USER\",\"locationId\":\"4100231\"}";
        JsonNode granted = json(http.postJson("anna", "/api/v1/team/hal/grants", body), 200);
        assertThat(granted.get("changed").asBoolean()).isTrue();
        assertThat(granted.get("member").get("locationRoles").toString())
                .isEqualTo("[{\"locationId\":\"4100231\",\"roles\":[\"INCENTIVES_USER\"]}]");
        assertThat(json(http.postJson("anna", "/api/v1/team/hal/grants", body), 200).get("changed").asBoolean()).isFalse();
        assertThat(userAudits("hal")).isEqualTo(1);

        String revoke = "/api/v1/team/hal/grants?role=INCENTIVES_USER&locationId=4100231";
        JsonNode revoked = json(http.send("anna", delete(revoke)), 200);
        assertThat(revoked.get("changed").asBoolean()).isTrue();
        assertThat(revoked.get("member").get("locationRoles")).isEmpty();
        assertThat(json(http.send("anna", delete(revoke)), 200).get("changed").asBoolean()).isFalse();
        assertThat(json(http.send("anna", delete("/api/v1/team/hal/grants?role=REFERRAL_ADMIN")), 200)
                .get("changed").asBoolean()).isFalse();
        assertThat(userAudits("hal")).isEqualTo(2);
        assertThat(rolesOf("hal")).isEmpty();
    }

    @Test
    void badInputIsRefusedFieldByFieldAndChangesNothing() {
        user("ivy", "contoso");
        String grants = "/api/v1/team/ivy/grants";
        assertThat(fieldErrors(assertProblem(http.postJson("anna", grants, "{}"), 400, "VALIDATION_FAILED")))
                .containsExactly("role:REQUIRED");
        assertThat(fieldErrors(assertProblem(http.postJson("anna", grants, "{\"role\":\"SELLER\"}"), 400,
                "VALIDATION_FAILED"))).containsExactly("role:INVALID_VALUE");
        assertThat(fieldErrors(assertProblem(http.postJson("anna", grants, "{\"role\":\"INCENTIVES_ADMIN\"}"), 400,
                "VALIDATION_FAILED"))).containsExactly("locationId:REQUIRED");
        assertThat(fieldErrors(assertProblem(http.postJson("anna", grants,
                "{\"role\":\"REFERRAL_ADMIN\",\"locationId\":\"4100231\"}"), 400, "VALIDATION_FAILED")))
                .containsExactly("locationId:NOT_APPLICABLE");
        assertThat(fieldErrors(assertProblem(http.postJson("anna", grants,
                "{\"role\":\"INCENTIVES_USER\",\"locationId\":\"5200411\"}"), 400, "VALIDATION_FAILED")))
                .as("another partner's location").containsExactly("locationId:UNKNOWN_LOCATION");
        assertThat(fieldErrors(assertProblem(http.send("anna", delete(grants + "?role=INCENTIVES_USER")), 400,
                "VALIDATION_FAILED"))).containsExactly("locationId:REQUIRED");
        assertProblem(http.postJson("anna", grants, "{\"role\":"), 400, "MALFORMED_REQUEST");
        assertThat(rolesOf("ivy")).isEmpty();
        assertThat(userAudits("ivy")).isZero();
    }

    // ------------------------------------------------------------------ the last administrator

    @Test
    void aLocationNeverLosesItsLastAdministrator() {
        location("4100298");
        user("ada", "contoso", "4100298:INCENTIVES_ADMIN");
        user("bo", "contoso");
        String adaAdmin = "/api/v1/team/ada/grants?role=INCENTIVES_ADMIN&locationId=4100298";
        JsonNode refused = assertProblem(http.send("ada", delete(adaAdmin)), 409, "LAST_ADMINISTRATOR");
        assertThat(refused.get("locationId").asString()).isEqualTo("4100298");
        assertThat(rolesOf("ada")).containsExactly("4100298:INCENTIVES_ADMIN");
        assertThat(userAudits("ada")).isZero();
        // Revoking what the user does not hold is no revocation, even from a location with one administrator.
        assertThat(json(http.send("ada", delete("/api/v1/team/bo/grants?role=INCENTIVES_ADMIN&locationId=4100298")), 200)
                .get("changed").asBoolean()).isFalse();

        // With a second administrator, ada may step down; then bo is the last one.
        json(http.postJson("ada", "/api/v1/team/bo/grants", "{\"role\":\"INCENTIVES_ADMIN\",\"locationId\":\"4100298\"}"), 200);
        assertThat(json(http.send("ada", delete(adaAdmin)), 200).get("changed").asBoolean()).isTrue();
        assertProblem(http.send("bo", delete("/api/v1/team/bo/grants?role=INCENTIVES_ADMIN&locationId=4100298")), 409,
                "LAST_ADMINISTRATOR");
        assertProblem(http.send("ada", delete("/api/v1/team/bo/grants?role=INCENTIVES_ADMIN&locationId=4100298")), 403,
                "TEAM_ADMIN_REQUIRED");
        assertThat(admins("4100298")).containsExactly("bo");
    }

    @Test
    void administratorsRevokingThemselvesAllAtOnceLeaveExactlyOne() throws Exception {
        location("4100297");
        List<String> racers = List.of("r1", "r2", "r3", "r4", "r5", "r6");
        racers.forEach(r -> user(r, "contoso", "4100297:INCENTIVES_ADMIN"));
        for (int round = 0; round < 3; round++) {
            List<Integer> statuses = race(racers.size(), i -> http.send(racers.get(i),
                    delete("/api/v1/team/" + racers.get(i) + "/grants?role=INCENTIVES_ADMIN&locationId=4100297"))
                    .statusCode());
            assertThat(statuses).as("round %d", round).containsOnly(200, 409);
            assertThat(statuses.stream().filter(s -> s == 409).count()).as("round %d", round).isEqualTo(1);
            List<String> left = admins("4100297");
            assertThat(left).as("round %d", round).hasSize(1);
            // The one left makes the others administrators again for the next round.
            for (String r : racers) {
                if (!r.equals(left.getFirst())) {
                    json(http.postJson(left.getFirst(), "/api/v1/team/" + r + "/grants",
                            "{\"role\":\"INCENTIVES_ADMIN\",\"locationId\":\"4100297\"}"), 200);
                }
            }
        }
        assertThat(jdbc.sql("select count(*) from audit_event where subject_type = 'USER' and action = 'ROLE_REVOKED' "
                + "and detail ->> 'locationId' = '4100297'").query(Long.class).single()).isEqualTo(3L * (racers.size() - 1));
    }

    /**
     * The interleaving the guard exists for, forced: while one administrator's revocation is not yet
     * committed, the other's must wait and then count again, so it finds itself the last one.
     */
    @Test
    void aRevocationWaitsForAnotherOnTheSameLocationAndThenCountsAgain() throws Exception {
        location("4100296");
        user("kim", "contoso", "4100296:INCENTIVES_ADMIN");
        user("lou", "contoso", "4100296:INCENTIVES_ADMIN");
        CountDownLatch firstRevoked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        TeamRoles.GrantRequest admin = new TeamRoles.GrantRequest("INCENTIVES_ADMIN", "4100296");
        try {
            Future<?> first = pool.submit(() -> transactions.executeWithoutResult(tx -> {
                team.revoke(accounts.currentUser("kim").orElseThrow(), "kim", admin, clock.instant());
                firstRevoked.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertThat(firstRevoked.await(30, TimeUnit.SECONDS)).isTrue();
            Future<Object> second = pool.submit(() -> {
                try {
                    return team.revoke(accounts.currentUser("lou").orElseThrow(), "lou", admin, clock.instant());
                } catch (ProblemException e) {
                    return e;
                }
            });
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> second.isDone()
                    || jdbc.sql("""
                                    select count(*) from pg_stat_activity
                                    where wait_event_type = 'Lock' and query like 'select id from location%'""")
                            .query(Long.class).single() > 0);
            release.countDown();
            first.get(30, TimeUnit.SECONDS);
            assertThat(second.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(ProblemException.class,
                    e -> assertThat(e.code()).isEqualTo("LAST_ADMINISTRATOR"));
        } finally {
            release.countDown();
            pool.shutdown();
        }
        assertThat(admins("4100296")).containsExactly("lou");
    }

    // ------------------------------------------------------------------ roles take effect at once

    @Test
    void aRevokedRoleIsGoneOnTheUsersNextRequestAndAGrantedOneIsThere() {
        user("cem", "contoso", "4100233:INCENTIVES_USER");
        PageSession browser = PageSession.of(http, "cem");
        assertThat(http.get("cem", "/api/v1/engagements").statusCode()).isEqualTo(200);
        assertThat(browser.get("/engagements").statusCode()).isEqualTo(200);

        json(http.send("anna", delete("/api/v1/team/cem/grants?role=INCENTIVES_USER&locationId=4100233")), 200);
        assertProblem(http.get("cem", "/api/v1/engagements"), 403, "INCENTIVES_ROLE_REQUIRED");
        assertThat(browser.get("/engagements").statusCode()).as("the same signed-in session").isEqualTo(403);

        json(http.postJson("anna", "/api/v1/team/cem/grants", "{\"role\":\"INCENTIVES_USER\",\"locationId\":\"4100231\"}"), 200);
        assertThat(http.get("cem", "/api/v1/engagements").statusCode()).isEqualTo(200);
        assertThat(browser.get("/engagements").statusCode()).isEqualTo(200);

        // The partner-wide role too.
        assertThat(http.get("cem", "/api/v1/referrals").statusCode()).isEqualTo(403);
        json(http.postJson("anna", "/api/v1/team/cem/grants", "{\"role\":\"REFERRAL_ADMIN\"}"), 200);
        assertThat(http.get("cem", "/api/v1/referrals").statusCode()).isEqualTo(200);
        assertThat(browser.get("/referrals").statusCode()).isEqualTo(200);
        json(http.send("anna", delete("/api/v1/team/cem/grants?role=REFERRAL_ADMIN")), 200);
        assertProblem(http.get("cem", "/api/v1/referrals"), 403, "REFERRAL_ROLE_REQUIRED");
        assertThat(browser.get("/referrals").statusCode()).isEqualTo(403);

        // An administrator who loses the role loses the team with it.
        user("dora", "contoso", "4100233:INCENTIVES_ADMIN");
        assertThat(http.get("dora", "/api/v1/team").statusCode()).isEqualTo(200);
        json(http.send("anna", delete("/api/v1/team/dora/grants?role=INCENTIVES_ADMIN&locationId=4100233")), 200);
        assertProblem(http.get("dora", "/api/v1/team"), 403, "TEAM_ADMIN_REQUIRED");
    }

    // ------------------------------------------------------------------ history

    @Test
    void everyChangeIsRecordedForThePartnersAdministratorsOnly() {
        user("eli", "contoso");
        json(http.postJson("anna", "/api/v1/team/eli/grants", "{\"role\":\"INCENTIVES_ADMIN\",\"locationId\":\"4100233\"}"), 200);
        json(http.postJson("eli", "/api/v1/team/eli/grants", "{\"role\":\"REFERRAL_ADMIN\"}"), 200);
        json(http.send("anna", delete("/api/v1/team/eli/grants?role=INCENTIVES_ADMIN&locationId=4100233")), 200);

        JsonNode history = json(http.get("anna", "/api/v1/team/history"), 200);
        List<JsonNode> elis = new ArrayList<>();
        history.forEach(e -> {
            if (e.get("subjectId").asString().equals("eli")) {
                elis.add(e);
            }
        });
        assertThat(elis).hasSize(3);
        assertThat(elis.get(0).get("actor").asString()).isEqualTo("anna");
        assertThat(elis.get(0).get("subject").asString()).isEqualTo("USER");
        assertThat(elis.get(0).get("action").asString()).isEqualTo("ROLE_REVOKED");
        assertThat(detail(elis.get(0))).isEqualTo("INCENTIVES_ADMIN|4100233|REVOKED");
        assertThat(elis.get(1).get("actor").asString()).isEqualTo("eli");
        assertThat(detail(elis.get(1))).isEqualTo("REFERRAL_ADMIN|null|GRANTED");
        assertThat(detail(elis.get(2))).isEqualTo("INCENTIVES_ADMIN|4100233|GRANTED");
        assertThat(elis.get(2).get("action").asString()).isEqualTo("ROLE_GRANTED");
        assertThat(jdbc.sql("select count(*) from audit_event where subject_id = 'eli' and partner_id = 'contoso'")
                .query(Long.class).single()).isEqualTo(3);
        assertThat(json(http.get("anna", "/api/v1/team/history?limit=1"), 200)).hasSize(1);

        assertThat(json(http.get("farah", "/api/v1/team/history"), 200).toString()).doesNotContain("\"eli\"");
        assertProblem(http.get("umut", "/api/v1/team/history"), 403, "TEAM_ADMIN_REQUIRED");
        assertProblem(http.get("anna", "/api/v1/team/history?limit=0"), 400, "VALIDATION_FAILED");
    }

    // ------------------------------------------------------------------ helpers

    /** A user of the partner with roles "location:ROLE" or a partner-wide "ROLE". */
    private void user(String username, String partner, String... roles) {
        jdbc.sql("insert into app_user (username, password_hash, display_name, email, partner_id) values (?, ?, ?, ?, ?)")
                .params(username, passwords.encode(Http.DEMO_PASSWORD), "User " + username, username + "@team.example",
                        partner).update();
        for (String role : roles) {
            String[] parts = role.split(":");
            if (parts.length == 2) {
                jdbc.sql("insert into user_location_role (username, location_id, role) values (?, ?, ?)")
                        .params(username, parts[0], parts[1]).update();
            } else {
                jdbc.sql("insert into user_role (username, role) values (?, ?)").params(username, role).update();
            }
        }
    }

    private void location(String id) {
        jdbc.sql("insert into location (id, partner_id, name, country, enrollment) values (?, 'contoso', ?, 'NL', 'ENROLLED')")
                .params(id, "Contoso Test " + id).update();
    }

    private List<String> rolesOf(String username) {
        List<String> roles = new ArrayList<>(jdbc.sql("select location_id || ':' || role from user_location_role where username = ?")
                .param(username).query(String.class).list());
        roles.addAll(jdbc.sql("select role from user_role where username = ?").param(username).query(String.class).list());
        return roles;
    }

    private List<String> admins(String locationId) {
        return jdbc.sql("select username from user_location_role where location_id = ? and role = 'INCENTIVES_ADMIN' "
                + "order by username").param(locationId).query(String.class).list();
    }

    private long userAudits(String username) {
        return jdbc.sql("select count(*) from audit_event where subject_type = 'USER' and subject_id = ?")
                .param(username).query(Long.class).single();
    }

    private HttpRequest.Builder delete(String path) {
        return HttpRequest.newBuilder(http.uri(path)).DELETE();
    }

    private interface Request {
        int send(int racer);
    }

    private static List<Integer> race(int racers, Request request) throws Exception {
        CyclicBarrier start = new CyclicBarrier(racers);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                int racer = i;
                Callable<Integer> call = () -> {
                    start.await(10, TimeUnit.SECONDS);
                    return request.send(racer);
                };
                results.add(pool.submit(call));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : results) {
                statuses.add(result.get(60, TimeUnit.SECONDS));
            }
            return statuses;
        } finally {
            pool.shutdown();
        }
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private static JsonNode assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("code").asString()).as(response.body()).isEqualTo(code);
        return problem;
    }

    private static List<String> fieldErrors(JsonNode problem) {
        List<String> errors = new ArrayList<>();
        problem.get("errors").forEach(e -> errors.add(e.get("field").asString() + ":" + e.get("code").asString()));
        return errors;
    }

    /** An event's detail as role|location|change. */
    private static String detail(JsonNode event) {
        JsonNode d = event.get("detail");
        return d.get("role").asString() + "|" + (d.has("locationId") ? d.get("locationId").asString() : "null") + "|"
                + d.get("change").asString();
    }

    private static List<String> usernames(JsonNode team) {
        List<String> names = new ArrayList<>();
        team.get("members").forEach(m -> names.add(m.get("username").asString()));
        return names;
    }

    private static JsonNode member(JsonNode team, String username) {
        for (JsonNode m : team.get("members")) {
            if (m.get("username").asString().equals(username)) {
                return m;
            }
        }
        throw new AssertionError("no member " + username);
    }
}
