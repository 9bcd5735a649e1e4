package org.mciengagements.engagement.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.support.Http;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator's engagement configuration through {@code /api/v1/admin/engagements} (SPEC §4, §12):
 * every field checked on save with every problem listed, CEL compiled with positions, rate-card
 * versions that never reach back to existing claims, optimistic locking and the recorded changes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mci.test.isolated-context=engagement-config", "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class EngagementConfigurationApiTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String BASE = "/api/v1/admin/engagements/";

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ProgramClock clock;
    @Autowired
    EngagementCatalog catalog;
    Http http;
    LocalDate today;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    String workshop(String name, String criterionExpression) {
        return """
                {"name":"%s","description":"Two days on data governance.","solutionArea":"Data & AI",
                 "type":"WORKSHOP","firstClaimDay":"%s","lastClaimDay":"%s","paymentModel":"FIXED",
                 "identifierTypes":["DOMAIN","TENANT_ID"],"allowedCountries":["nl","DE"],"eligibleLocationIds":[],
                 "maxActiveClaimsPerCustomer":2,"deadlines":{"consentDays":21},
                 "criteria":[{"name":"Paid seats","expression":"%s","message":"At least 300 paid seats."}],
                 "fixedPayouts":{"A":4000,"B":3000.5,"C":2000},
                 "referralPolicy":{"enabled":true,"condition":"claim.estimatedDealSizeUsd >= 10000",
                                   "coSellCondition":"customer.coSellEligible == true"}}"""
                .formatted(name, today.minusDays(1), today.plusDays(90), criterionExpression);
    }

    @Test
    void anOperatorCreatesAnEngagementThatPartnersThenSee() {
        HttpResponse<String> created = http.putJson("oscar", BASE + "data-governance-workshop",
                workshop("Data Governance Workshop", "customer.paidSeats >= 300"), null);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("ETag")).isPresent();
        JsonNode body = JSON.readTree(created.body());
        assertThat(body.get("availability").asString()).isEqualTo("ACTIVE");
        JsonNode config = body.get("configuration");
        assertThat(config.get("allowedCountries").toString()).isEqualTo("[\"DE\",\"NL\"]");
        assertThat(config.get("deadlines").toString())
                .as("an override and the workshop's defaults for the rest")
                .isEqualTo("{\"consentDays\":21,\"firstSubmissionDays\":90,\"reviewDays\":120,\"disputeDays\":30,"
                        + "\"actionRequiredDays\":14}");
        // anna has enrolled locations in NL (and TR, US): the engagement is listed for her at once.
        HttpResponse<String> seen = http.get("anna", "/api/v1/engagements/data-governance-workshop");
        assertThat(seen.statusCode()).isEqualTo(200);
        assertThat(seen.body()).contains("\"name\":\"Data Governance Workshop\"", "customer.paidSeats >= 300");
        assertThat(http.get("farah", "/api/v1/engagements/data-governance-workshop").statusCode())
                .as("farah's enrolled locations are in DE and US").isEqualTo(200);
    }

    @Test
    void everyProblemOfAnInvalidConfigurationIsListedAndNothingIsSaved() {
        String bad = """
                {"name":" ","description":"x","solutionArea":"Data","type":"SEMINAR",
                 "firstClaimDay":"%s","lastClaimDay":"%s","paymentModel":"VARIABLE",
                 "identifierTypes":["DOMAIN","PHONE"],"allowedCountries":["NL","XX"],"eligibleLocationIds":["999999","12"],
                 "maxActiveClaimsPerCustomer":0,"deadlines":{"consentDays":0,"firstSubmissionDays":100,"reviewDays":50},
                 "criteria":[{"name":"Seats","expression":"customer.paidSeats >=","message":"m"},
                             {"name":"seats","expression":"customer.paidSeats > 1","message":""}],
                 "fixedPayouts":{"A":100},
                 "rateCards":[{"effectiveFrom":"someday","maxHours":0,"capPercent":150,"rates":{"A":10,"B":-1}}],
                 "referralPolicy":{"enabled":true,"condition":"claim.estimatedDealSizeUsd >=> 10000"}}"""
                .formatted(today, today.minusDays(1));
        long auditBefore = auditRows();

        HttpResponse<String> refused = http.putJson("oscar", BASE + "Bad_ID", bad, null);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).as("an invalid id alone is reported first").contains("\"field\":\"id\"");
        HttpResponse<String> response = http.putJson("oscar", BASE + "bad-engagement", bad, null);
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("code").asString()).isEqualTo("VALIDATION_FAILED");
        List<String> found = new ArrayList<>();
        problem.get("errors").forEach(e -> found.add(e.get("field").asString() + " " + e.get("code").asString()));
        assertThat(found).containsExactlyInAnyOrder(
                "name REQUIRED",
                "type UNKNOWN_VALUE",
                "lastClaimDay BEFORE_FIRST_DAY",
                "identifierTypes[1] UNKNOWN_VALUE",
                "identifierTypes VARIABLE_NEEDS_OPPORTUNITY",
                "allowedCountries[1] UNKNOWN_COUNTRY",
                "eligibleLocationIds[0] UNKNOWN_LOCATION",
                "eligibleLocationIds[1] INVALID_LOCATION_ID",
                "maxActiveClaimsPerCustomer OUT_OF_RANGE",
                "deadlines.consentDays OUT_OF_RANGE",
                "deadlines.reviewDays REVIEW_BEFORE_SUBMISSION",
                "criteria[0].expression EXPRESSION_INVALID",
                "criteria[1].name DUPLICATE_NAME",
                "criteria[1].message REQUIRED",
                "fixedPayouts NOT_FOR_VARIABLE",
                "rateCards[0].effectiveFrom INVALID_DATE",
                "rateCards[0].maxHours OUT_OF_RANGE",
                "rateCards[0].capPercent OUT_OF_RANGE",
                "rateCards[0].rates.B INVALID_AMOUNT",
                "rateCards[0].rates.C REQUIRED",
                "referralPolicy.condition EXPRESSION_INVALID",
                "referralPolicy.coSellCondition REQUIRED");
        assertThat(http.get("oscar", BASE + "bad-engagement").statusCode()).isEqualTo(404);
        assertThat(auditRows()).isEqualTo(auditBefore);
    }

    @Test
    void aCelMistakeIsReportedWithItsLineColumnAndMessage() {
        HttpResponse<String> response = http.putJson("oscar", BASE + "cel-mistake",
                workshop("CEL mistake", "customer.paidSeats >= 300 && size(customer.industry, 2) > 0"), null);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode errors = JSON.readTree(response.body()).get("expressionErrors");
        assertThat(errors).hasSize(1);
        JsonNode error = errors.get(0);
        assertThat(error.get("field").asString()).isEqualTo("criteria[0].expression");
        assertThat(error.get("line").asInt()).isEqualTo(1);
        assertThat(error.get("column").asInt()).as("CEL points at the parenthesis of the call").isEqualTo(34);
        assertThat(error.get("message").asString()).contains("size");
        assertThat(response.body()).contains("Line 1, column 34: ");
    }

    @Test
    void aRateCardVersionInForceNeverChangesAndANewOneStartsTomorrowWithoutTouchingEarlierClaims() {
        String id = "azure-data-modernization";
        JsonNode current = JSON.readTree(http.get("oscar", BASE + id).body());
        assertThat(current.get("hasClaims").asBoolean()).isTrue();
        String claimsBefore = claimRows(id);
        var config = (tools.jackson.databind.node.ObjectNode) current.get("configuration");
        var cards = (tools.jackson.databind.node.ArrayNode) config.get("rateCards");
        assertThat(cards).hasSize(2);
        int maxHoursInForce = cards.get(1).get("maxHours").asInt();

        // Changing the version in force is refused...
        ((tools.jackson.databind.node.ObjectNode) cards.get(1)).put("maxHours", 999);
        HttpResponse<String> changed = http.putJson("oscar", BASE + id, config.toString(), null);
        assertThat(changed.statusCode()).isEqualTo(400);
        assertThat(changed.body()).contains("\"code\":\"RATE_CARD_IN_FORCE\"");
        ((tools.jackson.databind.node.ObjectNode) cards.get(1)).put("maxHours", maxHoursInForce);
        // ...and so is a new version taking effect today...
        var newVersion = JSON.createObjectNode().put("effectiveFrom", today.toString()).put("maxHours", 80)
                .put("capPercent", 12);
        newVersion.putObject("rates").put("A", 250).put("B", 190).put("C", 120);
        cards.add(newVersion);
        HttpResponse<String> backdated = http.putJson("oscar", BASE + id, config.toString(), null);
        assertThat(backdated.statusCode()).isEqualTo(400);
        assertThat(backdated.body()).contains("\"field\":\"rateCards[2].effectiveFrom\"", "RATE_CARD_BACKDATED");
        // ...while one from tomorrow is taken, and the claims made so far are exactly as they were.
        newVersion.put("effectiveFrom", today.plusDays(1).toString());
        HttpResponse<String> saved = http.putJson("oscar", BASE + id, config.toString(), null);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        var engagement = catalog.find(id).orElseThrow();
        assertThat(engagement.rateCardOn(today.plusDays(1)).orElseThrow().rateA()).isEqualByComparingTo("250");
        assertThat(engagement.rateCardOn(today).orElseThrow().rateA()).isNotEqualByComparingTo("250");
        assertThat(claimRows(id)).isEqualTo(claimsBefore);
    }

    @Test
    void thePaymentModelIsLockedOnceTheEngagementHasClaims() {
        JsonNode current = JSON.readTree(http.get("oscar", BASE + "copilot-readiness-workshop").body());
        var config = (tools.jackson.databind.node.ObjectNode) current.get("configuration");
        config.put("paymentModel", "VARIABLE");

        HttpResponse<String> response = http.putJson("oscar", BASE + "copilot-readiness-workshop", config.toString(), null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"paymentModel\"", "PAYMENT_MODEL_LOCKED");
    }

    @Test
    void aSaveBasedOnAStaleVersionIsRefusedAndOnlyOneOfManyRacingSavesWins() throws Exception {
        String id = "race-workshop";
        HttpResponse<String> created = http.putJson("oscar", BASE + id, workshop("Race 0", "true"), "\"new\"");
        assertThat(created.statusCode()).isEqualTo(201);
        String etag = created.headers().firstValue("ETag").orElseThrow();
        assertThat(http.putJson("oscar", BASE + id, workshop("Race again", "true"), "\"new\"").statusCode())
                .as("If-Match: new only creates").isEqualTo(412);

        List<Callable<Integer>> saves = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            String body = workshop("Race " + i, "true");
            saves.add(() -> http.putJson("oscar", BASE + id, body, etag).statusCode());
        }
        List<Integer> statuses = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (Future<Integer> f : pool.invokeAll(saves)) {
                statuses.add(f.get());
            }
        }

        assertThat(statuses).containsOnly(200, 412).filteredOn(s -> s == 200).hasSize(1);
        List<String> history = jdbc.sql("""
                        select action from audit_event where subject_type = 'ENGAGEMENT' and subject_id = ? order by id""")
                .param(id).query(String.class).list();
        assertThat(history).containsExactly("CREATED", "UPDATED");
        HttpResponse<String> stale = http.putJson("oscar", BASE + id, workshop("Too late", "true"), etag);
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(stale.body()).contains("\"code\":\"ENGAGEMENT_CHANGED\"");
    }

    @Test
    void changesAreRecordedWithWhoWhenAndWhatAndAnIdenticalSaveRecordsNothing() {
        String id = "recorded-workshop";
        http.putJson("oscar", BASE + id, workshop("Recorded", "customer.paidSeats >= 300"), null);
        HttpResponse<String> renamed = http.putJson("oscar", BASE + id,
                workshop("Recorded and renamed", "customer.paidSeats >= 300"), null);
        String version = renamed.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = http.putJson("oscar", BASE + id,
                workshop("Recorded and renamed", "customer.paidSeats >= 300"), null);

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("ETag")).contains(version);
        JsonNode history = JSON.readTree(http.get("oscar", BASE + id + "/history").body());
        assertThat(history).hasSize(2);
        JsonNode latest = history.get(0);
        assertThat(latest.get("actor").asString()).isEqualTo("oscar");
        assertThat(latest.get("action").asString()).isEqualTo("UPDATED");
        assertThat(latest.get("at").asString()).isNotBlank();
        assertThat(latest.get("detail").get("changes").propertyNames()).containsExactly("name");
        assertThat(latest.get("detail").get("changes").get("name").get("from").asString()).isEqualTo("Recorded");
        assertThat(latest.get("detail").get("changes").get("name").get("to").asString()).isEqualTo("Recorded and renamed");
        assertThat(history.get(1).get("action").asString()).isEqualTo("CREATED");
        assertThat(http.get("anna", "/api/v1/engagements/" + id).body()).contains("Recorded and renamed");
    }

    private long auditRows() {
        return jdbc.sql("select count(*) from audit_event").query(Long.class).single();
    }

    private String claimRows(String engagementId) {
        return jdbc.sql("select string_agg(row_to_json(c)::text, '|' order by id) from claim c where engagement_id = ?")
                .param(engagementId).query(String.class).single();
    }
}
