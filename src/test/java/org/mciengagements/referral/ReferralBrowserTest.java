package org.mciengagements.referral;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mciengagements.support.Browser;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The referral walk in Chromium, on the demo program: anna sends the consent email of a Copilot
 * Readiness Workshop claim with a deal of 48,000 USD, which makes a partner-led referral; ruth, the
 * referral administrator, finds it; the customer accepts through the link in the mail, and the
 * co-sell-eligible customer makes it co-sell; sam, the seller, lands on his referrals, sees it as
 * co-sell and accepts it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mci.test.isolated-context=referral-browser", "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class ReferralBrowserTest {

    static final Pattern LINK = Pattern.compile("(/consent/[A-Za-z0-9_-]{43})");

    @RegisterExtension
    static final Browser browser = new Browser();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aQualifyingConsentRequestMakesAReferralThatTurnsCoSellAndTheSellerAccepts() {
        // Northwind Traders: anna's claim still waiting for its consent email; the tenant is co-sell eligible.
        long claim = jdbc.sql("""
                        select c.id from claim c join directory_customer d on d.customer_key = c.customer_key
                        where c.engagement_id = 'copilot-readiness-workshop' and c.partner_id = 'contoso'
                          and c.location_id = '4100231' and c.status = 'CUSTOMER_CLAIMED'
                          and (d.attributes->>'coSellEligible')::boolean order by c.id limit 1""")
                .query(Long.class).single();

        Page anna = browser.newPage("http://localhost:" + port);
        Browser.signIn(anna, "anna", "demo");
        anna.navigate("/claims/" + claim + "?lang=en");
        anna.fill("#estimatedDealSizeUsd", "48000");
        anna.check("#disclaimerAccepted");
        anna.click("#send-consent");
        assertThat(anna.locator(".alert.info")).containsText("on its way");
        assertThat(anna.locator("#referral")).containsText("A referral was created from this claim.");
        assertThat(anna.locator("#referral a")).hasCount(0); // anna is no referral administrator
        assertThat(anna.locator("#nav-referrals")).hasCount(0);
        long referral = jdbc.sql("select id from referral where claim_id = ?").param(claim).query(Long.class).single();

        Page ruth = browser.newPage("http://localhost:" + port);
        Browser.signIn(ruth, "ruth", "demo");
        ruth.navigate("/engagements?lang=en");
        ruth.click("#nav-referrals");
        assertThat(ruth.locator("h1")).hasText("Referrals");
        assertThat(ruth.locator("#referral-" + referral)).containsText("Northwind Traders");
        assertThat(ruth.locator("#referral-" + referral)).containsText("Partner-led");
        assertThat(ruth.locator("#referral-" + referral + " .status")).hasText("New");
        assertThat(ruth.locator("#referral-" + referral + " .substatus")).hasText("Pending");
        ruth.click("#referral-" + referral + " a");
        assertThat(ruth.locator("h1")).containsText("Referral " + referral);
        assertThat(ruth.locator("main")).containsText("USD 48,000.00");
        assertThat(ruth.locator("#decision-ACCEPT")).isVisible();
        assertThat(ruth.locator("#decision-DECLINE")).isVisible();
        Browser.screenshot(ruth, "referral-partner-led");

        String mail = jdbc.sql("select body_html from outbox_email where claim_id = ? and kind = 'consent-request'")
                .param(claim).query(String.class).single();
        Matcher link = LINK.matcher(mail);
        assertThat(link.find()).isTrue();
        Page customer = browser.newPage("http://localhost:" + port);
        customer.navigate(link.group(1) + "?lang=en");
        customer.click("#accept");
        assertThat(jdbc.sql("select status from claim where id = ?").param(claim).query(String.class).single())
                .isEqualTo("CONSENT_RECEIVED");

        Page sam = browser.newPage("http://localhost:" + port);
        Browser.signIn(sam, "sam", "demo");
        assertThat(sam).hasURL(java.util.regex.Pattern.compile(".*/referrals$"));
        sam.navigate("/referrals?lang=en");
        assertThat(sam.locator("#referral-" + referral)).containsText("Co-sell");
        assertThat(sam.locator("#referral-" + referral)).containsText("Contoso Consulting");
        sam.click("#referral-" + referral + " a");
        assertThat(sam.locator("h1 .kind")).hasText("Co-sell");
        assertThat(sam.locator("#decisions button")).hasCount(1); // a seller only accepts
        sam.fill("#comment", "Our account team joins the licensing talks.");
        sam.click("#decision-ACCEPT");
        assertThat(sam.locator(".alert.info")).hasText("Referral " + referral + " accepted.");
        assertThat(sam.locator("h1 .status")).hasText("Active");
        assertThat(sam.locator("h1 .substatus")).hasText("Accepted");
        assertThat(sam.locator("#decisions")).hasCount(0);
        Browser.screenshot(sam, "referral-co-sell-accepted");

        ruth.reload();
        assertThat(ruth.locator("h1 .kind")).hasText("Co-sell");
        assertThat(ruth.locator("main")).containsText("Our account team joins the licensing talks.");
        assertThat(ruth.locator("#decision-WON")).isVisible();
        assertThat(jdbc.sql("select status || '/' || sub_status || ' ' || co_sell from referral where id = ?")
                .param(referral).query(String.class).single()).isEqualTo("ACTIVE/ACCEPTED true");
    }
}
