package org.mciengagements.claim.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mciengagements.support.Http;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A new claim started from an expired one through {@code POST /api/v1/claims} with
 * {@code previousClaimId} (SPEC §10: "an expired claim is never revived — the partner may start a
 * new claim prefilled from it"). The predecessor must be the caller's partner's, expired, and for
 * the same engagement and customer key; it can be followed once; it never changes.
 *
 * <p>Writes claims, so it runs on a database of its own. Each test that creates a claim follows a
 * different expired Contoso demo claim, so the tests hold in any order: on the Copilot Readiness
 * Workshop Trey Research (not submitted in time), Lucerne Publishing (no answer to the reviewer in
 * time), Humongous Insurance (not disputed in time) and School of Fine Art (no consent in time);
 * on the Security Posture Assessment Tailwind Traders (not submitted in time). Fabrikam's expired
 * claim and Contoso's canceled and active ones are only ever refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "mci.test.isolated-context=claim-actions-api")
@DirtiesContext
class ClaimActionsApiTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String CLAIMS = "/api/v1/claims";
    static final String COPILOT = "copilot-readiness-workshop";
    static final String SECURITY = "security-assessment";

    static final String TREY_TENANT = "131e45c3-7375-5046-9097-cd20a54c7140";
    static final String LUCERNE_TENANT = "b603c384-439a-531d-9801-7c17fe675c7d";
    static final String SCHOOL_OF_FINE_ART_TENANT = "89ae0bbc-5393-5dac-8a48-03c40dffb793";
    static final String GRAPHIC_DESIGN_TENANT = "dca3f66f-f6f8-5d35-ab97-e4eee791224f";

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;
    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    @Test
    void aNewClaimStartedFromAnExpiredOneIsLinkedToItAndLeavesItUnchanged() {
        long old = contosoClaim(COPILOT, "NOT_SUBMITTED_EXPIRED", "Trey Research");
        String oldRow = row(old);
        long oldHistory = historyCount(old);
        assertThat(get("anna", CLAIMS + "/" + old).get("nextClaimId").isNull()).isTrue();

        long before = claimCount();
        HttpResponse<String> response = post("anna", followUp(old, "4100233", "TENANT_ID", TREY_TENANT.toUpperCase(), COPILOT));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode created = JSON.readTree(response.body()).get("claims");
        assertThat(created).hasSize(1);
        JsonNode claim = created.get(0);
        long id = claim.get("id").asLong();
        assertThat(claim.get("previousClaimId").asLong()).isEqualTo(old);
        assertThat(claim.get("status").asString()).isEqualTo("CUSTOMER_CLAIMED");
        assertThat(claim.get("engagementId").asString()).isEqualTo(COPILOT);
        assertThat(claim.get("customerKey").asString()).isEqualTo("TENANT:" + TREY_TENANT);
        // A fresh claim: its own consent clock from now, its own history.
        Instant createdAt = Instant.parse(claim.get("createdAt").asString());
        assertThat(Instant.parse(claim.get("deadlines").get("consentDueAt").asString()))
                .isEqualTo(createdAt.plus(Duration.ofDays(30)));
        assertThat(claim.get("history")).hasSize(1);
        assertThat(claim.get("history").get(0).get("action").asString()).isEqualTo("CUSTOMER_ADDED");
        assertThat(claimCount()).isEqualTo(before + 1);
        assertThat(jdbc.sql("select previous_claim_id from claim where id = ?").param(id).query(Long.class).single())
                .isEqualTo(old);

        // The expired claim is never revived or touched: same row, same history; it only learns its successor.
        assertThat(row(old)).isEqualTo(oldRow);
        assertThat(historyCount(old)).isEqualTo(oldHistory);
        JsonNode oldView = get("anna", CLAIMS + "/" + old);
        assertThat(oldView.get("status").asString()).isEqualTo("NOT_SUBMITTED_EXPIRED");
        assertThat(oldView.get("nextClaimId").asLong()).isEqualTo(id);
        assertThat(get("anna", CLAIMS + "/" + id).get("previousClaimId").asLong()).isEqualTo(old);
    }

    @Test
    void onlyAnExpiredClaimCanBeFollowed() {
        long before = claimCount();
        // Terminal but not expired: canceled by the partner.
        long canceled = contosoClaim(COPILOT, "CANCELED", "Blue Yonder%");
        HttpResponse<String> refused = post("anna", followUp(canceled, "4100231", "DOMAIN", "blueyonderairlines.de", COPILOT));
        assertRefused(refused, 409, "PREVIOUS_CLAIM_NOT_EXPIRED", "previousClaimId:PREVIOUS_CLAIM_NOT_EXPIRED");
        // Still active: consent received.
        long active = contosoClaim(COPILOT, "CONSENT_RECEIVED", "Woodgrove%");
        HttpResponse<String> alsoRefused = post("anna", followUp(active, "4100231", "TPID", "2200009", COPILOT));
        assertRefused(alsoRefused, 409, "PREVIOUS_CLAIM_NOT_EXPIRED", "previousClaimId:PREVIOUS_CLAIM_NOT_EXPIRED");
        assertThat(claimCount()).isEqualTo(before);
    }

    @Test
    void aNewClaimMustBeForTheSameEngagementAndCustomerAsTheExpiredOne() {
        long before = claimCount();
        long old = contosoClaim(COPILOT, "DISPUTE_EXPIRED", "Humongous Insurance");
        // Same customer (its domain resolves to the same tenant), another engagement.
        assertRefused(post("anna", followUp(old, "4100231", "DOMAIN", "humongousinsurance.nl", SECURITY)), 400,
                "VALIDATION_FAILED", "previousClaimId:PREVIOUS_CLAIM_MISMATCH");
        // Same engagement, another customer.
        assertRefused(post("anna", followUp(old, "4100231", "TENANT_ID", GRAPHIC_DESIGN_TENANT, COPILOT)), 400,
                "VALIDATION_FAILED", "previousClaimId:PREVIOUS_CLAIM_MISMATCH");
        // The same engagement among others.
        assertRefused(post("anna", followUp(old, "4100231", "DOMAIN", "humongousinsurance.nl", COPILOT, SECURITY)), 400,
                "VALIDATION_FAILED", "previousClaimId:PREVIOUS_CLAIM_MISMATCH");
        assertThat(claimCount()).isEqualTo(before);

        // The right request for it is accepted: naming the customer by its domain resolves to the same key.
        HttpResponse<String> accepted = post("anna", followUp(old, "4100231", "DOMAIN", "humongousinsurance.nl", COPILOT));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
        assertThat(claimCount()).isEqualTo(before + 1);
    }

    @Test
    void anotherPartnersClaimOrAnUnknownOneDoesNotExistToStartFrom() {
        long before = claimCount();
        long fabrikams = jdbc.sql("""
                        select id from claim where partner_id <> (select partner_id from app_user where username = 'anna')
                          and status = 'CONSENT_EXPIRED' order by id limit 1""")
                .query(Long.class).single();
        assertRefused(post("anna", followUp(fabrikams, "4100231", "TENANT_ID", GRAPHIC_DESIGN_TENANT, COPILOT)), 404,
                "PREVIOUS_CLAIM_NOT_FOUND", "previousClaimId:PREVIOUS_CLAIM_NOT_FOUND");
        assertRefused(post("anna", followUp(999_999_999L, "4100231", "TENANT_ID", GRAPHIC_DESIGN_TENANT, COPILOT)), 404,
                "PREVIOUS_CLAIM_NOT_FOUND", "previousClaimId:PREVIOUS_CLAIM_NOT_FOUND");
        // Umut works at Istanbul only: Contoso's Seattle claim is not his to follow either.
        long seattle = contosoClaim(COPILOT, "NOT_SUBMITTED_EXPIRED", "Trey Research");
        assertRefused(post("umut", followUp(seattle, "4100232", "TENANT_ID", TREY_TENANT, COPILOT)), 404,
                "PREVIOUS_CLAIM_NOT_FOUND", "previousClaimId:PREVIOUS_CLAIM_NOT_FOUND");
        assertThat(claimCount()).isEqualTo(before);
    }

    @Test
    void anExpiredClaimIsFollowedOnceEvenAfterItsSuccessorEnded() {
        long old = contosoClaim(COPILOT, "POST_SUBMISSION_EXPIRED", "Lucerne%");
        Map<String, Object> request = followUp(old, "4100233", "TENANT_ID", LUCERNE_TENANT, COPILOT);
        HttpResponse<String> first = post("ruth", request);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        long successor = JSON.readTree(first.body()).get("claims").get(0).get("id").asLong();
        long after = claimCount();

        // While the successor is active...
        HttpResponse<String> second = post("anna", request);
        assertRefused(second, 409, "PREVIOUS_CLAIM_ALREADY_FOLLOWED", "previousClaimId:PREVIOUS_CLAIM_ALREADY_FOLLOWED");
        assertThat(JSON.readTree(second.body()).get("nextClaimId").asLong()).isEqualTo(successor);
        assertThat(claimCount()).isEqualTo(after);

        // ...and after it was canceled, when nothing else would stand in the way of a new claim.
        HttpResponse<String> cancel = http.postJson("ruth", CLAIMS + "/" + successor + "/cancellation",
                "{\"reason\":\"Started by mistake\"}");
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
        HttpResponse<String> third = post("anna", request);
        assertRefused(third, 409, "PREVIOUS_CLAIM_ALREADY_FOLLOWED", "previousClaimId:PREVIOUS_CLAIM_ALREADY_FOLLOWED");
        assertThat(claimCount()).isEqualTo(after);
        HttpResponse<String> withoutLink = post("anna", followUp(null, "4100233", "TENANT_ID", LUCERNE_TENANT, COPILOT));
        assertThat(withoutLink.statusCode()).as("the customer itself may be added again, unlinked").isEqualTo(201);
        assertThat(jdbc.sql("select count(*) from claim where previous_claim_id = ?").param(old).query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void racingAttemptsToFollowOneClaimCreateExactlyOne() throws Exception {
        long old = contosoClaim(COPILOT, "CONSENT_EXPIRED", "School of Fine Art");
        Map<String, Object> request = followUp(old, "4100231", "TENANT_ID", SCHOOL_OF_FINE_ART_TENANT, COPILOT);
        long before = claimCount();
        int attempts = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(attempts)) {
            for (int i = 0; i < attempts; i++) {
                responses.add(pool.submit(() -> {
                    start.await();
                    return post("anna", request);
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<HttpResponse<String>> response : responses) {
                HttpResponse<String> r = response.get();
                statuses.add(r.statusCode());
                if (r.statusCode() != 201) {
                    assertRefused(r, 409, "PREVIOUS_CLAIM_ALREADY_FOLLOWED",
                            "previousClaimId:PREVIOUS_CLAIM_ALREADY_FOLLOWED");
                }
            }
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 409).hasSize(attempts - 1);
        }
        assertThat(claimCount()).isEqualTo(before + 1);
    }

    /**
     * The check before the insert is backed by the unique index {@code claim_one_successor}: a
     * successor written by someone who skipped the check (here: a raw insert, held uncommitted
     * while the request passes its check) makes the request's insert fail on the index, and the
     * caller gets the same clean 409, not a 500.
     */
    @Test
    void aSuccessorWrittenPastTheCheckIsRefusedByTheUniqueIndexAsAConflict() throws Exception {
        // Contoso's security assessment for Tailwind Traders, never submitted.
        long old = contosoClaim(SECURITY, "NOT_SUBMITTED_EXPIRED", "Tailwind%");
        long before = claimCount();
        try (Connection intruder = dataSource.getConnection()) {
            intruder.setAutoCommit(false);
            try (PreparedStatement insert = intruder.prepareStatement("""
                    insert into claim (engagement_id, partner_id, location_id, origin, friendly_name, identifier_type,
                        identifier_value, customer_key, customer_name, status, status_reason, created_at, created_by,
                        consent_due_at, customer_contact_name, customer_contact_email, partner_contact_name,
                        partner_contact_email, updated_at, previous_claim_id)
                    select engagement_id, partner_id, location_id, origin, friendly_name, identifier_type,
                        identifier_value, customer_key, customer_name, 'CANCELED', 'written past the check', now(),
                        created_by, consent_due_at, customer_contact_name, customer_contact_email,
                        partner_contact_name, partner_contact_email, now(), id
                    from claim where id = ?""")) {
                insert.setLong(1, old);
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }
            CompletableFuture<HttpResponse<String>> response = CompletableFuture.supplyAsync(() -> post("umut",
                    followUp(old, "4100232", "DOMAIN", "tailwindtraders.com.tr", SECURITY)));
            awaitInsertWaitingOnALock();
            intruder.commit();
            assertRefused(response.get(), 409, "PREVIOUS_CLAIM_ALREADY_FOLLOWED",
                    "previousClaimId:PREVIOUS_CLAIM_ALREADY_FOLLOWED");
        }
        assertThat(claimCount()).as("only the raw insert").isEqualTo(before + 1);
        assertThat(jdbc.sql("select status from claim where previous_claim_id = ?").param(old).query(String.class).single())
                .isEqualTo("CANCELED");
    }

    // ------------------------------------------------------------------ helpers

    /** Waits until the request's insert into {@code claim} waits for the uncommitted row's transaction. */
    private void awaitInsertWaitingOnALock() {
        org.awaitility.Awaitility.await("the request reaches its insert").atMost(java.time.Duration.ofSeconds(20))
                .until(() -> jdbc.sql("""
                                select count(*) from pg_stat_activity
                                where wait_event_type = 'Lock' and query ilike '%insert into claim %'""")
                        .query(Long.class).single() > 0);
    }

    /** Contoso's demo claim on an engagement in a status, for a customer (SQL {@code like}). */
    private long contosoClaim(String engagementId, String status, String customerName) {
        return jdbc.sql("""
                        select c.id from claim c join app_user u on u.partner_id = c.partner_id and u.username = 'anna'
                        where c.engagement_id = ? and c.status = ? and c.customer_name like ?""")
                .params(engagementId, status, customerName).query(Long.class).single();
    }

    private static Map<String, Object> followUp(Long previousClaimId, String locationId, String type, String value,
                                                String... engagementIds) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("origin", "ADD");
        request.put("friendlyName", "Second try " + value);
        request.put("locationId", locationId);
        request.put("identifier", Map.of("type", type, "value", value));
        request.put("engagementIds", List.of(engagementIds));
        request.put("customerContact", Map.of("name", "Casey Customer", "email", "casey@" + domainOf(value), "language", "en"));
        request.put("partnerContact", Map.of("name", "Anna de Vries", "email", "anna.devries@contoso-consulting.example"));
        request.put("previousClaimId", previousClaimId);
        return request;
    }

    /** A contact domain for which no mismatch reason is asked: the tenant's own, where the test knows it. */
    private static String domainOf(String value) {
        return switch (value.toLowerCase()) {
            case TREY_TENANT -> "treyresearch.net";
            case LUCERNE_TENANT -> "lucernepublishing.com";
            case SCHOOL_OF_FINE_ART_TENANT -> "schooloffineart.nl";
            case GRAPHIC_DESIGN_TENANT -> "graphicdesigninstitute.co.uk";
            default -> value.contains(".") ? value : "example.com";
        };
    }

    private static void assertRefused(HttpResponse<String> response, int status, String code, String... fieldProblems) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("code").asString()).as(response.body()).isEqualTo(code);
        List<String> problems = new ArrayList<>();
        body.get("errors").forEach(e -> {
            assertThat(e.get("message").asString()).as("a human message").isNotBlank().doesNotStartWith("nomination.");
            problems.add(e.get("field").asString() + ":" + e.get("code").asString());
        });
        assertThat(problems).containsExactly(fieldProblems);
    }

    private HttpResponse<String> post(String user, Map<String, Object> body) {
        return http.send(user, HttpRequest.newBuilder(http.uri(CLAIMS)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    private JsonNode get(String user, String path) {
        HttpResponse<String> response = http.get(user, path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private String row(long claimId) {
        return jdbc.sql("select to_jsonb(c)::text from claim c where id = ?").param(claimId).query(String.class).single();
    }

    private long historyCount(long claimId) {
        return jdbc.sql("select count(*) from claim_history where claim_id = ?").param(claimId).query(Long.class).single();
    }

    private long claimCount() {
        return jdbc.sql("select count(*) from claim").query(Long.class).single();
    }
}
