package org.mciengagements.claim.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mciengagements.directory.TenantResolver;
import org.mciengagements.support.Http;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Add customer and Claim customer through the API (SPEC §3, §6–8, §12): {@code POST
 * /api/v1/customer-checks} and {@code POST /api/v1/claims} over the demo program on PostgreSQL.
 *
 * <p>This class writes claims, so it runs in a context (and database) of its own, closed after
 * it: the other web tests read the untouched demo data. Every test nominates customer keys no other
 * test of this class nominates, so the tests hold in any order. Demo customers used, all without a
 * claim for the engagement they are nominated for unless said otherwise:
 * <ul>
 *   <li>Woodgrove Bank (domain woodgrovebank.nl), A. Datum (tenant), Alpine Ski House (TPID 0012345),
 *       Woodgrove's core banking subscription, Tailspin's AI opportunity 7-5P1Z7C4FAB: one per
 *       identifier type;</li>
 *   <li>Lamna Healthcare (tenant) for three FIXED engagements at once; Northwind's data opportunity
 *       7-2K4M8Q1ZXA (Contoso's completed claim is terminal) for a capped VARIABLE payout;</li>
 *   <li>Van der Berg Logistiek (tenant) for the domain mismatch; Trey Research (tenant) and the
 *       Adventure Works SAP opportunity as the valid base of every 400 case;</li>
 *   <li>Northwind and Tailspin Toys (tenant and TPID) for "no cascade"; Proseware for 409; Fourth
 *       Coffee, Wide World Importers and Bellows College for idempotency; Coho Winery (a known
 *       customer of Contoso) for Claim customer.</li>
 * </ul>
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "mci.test.isolated-context=nomination-api")
@DirtiesContext
class NominationApiTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static final String CLAIMS = "/api/v1/claims";
    static final String CHECKS = "/api/v1/customer-checks";

    static final String COPILOT = "copilot-readiness-workshop";
    static final String SECURITY = "security-assessment";
    static final String MIGRATION_POC = "azure-migration-poc";
    static final String SMB = "smb-modern-work-deployment";
    static final String DATA = "azure-data-modernization";

    static final String AMSTERDAM = "4100231";
    static final String ISTANBUL = "4100232";
    static final String SEATTLE = "4100233";

    static final String NORTHWIND_TENANT = "321591da-f721-58aa-807d-39fa4f917473";
    static final String TAILSPIN_TENANT = "575c8864-68cb-58d7-8139-83da86f9d15b";
    static final String WOODGROVE_BANK_TENANT = "6dd1a078-8888-507e-8751-2cc6a1901cf9";
    static final String ADATUM_TENANT = "af605526-d9d5-594a-bc66-99010e66da09";
    static final String LAMNA_TENANT = "74d5db26-250b-554a-835e-366fc527c6ea";
    static final String VAN_DER_BERG_TENANT = "37227068-1bb0-5299-91fa-c8cdab9a189c";
    static final String TREY_TENANT = "131e45c3-7375-5046-9097-cd20a54c7140";
    static final String PROSEWARE_TENANT = "d119483a-db12-524e-8241-4fd7b18c78c7";
    static final String FOURTH_COFFEE_TENANT = "f46802a9-7703-5035-b078-76577fbd8449";
    static final String WIDE_WORLD_TENANT = "127745b6-294b-531e-a062-f268d0f3ced4";
    static final String BELLOWS_TENANT = "95ef852d-14eb-53b8-a13e-5fad0f574773";
    static final String COHO_TENANT = "830bbf01-2f25-54ee-b273-e54428cc41b6";
    static final String CPANDL_TENANT = "cef4acb7-a521-5306-8d20-cb3692e4f24f";
    static final String ANADOLU_TENANT = "de604c5e-2cf1-53a2-86af-e2793a4bb01f";
    static final String VANARSDEL_TENANT = "b21e6219-b83c-5b15-843b-94f699278fbe";
    static final String MULLER_TENANT = "8bfcdef9-55ce-5ffb-adb0-10ce136820e7";
    static final String GRAPHIC_DESIGN_TENANT = "dca3f66f-f6f8-5d35-ab97-e4eee791224f";
    static final String WOODGROVE_CORE_BANKING_SUBSCRIPTION = "42cb2498-3e78-5d38-9f57-8a917ad08a40";

    /** A domain neither the directory nor anything else knows a tenant for. */
    static final String DOMAIN_WITHOUT_TENANT = "contoso-newco.example";

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ApplicationContext context;
    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    // ------------------------------------------------------------------ add customer, per identifier type

    @Test
    void aDomainIsNominatedThroughTheTenantDerivedFromIt() {
        Map<String, Object> request = request(AMSTERDAM, "DOMAIN", "WoodgroveBank.NL.", List.of(COPILOT),
                "it@woodgrovebank.nl");
        JsonNode claim = single(created("anna", request, null));
        assertAdded(claim, "anna", COPILOT, "TENANT:" + WOODGROVE_BANK_TENANT, 30);
        assertThat(claim.get("identifierType").asString()).isEqualTo("DOMAIN");
        assertThat(claim.get("identifierValue").asString()).isEqualTo("woodgrovebank.nl");
        assertThat(claim.get("customerName").asString()).isEqualTo("Woodgrove Bank");
        assertThat(jdbc.sql("select customer_key from claim where id = ?").param(claim.get("id").asLong())
                .query(String.class).single()).isEqualTo("TENANT:" + WOODGROVE_BANK_TENANT);
    }

    @Test
    void aTenantIdIsNominatedAsItsCanonicalTenantKey() {
        Map<String, Object> request = request(SEATTLE, "TENANT_ID", ADATUM_TENANT.toUpperCase(), List.of(COPILOT),
                "it@ADATUM.NET");
        JsonNode claim = single(created("ruth", request, null));
        assertAdded(claim, "ruth", COPILOT, "TENANT:" + ADATUM_TENANT, 30);
        assertThat(claim.get("identifierValue").asString()).isEqualTo(ADATUM_TENANT);
        assertThat(claim.get("mismatchReason").isNull()).as("a contact at a verified domain is no mismatch").isTrue();
    }

    @Test
    void aTpidIsNominatedWithoutLeadingZeros() {
        Map<String, Object> request = request(ISTANBUL, "TPID", "0012345", List.of(SMB), "info@alpineskihouse.de");
        JsonNode claim = single(created("umut", request, null));
        assertAdded(claim, "umut", SMB, "TPID:12345", 30);
        assertThat(claim.get("customerName").asString()).isEqualTo("Alpine Ski House Group");
    }

    @Test
    void anAzureSubscriptionIsNominatedWithTheEngagementsOwnConsentDays() {
        Map<String, Object> request = request(AMSTERDAM, "AZURE_SUBSCRIPTION_ID",
                WOODGROVE_CORE_BANKING_SUBSCRIPTION.toUpperCase(), List.of(MIGRATION_POC), "cloud@woodgrovebank.nl");
        JsonNode claim = single(created("anna", request, null));
        assertAdded(claim, "anna", MIGRATION_POC, "SUBSCRIPTION:" + WOODGROVE_CORE_BANKING_SUBSCRIPTION, 21);
    }

    @Test
    void anOpportunityIsNominatedForAVariableEngagementWithHoursPayoutAndRateCardSnapshot() {
        Map<String, Object> request = request(AMSTERDAM, "MSX_OPPORTUNITY_ID", "7-5P1Z7C4FAB", List.of(DATA),
                "data@tailspintoys.com");
        request.put("hours", 100);
        JsonNode claim = single(created("anna", request, null));
        assertAdded(claim, "anna", DATA, "OPPORTUNITY:7-5P1Z7C4FAB", 30);
        assertThat(claim.get("hours").asInt()).isEqualTo(100);
        // Rate card in force today (effective 60 days ago): 165 USD/h in market A (Tailspin is US),
        // cap 20 % of 220,000 = 44,000; 100 h × 165 = 16,500 stays below the cap.
        assertThat(claim.get("proposedPayoutUsd").decimalValue()).isEqualByComparingTo("16500");
        assertRateCardSnapshotIsTodays(claim.get("id").asLong());
    }

    @Test
    void aVariablePayoutIsCappedAtTheRateCardsShareOfTheOpportunityValue() {
        // Northwind's data platform opportunity (180,000 USD, NL: market A); Contoso's earlier claim
        // for it is completed, so nothing stands in the way of a new one.
        Map<String, Object> request = request(AMSTERDAM, "MSX_OPPORTUNITY_ID", "7-2K4M8Q1ZXA", List.of(DATA),
                "data@northwindtraders.nl");
        request.put("hours", 240); // the current card's maximum; the older card allowed only 200
        JsonNode claim = single(created("anna", request, null));
        assertThat(claim.get("hours").asInt()).isEqualTo(240);
        // 240 h × 165 = 39,600 > 20 % of 180,000 = 36,000.
        assertThat(claim.get("proposedPayoutUsd").decimalValue()).isEqualByComparingTo("36000");
        assertRateCardSnapshotIsTodays(claim.get("id").asLong());
    }

    @Test
    void severalFixedEngagementsInOneRequestCreateOneClaimPerEngagement() {
        long before = claimCount();
        Map<String, Object> request = request(ISTANBUL, "TENANT_ID", LAMNA_TENANT, List.of(COPILOT, SECURITY, MIGRATION_POC),
                "bt@lamnahealthcare.com.tr");
        JsonNode claims = created("anna", request, null);
        assertThat(claims).hasSize(3);
        assertThat(claimCount()).isEqualTo(before + 3);
        Map<String, Integer> consentDays = Map.of(COPILOT, 30, SECURITY, 30, MIGRATION_POC, 21);
        List<String> engagements = new ArrayList<>();
        for (JsonNode claim : claims) {
            String engagement = claim.get("engagementId").asString();
            engagements.add(engagement);
            assertAdded(claim, "anna", engagement, "TENANT:" + LAMNA_TENANT, consentDays.get(engagement));
        }
        assertThat(engagements).containsExactlyInAnyOrder(COPILOT, SECURITY, MIGRATION_POC);
    }

    // ------------------------------------------------------------------ field validation

    static Stream<Arguments> invalidNominations() {
        return Stream.of(
                invalid("friendly name too short", r -> r.put("friendlyName", "ab"), "friendlyName:LENGTH"),
                invalid("friendly name too short once trimmed", r -> r.put("friendlyName", "  ab  "), "friendlyName:LENGTH"),
                invalid("friendly name of two characters outside the BMP", r -> r.put("friendlyName", "\uD83D\uDE00\uD83D\uDE00"),
                        "friendlyName:LENGTH"),
                invalid("friendly name too long", r -> r.put("friendlyName", "a".repeat(101)), "friendlyName:LENGTH"),
                invalid("friendly name missing", r -> r.remove("friendlyName"), "friendlyName:LENGTH"),
                invalid("origin unknown", r -> r.put("origin", "STEAL"), "origin:INVALID_VALUE"),
                invalid("location missing", r -> r.remove("locationId"), "locationId:REQUIRED"),
                invalid("location unknown", r -> r.put("locationId", "9999999"), "locationId:UNKNOWN_LOCATION"),
                invalid("location not enrolled", r -> r.put("locationId", "4100234"), "locationId:LOCATION_NOT_ENROLLED"),
                invalid("location of another partner", r -> r.put("locationId", "5200411"), "locationId:UNKNOWN_LOCATION"),
                invalid("identifier missing", r -> r.remove("identifier"), "identifier.type:REQUIRED"),
                invalid("identifier type unknown", r -> r.put("identifier", identifier("EMAIL", "it@treyresearch.net")),
                        "identifier.type:INVALID_VALUE"),
                invalid("identifier value missing", r -> r.put("identifier", identifier("TENANT_ID", "")),
                        "identifier.value:INVALID_IDENTIFIER"),
                invalid("domain without a dot", r -> r.put("identifier", identifier("DOMAIN", "treyresearch")),
                        "identifier.value:INVALID_IDENTIFIER"),
                invalid("domain label starting with a hyphen", r -> r.put("identifier", identifier("DOMAIN", "-trey-.net")),
                        "identifier.value:INVALID_IDENTIFIER"),
                invalid("domain with a space", r -> r.put("identifier", identifier("DOMAIN", "trey research.net")),
                        "identifier.value:INVALID_IDENTIFIER"),
                invalid("domain label of 64 characters", r -> r.put("identifier", identifier("DOMAIN", "a".repeat(64) + ".net")),
                        "identifier.value:INVALID_IDENTIFIER"),
                invalid("domain of an email address", r -> r.put("identifier", identifier("DOMAIN", "it@treyresearch.net")),
                        "identifier.value:INVALID_IDENTIFIER"),
                invalid("tenant ID not a GUID", r -> r.put("identifier", identifier("TENANT_ID", "131e45c3-7375-5046-9097")),
                        "identifier.value:INVALID_IDENTIFIER"),
                invalid("tenant ID without hyphens", r -> r.put("identifier", identifier("TENANT_ID",
                        TREY_TENANT.replace("-", ""))), "identifier.value:INVALID_IDENTIFIER"),
                invalid("TPID with letters", r -> r.put("identifier", identifier("TPID", "12ab")), "identifier.value:INVALID_IDENTIFIER"),
                invalid("TPID of 11 digits", r -> r.put("identifier", identifier("TPID", "12345678901")),
                        "identifier.value:INVALID_IDENTIFIER"),
                invalid("TPID zero", r -> r.put("identifier", identifier("TPID", "000")), "identifier.value:INVALID_IDENTIFIER"),
                invalid("TPID negative", r -> r.put("identifier", identifier("TPID", "-42")), "identifier.value:INVALID_IDENTIFIER"),
                invalid("subscription not a GUID", r -> r.put("identifier", identifier("AZURE_SUBSCRIPTION_ID", "sub-42cb2498")),
                        "identifier.value:INVALID_IDENTIFIER"),
                invalid("opportunity too short", r -> r.put("identifier", identifier("MSX_OPPORTUNITY_ID", "7-ABC")),
                        "identifier.value:INVALID_IDENTIFIER"),
                invalid("opportunity with the wrong prefix", r -> r.put("identifier", identifier("MSX_OPPORTUNITY_ID", "8-ABCDE12345")),
                        "identifier.value:INVALID_IDENTIFIER"),
                invalid("opportunity too long", r -> r.put("identifier", identifier("MSX_OPPORTUNITY_ID", "7-ABCDE123456")),
                        "identifier.value:INVALID_IDENTIFIER"),
                invalid("opportunity with a dotted capital I", r -> r.put("identifier", identifier("MSX_OPPORTUNITY_ID", "7-ABCDE1234\u0130")),
                        "identifier.value:INVALID_IDENTIFIER"),
                invalid("engagements missing", r -> r.remove("engagementIds"), "engagementIds:REQUIRED"),
                invalid("no engagements", r -> r.put("engagementIds", List.of()), "engagementIds:REQUIRED"),
                invalid("duplicate engagements", r -> r.put("engagementIds", List.of(SECURITY, SECURITY)), "engagementIds:DUPLICATE"),
                invalid("unknown engagement", r -> r.put("engagementIds", List.of(SECURITY, "no-such-engagement")),
                        "engagementIds:UNKNOWN_ENGAGEMENT"),
                invalid("null engagement id", r -> r.put("engagementIds", nullList()), "engagementIds:UNKNOWN_ENGAGEMENT"),
                invalid("hours on a FIXED engagement", r -> r.put("hours", 10), "hours:NOT_APPLICABLE"),
                invalid("VARIABLE mixed with FIXED", r -> {
                    r.put("identifier", identifier("MSX_OPPORTUNITY_ID", "7-4N9Y6B3EYZ"));
                    r.put("engagementIds", List.of(DATA, SECURITY));
                    r.put("hours", 100);
                }, "engagementIds:VARIABLE_ALONE"),
                invalid("VARIABLE without hours", variable(r -> r.remove("hours")), "hours:REQUIRED"),
                invalid("VARIABLE with zero hours", variable(r -> r.put("hours", 0)), "hours:OUT_OF_RANGE"),
                invalid("VARIABLE with negative hours", variable(r -> r.put("hours", -5)), "hours:OUT_OF_RANGE"),
                invalid("VARIABLE with more hours than the rate card allows", variable(r -> r.put("hours", 241)),
                        "hours:OUT_OF_RANGE"),
                invalid("VARIABLE with a tenant ID", variable(r -> r.put("identifier", identifier("TENANT_ID", TREY_TENANT))),
                        "identifier.type:VARIABLE_NEEDS_OPPORTUNITY"),
                invalid("customer contact missing", r -> r.remove("customerContact"), "customerContact:REQUIRED"),
                invalid("customer contact without name", r -> r.put("customerContact",
                        contact(" ", "it@treyresearch.net", null, "en")), "customerContact.name:REQUIRED"),
                invalid("customer contact email malformed", r -> r.put("customerContact",
                        contact("Tess Trey", "tess.treyresearch.net", null, "en")), "customerContact.email:INVALID_EMAIL"),
                invalid("customer contact email without a dot in the domain", r -> r.put("customerContact",
                        contact("Tess Trey", "tess@treyresearch", null, "en")), "customerContact.email:INVALID_EMAIL"),
                invalid("customer contact phone malformed", r -> r.put("customerContact",
                        contact("Tess Trey", "tess@treyresearch.net", "call me", "en")), "customerContact.phone:INVALID_PHONE"),
                invalid("customer contact language not offered", r -> r.put("customerContact",
                        contact("Tess Trey", "tess@treyresearch.net", null, "de")), "customerContact.language:UNSUPPORTED_LANGUAGE"),
                invalid("partner contact missing", r -> r.remove("partnerContact"), "partnerContact:REQUIRED"),
                invalid("partner contact email missing", r -> r.put("partnerContact", contact("Anna de Vries", null, null, null)),
                        "partnerContact.email:INVALID_EMAIL"),
                invalid("partner contact phone malformed", r -> r.put("partnerContact",
                        contact("Anna de Vries", "anna.devries@contoso-consulting.example", "+31 (0)20 abc", null)),
                        "partnerContact.phone:INVALID_PHONE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidNominations")
    void anInvalidFieldIsRefusedWithItsFieldAndCreatesNothing(String name, Consumer<Map<String, Object>> change,
                                                               List<String> expected) {
        Map<String, Object> request = validationBase();
        change.accept(request);
        long before = claimCount();
        HttpResponse<String> response = post("anna", CLAIMS, request, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertProblem(response, "VALIDATION_FAILED");
        assertThat(fieldProblems(response)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(claimCount()).isEqualTo(before);
    }

    /** The base of every 400 case is itself valid: each refusal is the one changed field's. */
    @Test
    void theBaseRequestsOfTheValidationCasesAreValid() {
        Map<String, Object> fixed = validationBase();
        fixed.put("friendlyName", "\uD83D\uDE00".repeat(100)); // 100 characters, 200 UTF-16 units
        JsonNode trey = single(created("anna", fixed, null));
        assertThat(trey.get("friendlyName").asString()).isEqualTo("\uD83D\uDE00".repeat(100));
        Map<String, Object> variable = validationBase();
        variable(r -> { }).accept(variable);
        variable.put("friendlyName", "SAP");
        assertThat(single(created("anna", variable, null)).get("hours").asInt()).isEqualTo(100);
    }

    @Test
    void everyProblemOfARequestIsReportedInOneResponse() {
        Map<String, Object> request = validationBase();
        request.put("friendlyName", "x");
        request.put("locationId", "4100234");
        request.put("identifier", identifier("TPID", "abc"));
        request.put("engagementIds", List.of(SECURITY, SECURITY));
        request.put("hours", 5);
        request.put("customerContact", contact("Tess Trey", "nope", null, "fr"));
        request.remove("partnerContact");
        long before = claimCount();
        HttpResponse<String> response = post("anna", CLAIMS, request, null);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(fieldProblems(response)).containsExactlyInAnyOrder("friendlyName:LENGTH",
                "locationId:LOCATION_NOT_ENROLLED", "identifier.value:INVALID_IDENTIFIER", "engagementIds:DUPLICATE",
                "hours:NOT_APPLICABLE", "customerContact.email:INVALID_EMAIL",
                "customerContact.language:UNSUPPORTED_LANGUAGE", "partnerContact:REQUIRED");
        assertThat(claimCount()).isEqualTo(before);
    }

    @Test
    void aRequestThatIsNotJsonOfTheRightShapeIsMalformed() {
        long before = claimCount();
        for (String path : List.of(CLAIMS, CHECKS)) {
            for (String body : List.of("{\"origin\": \"ADD\", ", "[]", "null", "", "{\"identifier\": \"DOMAIN\"}")) {
                HttpResponse<String> response = postRaw("anna", path, body, null);
                assertThat(response.statusCode()).as("%s %s: %s", path, body, response.body()).isEqualTo(400);
                assertProblem(response, "MALFORMED_REQUEST");
            }
        }
        for (String body : List.of("{\"hours\": \"many\"}", "{\"engagementIds\": {\"id\": \"security-assessment\"}}")) {
            HttpResponse<String> response = postRaw("anna", CLAIMS, body, null);
            assertThat(response.statusCode()).as("%s: %s", body, response.body()).isEqualTo(400);
            assertProblem(response, "MALFORMED_REQUEST");
        }
        assertThat(claimCount()).isEqualTo(before);
    }

    @Test
    void anIdempotencyKeyLongerThan200CharactersIsRefused() {
        long before = claimCount();
        HttpResponse<String> response = post("anna", CLAIMS, validationBase(), "k".repeat(201));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(fieldProblems(response)).containsExactly("Idempotency-Key:INVALID_VALUE");
        assertThat(claimCount()).isEqualTo(before);
    }

    // ------------------------------------------------------------------ domain mismatch

    @Test
    void aTenantWhoseDomainsDoNotIncludeTheContactsEmailDomainNeedsAReason() {
        Map<String, Object> request = request(AMSTERDAM, "TENANT_ID", VAN_DER_BERG_TENANT, List.of(COPILOT),
                "j.vandenberg@mail.example");
        long before = claimCount();

        HttpResponse<String> noReason = post("anna", CLAIMS, request, null);
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(fieldProblems(noReason)).containsExactly("mismatchReason:REQUIRED_FOR_MISMATCH");

        request.put("mismatchReason", "BECAUSE");
        assertThat(fieldProblems(post("anna", CLAIMS, request, null))).containsExactly("mismatchReason:INVALID_VALUE");

        request.put("mismatchReason", "OTHER");
        HttpResponse<String> noNote = post("anna", CLAIMS, request, null);
        assertThat(noNote.statusCode()).isEqualTo(400);
        assertThat(fieldProblems(noNote)).containsExactly("mismatchNote:REQUIRED");
        request.put("mismatchNote", "  ");
        assertThat(fieldProblems(post("anna", CLAIMS, request, null))).containsExactly("mismatchNote:REQUIRED");
        assertThat(claimCount()).isEqualTo(before);

        request.put("mismatchReason", "CONTACT_USES_ANOTHER_DOMAIN");
        request.remove("mismatchNote");
        JsonNode claim = single(created("anna", request, null));
        assertAdded(claim, "anna", COPILOT, "TENANT:" + VAN_DER_BERG_TENANT, 30);
        assertThat(claim.get("mismatchReason").asString()).isEqualTo("CONTACT_USES_ANOTHER_DOMAIN");
        assertThat(jdbc.sql("select mismatch_reason from claim where id = ?").param(claim.get("id").asLong())
                .query(String.class).single()).isEqualTo("CONTACT_USES_ANOTHER_DOMAIN");
    }

    @Test
    void otherAsMismatchReasonIsStoredWithItsNote() {
        // Security assessment for the same tenant: another engagement, so no conflict with the test above.
        Map<String, Object> request = request(AMSTERDAM, "TENANT_ID", VAN_DER_BERG_TENANT, List.of(SECURITY),
                "j.vandenberg@mail.example");
        request.put("mismatchReason", "other");
        request.put("mismatchNote", "The IT manager is an external consultant.");
        JsonNode claim = single(created("anna", request, null));
        assertThat(claim.get("mismatchReason").asString()).isEqualTo("OTHER");
        assertThat(claim.get("mismatchNote").asString()).isEqualTo("The IT manager is an external consultant.");
    }

    @Test
    void theDryRunReportsADomainMismatchOnlyForAContactOutsideTheTenantsVerifiedDomains() {
        JsonNode mismatch = check("anna", AMSTERDAM, "TENANT_ID", NORTHWIND_TENANT, "inkoop@gmail.example");
        assertThat(mismatch.get("domainMismatch").asBoolean()).isTrue();
        assertThat(strings(mismatch.get("verifiedDomains"))).containsExactly("northwind-traders.com", "northwindtraders.nl");
        for (String email : List.of("inkoop@northwindtraders.nl", "inkoop@Northwind-Traders.COM",
                "inkoop@eu.northwindtraders.nl")) {
            assertThat(check("anna", AMSTERDAM, "TENANT_ID", NORTHWIND_TENANT, email).get("domainMismatch").asBoolean())
                    .as(email).isFalse();
        }
        assertThat(check("anna", AMSTERDAM, "TENANT_ID", NORTHWIND_TENANT, null).get("domainMismatch").asBoolean()).isFalse();
        // A verified internationalized domain, written as the contact writes it (Unicode).
        JsonNode muller = check("anna", AMSTERDAM, "TENANT_ID", MULLER_TENANT, "inkoop@müller-bäckerei.de");
        assertThat(muller.get("domainMismatch").asBoolean()).as(muller.toString()).isFalse();
        // A domain nomination was itself a verified domain: never a mismatch.
        assertThat(check("anna", AMSTERDAM, "DOMAIN", "northwindtraders.nl", "inkoop@gmail.example")
                .get("domainMismatch").asBoolean()).isFalse();
    }

    // ------------------------------------------------------------------ tenant not derived

    @Test
    void aDomainWithoutATenantInTheDirectoryCannotBeNominatedAndTheDryRunAsksForATenantOrTpid() {
        assertThat(context.getBeanNamesForType(TenantResolver.class))
                .as("the OpenID resolver is off by default").containsExactly("customerDirectory");
        long before = claimCount();
        JsonNode check = check("anna", AMSTERDAM, "DOMAIN", DOMAIN_WITHOUT_TENANT, null);
        assertThat(check.get("tenantMustBeSupplied").asBoolean()).isTrue();
        assertThat(check.get("customerKey").isNull()).isTrue();
        assertThat(check.get("customerFound").asBoolean()).isFalse();
        assertThat(check.get("engagements")).isEmpty();

        HttpResponse<String> response = post("anna", CLAIMS, request(AMSTERDAM, "DOMAIN", DOMAIN_WITHOUT_TENANT,
                List.of(SECURITY), "it@" + DOMAIN_WITHOUT_TENANT), null);
        assertThat(response.statusCode()).isEqualTo(422);
        assertProblem(response, "TENANT_NOT_DERIVED");
        assertThat(fieldProblems(response)).containsExactly("identifier.value:TENANT_NOT_DERIVED");
        assertThat(claimCount()).isEqualTo(before);
    }

    // ------------------------------------------------------------------ not eligible, already nominated

    @Test
    void notEligibleListsEveryReasonOfEveryEngagementAndCreatesNothing() {
        long before = claimCount();

        // Wingtip Toys Group: SMB, 8 seats, 6 active users.
        HttpResponse<String> wingtip = post("anna", CLAIMS, request(AMSTERDAM, "TPID", "2200003", List.of(COPILOT, SMB),
                "it@wingtiptoys.co.uk"), null);
        assertThat(wingtip.statusCode()).isEqualTo(422);
        assertProblem(wingtip, "NOT_ELIGIBLE");
        assertThat(reasonCodes(wingtip, COPILOT)).containsExactly("CRITERIA_NOT_MET");
        assertThat(failedCriteria(wingtip, COPILOT)).hasSize(2).anyMatch(c -> c.startsWith("Paid seats"))
                .anyMatch(c -> c.startsWith("Active usage"));
        assertThat(reasonCodes(wingtip, SMB)).containsExactly("CRITERIA_NOT_MET");
        assertThat(failedCriteria(wingtip, SMB)).singleElement(InstanceOfAssertFactories.STRING).startsWith("Minimum size");

        // A TPID the directory does not have; a TPID for an engagement that takes domains and tenants only.
        HttpResponse<String> unknown = post("anna", CLAIMS, request(AMSTERDAM, "TPID", "9876543", List.of(COPILOT),
                "it@unknown.example"), null);
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(reasonCodes(unknown, COPILOT)).containsExactly("CUSTOMER_NOT_FOUND");
        HttpResponse<String> typeNotAllowed = post("anna", CLAIMS, request(AMSTERDAM, "TPID", "2200004",
                List.of(SECURITY, SMB), "it@vanderberglogistiek.nl"), null);
        assertThat(typeNotAllowed.statusCode()).isEqualTo(422);
        assertThat(reasonCodes(typeNotAllowed, SECURITY)).containsExactly("IDENTIFIER_TYPE_NOT_ALLOWED");
        assertThat(reasonCodes(typeNotAllowed, SMB)).containsExactly("CRITERIA_NOT_MET"); // a Corporate TPID

        // VanArsdel consented to Fabrikam for the workshop; Seattle may not run the NL/DE/TR proof of concept.
        HttpResponse<String> vanArsdel = post("anna", CLAIMS, request(SEATTLE, "TENANT_ID", VANARSDEL_TENANT,
                List.of(COPILOT, MIGRATION_POC), "it@vanarsdel.de"), null);
        assertThat(vanArsdel.statusCode()).isEqualTo(422);
        assertThat(reasonCodes(vanArsdel, COPILOT)).containsExactlyInAnyOrder("CONSENTED_TO_ANOTHER_PARTNER",
                "CLAIM_LIMIT_REACHED");
        JsonNode consented = reason(vanArsdel, COPILOT, "CONSENTED_TO_ANOTHER_PARTNER");
        assertThat(Instant.parse(consented.get("until").asString())).isAfter(Instant.now());
        assertThat(vanArsdel.body()).doesNotContain("Fabrikam").doesNotContain("fabrikam");
        assertThat(reasonCodes(vanArsdel, MIGRATION_POC)).containsExactlyInAnyOrder("LOCATION_NOT_ELIGIBLE",
                "CRITERIA_NOT_MET");
        assertThat(claimCount()).isEqualTo(before);
    }

    @Test
    void aNominationIsAllOrNothingAcrossItsEngagements() {
        long before = claimCount();
        // Anadolu Lojistik (140 seats) qualifies for the security assessment, not for the workshop.
        HttpResponse<String> response = post("anna", CLAIMS, request(ISTANBUL, "TENANT_ID", ANADOLU_TENANT,
                List.of(SECURITY, COPILOT), "it@anadolulojistik.com.tr"), null);
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(engagementAnswer(response, SECURITY).get("eligible").asBoolean()).isTrue();
        assertThat(engagementAnswer(response, SECURITY).get("reasons")).isEmpty();
        assertThat(engagementAnswer(response, COPILOT).get("eligible").asBoolean()).isFalse();
        assertThat(failedCriteria(response, COPILOT)).singleElement(InstanceOfAssertFactories.STRING).startsWith("Paid seats");
        assertThat(claimCount()).isEqualTo(before);
    }

    @Test
    void aPartnerHoldsOneActiveClaimPerEngagementAndKeyWhateverTheLocationOrRetry() {
        Map<String, Object> request = request(AMSTERDAM, "TENANT_ID", PROSEWARE_TENANT, List.of(SECURITY),
                "it@proseware.co.uk");
        JsonNode first = single(created("anna", request, "proseware-1"));
        long after = claimCount();

        HttpResponse<String> otherKey = post("anna", CLAIMS, request, "proseware-2");
        HttpResponse<String> noKey = post("anna", CLAIMS, request, null);
        Map<String, Object> fromIstanbul = request(ISTANBUL, "DOMAIN", "proseware.co.uk", List.of(SECURITY),
                "it@proseware.co.uk");
        HttpResponse<String> otherLocation = post("umut", CLAIMS, fromIstanbul, null);
        for (HttpResponse<String> response : List.of(otherKey, noKey, otherLocation)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
            assertProblem(response, "ALREADY_NOMINATED");
            assertThat(reasonCodes(response, SECURITY)).contains("ALREADY_NOMINATED");
        }
        assertThat(claimCount()).isEqualTo(after);
        assertThat(get("anna", CLAIMS + "/" + first.get("id").asLong()).get("status").asString())
                .isEqualTo("CUSTOMER_CLAIMED");
    }

    // ------------------------------------------------------------------ no cascade

    @Test
    void eligibilityIsJudgedForTheNominatedKeyAloneAndNeverCascades() {
        // Northwind: the tenant meets the workshop's criteria (only Contoso's own claim on it stands in
        // the way); the group TPID 1100001 has 150 seats and 90 active users and does not.
        assertThat(copilotReasons(check("anna", AMSTERDAM, "TENANT_ID", NORTHWIND_TENANT, null)))
                .containsExactlyInAnyOrder("ALREADY_NOMINATED", "CLAIM_LIMIT_REACHED");
        assertThat(copilotReasons(check("anna", AMSTERDAM, "TPID", "1100001", null))).containsExactly("CRITERIA_NOT_MET");
        // Tailspin Toys: the reverse. The tenant has 80 seats; the holding TPID 1100023 has 2,500.
        assertThat(copilotReasons(check("anna", AMSTERDAM, "TENANT_ID", TAILSPIN_TENANT, null)))
                .containsExactly("CRITERIA_NOT_MET");
        assertThat(copilotReasons(check("anna", AMSTERDAM, "DOMAIN", "tailspintoys.com", null)))
                .containsExactly("CRITERIA_NOT_MET");
        JsonNode tailspinTpid = check("anna", AMSTERDAM, "TPID", "1100023", null);
        assertThat(engagement(tailspinTpid, COPILOT).get("eligible").asBoolean()).isTrue();

        long before = claimCount();
        HttpResponse<String> northwindTpid = post("anna", CLAIMS, request(AMSTERDAM, "TPID", "1100001", List.of(COPILOT),
                "it@northwindtraders.nl"), null);
        assertThat(northwindTpid.statusCode()).isEqualTo(422);
        assertThat(reasonCodes(northwindTpid, COPILOT)).containsExactly("CRITERIA_NOT_MET");
        HttpResponse<String> northwindTenant = post("anna", CLAIMS, request(AMSTERDAM, "TENANT_ID", NORTHWIND_TENANT,
                List.of(COPILOT), "it@northwindtraders.nl"), null);
        assertThat(northwindTenant.statusCode()).isEqualTo(409);
        assertThat(reasonCodes(northwindTenant, COPILOT)).doesNotContain("CRITERIA_NOT_MET");
        HttpResponse<String> tailspinTenant = post("anna", CLAIMS, request(AMSTERDAM, "TENANT_ID", TAILSPIN_TENANT,
                List.of(COPILOT), "it@tailspintoys.com"), null);
        assertThat(tailspinTenant.statusCode()).isEqualTo(422);
        assertThat(reasonCodes(tailspinTenant, COPILOT)).containsExactly("CRITERIA_NOT_MET");
        assertThat(claimCount()).isEqualTo(before);

        JsonNode claim = single(created("anna", request(AMSTERDAM, "TPID", "1100023", List.of(COPILOT),
                "it@tailspintoys.com"), null));
        assertThat(claim.get("customerKey").asString()).isEqualTo("TPID:1100023");
        // The TPID's claim says nothing about the tenant either: still only its own criteria.
        assertThat(copilotReasons(check("anna", AMSTERDAM, "TENANT_ID", TAILSPIN_TENANT, null)))
                .containsExactly("CRITERIA_NOT_MET");
        assertThat(copilotReasons(check("anna", AMSTERDAM, "TPID", "1100023", null)))
                .containsExactlyInAnyOrder("ALREADY_NOMINATED", "CLAIM_LIMIT_REACHED");
    }

    // ------------------------------------------------------------------ claim customer

    @Test
    void onlyAKnownCustomerOfThePartnerCanBeClaimed() {
        long before = claimCount();
        // City Power & Light declined Contoso's consent; A. Datum consented to Fabrikam, not to Contoso.
        for (String tenant : List.of(CPANDL_TENANT, ADATUM_TENANT)) {
            Map<String, Object> request = request(SEATTLE, "TENANT_ID", tenant, List.of(SECURITY), "it@example.com");
            request.put("origin", "CLAIM");
            request.put("mismatchReason", "CONTACT_USES_ANOTHER_DOMAIN");
            HttpResponse<String> response = post("anna", CLAIMS, request, null);
            assertThat(response.statusCode()).as(tenant + ": " + response.body()).isEqualTo(422);
            assertProblem(response, "NOT_A_KNOWN_CUSTOMER");
        }
        assertThat(claimCount()).isEqualTo(before);

        // Coho Winery consented to Contoso on an earlier workshop claim (now completed).
        String page = "/api/v1/engagements/" + COPILOT + "/customers?limit=200&q=Coho";
        assertThat(strings(get("ruth", page).get("items"), "kind")).containsExactly("KNOWN_CUSTOMER");
        Map<String, Object> coho = request(SEATTLE, "TENANT_ID", COHO_TENANT, List.of(COPILOT), "wine@cohowinery.com");
        coho.put("origin", "CLAIM");
        JsonNode claim = single(created("ruth", coho, null));
        assertThat(claim.get("origin").asString()).isEqualTo("CLAIM");
        assertThat(claim.get("status").asString()).isEqualTo("CUSTOMER_CLAIMED");
        assertThat(claim.get("history").get(0).get("action").asString()).isEqualTo("CUSTOMER_CLAIMED");
        assertThat(strings(get("ruth", page).get("items"), "kind")).containsExactly("CLAIM");
    }

    // ------------------------------------------------------------------ idempotency

    @Test
    void aRetryWithTheSameIdempotencyKeyReturnsTheFirstAnswerAndCreatesNothingMore() {
        Map<String, Object> request = request(ISTANBUL, "TENANT_ID", FOURTH_COFFEE_TENANT, List.of(SECURITY),
                "bt@fourthcoffee.com.tr");
        long before = claimCount();
        HttpResponse<String> first = post("umut", CLAIMS, request, "fourth-coffee-security");
        assertThat(first.statusCode()).isEqualTo(201);
        HttpResponse<String> retry = post("umut", CLAIMS, request, "fourth-coffee-security");
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(claimCount()).isEqualTo(before + 1);

        Map<String, Object> other = request(ISTANBUL, "TENANT_ID", FOURTH_COFFEE_TENANT, List.of(SECURITY),
                "bt@fourthcoffee.com.tr");
        other.put("friendlyName", "Another name");
        HttpResponse<String> reused = post("umut", CLAIMS, other, "fourth-coffee-security");
        assertThat(reused.statusCode()).isEqualTo(422);
        assertProblem(reused, "IDEMPOTENCY_KEY_REUSED");
        assertThat(claimCount()).isEqualTo(before + 1);
    }

    @Test
    void aRefusedRequestDoesNotUseUpItsIdempotencyKey() {
        long before = claimCount();
        HttpResponse<String> refused = post("anna", CLAIMS, request(AMSTERDAM, "TENANT_ID", BELLOWS_TENANT,
                List.of(COPILOT), "it@bellowscollege.edu"), "retry-after-refusal");
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(claimCount()).isEqualTo(before);

        HttpResponse<String> accepted = post("anna", CLAIMS, request(AMSTERDAM, "TENANT_ID", WIDE_WORLD_TENANT,
                List.of(SECURITY), "it@wideworldimporters.nl"), "retry-after-refusal");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
        assertThat(claimCount()).isEqualTo(before + 1);
    }

    // ------------------------------------------------------------------ dry run

    @Test
    void theDryRunResolvesTheKeyAndAnswersEveryEngagementWithoutCreatingAnything() {
        long before = claimCount();
        JsonNode check = check("anna", SEATTLE, "DOMAIN", "Northwind-Traders.com", "inkoop@northwindtraders.nl");
        assertThat(check.get("customerKey").asString()).isEqualTo("TENANT:" + NORTHWIND_TENANT);
        assertThat(check.get("customerFound").asBoolean()).isTrue();
        assertThat(check.get("customerName").asString()).isEqualTo("Northwind Traders");
        assertThat(check.get("tenantMustBeSupplied").asBoolean()).isFalse();
        assertThat(check.get("domainMismatch").asBoolean()).isFalse();
        assertThat(strings(check.get("engagements"), "engagementId")).contains(COPILOT, SECURITY, MIGRATION_POC, SMB, DATA,
                "teams-phone-workshop", "ai-apps-innovation-project", "sap-on-azure-migration");
        assertThat(engagement(check, SECURITY).get("eligible").asBoolean()).isTrue();
        assertThat(engagement(check, SECURITY).get("reasons")).isEmpty();
        assertThat(codes(engagement(check, COPILOT))).containsExactlyInAnyOrder("ALREADY_NOMINATED", "CLAIM_LIMIT_REACHED");
        assertThat(codes(engagement(check, MIGRATION_POC))).contains("LOCATION_NOT_ELIGIBLE");
        assertThat(codes(engagement(check, SMB))).contains("IDENTIFIER_TYPE_NOT_ALLOWED");
        assertThat(codes(engagement(check, DATA))).contains("IDENTIFIER_TYPE_NOT_ALLOWED");
        assertThat(codes(engagement(check, "teams-phone-workshop"))).contains("ENGAGEMENT_NOT_AVAILABLE");
        assertThat(codes(engagement(check, "ai-apps-innovation-project"))).contains("ENGAGEMENT_NOT_AVAILABLE");
        for (JsonNode answer : check.get("engagements")) {
            assertThat(answer.get("eligible").asBoolean()).isEqualTo(answer.get("reasons").isEmpty());
            answer.get("reasons").forEach(r -> assertThat(r.get("message").asString()).isNotBlank());
        }

        JsonNode unknown = check("anna", AMSTERDAM, "TENANT_ID", "0b0e5b2c-0000-4000-8000-000000000001", "it@newco.example");
        assertThat(unknown.get("customerFound").asBoolean()).isFalse();
        assertThat(unknown.get("customerKey").asString()).isEqualTo("TENANT:0b0e5b2c-0000-4000-8000-000000000001");
        assertThat(codes(engagement(unknown, SECURITY))).containsExactly("CUSTOMER_NOT_FOUND");
        assertThat(claimCount()).isEqualTo(before);
    }

    @Test
    void theDryRunRefusesInvalidInputPerField() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("locationId", "4100234");
        body.put("identifier", identifier("TENANT_ID", "nope"));
        body.put("customerEmail", "not-an-email");
        HttpResponse<String> response = post("anna", CHECKS, body, null);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(fieldProblems(response)).containsExactlyInAnyOrder("locationId:LOCATION_NOT_ENROLLED",
                "identifier.value:INVALID_IDENTIFIER", "customerEmail:INVALID_EMAIL");
        HttpResponse<String> empty = post("anna", CHECKS, Map.of(), null);
        assertThat(fieldProblems(empty)).containsExactlyInAnyOrder("locationId:REQUIRED", "identifier.type:REQUIRED");
    }

    // ------------------------------------------------------------------ roles

    @Test
    void onlyIncentivesUsersMayCheckOrNominateCustomers() {
        long before = claimCount();
        Map<String, Object> nomination = request(AMSTERDAM, "TENANT_ID", GRAPHIC_DESIGN_TENANT, List.of(SECURITY),
                "it@graphicdesigninstitute.co.uk");
        Map<String, Object> checkBody = Map.of("locationId", AMSTERDAM,
                "identifier", identifier("TENANT_ID", GRAPHIC_DESIGN_TENANT));
        for (String user : List.of("noah", "rita", "oscar", "sam")) {
            for (HttpResponse<String> response : List.of(post(user, CLAIMS, nomination, null),
                    post(user, CLAIMS, nomination, "forbidden-" + user), post(user, CHECKS, checkBody, null))) {
                assertThat(response.statusCode()).as(user).isEqualTo(403);
                assertProblem(response, "INCENTIVES_ROLE_REQUIRED");
            }
        }
        for (HttpResponse<String> response : List.of(post(null, CLAIMS, nomination, null), post(null, CHECKS, checkBody, null))) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertProblem(response, "UNAUTHENTICATED");
        }
        // An incentives user of one Contoso location cannot use another.
        assertThat(fieldProblems(post("umut", CLAIMS, nomination, null))).containsExactly("locationId:UNKNOWN_LOCATION");
        assertThat(fieldProblems(post("umut", CHECKS, checkBody, null))).containsExactly("locationId:UNKNOWN_LOCATION");
        // Fabrikam's administrator cannot use a Contoso location.
        assertThat(fieldProblems(post("farah", CLAIMS, nomination, null))).containsExactly("locationId:UNKNOWN_LOCATION");
        assertThat(fieldProblems(post("farah", CHECKS, checkBody, null))).containsExactly("locationId:UNKNOWN_LOCATION");
        assertThat(claimCount()).isEqualTo(before);

        long id = single(created("anna", nomination, null)).get("id").asLong();
        HttpResponse<String> foreign = http.get("farah", CLAIMS + "/" + id);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertProblem(foreign, "CLAIM_NOT_FOUND");
        assertThat(get("farah", CLAIMS + "?q=" + id).get("items")).isEmpty();
        assertThat(get("farah", "/api/v1/engagements/" + SECURITY + "/customers?limit=200").toString())
                .doesNotContain("\"claimId\":" + id + ",").doesNotContain("Graphic Design");
        assertThat(http.get("umut", CLAIMS + "/" + id).statusCode()).as("not umut's location").isEqualTo(404);
    }

    // ------------------------------------------------------------------ assertions

    /**
     * A freshly added claim: CUSTOMER_CLAIMED, consent due the engagement's consent days after
     * creation, one history entry, and readable by its id and on the Eligible tab of its engagement.
     */
    private void assertAdded(JsonNode claim, String user, String engagementId, String customerKey, int consentDays) {
        assertThat(claim.get("engagementId").asString()).isEqualTo(engagementId);
        assertThat(claim.get("status").asString()).isEqualTo("CUSTOMER_CLAIMED");
        assertThat(claim.get("customerKey").asString()).isEqualTo(customerKey);
        assertThat(claim.get("createdBy").asString()).isEqualTo(user);
        Instant created = Instant.parse(claim.get("createdAt").asString());
        assertThat(created).isBetween(Instant.now().minus(Duration.ofMinutes(2)), Instant.now().plusSeconds(5));
        assertThat(Instant.parse(claim.get("deadlines").get("consentDueAt").asString()))
                .isEqualTo(created.plus(Duration.ofDays(consentDays)));
        JsonNode history = claim.get("history");
        assertThat(history).hasSize(1);
        assertThat(history.get(0).get("action").asString()).isEqualTo("CUSTOMER_ADDED");
        assertThat(history.get(0).get("actorType").asString()).isEqualTo("PARTNER_USER");
        assertThat(history.get(0).get("actor").asString()).isEqualTo(user);
        assertThat(history.get(0).get("fromStatus").isNull()).isTrue();
        assertThat(history.get(0).get("toStatus").asString()).isEqualTo("CUSTOMER_CLAIMED");
        assertThat(Instant.parse(history.get(0).get("at").asString())).isEqualTo(created);

        long id = claim.get("id").asLong();
        JsonNode details = get(user, CLAIMS + "/" + id);
        assertThat(details.get("status").asString()).isEqualTo("CUSTOMER_CLAIMED");
        assertThat(details.get("customerKey").asString()).isEqualTo(customerKey);
        assertThat(details.get("deadlines")).isEqualTo(claim.get("deadlines"));
        assertThat(details.get("history")).isEqualTo(history);

        JsonNode eligible = get(user, "/api/v1/engagements/" + engagementId + "/customers?limit=200&q=" + id);
        assertThat(eligible.get("tab").asString()).isEqualTo("eligible");
        assertThat(eligible.get("items")).singleElement().satisfies(row -> {
            assertThat(row.get("kind").asString()).isEqualTo("CLAIM");
            assertThat(row.get("claimId").asLong()).isEqualTo(id);
            assertThat(row.get("status").asString()).isEqualTo("CUSTOMER_CLAIMED");
            assertThat(row.get("customerKey").asString()).isEqualTo(customerKey);
            assertThat(row.get("deadline").get("kind").asString()).isEqualTo("CONSENT");
        });
    }

    /** The claim keeps the rate card in force today: the newest version effective on or before today. */
    private void assertRateCardSnapshotIsTodays(long claimId) {
        JsonNode cards = get("anna", "/api/v1/engagements/" + DATA).get("payout").get("rateCards");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        JsonNode inForce = null;
        for (JsonNode card : cards) {
            LocalDate from = LocalDate.parse(card.get("effectiveFrom").asString());
            if (!from.isAfter(today) && (inForce == null
                    || from.isAfter(LocalDate.parse(inForce.get("effectiveFrom").asString())))) {
                inForce = card;
            }
        }
        assertThat(cards).hasSize(2);
        assertThat(inForce).isNotNull();
        assertThat(inForce.get("maxHours").asInt()).isEqualTo(240);
        JsonNode snapshot = JSON.readTree(jdbc.sql("select rate_card::text from claim where id = ?").param(claimId)
                .query(String.class).single());
        assertThat(snapshot.get("effectiveFrom").asString()).isEqualTo(inForce.get("effectiveFrom").asString());
        assertThat(snapshot.get("maxHours").asInt()).isEqualTo(240);
        for (String field : List.of("capPercent", "rateA", "rateB", "rateC")) {
            assertThat(snapshot.get(field).decimalValue()).as(field).isEqualByComparingTo(inForce.get(field).decimalValue());
        }
        assertThat(snapshot.get("rateA").decimalValue()).isEqualByComparingTo(new BigDecimal("165"));
        assertThat(snapshot.get("capPercent").decimalValue()).isEqualByComparingTo(new BigDecimal("20"));
    }

    private static void assertProblem(HttpResponse<String> response, String code) {
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(JSON.readTree(response.body()).path("code").asString()).as(response.body()).isEqualTo(code);
    }

    /** {@code field:code} of every field problem; each must carry a human message, not a message key. */
    private static List<String> fieldProblems(HttpResponse<String> response) {
        JsonNode body = JSON.readTree(response.body());
        assertThat(response.statusCode()).as(response.body()).isIn(400, 422);
        List<String> problems = new ArrayList<>();
        if (body.get("errors") != null) {
            for (JsonNode error : body.get("errors")) {
                String message = error.get("message").asString();
                assertThat(message).as("message of %s", error).isNotBlank()
                        .doesNotStartWith("nomination.").doesNotStartWith("identifier.").doesNotStartWith("problem.");
                problems.add(error.get("field").asString() + ":" + error.get("code").asString());
            }
        }
        return problems;
    }

    // ------------------------------------------------------------------ requests

    static Arguments invalid(String name, Consumer<Map<String, Object>> change, String... expected) {
        return Arguments.of(name, change, List.of(expected));
    }

    /** Turns the FIXED validation base into a valid VARIABLE one (the Adventure Works SAP opportunity), then changes it. */
    static Consumer<Map<String, Object>> variable(Consumer<Map<String, Object>> change) {
        return r -> {
            r.put("identifier", identifier("MSX_OPPORTUNITY_ID", "7-4N9Y6B3EYZ"));
            r.put("engagementIds", List.of(DATA));
            r.put("hours", 100);
            change.accept(r);
        };
    }

    /** Trey Research (720 seats) for the security assessment from Amsterdam: a valid nomination. */
    static Map<String, Object> validationBase() {
        return request(AMSTERDAM, "TENANT_ID", TREY_TENANT, List.of(SECURITY), "tess@treyresearch.net");
    }

    static Map<String, Object> request(String locationId, String type, String value, List<String> engagementIds,
                                       String customerEmail) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("origin", "ADD");
        request.put("friendlyName", "API nomination " + value);
        request.put("locationId", locationId);
        request.put("identifier", identifier(type, value));
        request.put("engagementIds", engagementIds);
        request.put("customerContact", contact("Customer Contact", customerEmail, "+31 20 555 0100", "nl"));
        request.put("partnerContact", contact("Anna de Vries", "anna.devries@contoso-consulting.example", null, null));
        return request;
    }

    static Map<String, Object> identifier(String type, String value) {
        Map<String, Object> identifier = new LinkedHashMap<>();
        identifier.put("type", type);
        identifier.put("value", value);
        return identifier;
    }

    static Map<String, Object> contact(String name, String email, String phone, String language) {
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("name", name);
        contact.put("email", email);
        contact.put("phone", phone);
        contact.put("language", language);
        return contact;
    }

    static List<String> nullList() {
        List<String> list = new ArrayList<>();
        list.add(null);
        return list;
    }

    private JsonNode created(String user, Map<String, Object> request, String idempotencyKey) {
        HttpResponse<String> response = post(user, CLAIMS, request, idempotencyKey);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).get("claims");
    }

    private static JsonNode single(JsonNode claims) {
        assertThat(claims).hasSize(1);
        return claims.get(0);
    }

    private JsonNode check(String user, String locationId, String type, String value, String customerEmail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("locationId", locationId);
        body.put("identifier", identifier(type, value));
        body.put("customerEmail", customerEmail);
        HttpResponse<String> response = post(user, CHECKS, body, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode get(String user, String path) {
        HttpResponse<String> response = http.get(user, path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> post(String user, String path, Object body, String idempotencyKey) {
        return postRaw(user, path, JSON.writeValueAsString(body), idempotencyKey);
    }

    private HttpResponse<String> postRaw(String user, String path, String json, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(http.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(user, request);
    }

    private long claimCount() {
        return jdbc.sql("select count(*) from claim").query(Long.class).single();
    }

    // ------------------------------------------------------------------ reading answers

    private static JsonNode engagement(JsonNode check, String engagementId) {
        for (JsonNode answer : check.get("engagements")) {
            if (answer.get("engagementId").asString().equals(engagementId)) {
                return answer;
            }
        }
        throw new AssertionError("no answer for " + engagementId + " in " + check);
    }

    private static List<String> copilotReasons(JsonNode check) {
        return codes(engagement(check, COPILOT));
    }

    private static JsonNode engagementAnswer(HttpResponse<String> response, String engagementId) {
        return engagement(JSON.readTree(response.body()), engagementId);
    }

    private static List<String> reasonCodes(HttpResponse<String> response, String engagementId) {
        JsonNode answer = engagementAnswer(response, engagementId);
        assertThat(answer.get("eligible").asBoolean()).isFalse();
        return codes(answer);
    }

    private static JsonNode reason(HttpResponse<String> response, String engagementId, String code) {
        for (JsonNode reason : engagementAnswer(response, engagementId).get("reasons")) {
            if (reason.get("code").asString().equals(code)) {
                return reason;
            }
        }
        throw new AssertionError("no " + code + " for " + engagementId + " in " + response.body());
    }

    private static List<String> failedCriteria(HttpResponse<String> response, String engagementId) {
        return strings(reason(response, engagementId, "CRITERIA_NOT_MET").get("criteria"));
    }

    private static List<String> codes(JsonNode answer) {
        List<String> codes = new ArrayList<>();
        answer.get("reasons").forEach(r -> {
            assertThat(r.get("message").asString()).isNotBlank();
            codes.add(r.get("code").asString());
        });
        return codes;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }

    private static List<String> strings(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.get(field).asString()));
        return values;
    }
}
