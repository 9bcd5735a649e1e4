package org.mciengagements.consent;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mciengagements.support.Browser;
import org.mciengagements.support.Http;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The demo walk of issue 4 in Chromium: a partner sends the consent email from the claim page, the
 * customer opens the link and accepts, and the claim shows as consent received; a month later an
 * unanswered claim has left the Customers page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mci.test.isolated-context=consent-browser", "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class ConsentBrowserTest {

    static final Pattern LINK = Pattern.compile("(/consent/[A-Za-z0-9_-]{43})");

    @RegisterExtension
    static final Browser browser = new Browser();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    org.mciengagements.engagement.EngagementCatalog catalog;
    @Autowired
    org.mciengagements.shared.ProgramClock clock;

    /** A fresh engagement and customer key for each test, so tests do not depend on each other's clock moves. */
    private long freshClaim(String engagementId, String tenant, String language) {
        java.time.LocalDate today = java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
        catalog.save(new org.mciengagements.engagement.Engagement(engagementId, "Consent walk " + engagementId,
                "A workshop to consent to", "Tests", org.mciengagements.engagement.EngagementType.WORKSHOP,
                today.minusDays(100), today.plusDays(400), org.mciengagements.engagement.PaymentModel.FIXED,
                java.util.EnumSet.of(org.mciengagements.shared.IdentifierType.TENANT_ID), java.util.Set.of(),
                java.util.Set.of(), 1, org.mciengagements.engagement.EngagementType.WORKSHOP.defaultDeadlines(),
                java.util.List.of(), java.util.Map.of(org.mciengagements.program.Market.A, java.math.BigDecimal.ONE,
                org.mciengagements.program.Market.B, java.math.BigDecimal.ONE, org.mciengagements.program.Market.C,
                java.math.BigDecimal.ONE), java.util.List.of(), org.mciengagements.engagement.ReferralPolicy.off()),
                clock.instant());
        jdbc.sql("insert into directory_customer (customer_key, display_name, country) values (?, ?, 'NL')")
                .params("TENANT:" + tenant, "Walkthrough " + tenant.substring(33)).update();
        jdbc.sql("insert into directory_domain (domain, tenant_id) values (?, ?::uuid)")
                .params("w" + tenant.substring(33) + ".example", tenant).update();
        var created = new Http(port).postJson("anna", "/api/v1/claims", """
                {"origin":"ADD","friendlyName":"Consent walk","locationId":"4100231",
                 "identifier":{"type":"TENANT_ID","value":"%s"},"engagementIds":["%s"],
                 "customerContact":{"name":"Wim Walker","email":"wim@w%s.example","language":"%s"},
                 "partnerContact":{"name":"Anna de Vries","email":"anna@contoso.example"}}"""
                .formatted(tenant, engagementId, tenant.substring(33), language));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(created.body())
                .get("claims").get(0).get("id").asLong();
    }

    @Test
    void aPartnerAsksForConsentAndTheCustomerAccepts() {
        long claim = freshClaim("consent-walk-accept", "33333333-0000-4000-8000-000000000001", "nl");
        Page partner = browser.newPage("http://localhost:" + port);
        Browser.signIn(partner, "anna", "demo");
        partner.navigate("/engagements/consent-walk-accept/customers?lang=en");
        partner.locator("tr:has-text('Walkthrough') .row-action").click();
        assertThat(partner.locator("#consent h2")).hasText("Send customer consent email");

        partner.click("#send-consent");
        assertThat(partner.locator(".field.invalid:has(#estimatedDealSizeUsd) .error")).containsText("deal size");
        partner.fill("#estimatedDealSizeUsd", "48000");
        partner.check("#disclaimerAccepted");
        partner.click("#send-consent");
        assertThat(partner.locator(".alert.info")).containsText("on its way");
        assertThat(partner.locator("h1 .status")).hasText("Awaiting consent");
        Browser.screenshot(partner, "consent-sent");

        String html = jdbc.sql("select body_html from outbox_email where claim_id = ? and kind = 'consent-request'")
                .param(claim).query(String.class).single();
        Matcher link = LINK.matcher(html);
        assertThat(link.find()).isTrue();

        Page customer = browser.newPage("http://localhost:" + port);
        customer.navigate(link.group(1));
        assertThat(customer.locator("html")).hasAttribute("lang", "nl"); // the contact's language
        assertThat(customer.locator("#accept")).hasText("Accepteren");
        assertThat(customer.locator("main")).containsText("Contoso Consulting");
        Browser.screenshot(customer, "consent-page");
        customer.click("#accept");
        assertThat(customer.locator("h1")).hasText("Dank u wel");
        customer.navigate(link.group(1));
        assertThat(customer.locator("h1")).hasText("Al beantwoord"); // a used link says so, and offers nothing
        assertThat(jdbc.sql("select status from claim where id = ?").param(claim).query(String.class).single())
                .isEqualTo("CONSENT_RECEIVED");

        partner.navigate("/engagements/consent-walk-accept/customers?lang=en");
        assertThat(partner.locator("tr:has-text('Walkthrough')")).containsText("Consent received");
    }

    @Test
    void aMonthLaterAnUnansweredClaimHasLeftTheCustomersPage() {
        long claim = freshClaim("consent-walk-expire", "33333333-0000-4000-8000-000000000002", "en");
        Http http = new Http(port);
        assertThat(http.postJson("oscar", "/api/v1/admin/clock", "{\"advance\":\"P31D\"}").statusCode()).isEqualTo(200);
        assertThat(http.postJson("oscar", "/api/v1/admin/jobs/deadlines", "{}").statusCode()).isEqualTo(200);
        assertThat(jdbc.sql("select status from claim where id = ?").param(claim).query(String.class).single())
                .isEqualTo("CONSENT_EXPIRED");
        Page partner = browser.newPage("http://localhost:" + port);
        Browser.signIn(partner, "anna", "demo");
        partner.navigate("/engagements/consent-walk-expire/customers?lang=en");
        assertThat(partner.locator("tr:has-text('Walkthrough')")).hasCount(0);
        partner.navigate("/claims/" + claim + "?lang=en");
        assertThat(partner.locator("h1 .status")).hasText("Consent expired");
        assertThat(http.postJson("anna", "/api/v1/admin/clock", "{\"advance\":\"P1D\"}").statusCode())
                .as("only operators move the clock").isEqualTo(403);
    }
}
