package org.mciengagements.referral;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.support.Http;
import org.mciengagements.support.PageSession;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * Who sees and works which referral (SPEC §2, §11), for every demo user and an anonymous caller, on
 * every referral endpoint and page: a partner's referral administrators see all of their partner's
 * referrals and take every decision; sellers see co-sell referrals of every partner and only accept;
 * other partner users, reviewers and operators are refused (403); a referral the caller may not see
 * is answered as one that does not exist (404). Four referrals are made for it: partner-led and
 * co-sell, of Contoso and of Fabrikam.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "mci.test.isolated-context=referral-visibility")
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReferralVisibilityTest {

    /** Everyone with no access to referrals at all. */
    static final List<String> NO_ACCESS = List.of("anna", "umut", "noah", "rita", "oscar");
    static final List<String> EVERYONE = List.of("anna", "umut", "ruth", "noah", "farah", "rita", "oscar", "sam");

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    EngagementCatalog catalog;
    @Autowired
    ProgramClock clock;
    Http http;
    ReferralFixture fixture;

    long contosoClaim;
    long contosoLed;
    long contosoCoSell;
    long fabrikamLed;
    long fabrikamCoSell;
    long ruthsClaim;
    long umutsClaim;

    @BeforeAll
    void fourReferrals() {
        http = new Http(port);
        fixture = new ReferralFixture(http, jdbc, catalog, clock, "referral-visibility");
        String engagement = fixture.engagement(ReferralFixture.DEMO_POLICY);
        contosoClaim = fixture.consentRequested("anna", "4100231", engagement, fixture.plainTenant(), "25000");
        contosoLed = fixture.referralIdOf(contosoClaim);
        long claim = fixture.nominate("anna", "4100231", fixture.coSellTenant(), engagement);
        fixture.accept(fixture.sendConsent("anna", claim, "25000"));
        contosoCoSell = fixture.referralIdOf(claim);
        fabrikamLed = fixture.referralIdOf(fixture.consentRequested("farah", "5200411", engagement,
                fixture.plainTenant(), "25000"));
        claim = fixture.nominate("farah", "5200411", fixture.coSellTenant(), engagement);
        fixture.accept(fixture.sendConsent("farah", claim, "25000"));
        fabrikamCoSell = fixture.referralIdOf(claim);
        ruthsClaim = fixture.consentRequested("ruth", "4100233", engagement, fixture.plainTenant(), "25000");
        umutsClaim = fixture.consentRequested("umut", "4100232", engagement, fixture.plainTenant(), "25000");
        assertThat(List.of(fixture.stateOf(contosoClaim), fixture.stateOf(claim)))
                .containsExactly("NEW/PENDING partner-led", "NEW/PENDING co-sell");
    }

    /** The expected answer to reading a referral: 200, or 404 for one outside the caller's view. */
    private int expectedRead(String user, long referral) {
        if (user == null) {
            return 401;
        }
        if (NO_ACCESS.contains(user)) {
            return 403;
        }
        boolean contoso = referral == contosoLed || referral == contosoCoSell;
        boolean coSell = referral == contosoCoSell || referral == fabrikamCoSell;
        boolean sees = switch (user) {
            case "ruth" -> contoso;
            case "farah" -> !contoso;
            case "sam" -> coSell;
            default -> throw new IllegalArgumentException(user);
        };
        return sees ? 200 : 404;
    }

    private List<Long> referrals() {
        return List.of(contosoLed, contosoCoSell, fabrikamLed, fabrikamCoSell);
    }

    private static List<String> everyoneAndAnonymous() {
        List<String> users = new ArrayList<>(EVERYONE);
        users.add(null);
        return users;
    }

    @Test
    @Order(1)
    void readingOneReferralThroughTheApi() {
        for (String user : everyoneAndAnonymous()) {
            for (long referral : referrals()) {
                HttpResponse<String> response = http.get(user, "/api/v1/referrals/" + referral);
                int expected = expectedRead(user, referral);
                assertThat(response.statusCode()).as("%s reads %d", user, referral).isEqualTo(expected);
                assertThat(response.body()).contains(switch (expected) {
                    case 200 -> "\"id\":" + referral + ",";
                    case 401 -> "\"code\":\"UNAUTHENTICATED\"";
                    case 403 -> "\"code\":\"REFERRAL_ROLE_REQUIRED\"";
                    default -> "\"code\":\"REFERRAL_NOT_FOUND\"";
                });
            }
        }
        assertThat(http.get("ruth", "/api/v1/referrals/999999").body()).as("none at all reads the same")
                .contains("\"code\":\"REFERRAL_NOT_FOUND\"");
    }

    @Test
    @Order(1)
    void listingReferralsThroughTheApi() {
        for (String user : everyoneAndAnonymous()) {
            HttpResponse<String> response = http.get(user, "/api/v1/referrals?limit=200");
            int expected = user == null ? 401 : NO_ACCESS.contains(user) ? 403 : 200;
            assertThat(response.statusCode()).as(user).isEqualTo(expected);
            if (expected != 200) {
                continue;
            }
            JsonNode items = ReferralFixture.JSON.readTree(response.body()).get("items");
            List<Long> ids = new ArrayList<>();
            items.forEach(item -> {
                ids.add(item.get("id").asLong());
                switch (user) {
                    case "ruth" -> assertThat(item.get("partnerId").asString()).isEqualTo("contoso");
                    case "farah" -> assertThat(item.get("partnerId").asString()).isEqualTo("fabrikam");
                    default -> assertThat(item.get("coSell").asBoolean()).as("sam sees co-sell only").isTrue();
                }
            });
            List<Long> visible = referrals().stream().filter(r -> expectedRead(user, r) == 200).toList();
            assertThat(ids).as(user).containsAll(visible);
            assertThat(ids).as(user).doesNotContainAnyElementsOf(referrals().stream().filter(r -> !visible.contains(r)).toList());
        }
        // Filters narrow the caller's own view and never widen it.
        String ruthsNew = http.get("ruth", "/api/v1/referrals?status=NEW&coSell=true&limit=200").body();
        assertThat(ruthsNew).contains("\"id\":" + contosoCoSell + ",").doesNotContain("\"id\":" + contosoLed + ",")
                .doesNotContain("\"id\":" + fabrikamCoSell + ",");
        assertThat(http.get("sam", "/api/v1/referrals?coSell=false").body()).contains("\"items\":[]");
    }

    @Test
    @Order(1)
    void readingReferralPages() {
        for (String user : everyoneAndAnonymous()) {
            HttpResponse<String> list = http.page(user, "/referrals");
            int expectedList = user == null ? 302 : NO_ACCESS.contains(user) ? 403 : 200;
            assertThat(list.statusCode()).as("%s list", user).isEqualTo(expectedList);
            for (long referral : referrals()) {
                HttpResponse<String> page = http.page(user, "/referrals/" + referral);
                int expected = expectedRead(user, referral);
                assertThat(page.statusCode()).as("%s opens %d", user, referral).isEqualTo(expected == 401 ? 302 : expected);
                if (expected == 401) {
                    assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/login");
                }
                if (expectedList == 200) {
                    assertThat(list.body().contains("href=\"/referrals/" + referral + "\""))
                            .as("%s's list links %d", user, referral).isEqualTo(expected == 200);
                }
            }
        }
        // The nav offers referrals to exactly the users who may open them.
        for (String user : EVERYONE) {
            String page = http.page(user, "/welcome").body();
            assertThat(page.contains("id=\"nav-referrals\"")).as(user).isEqualTo(!NO_ACCESS.contains(user));
        }
    }

    @Test
    @Order(1)
    void theClaimPageLinksItsReferralForReferralAdministratorsAndOnlyMentionsItToOthers() {
        String annas = http.page("anna", "/claims/" + contosoClaim).body();
        assertThat(annas).contains("A referral was created from this claim.").doesNotContain("href=\"/referrals/");
        String umuts = http.page("umut", "/claims/" + umutsClaim).body();
        assertThat(umuts).contains("A referral was created from this claim.").doesNotContain("href=\"/referrals/");
        String ruths = http.page("ruth", "/claims/" + ruthsClaim).body();
        assertThat(ruths).contains("href=\"/referrals/" + fixture.referralIdOf(ruthsClaim) + "\"")
                .contains("Referral " + fixture.referralIdOf(ruthsClaim) + " · New · Pending")
                .doesNotContain("A referral was created from this claim.");
        // The API's claim details carry the summary for everyone who sees the claim.
        JsonNode summary = ReferralFixture.JSON.readTree(http.get("umut", "/api/v1/claims/" + umutsClaim).body())
                .get("referral");
        assertThat(summary.get("id").asLong()).isEqualTo(fixture.referralIdOf(umutsClaim));
        assertThat(summary.get("status").asString() + "/" + summary.get("subStatus").asString()).isEqualTo("NEW/PENDING");
        assertThat(summary.get("coSell").asBoolean()).isFalse();
        // A referral page links back to the claim only for those who see the claim.
        assertThat(http.page("ruth", "/referrals/" + contosoLed).body())
                .as("ruth has no role on the claim's location").doesNotContain("href=\"/claims/" + contosoClaim + "\"");
        assertThat(http.page("ruth", "/referrals/" + fixture.referralIdOf(ruthsClaim)).body())
                .contains("href=\"/claims/" + ruthsClaim + "\"");
    }

    @Test
    @Order(1)
    void referralPagesSpeakTheReadersLanguageDownToTheHistorysReasons() {
        assertThat(ReferralFixture.text(http.page("sam", "/referrals/" + contosoCoSell + "?lang=en").body())).contains("Referral " + contosoCoSell)
                .contains("Condition met: customer.coSellEligible == true").contains("Upgraded to co-sell");
        assertThat(ReferralFixture.text(http.page("sam", "/referrals/" + contosoCoSell + "?lang=nl").body())).contains("Verwijzing " + contosoCoSell)
                .contains("Aan de voorwaarde is voldaan: customer.coSellEligible == true").contains("Omgezet naar co-sell")
                .contains("In afwachting");
        assertThat(http.page("sam", "/referrals?lang=tr").body()).contains("Yönlendirmeler").contains("Ortak satış")
                .contains("Beklemede");
    }

    @Test
    @Order(1)
    void decisionsThroughTheApiReachOnlyReferralsTheCallerSees() {
        // An unknown decision is refused after visibility, so it probes access without changing anything.
        for (String user : everyoneAndAnonymous()) {
            for (long referral : referrals()) {
                HttpResponse<String> response = http.postJson(user, "/api/v1/referrals/" + referral + "/decisions",
                        "{\"decision\":\"MAYBE\"}");
                int read = expectedRead(user, referral);
                assertThat(response.statusCode()).as("%s decides on %d", user, referral).isEqualTo(read == 200 ? 400 : read);
            }
        }
        assertThat(states()).containsOnly("NEW/PENDING");
    }

    @Test
    @Order(1)
    void decisionsThroughPageFormsReachOnlyReferralsTheCallerSees() {
        for (String user : everyoneAndAnonymous()) {
            PageSession session = PageSession.of(http, user);
            for (long referral : referrals()) {
                HttpResponse<String> response = session.postForm("/referrals/" + referral + "/decisions",
                        Map.of("decision", "MAYBE"));
                int read = expectedRead(user, referral);
                if (read == 200 || read == 401) {
                    assertThat(response.statusCode()).as("%s posts on %d", user, referral).isEqualTo(302);
                    assertThat(response.headers().firstValue("Location").orElseThrow())
                            .endsWith(read == 200 ? "/referrals/" + referral : "/login");
                } else {
                    assertThat(response.statusCode()).as("%s posts on %d", user, referral).isEqualTo(read);
                }
            }
        }
        assertThat(states()).containsOnly("NEW/PENDING");
    }

    @Test
    @Order(2)
    void sellersOnlyAcceptCoSellReferralsAndAdministratorsTakeEveryDecision() {
        for (String decision : List.of("WON", "LOST", "DECLINE")) {
            HttpResponse<String> refused = decide("sam", contosoCoSell, decision);
            assertThat(refused.statusCode()).as(decision).isEqualTo(403);
            assertThat(refused.body()).contains("\"code\":\"REFERRAL_READ_ONLY\"");
        }
        assertThat(decide("sam", contosoLed, "ACCEPT").statusCode()).as("partner-led is not sam's").isEqualTo(404);
        assertThat(decide("farah", contosoCoSell, "ACCEPT").statusCode()).isEqualTo(404);
        assertThat(allowed("sam", contosoCoSell)).containsExactly("ACCEPT");
        assertThat(allowed("ruth", contosoCoSell)).containsExactly("ACCEPT", "DECLINE");

        HttpResponse<String> accepted = decide("sam", contosoCoSell, "ACCEPT");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        JsonNode view = ReferralFixture.JSON.readTree(accepted.body());
        assertThat(view.get("status").asString() + "/" + view.get("subStatus").asString()).isEqualTo("ACTIVE/ACCEPTED");
        JsonNode last = view.get("history").get(view.get("history").size() - 1);
        assertThat(last.get("actorType").asString() + " " + last.get("actor").asString() + " " + last.get("action").asString())
                .isEqualTo("SELLER sam ACCEPT");
        assertThat(allowed("sam", contosoCoSell)).as("read-only once accepted").isEmpty();
        assertThat(allowed("ruth", contosoCoSell)).containsExactly("WON", "LOST");
        HttpResponse<String> again = decide("sam", contosoCoSell, "ACCEPT");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("\"code\":\"INVALID_STATUS\"");
        assertThat(decide("ruth", contosoCoSell, "WON").statusCode()).isEqualTo(200);
        assertThat(allowed("ruth", contosoCoSell)).isEmpty();

        // Through the page, with a comment; the flash says what happened.
        PageSession ruth = PageSession.of(http, "ruth");
        HttpResponse<String> posted = ruth.postForm("/referrals/" + contosoLed + "/decisions",
                Map.of("decision", "DECLINE", "comment", "Not a fit for us."));
        assertThat(posted.statusCode()).isEqualTo(302);
        assertThat(ruth.get("/referrals/" + contosoLed).body()).contains("Referral " + contosoLed + " declined.")
                .contains("Not a fit for us.");
        assertThat(decide("farah", fabrikamLed, "ACCEPT").statusCode()).isEqualTo(200);
        assertThat(decide("farah", fabrikamLed, "LOST").statusCode()).isEqualTo(200);
        assertThat(states()).containsExactly("CLOSED/DECLINED", "CLOSED/WON", "CLOSED/LOST", "NEW/PENDING");
    }

    private HttpResponse<String> decide(String user, long referral, String decision) {
        return http.postJson(user, "/api/v1/referrals/" + referral + "/decisions", "{\"decision\":\"" + decision + "\"}");
    }

    private List<String> allowed(String user, long referral) {
        JsonNode view = ReferralFixture.JSON.readTree(http.get(user, "/api/v1/referrals/" + referral).body());
        List<String> decisions = new ArrayList<>();
        view.get("allowedDecisions").forEach(d -> decisions.add(d.asString()));
        return decisions;
    }

    /** The four referrals' "STATUS/SUB_STATUS", in the order contosoLed, contosoCoSell, fabrikamLed, fabrikamCoSell. */
    private List<String> states() {
        return referrals().stream().map(id -> jdbc.sql("select status || '/' || sub_status from referral where id = ?")
                .param(id).query(String.class).single()).toList();
    }
}
