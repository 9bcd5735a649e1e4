package org.mciengagements.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mciengagements.support.Http;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Who may call what. Every endpoint and page, for every role of SPEC §2 and for a caller of
 * another partner. Demo users: anna (incentives admin, Contoso), umut (incentives user, Contoso),
 * ruth (incentives user and referral admin, Contoso), noah (Contoso, no role), farah (incentives
 * admin and referral admin, Fabrikam), rita (reviewer), oscar (operator), sam (seller).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AccessControlTest {

    static final List<String> INCENTIVES = List.of("anna", "umut", "ruth", "farah");
    static final List<String> PARTNER_WITHOUT_INCENTIVES = List.of("noah");
    static final List<String> VENDOR = List.of("rita", "oscar", "sam");

    /** Partner-scoped reads: incentives roles only. {engagement} is an engagement both partners see. */
    static final List<String> INCENTIVES_API = List.of("/api/v1/engagements", "/api/v1/engagements/{engagement}",
            "/api/v1/engagements/{engagement}/customers", "/api/v1/engagements/{engagement}/customers?tab=ineligible",
            "/api/v1/engagements/{engagement}/customers?tab=complete", "/api/v1/engagements/{engagement}/customers.csv",
            "/api/v1/claims");
    static final List<String> INCENTIVES_PAGES = List.of("/engagements", "/engagements/{engagement}",
            "/engagements/{engagement}/customers", "/engagements/{engagement}/customers?tab=complete",
            "/engagements/{engagement}/customers/export", "/claims");

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    Http http;
    String sharedEngagement;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        sharedEngagement = jdbc.sql("""
                        select e.id from engagement e where e.first_claim_day <= current_date
                          and e.last_claim_day >= current_date and cardinality(e.allowed_countries) = 0
                          and cardinality(e.eligible_location_ids) = 0 order by e.id limit 1""")
                .query(String.class).single();
    }

    static Stream<Arguments> incentivesEndpoints() {
        return Stream.concat(INCENTIVES_API.stream(), INCENTIVES_PAGES.stream()).map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("incentivesEndpoints")
    void incentivesUsersOfEitherPartnerMayReadTheirOwnEngagementData(String path) {
        for (String user : INCENTIVES) {
            assertThat(get(user, path).statusCode()).as("%s %s", user, path).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @MethodSource("incentivesEndpoints")
    void partnerUsersWithoutAnIncentivesRoleAndVendorStaffAreForbidden(String path) {
        for (String user : Stream.concat(PARTNER_WITHOUT_INCENTIVES.stream(), VENDOR.stream()).toList()) {
            HttpResponse<String> response = get(user, path);
            assertThat(response.statusCode()).as("%s %s", user, path).isEqualTo(403);
            if (path.startsWith("/api/")) {
                assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(response.body()).contains("\"code\":\"INCENTIVES_ROLE_REQUIRED\"");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("incentivesEndpoints")
    void anonymousCallersMustAuthenticate(String path) {
        HttpResponse<String> response = get(null, path);
        if (path.startsWith("/api/")) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).contains("\"code\":\"UNAUTHENTICATED\"");
        } else {
            assertThat(response.statusCode()).isEqualTo(302);
            assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith("/login");
        }
    }

    @Test
    void everySignedInUserMayAskWhoTheyAre() {
        for (String user : Stream.of(INCENTIVES, PARTNER_WITHOUT_INCENTIVES, VENDOR).flatMap(List::stream).toList()) {
            HttpResponse<String> response = http.get(user, "/api/v1/me");
            assertThat(response.statusCode()).as(user).isEqualTo(200);
            assertThat(response.body()).contains("\"username\":\"" + user + "\"");
        }
        assertThat(http.get(null, "/api/v1/me").statusCode()).isEqualTo(401);
    }

    @Test
    void onlyPartnerUsersHaveLocations() {
        for (String user : Stream.concat(INCENTIVES.stream(), PARTNER_WITHOUT_INCENTIVES.stream()).toList()) {
            assertThat(http.get(user, "/api/v1/locations").statusCode()).as(user).isEqualTo(200);
        }
        for (String user : VENDOR) {
            assertThat(http.get(user, "/api/v1/locations").statusCode()).as(user).isEqualTo(403);
        }
    }

    @Test
    void locationsListOnlyTheCallersOwnPartner() {
        String contoso = http.get("anna", "/api/v1/locations").body();
        String fabrikam = http.get("farah", "/api/v1/locations").body();
        List<String> contosoIds = locationIdsOf("anna");
        List<String> fabrikamIds = locationIdsOf("farah");
        assertThat(contosoIds).isNotEmpty().doesNotContainAnyElementsOf(fabrikamIds);
        contosoIds.forEach(id -> assertThat(contoso).contains(id));
        fabrikamIds.forEach(id -> assertThat(contoso).doesNotContain(id));
        contosoIds.forEach(id -> assertThat(fabrikam).doesNotContain(id));
    }

    @Test
    void aClaimOfAnotherPartnerDoesNotExistForYou() {
        long contosoClaim = claimVisibleTo("anna");
        long fabrikamClaim = claimVisibleTo("farah");
        assertThat(http.get("anna", "/api/v1/claims/" + contosoClaim).statusCode()).isEqualTo(200);
        assertThat(http.page("anna", "/claims/" + contosoClaim).statusCode()).isEqualTo(200);
        assertThat(http.get("farah", "/api/v1/claims/" + fabrikamClaim).statusCode()).isEqualTo(200);

        HttpResponse<String> foreign = http.get("farah", "/api/v1/claims/" + contosoClaim);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.body()).contains("\"code\":\"CLAIM_NOT_FOUND\"");
        assertThat(http.page("farah", "/claims/" + contosoClaim).statusCode()).isEqualTo(404);
        assertThat(http.get("anna", "/api/v1/claims/" + fabrikamClaim).statusCode()).isEqualTo(404);
        for (String user : Stream.concat(PARTNER_WITHOUT_INCENTIVES.stream(), VENDOR.stream()).toList()) {
            assertThat(http.get(user, "/api/v1/claims/" + contosoClaim).statusCode()).as(user).isEqualTo(403);
        }
    }

    @Test
    void onlyTheOwningPartnersIncentivesUsersSubmitDisputeOrCancelItsClaims() {
        // Every call here is refused or invalid, so the shared demo data never changes.
        long claim = jdbc.sql("""
                        select c.id from claim c where c.partner_id = 'contoso' and c.location_id = '4100231'
                          and c.status = 'CONSENT_RECEIVED' order by c.id limit 1""").query(Long.class).single();
        String base = "/api/v1/claims/" + claim;
        java.util.function.Function<String, HttpResponse<String>> submit = user -> http.send(user,
                new org.mciengagements.support.Multipart().field("comments", "x").post(http, base + "/submissions"));
        java.util.function.Function<String, HttpResponse<String>> dispute = user -> http.send(user,
                new org.mciengagements.support.Multipart().field("reason", "x").post(http, base + "/disputes"));
        java.util.function.Function<String, HttpResponse<String>> cancel = user -> http.postJson(user,
                base + "/cancellation", "{}");
        java.util.function.Function<String, HttpResponse<String>> document = user -> http.get(user, base + "/documents/1");
        for (var action : List.of(submit, dispute, cancel, document)) {
            assertThat(action.apply(null).statusCode()).isEqualTo(401);
            assertThat(action.apply("farah").statusCode()).as("another partner").isEqualTo(404);
            for (String user : Stream.concat(PARTNER_WITHOUT_INCENTIVES.stream(), VENDOR.stream()).toList()) {
                HttpResponse<String> response = action.apply(user);
                assertThat(response.statusCode()).as(user).isEqualTo(403);
                assertThat(response.body()).contains("INCENTIVES_ROLE_REQUIRED");
            }
        }
        assertThat(submit.apply("anna").statusCode()).as("anna may, but sent no proof").isEqualTo(400);
        assertThat(dispute.apply("anna").statusCode()).as("not rejected").isEqualTo(409);
        assertThat(cancel.apply("anna").statusCode()).as("no reason").isEqualTo(400);
        assertThat(document.apply("anna").statusCode()).as("no such document").isEqualTo(404);
        assertThat(jdbc.sql("select status from claim where id = ?").param(claim).query(String.class).single())
                .isEqualTo("CONSENT_RECEIVED");
    }

    @Test
    void onlyReviewersReachTheReviewQueueDecisionsAndPayouts() {
        long claim = jdbc.sql("select id from claim where status = 'SUBMITTED' order by id limit 1").query(Long.class).single();
        String base = "/api/v1/review/claims/" + claim;
        for (String user : List.of("anna", "umut", "ruth", "farah", "noah", "oscar", "sam")) {
            assertThat(http.get(user, "/api/v1/review/claims").statusCode()).as(user).isEqualTo(403);
            assertThat(http.get(user, base).statusCode()).as(user).isEqualTo(403);
            assertThat(http.postJson(user, base + "/decisions", "{\"decision\":\"START_REVIEW\"}").statusCode())
                    .as(user).isEqualTo(403);
            assertThat(http.postJson(user, base + "/payouts", "{}").statusCode()).as(user).isEqualTo(403);
            assertThat(http.get(user, base + "/documents/1").statusCode()).as(user).isEqualTo(403);
        }
        assertThat(http.get(null, "/api/v1/review/claims").statusCode()).isEqualTo(401);
        assertThat(http.postJson(null, base + "/decisions", "{\"decision\":\"START_REVIEW\"}").statusCode()).isEqualTo(401);
        assertThat(http.get("rita", "/api/v1/review/claims").statusCode()).isEqualTo(200);
        assertThat(http.get("rita", base).statusCode()).isEqualTo(200);
        assertThat(http.postJson("rita", base + "/decisions", "{}").statusCode()).as("no decision").isEqualTo(400);
        assertThat(http.postJson("rita", base + "/payouts", "{}").statusCode()).as("nothing to pay").isEqualTo(400);
        assertThat(jdbc.sql("select status from claim where id = ?").param(claim).query(String.class).single())
                .isEqualTo("SUBMITTED");
    }

    @Test
    void searchAndCustomersPagesNeverShowAnotherPartnersClaims() {
        List<Long> contosoClaims = jdbc.sql("select c.id from claim c join partner p on p.id = c.partner_id "
                        + "join app_user u on u.partner_id = p.id where u.username = 'anna'")
                .query(Long.class).list();
        assertThat(contosoClaims).isNotEmpty();
        String claimsOfFarah = http.get("farah", "/api/v1/claims?limit=200").body();
        String customersOfFarah = http.get("farah", "/api/v1/engagements/" + sharedEngagement + "/customers?limit=200").body()
                + http.get("farah", "/api/v1/engagements/" + sharedEngagement + "/customers?tab=complete&limit=200").body();
        for (long id : contosoClaims) {
            assertThat(claimsOfFarah).doesNotContain("\"id\":" + id + ",");
            assertThat(customersOfFarah).doesNotContain("\"claimId\":" + id + ",");
            assertThat(http.get("farah", "/api/v1/claims?q=" + id).body()).contains("\"items\":[]");
        }
    }

    @Test
    void anEngagementNoneOfYourLocationsQualifiesForIsNotFound() {
        String missing = "/api/v1/engagements/no-such-engagement";
        assertThat(http.get("anna", missing).statusCode()).isEqualTo(404);
        assertThat(http.get("anna", missing).body()).contains("\"code\":\"ENGAGEMENT_NOT_FOUND\"");
        assertThat(http.page("anna", "/engagements/no-such-engagement/customers").statusCode()).isEqualTo(404);
    }

    @Test
    void pageFormsWithoutTheCsrfTokenAreRefused() {
        java.net.http.HttpRequest.Builder post = java.net.http.HttpRequest.newBuilder(
                        http.uri("/engagements/copilot-readiness-workshop/customers/add"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .header("Cookie", "SESSION=forged")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("step=1&go=next&origin=ADD&friendlyName=Forged"));
        long claimsBefore = jdbc.sql("select count(*) from claim").query(Long.class).single();
        HttpResponse<String> login = http.send(null, java.net.http.HttpRequest.newBuilder(http.uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("username=anna&password=demo")));
        assertThat(login.statusCode()).as("a login form without its token is refused").isEqualTo(403);
        assertThat(http.send(null, post).statusCode()).isEqualTo(403);
        assertThat(jdbc.sql("select count(*) from claim").query(Long.class).single()).isEqualTo(claimsBefore);
    }

    @Test
    void healthIsPublicAndOnlyOperatorsReadTheMetrics() {
        assertThat(http.get(null, "/actuator/health").statusCode()).isEqualTo(200);
        for (String path : List.of("/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/jvm.memory.used",
                "/actuator/info")) {
            assertThat(http.get("oscar", path).statusCode()).as(path).isEqualTo(200);
            for (String user : List.of("anna", "noah", "rita", "sam")) {
                assertThat(http.get(user, path).statusCode()).as("%s %s", user, path).isEqualTo(403);
            }
            assertThat(http.get(null, path).statusCode()).as(path).isIn(302, 401);
        }
        assertThat(http.get("oscar", "/actuator/prometheus").body()).contains("http_server_requests_seconds_count");
    }

    @Test
    void apiDocsAndTheLoginPageArePublic() {
        assertThat(http.get(null, "/v3/api-docs").statusCode()).isEqualTo(200);
        assertThat(http.get(null, "/v3/api-docs").body()).contains("/api/v1/engagements/{engagementId}/customers")
                .contains("/api/v1/team/{username}/grants").contains("/api/v1/team/history")
                .contains("/api/v1/admin/locations/{locationId}/enrollment")
                .doesNotContain("\"name\":\"user\"");
        assertThat(http.get(null, "/login").statusCode()).isEqualTo(200);
        assertThat(http.get(null, "/api-explorer").statusCode()).isIn(200, 302);
    }

    @Test
    void vendorStaffLandOnTheirWelcomePageAndPartnerUsersWithoutRolesAreToldWhy() {
        for (String user : List.of("rita", "oscar")) {
            // The reviewer's work is the review queue; the operator's is the program's configuration.
            assertThat(http.page(user, "/").headers().firstValue("Location").orElseThrow()).as(user)
                    .endsWith(user.equals("rita") ? "/review" : "/admin/engagements");
            assertThat(http.page(user, "/welcome").statusCode()).isEqualTo(200);
        }
        // Sellers work referrals.
        assertThat(http.page("sam", "/").headers().firstValue("Location").orElseThrow()).endsWith("/referrals");
        assertThat(http.page("sam", "/welcome").statusCode()).isEqualTo(200);
        assertThat(http.page("anna", "/").headers().firstValue("Location").orElseThrow()).endsWith("/engagements");
        assertThat(http.page("ruth", "/").headers().firstValue("Location").orElseThrow()).endsWith("/engagements");
        HttpResponse<String> noah = http.page("noah", "/engagements");
        assertThat(noah.statusCode()).isEqualTo(403);
        assertThat(noah.body()).contains("Incentives administrator or Incentives user");
    }

    @Test
    void referralsAreForReferralAdministratorsAndSellersOnly() {
        // Demo referrals: ruth's and farah's partners have some, sam sees the co-sell ones.
        long contoso = jdbc.sql("select min(id) from referral where partner_id = 'contoso' and not co_sell")
                .query(Long.class).single();
        for (String path : List.of("/api/v1/referrals", "/api/v1/referrals/" + contoso, "/referrals",
                "/referrals/" + contoso)) {
            for (String user : List.of("anna", "umut", "noah", "rita", "oscar")) {
                HttpResponse<String> response = get(user, path);
                assertThat(response.statusCode()).as("%s %s", user, path).isEqualTo(403);
                if (path.startsWith("/api/")) {
                    assertThat(response.body()).contains("\"code\":\"REFERRAL_ROLE_REQUIRED\"");
                }
            }
            HttpResponse<String> anonymous = get(null, path);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(path.startsWith("/api/") ? 401 : 302);
        }
        assertThat(http.get("ruth", "/api/v1/referrals/" + contoso).statusCode()).isEqualTo(200);
        assertThat(http.get("farah", "/api/v1/referrals/" + contoso).statusCode()).as("another partner's").isEqualTo(404);
        assertThat(http.get("sam", "/api/v1/referrals/" + contoso).statusCode()).as("partner-led").isEqualTo(404);
        assertThat(http.get("ruth", "/api/v1/referrals").body()).doesNotContain("\"partnerId\":\"fabrikam\"");
        assertThat(http.get("sam", "/api/v1/referrals").body()).doesNotContain("\"coSell\":false").contains("\"coSell\":true");
    }

    @Test
    void onlyOperatorsConfigureEngagements() {
        String base = "/api/v1/admin/engagements";
        List<String> reads = List.of(base, base + "/" + sharedEngagement, base + "/" + sharedEngagement + "/history",
                "/admin/engagements", "/admin/engagements/new", "/admin/engagements/" + sharedEngagement);
        String body = "{\"name\":\"Taken over\"}";
        for (String user : List.of("anna", "umut", "ruth", "noah", "farah", "rita", "sam")) {
            for (String path : reads) {
                assertThat(get(user, path).statusCode()).as("%s %s", user, path).isEqualTo(403);
            }
            HttpResponse<String> put = http.putJson(user, base + "/" + sharedEngagement, body, null);
            assertThat(put.statusCode()).as(user).isEqualTo(403);
            assertThat(put.body()).contains("\"code\":\"FORBIDDEN\"");
        }
        for (String path : reads) {
            assertThat(get(null, path).statusCode()).as(path).isEqualTo(path.startsWith("/api/") ? 401 : 302);
            assertThat(get("oscar", path).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(http.putJson(null, base + "/" + sharedEngagement, body, null).statusCode()).isEqualTo(401);
        HttpResponse<String> incomplete = http.putJson("oscar", base + "/" + sharedEngagement, body, null);
        assertThat(incomplete.statusCode()).as("refused, and so nothing changes here").isEqualTo(400);
        assertThat(jdbc.sql("select name from engagement where id = ?").param(sharedEngagement).query(String.class)
                .single()).isNotEqualTo("Taken over");
    }

    @Test
    void onlyOperatorsReachTheLocationEnrollmentApiAndPages() {
        // Every call here is refused or invalid, so the shared demo data never changes.
        List<String> reads = List.of("/api/v1/admin/locations", "/api/v1/admin/locations?enrollment=SUSPENDED",
                "/api/v1/admin/locations/4100231", "/admin/locations", "/admin/locations?partnerId=fabrikam",
                "/admin/locations/4100231", "/admin/locations/changes");
        List<String> others = List.of("anna", "umut", "ruth", "noah", "farah", "rita", "sam");
        for (String path : reads) {
            for (String user : others) {
                HttpResponse<String> response = get(user, path);
                assertThat(response.statusCode()).as("%s %s", user, path).isEqualTo(403);
                if (path.startsWith("/api/")) {
                    assertThat(response.body()).contains("\"code\":\"FORBIDDEN\"");
                }
            }
            HttpResponse<String> anonymous = get(null, path);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(path.startsWith("/api/") ? 401 : 302);
            if (!path.startsWith("/api/")) {
                assertThat(anonymous.headers().firstValue("Location").orElseThrow()).endsWith("/login");
            }
            assertThat(get("oscar", path).statusCode()).as(path).isEqualTo(200);
        }
        String move = "/api/v1/admin/locations/4100231/enrollment";
        String suspend = "{\"action\":\"SUSPEND\",\"reason\":\"Access test\"}";
        assertThat(http.postJson(null, move, suspend).statusCode()).isEqualTo(401);
        for (String user : others) {
            assertThat(http.postJson(user, move, suspend).statusCode()).as(user).isEqualTo(403);
        }
        assertThat(http.postJson("oscar", move, "{\"action\":\"SUSPEND\"}").statusCode()).as("no reason").isEqualTo(400);
        for (String user : List.of("anna", "farah")) {
            HttpResponse<String> page = org.mciengagements.support.PageSession.of(http, user)
                    .postForm("/admin/locations/4100231/enrollment", java.util.Map.of("action", "SUSPEND", "reason", "x"));
            assertThat(page.statusCode()).as(user).isEqualTo(403);
        }
        HttpResponse<String> anonymousForm = org.mciengagements.support.PageSession.of(http, null)
                .postForm("/admin/locations/4100231/enrollment", java.util.Map.of("action", "SUSPEND", "reason", "x"));
        assertThat(anonymousForm.statusCode()).isEqualTo(302);
        assertThat(anonymousForm.headers().firstValue("Location").orElseThrow()).endsWith("/login");
        assertThat(jdbc.sql("select enrollment from location where id = '4100231'").query(String.class).single())
                .isEqualTo("ENROLLED");
        assertThat(jdbc.sql("select count(*) from audit_event where subject_type = 'LOCATION' and subject_id = '4100231'")
                .query(Long.class).single()).isZero();
    }

    @Test
    void onlyIncentivesAdministratorsReachTheirTeamAndOtherPartnersUsersAreNotFound() {
        // Every call here is refused or invalid, so the shared demo data never changes.
        List<String> administrators = List.of("anna", "farah");
        List<String> others = List.of("umut", "ruth", "noah", "rita", "oscar", "sam");
        for (String path : List.of("/api/v1/team", "/api/v1/team/history", "/team")) {
            for (String user : administrators) {
                assertThat(get(user, path).statusCode()).as("%s %s", user, path).isEqualTo(200);
            }
            for (String user : others) {
                HttpResponse<String> response = get(user, path);
                assertThat(response.statusCode()).as("%s %s", user, path).isEqualTo(403);
                if (path.startsWith("/api/")) {
                    assertThat(response.body()).contains("\"code\":\"TEAM_ADMIN_REQUIRED\"");
                }
            }
            assertThat(get(null, path).statusCode()).as(path).isEqualTo(path.startsWith("/api/") ? 401 : 302);
        }
        String grants = "/api/v1/team/umut/grants";
        java.util.function.Function<String, HttpResponse<String>> grant = user -> http.postJson(user, grants, "{}");
        java.util.function.Function<String, HttpResponse<String>> revoke = user -> http.send(user,
                java.net.http.HttpRequest.newBuilder(http.uri(grants + "?role=NONE&locationId=4100232")).DELETE());
        for (var action : List.of(grant, revoke)) {
            assertThat(action.apply(null).statusCode()).isEqualTo(401);
            for (String user : others) {
                assertThat(action.apply(user).statusCode()).as(user).isEqualTo(403);
            }
            HttpResponse<String> foreign = action.apply("farah");
            assertThat(foreign.statusCode()).as("another partner's user").isEqualTo(404);
            assertThat(foreign.body()).contains("\"code\":\"USER_NOT_FOUND\"");
            assertThat(action.apply("anna").statusCode()).as("anna may, but named no role").isEqualTo(400);
        }
        java.util.Map<String, String> form = java.util.Map.of("locationId", "4100232");
        for (String page : List.of("/team/umut/grants", "/team/umut/revocations")) {
            assertThat(org.mciengagements.support.PageSession.of(http, "umut").postForm(page, form).statusCode())
                    .isEqualTo(403);
            assertThat(org.mciengagements.support.PageSession.of(http, "rita").postForm(page, form).statusCode())
                    .isEqualTo(403);
            assertThat(org.mciengagements.support.PageSession.of(http, "farah").postForm(page, form).statusCode())
                    .isEqualTo(404);
            HttpResponse<String> anna = org.mciengagements.support.PageSession.of(http, "anna").postForm(page, form);
            assertThat(anna.statusCode()).as("back to the page, which says what is missing").isEqualTo(302);
            assertThat(anna.headers().firstValue("Location").orElseThrow()).endsWith("/team");
            assertThat(org.mciengagements.support.PageSession.of(http, null).postForm(page, form).statusCode())
                    .isEqualTo(302);
        }
        assertThat(jdbc.sql("select location_id || ':' || role from user_location_role where username = 'umut'")
                .query(String.class).list()).containsExactly("4100232:INCENTIVES_USER");
        assertThat(jdbc.sql("select count(*) from audit_event where subject_type = 'USER' and subject_id = 'umut'")
                .query(Long.class).single()).isZero();
    }

    @Test
    void onlyOperatorsImportTheDirectoryAndReadImports() {
        // A header-only file imports nothing, so the demo directory stays as it is; the key makes reruns reuse it.
        java.util.function.BiFunction<String, String, HttpResponse<String>> upload = (user, key) -> {
            var request = java.net.http.HttpRequest.newBuilder(http.uri("/api/v1/admin/directory/imports?kind=TPIDS"))
                    .header("Content-Type", "text/csv")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("tpid,name,segment,country\n"));
            if (key != null) {
                request.header("Idempotency-Key", key);
            }
            return http.send(user, request);
        };
        long directoryBefore = jdbc.sql("select count(*) from directory_customer").query(Long.class).single();
        HttpResponse<String> accepted = upload.apply("oscar", "access-control-header-only");
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = accepted.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                jdbc.sql("select status from directory_import where id = ?").param(Long.parseLong(id))
                        .query(String.class).single().equals("SUCCEEDED"));
        assertThat(jdbc.sql("select count(*) from directory_customer").query(Long.class).single())
                .isEqualTo(directoryBefore);

        List<String> reads = List.of("/api/v1/admin/directory/imports", "/api/v1/admin/directory/imports/" + id,
                "/api/v1/admin/directory/imports/" + id + "/problems",
                "/api/v1/admin/directory/imports/" + id + "/problems.csv");
        List<String> pages = List.of("/admin/directory", "/admin/directory/imports/" + id,
                "/admin/directory/imports/" + id + "/panel", "/admin/directory/imports/" + id + "/problems.csv");
        for (String path : reads) {
            assertThat(http.get("oscar", path).statusCode()).as(path).isEqualTo(200);
            assertThat(http.get(null, path).statusCode()).as(path).isEqualTo(401);
        }
        for (String path : pages) {
            assertThat(http.page("oscar", path).statusCode()).as(path).isEqualTo(200);
            HttpResponse<String> anonymous = http.page(null, path);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(302);
            assertThat(anonymous.headers().firstValue("Location").orElseThrow()).endsWith("/login");
        }
        assertThat(upload.apply(null, null).statusCode()).isEqualTo(401);
        long importsBefore = jdbc.sql("select count(*) from directory_import").query(Long.class).single();
        for (String user : List.of("anna", "umut", "ruth", "noah", "farah", "rita", "sam")) {
            HttpResponse<String> refused = upload.apply(user, null);
            assertThat(refused.statusCode()).as(user).isEqualTo(403);
            assertThat(refused.body()).contains("\"code\":\"FORBIDDEN\"");
            for (String path : reads) {
                assertThat(http.get(user, path).statusCode()).as("%s %s", user, path).isEqualTo(403);
            }
            for (String path : pages) {
                assertThat(http.page(user, path).statusCode()).as("%s %s", user, path).isEqualTo(403);
            }
        }
        assertThat(jdbc.sql("select count(*) from directory_import").query(Long.class).single()).isEqualTo(importsBefore);
    }

    /** Pages are asked for as a browser does (Accept: text/html), so sign-in redirects to the login page. */
    private HttpResponse<String> get(String user, String path) {
        String expanded = path.replace("{engagement}", sharedEngagement);
        return path.startsWith("/api/") ? http.get(user, expanded) : http.page(user, expanded);
    }

    private List<String> locationIdsOf(String user) {
        return jdbc.sql("select l.id from location l join app_user u on u.partner_id = l.partner_id where u.username = ?")
                .param(user).query(String.class).list();
    }

    private long claimVisibleTo(String user) {
        return jdbc.sql("""
                        select c.id from claim c join user_location_role r on r.location_id = c.location_id
                        where r.username = ? order by c.id limit 1""")
                .param(user).query(Long.class).single();
    }
}
