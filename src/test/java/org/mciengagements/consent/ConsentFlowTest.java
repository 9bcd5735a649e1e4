package org.mciengagements.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.shared.ProgramClockOffsets;
import org.mciengagements.support.ClaimJourney;
import org.mciengagements.support.Http;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Customer consent (SPEC §9) through the API on PostgreSQL: the consent request and its rules, the
 * link's life (single use, tampering, replacement, expiry), the deadline job under a moved clock,
 * and the race in which customers of two partners accept at the same moment.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mci.test.isolated-context=consent-flow", "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class ConsentFlowTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final AtomicInteger TENANT = new AtomicInteger();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    EngagementCatalog catalog;
    @Autowired
    ProgramClock clock;
    @Autowired
    ProgramClockOffsets offsets;
    Http http;
    ClaimJourney journey;
    String engagementId;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        journey = new ClaimJourney(http, jdbc);
        engagementId = "consent-" + TENANT.incrementAndGet();
        ClaimJourney.saveWorkshop(catalog, engagementId, 3, java.math.BigDecimal.ONE, clock.instant());
    }

    @Test
    void sendingTheConsentEmailFixesTheDealSizeAndQueuesOneLinkInTheContactsLanguage() {
        String tenant = newTenant();
        long claim = nominate("anna", "4100231", tenant, "tr");
        HttpResponse<String> missing = http.postJson("anna", consentPath(claim), "{\"disclaimerAccepted\":false}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("\"field\":\"estimatedDealSizeUsd\"").contains("\"field\":\"disclaimerAccepted\"");
        assertThat(http.postJson("anna", consentPath(claim), "{\"estimatedDealSizeUsd\":-1,\"disclaimerAccepted\":true}")
                .statusCode()).isEqualTo(400);
        assertThat(status(claim)).isEqualTo("CUSTOMER_CLAIMED");
        assertThat(mailsFor(claim, "consent-request")).isZero();

        HttpResponse<String> sent = http.postJson("anna", consentPath(claim),
                "{\"estimatedDealSizeUsd\":25000,\"disclaimerAccepted\":true}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        assertThat(status(claim)).isEqualTo("AWAITING_CONSENT");
        assertThat(jdbc.sql("select language from outbox_email where claim_id = ? and kind = 'consent-request'")
                .param(claim).query(String.class).single()).isEqualTo("tr");
        assertThat(jdbc.sql("select subject from outbox_email where claim_id = ? and kind = 'consent-request'")
                .param(claim).query(String.class).single()).contains("onayınızı istiyor");

        HttpResponse<String> again = http.postJson("anna", consentPath(claim),
                "{\"estimatedDealSizeUsd\":99000,\"disclaimerAccepted\":true}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("DEAL_SIZE_FIXED");
        assertThat(jdbc.sql("select estimated_deal_size_usd from claim where id = ?").param(claim)
                .query(java.math.BigDecimal.class).single()).isEqualByComparingTo("25000");
        assertThat(http.postJson("farah", consentPath(claim), "{\"estimatedDealSizeUsd\":1,\"disclaimerAccepted\":true}")
                .statusCode()).as("another partner's claim does not exist for you").isEqualTo(404);
    }

    @Test
    void acceptingMakesTheCustomerKnownAndTheLinkWorksOnce() {
        String tenant = newTenant();
        long claim = nominate("anna", "4100231", tenant, "en");
        String token = sendConsent("anna", claim);

        JsonNode view = JSON.readTree(http.get(null, "/api/v1/consent/" + token).body());
        assertThat(view.get("state").asString()).isEqualTo("OPEN");
        assertThat(view.get("partnerName").asString()).isEqualTo("Contoso Consulting");

        HttpResponse<String> accepted = http.postJson(null, "/api/v1/consent/" + token, "{\"decision\":\"ACCEPT\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(status(claim)).isEqualTo("CONSENT_RECEIVED");
        assertThat(jdbc.sql("select first_submission_due_at is not null and review_due_at > first_submission_due_at from claim where id = ?")
                .param(claim).query(Boolean.class).single()).isTrue();
        assertThat(jdbc.sql("select count(*) from known_customer where partner_id = 'contoso' and customer_key = ?")
                .param("TENANT:" + tenant).query(Long.class).single()).isEqualTo(1);
        assertThat(mailsFor(claim, "consent-received")).isEqualTo(1);

        HttpResponse<String> replay = http.postJson(null, "/api/v1/consent/" + token, "{\"decision\":\"DECLINE\"}");
        assertThat(replay.statusCode()).isEqualTo(410);
        assertThat(replay.body()).contains("CONSENT_LINK_USED");
        assertThat(status(claim)).isEqualTo("CONSENT_RECEIVED");
    }

    @Test
    void tamperedAndMadeUpLinksAreUnknownAndChangeNothing() {
        long claim = nominate("anna", "4100231", newTenant(), "en");
        String token = sendConsent("anna", claim);
        String tampered = token.substring(0, 42) + (token.charAt(42) == 'A' ? 'B' : 'A');
        for (String bad : List.of(tampered, "short", token + "x", "%27%20or%201=1--")) {
            HttpResponse<String> response = http.postJson(null, "/api/v1/consent/" + bad, "{\"decision\":\"ACCEPT\"}");
            assertThat(response.statusCode()).as(bad).isIn(400, 404);
            assertThat(http.page(null, "/consent/" + bad).statusCode()).as(bad).isIn(400, 404);
        }
        assertThat(status(claim)).isEqualTo("AWAITING_CONSENT");
        assertThat(jdbc.sql("select count(*) from consent_token where token_hash = ?").param((Object) token.getBytes())
                .query(Long.class).single()).as("tokens are stored hashed, never as sent").isZero();
    }

    @Test
    void aResendReplacesTheLinkAndIsAllowedOncePerDay() {
        long claim = nominate("anna", "4100231", newTenant(), "en");
        String first = sendConsent("anna", claim);
        HttpResponse<String> tooSoon = http.postJson("anna", consentPath(claim) + "/reminders", "{}");
        assertThat(tooSoon.statusCode()).isEqualTo(429);
        assertThat(tooSoon.body()).contains("RESEND_TOO_SOON");

        offsets.advance(Duration.ofHours(25));
        assertThat(http.postJson("anna", consentPath(claim) + "/reminders", "{}").statusCode()).isEqualTo(200);
        String second = latestToken(claim);
        assertThat(second).isNotEqualTo(first);
        HttpResponse<String> old = http.postJson(null, "/api/v1/consent/" + first, "{\"decision\":\"ACCEPT\"}");
        assertThat(old.statusCode()).isEqualTo(410);
        assertThat(old.body()).contains("CONSENT_LINK_REPLACED");
        assertThat(http.postJson(null, "/api/v1/consent/" + second, "{\"decision\":\"DECLINE\",\"reason\":\"Not now\"}")
                .statusCode()).isEqualTo(200);
        assertThat(status(claim)).isEqualTo("CONSENT_DECLINED");
        assertThat(mailsFor(claim, "consent-declined")).isEqualTo(1);
    }

    @Test
    void unansweredClaimsExpireAtTheDeadlineOnceAndPartnersAreRemindedBefore() {
        long waiting = nominate("anna", "4100231", newTenant(), "en");
        String token = sendConsent("anna", waiting);
        long silent = nominate("anna", "4100231", newTenant(), "en");

        offsets.advance(Duration.ofDays(24)); // 6 days left: the 7-day reminder
        runDeadlineJob();
        assertThat(mailsFor(waiting, "consent-deadline-reminder")).isEqualTo(1);
        assertThat(mailsFor(silent, "consent-deadline-reminder")).isEqualTo(1);
        offsets.advance(Duration.ofDays(5).plusHours(12)); // half a day left: the 1-day reminder
        runDeadlineJob();
        runDeadlineJob();
        assertThat(mailsFor(waiting, "consent-deadline-reminder")).isEqualTo(2);

        offsets.advance(Duration.ofDays(1));
        JsonNode first = runDeadlineJob();
        assertThat(first.get("expired").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(status(waiting)).isEqualTo("CONSENT_EXPIRED");
        assertThat(status(silent)).isEqualTo("CONSENT_EXPIRED");
        JsonNode second = runDeadlineJob();
        assertThat(second.get("expired").asInt()).isZero();
        assertThat(mailsFor(waiting, "consent-expired")).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from claim_history where claim_id = ? and actor_type = 'SYSTEM' and to_status = 'CONSENT_EXPIRED'")
                .param(waiting).query(Long.class).single()).isEqualTo(1);
        HttpResponse<String> late = http.postJson(null, "/api/v1/consent/" + token, "{\"decision\":\"ACCEPT\"}");
        assertThat(late.statusCode()).isEqualTo(410);
        assertThat(late.body()).contains("CONSENT_LINK_EXPIRED");
        // Expired claims leave the Customers page.
        assertThat(http.get("anna", "/api/v1/engagements/" + engagementId + "/customers?limit=200").body())
                .doesNotContain("\"claimId\":" + waiting + ",");
    }

    @Test
    void whenCustomersOfTwoPartnersAcceptAtOnceExactlyOneWins() throws Exception {
        int pairs = 6;
        List<long[]> claims = new ArrayList<>();
        List<String[]> tokens = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            String tenant = newTenant();
            long contoso = nominate("anna", "4100231", tenant, "en");
            long fabrikam = nominate("farah", "5200411", tenant, "en");
            claims.add(new long[] {contoso, fabrikam});
            tokens.add(new String[] {sendConsent("anna", contoso), sendConsent("farah", fabrikam)});
        }
        CyclicBarrier start = new CyclicBarrier(pairs * 2);
        ExecutorService pool = Executors.newFixedThreadPool(pairs * 2);
        List<Future<Integer>> answers = new ArrayList<>();
        for (String[] pair : tokens) {
            for (String token : pair) {
                answers.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return http.postJson(null, "/api/v1/consent/" + token, "{\"decision\":\"ACCEPT\"}").statusCode();
                }));
            }
        }
        List<Integer> codes = new ArrayList<>();
        for (Future<Integer> answer : answers) {
            codes.add(answer.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertThat(codes).containsOnly(200, 410);
        assertThat(codes.stream().filter(c -> c == 200).count()).isEqualTo(pairs);
        for (long[] pair : claims) {
            List<String> statuses = List.of(status(pair[0]), status(pair[1]));
            assertThat(statuses).as("one consent per engagement and customer").containsExactlyInAnyOrder(
                    "CONSENT_RECEIVED", "CANCELED");
            long loser = status(pair[0]).equals("CANCELED") ? pair[0] : pair[1];
            assertThat(jdbc.sql("select status_reason from claim where id = ?").param(loser).query(String.class).single())
                    .isEqualTo("CUSTOMER_CONSENTED_TO_ANOTHER_PARTNER");
            assertThat(mailsFor(loser, "consent-superseded")).isEqualTo(1);
        }
    }

    private JsonNode runDeadlineJob() {
        HttpResponse<String> run = http.postJson("oscar", "/api/v1/admin/jobs/deadlines", "{}");
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        return JSON.readTree(run.body());
    }

    private String newTenant() {
        return journey.newTenant("Consenting");
    }

    private long nominate(String user, String location, String tenant, String language) {
        return journey.nominate(user, location, engagementId, tenant, language);
    }

    private String sendConsent(String user, long claim) {
        return journey.sendConsent(user, claim);
    }

    private String latestToken(long claim) {
        return journey.latestToken(claim);
    }

    private static String consentPath(long claim) {
        return "/api/v1/claims/" + claim + "/consent-request";
    }

    private String status(long claim) {
        return jdbc.sql("select status from claim where id = ?").param(claim).query(String.class).single();
    }

    private long mailsFor(long claim, String kind) {
        return jdbc.sql("select count(*) from outbox_email where claim_id = ? and kind = ?").params(claim, kind)
                .query(Long.class).single();
    }
}
