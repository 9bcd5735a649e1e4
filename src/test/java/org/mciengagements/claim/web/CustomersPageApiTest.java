package org.mciengagements.claim.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mciengagements.support.Http;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Customers page of SPEC §5 over the demo program on PostgreSQL, seen by Contoso's incentives
 * administrator on the Copilot Readiness Workshop.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CustomersPageApiTest {

    static final String PAGE = "/api/v1/engagements/copilot-readiness-workshop/customers";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    @Test
    void eligibleTabHoldsTheActiveClaimsAndTheKnownCustomersThatCanBeClaimed() {
        JsonNode page = get("anna", PAGE + "?limit=200");
        List<String> claims = names(page, "CLAIM");
        List<String> known = names(page, "KNOWN_CUSTOMER");
        assertThat(claims).containsExactlyInAnyOrder("Northwind Traders", "Adventure Works Cycles",
                "Woodgrove Financial Group", "Litware Inc.", "Proseware Ltd", "Fourth Coffee", "Wide World Importers",
                "Margie's Travel", "Yıldız Tekstil A.Ş.");
        assertThat(known).containsExactlyInAnyOrder("Coho Winery", "Trey Research", "Lucerne Publishing, Inc.",
                "Humongous Insurance", "Graphic Design Institute", "Relecloud", "Müller Bäckerei GmbH");
        assertThat(page.get("counts").get("eligible").asLong()).isEqualTo(16);
        for (JsonNode item : page.get("items")) {
            if (item.get("kind").asString().equals("CLAIM")) {
                assertThat(item.get("deadline").isNull() == item.get("status").asString().equals("APPROVED"))
                        .as("every active claim but an approved one has a deadline: %s", item).isTrue();
            }
            assertThat(item.get("reasons")).isEmpty();
        }
    }

    @Test
    void ineligibleTabGivesEveryReasonOfEveryKnownCustomer() {
        JsonNode page = get("anna", PAGE + "?tab=ineligible&limit=200");
        assertThat(reasonCodes(page, "VanArsdel Ltd")).containsExactlyInAnyOrder("CONSENTED_TO_ANOTHER_PARTNER", "CLAIM_LIMIT_REACHED");
        assertThat(reasonCodes(page, "Tailwind Traders")).containsExactlyInAnyOrder("ENGAGED_WITH_ANOTHER_PARTNER", "CLAIM_LIMIT_REACHED");
        assertThat(reasonCodes(page, "Consolidated Messenger")).containsExactly("CLAIM_LIMIT_REACHED");
        assertThat(reasonCodes(page, "Bellows College")).containsExactly("CRITERIA_NOT_MET");
        JsonNode bellows = item(page, "Bellows College").get("reasons").get(0).get("criteria");
        assertThat(bellows).hasSize(2);
        JsonNode vanArsdel = item(page, "VanArsdel Ltd").get("reasons");
        for (JsonNode reason : vanArsdel) {
            if (reason.get("code").asString().equals("CONSENTED_TO_ANOTHER_PARTNER")) {
                assertThat(reason.get("until").isNull()).isFalse();
                assertThat(reason.toString()).doesNotContain("Fabrikam"); // never the other partner's name
            }
        }
        assertThat(page.get("counts").get("ineligible").asLong()).isEqualTo(page.get("items").size());
    }

    @Test
    void completeTabShowsOnlyTerminalClaimsWithNothingLeftToDo() {
        JsonNode page = get("anna", PAGE + "?tab=complete&limit=200");
        List<String> statuses = new ArrayList<>();
        page.get("items").forEach(i -> statuses.add(i.get("status").asString()));
        assertThat(statuses).containsExactlyInAnyOrder("COMPLETED", "CANCELED", "NOT_SUBMITTED_EXPIRED",
                "POST_SUBMISSION_EXPIRED", "DISPUTE_EXPIRED", "REJECTED_FINAL");
        String all = get("anna", PAGE + "?limit=200").toString() + page;
        assertThat(all).doesNotContain("CONSENT_DECLINED").doesNotContain("CONSENT_EXPIRED")
                .doesNotContain("City Power").doesNotContain("School of Fine Art");
    }

    @Test
    void declinedAndConsentExpiredClaimsStayReachableBySearch() {
        JsonNode found = get("anna", "/api/v1/claims?q=City%20Power");
        assertThat(found.get("items")).isNotEmpty();
        assertThat(found.get("items").get(0).get("status").asString()).isEqualTo("CONSENT_DECLINED");
    }

    @ParameterizedTest
    @CsvSource({"eligible,name,asc", "eligible,name,desc", "eligible,deadline,asc", "eligible,status,desc",
            "eligible,identifier,asc", "ineligible,name,asc", "ineligible,identifier,desc", "complete,claim,desc",
            "complete,name,asc", "complete,name,desc", "complete,status,asc"})
    void pagingVisitsEveryRowOnceInAnyOrder(String tab, String sort, String order) {
        List<String> whole = rowIds(get("anna", PAGE + "?tab=" + tab + "&sort=" + sort + "&order=" + order + "&limit=200"));
        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = get("anna", PAGE + "?tab=" + tab + "&sort=" + sort + "&order=" + order + "&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
            paged.addAll(rowIds(page));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
            pages++;
        } while (cursor != null && pages < 100);
        assertThat(whole).isNotEmpty();
        assertThat(paged).containsExactlyElementsOf(whole);
    }

    @Test
    void searchFindsByNameIdentifierAndClaimId() {
        JsonNode byName = get("anna", PAGE + "?q=northwind");
        assertThat(names(byName, "CLAIM")).containsExactly("Northwind Traders");
        JsonNode byIdentifier = get("anna", PAGE + "?q=litware.com");
        assertThat(names(byIdentifier, "CLAIM")).containsExactly("Litware Inc.");
        long claimId = byName.get("items").get(0).get("claimId").asLong();
        JsonNode byId = get("anna", PAGE + "?q=" + claimId);
        assertThat(byId.get("items")).hasSize(1);
        assertThat(byId.get("items").get(0).get("claimId").asLong()).isEqualTo(claimId);
    }

    @Test
    void aUserSeesOnlyTheClaimsOfTheLocationsTheyHoldARoleOn() {
        JsonNode umut = get("umut", PAGE + "?limit=200");
        umut.get("items").forEach(i -> {
            if (i.get("kind").asString().equals("CLAIM")) {
                assertThat(i.get("locationId").asString()).isEqualTo("4100232");
            }
        });
        assertThat(names(umut, "CLAIM")).contains("Fourth Coffee").doesNotContain("Northwind Traders");
    }

    @Test
    void variableEngagementsShowANoticeInsteadOfIneligibleDetails() {
        JsonNode page = get("anna", "/api/v1/engagements/azure-data-modernization/customers?tab=ineligible");
        assertThat(page.get("notice").asString()).contains("MSX opportunity ID");
        assertThat(page.get("items")).isEmpty();
    }

    @Test
    void badQueryParametersAreRefusedWithTheFieldNamed() {
        HttpResponse<String> tab = http.get("anna", PAGE + "?tab=everything");
        assertThat(tab.statusCode()).isEqualTo(400);
        assertThat(tab.body()).contains("\"field\":\"tab\"");
        HttpResponse<String> cursor = http.get("anna", PAGE + "?cursor=not-a-cursor");
        assertThat(cursor.statusCode()).isEqualTo(400);
        assertThat(cursor.body()).contains("\"field\":\"cursor\"").contains("INVALID_CURSOR");
        HttpResponse<String> limit = http.get("anna", PAGE + "?limit=0");
        assertThat(limit.statusCode()).isEqualTo(400);
        assertThat(limit.body()).contains("\"field\":\"limit\"");
    }

    @Test
    void csvExportHasOneLinePerRowAndNeutralisesFormulas() {
        HttpResponse<String> csv = http.get("anna", PAGE + ".csv?tab=ineligible");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(csv.headers().firstValue("Content-Disposition").orElseThrow())
                .contains("copilot-readiness-workshop-ineligible.csv");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines[0]).startsWith("claimId,friendlyName,customerName");
        assertThat(lines).hasSize(1 + get("anna", PAGE + "?tab=ineligible&limit=200").get("items").size());
        assertThat(csv.body()).contains("CRITERIA_NOT_MET (Paid seats");
        assertThat(CustomersCsv.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(CustomersCsv.cell("Lucerne Publishing, Inc.")).isEqualTo("\"Lucerne Publishing, Inc.\"");
    }

    @Test
    void reasonsAreExplainedInTheCallersLanguage() {
        // One after another on the same server: a text kept for one language is not another's.
        String dutch = http.get("anna", PAGE + "?tab=ineligible", "nl").body();
        String turkish = http.get("anna", PAGE + "?tab=ineligible", "tr-TR,tr;q=0.9").body();
        String english = http.get("anna", PAGE + "?tab=ineligible", "en").body();
        assertThat(dutch).contains("afspraak").doesNotContain("görevlendirme");
        assertThat(turkish).contains("görevlendirme").doesNotContain("afspraak");
        assertThat(english).contains("The customer").doesNotContain("afspraak", "görevlendirme");
    }

    private JsonNode get(String user, String path) {
        HttpResponse<String> response = http.get(user, path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> names(JsonNode page, String kind) {
        List<String> names = new ArrayList<>();
        page.get("items").forEach(i -> {
            if (i.get("kind").asString().equals(kind)) {
                names.add(i.get("customerName").asString());
            }
        });
        return names;
    }

    private static List<String> rowIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(i -> ids.add(i.get("claimId").isNull()
                ? i.get("customerKey").asString() : i.get("claimId").asString()));
        return ids;
    }

    private static JsonNode item(JsonNode page, String customerName) {
        for (JsonNode i : page.get("items")) {
            if (i.get("customerName").asString().equals(customerName)) {
                return i;
            }
        }
        throw new AssertionError("no row for " + customerName + " in " + page);
    }

    private static List<String> reasonCodes(JsonNode page, String customerName) {
        List<String> codes = new ArrayList<>();
        item(page, customerName).get("reasons").forEach(r -> codes.add(r.get("code").asString()));
        return codes;
    }
}
