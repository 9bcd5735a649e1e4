package org.mciengagements.claim.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mciengagements.claim.ProofFiles;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.support.ClaimJourney;
import org.mciengagements.support.Http;
import org.mciengagements.support.Multipart;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One claim's whole life through the API, the way a partner (anna), her customer and a reviewer
 * (rita) walk it: add customer, consent, submission, a request for action, resubmission,
 * rejection, dispute, approval and payout to {@code COMPLETED}, where it shows on the Complete tab.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mci.test.isolated-context=lifecycle-scenario", "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class LifecycleScenarioTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String ENGAGEMENT = "lifecycle-workshop";

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    EngagementCatalog catalog;
    @Autowired
    ProgramClock clock;

    @Test
    void aClaimFromAddCustomerToCompleted() {
        Http http = new Http(port);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        ClaimJourney journey = new ClaimJourney(http, jdbc);
        ClaimJourney.saveWorkshop(catalog, ENGAGEMENT, 1, new BigDecimal("5000"), clock.instant());

        // Anna adds the customer: the claim starts with the consent clock running.
        long id = journey.nominate("anna", "4100231", ENGAGEMENT, journey.newTenant("Lifecycle Bakery"), "nl");
        String claim = "/api/v1/claims/" + id;
        String review = "/api/v1/review/claims/" + id;
        assertThat(status(http, id)).isEqualTo("CUSTOMER_CLAIMED");

        // She sends the consent email; the customer accepts through the link in it.
        journey.accept(journey.sendConsent("anna", id));
        assertThat(status(http, id)).isEqualTo("CONSENT_RECEIVED");

        // She submits the proof of execution.
        HttpResponse<String> submitted = http.send("anna", new Multipart().field("executionDate", today.toString())
                .field("comments", "Workshop held with 14 attendees")
                .file("files", "attendees.pdf", "application/pdf", ProofFiles.pdf()).post(http, claim + "/submissions"));
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
        assertThat(JSON.readTree(submitted.body()).get("status").asString()).isEqualTo("SUBMITTED");

        // Rita starts the review and asks for more.
        ok(http.postJson("rita", review + "/decisions", "{\"decision\":\"START_REVIEW\"}"));
        ok(http.postJson("rita", review + "/decisions", """
                {"decision":"REQUEST_ACTION","checklist":["MISSING_CUSTOMER_ACKNOWLEDGEMENT","PRODUCTS_MISSING"],
                 "comment":"Please add the customer's sign-off and the products covered."}"""));
        JsonNode waiting = claimJson(http, id);
        assertThat(waiting.get("status").asString()).isEqualTo("PARTNER_ACTION_REQUIRED");
        assertThat(waiting.get("deadlines").get("actionDueAt").isNull()).isFalse();
        JsonNode request = waiting.get("reviewNotes").get(0);
        assertThat(request.get("decision").asString()).isEqualTo("REQUEST_ACTION");
        assertThat(request.get("checklist").toString()).isEqualTo("[\"MISSING_CUSTOMER_ACKNOWLEDGEMENT\",\"PRODUCTS_MISSING\"]");

        // Anna resubmits with the sign-off.
        HttpResponse<String> resubmitted = http.send("anna", new Multipart().field("executionDate", today.toString())
                .field("comments", "Signed completion report attached; products: Microsoft 365 Copilot")
                .file("files", "sign-off.docx", "application/octet-stream", ProofFiles.docx()).post(http, claim + "/submissions"));
        assertThat(resubmitted.statusCode()).as(resubmitted.body()).isEqualTo(201);

        // Rita rejects; the dispute window opens.
        ok(http.postJson("rita", review + "/decisions", "{\"decision\":\"START_REVIEW\"}"));
        ok(http.postJson("rita", review + "/decisions",
                "{\"decision\":\"REJECT\",\"checklist\":[\"MISSING_OR_OLD_DATES\"],\"comment\":\"The report is undated.\"}"));
        JsonNode rejected = claimJson(http, id);
        assertThat(rejected.get("status").asString()).isEqualTo("REJECTED");
        assertThat(rejected.get("deadlines").get("disputeDueAt").isNull()).isFalse();

        // Anna disputes it, once.
        HttpResponse<String> disputed = http.send("anna", new Multipart()
                .field("reason", "The report is dated on its second page.").post(http, claim + "/disputes"));
        assertThat(disputed.statusCode()).as(disputed.body()).isEqualTo(201);
        assertThat(status(http, id)).isEqualTo("DISPUTED");

        // Rita reviews the dispute and approves: the market A amount is fixed.
        ok(http.postJson("rita", review + "/decisions", "{\"decision\":\"START_REVIEW\"}"));
        JsonNode approved = JSON.readTree(ok(http.postJson("rita", review + "/decisions",
                "{\"decision\":\"APPROVE\",\"comment\":\"Date confirmed.\"}")).body());
        assertThat(approved.get("status").asString()).isEqualTo("APPROVED");
        assertThat(new BigDecimal(approved.get("approvedPayoutUsd").asString())).isEqualByComparingTo("5000");

        // A payout of another amount is refused; the approved one completes the claim.
        HttpResponse<String> wrong = http.postJson("rita", review + "/payouts",
                "{\"amountUsd\":4999.99,\"paidOn\":\"%s\",\"reference\":\"PAY-77\"}".formatted(today));
        assertThat(wrong.statusCode()).isEqualTo(422);
        assertThat(wrong.body()).contains("PAYOUT_AMOUNT_MISMATCH");
        ok(http.postJson("rita", review + "/payouts",
                "{\"amountUsd\":5000,\"paidOn\":\"%s\",\"reference\":\"PAY-77\"}".formatted(today)));

        JsonNode done = claimJson(http, id);
        assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(done.get("payout").get("reference").asString()).isEqualTo("PAY-77");
        assertThat(done.get("submissions")).hasSize(3);
        assertThat(done.get("submissions").get(1).get("documents").get(0).get("contentType").asString())
                .isEqualTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        assertThat(transitions(done)).containsExactly(
                "null>CUSTOMER_CLAIMED", "CUSTOMER_CLAIMED>AWAITING_CONSENT", "AWAITING_CONSENT>CONSENT_RECEIVED",
                "CONSENT_RECEIVED>SUBMITTED", "SUBMITTED>UNDER_REVIEW", "UNDER_REVIEW>PARTNER_ACTION_REQUIRED",
                "PARTNER_ACTION_REQUIRED>SUBMITTED", "SUBMITTED>UNDER_REVIEW", "UNDER_REVIEW>REJECTED",
                "REJECTED>DISPUTED", "DISPUTED>UNDER_REVIEW", "UNDER_REVIEW>APPROVED", "APPROVED>COMPLETED");
        assertThat(actors(done)).containsExactly("PARTNER_USER", "PARTNER_USER", "CUSTOMER", "PARTNER_USER", "REVIEWER",
                "REVIEWER", "PARTNER_USER", "REVIEWER", "REVIEWER", "PARTNER_USER", "REVIEWER", "REVIEWER", "REVIEWER");

        // It shows on the Complete tab, and the partner heard of every decision once.
        assertThat(http.get("anna", "/api/v1/engagements/" + ENGAGEMENT + "/customers?tab=complete").body())
                .contains("\"claimId\":" + id + ",");
        assertThat(jdbc.sql("select kind from outbox_email where claim_id = ? order by id").param(id).query(String.class).list())
                .containsExactly("consent-request", "consent-received", "claim-action-required", "claim-rejected",
                        "claim-approved", "claim-paid");

        // The proof is downloadable by the partner and reviewers, and by nobody else.
        long document = done.get("submissions").get(0).get("documents").get(0).get("id").asLong();
        HttpResponse<String> download = http.get("anna", claim + "/documents/" + document);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).contains("application/pdf");
        assertThat(download.headers().firstValue("Content-Disposition").orElseThrow()).contains("attachment").contains("attendees.pdf");
        assertThat(download.body()).startsWith("%PDF-1.4");
        assertThat(http.get("rita", review + "/documents/" + document).statusCode()).isEqualTo(200);
        assertThat(http.get("farah", claim + "/documents/" + document).statusCode()).isEqualTo(404);
        assertThat(http.get("noah", claim + "/documents/" + document).statusCode()).isEqualTo(403);
        assertThat(http.get("anna", review + "/documents/" + document).statusCode()).isEqualTo(403);
    }

    private static HttpResponse<String> ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private static JsonNode claimJson(Http http, long id) {
        return JSON.readTree(ok(http.get("anna", "/api/v1/claims/" + id)).body());
    }

    private static String status(Http http, long id) {
        return claimJson(http, id).get("status").asString();
    }

    private static List<String> transitions(JsonNode claim) {
        return claim.get("history").valueStream()
                .map(h -> (h.get("fromStatus").isNull() ? "null" : h.get("fromStatus").asString()) + ">"
                        + h.get("toStatus").asString())
                .toList();
    }

    private static List<String> actors(JsonNode claim) {
        return claim.get("history").valueStream().map(h -> h.get("actorType").asString()).toList();
    }

}
