package org.mciengagements.claim.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mciengagements.claim.ProofFiles;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.support.Browser;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The demo's whole lifecycle in the pages, as a partner user (anna), her customer and a reviewer
 * (rita) click through it: a claimed customer is asked for consent and accepts, anna submits proof,
 * rita asks for more, anna resubmits, rita rejects, anna disputes, rita approves and records the
 * payout, and the claim lands on the Complete tab.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mci.test.isolated-context=lifecycle-walk", "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class LifecycleWalkBrowserTest {

    static final Pattern LINK = Pattern.compile("href=\"[^\"]*(/consent/[A-Za-z0-9_-]{43})\"");

    @RegisterExtension
    static final Browser browser = new Browser();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ProgramClock clock;

    @Test
    void aDemoClaimIsWalkedFromConsentToItsPayoutAndLandsOnTheCompleteTab() throws IOException {
        long claim = jdbc.sql("""
                        select id from claim where partner_id = 'contoso' and status = 'CUSTOMER_CLAIMED'
                          and engagement_id = 'copilot-readiness-workshop' and created_by = 'anna' order by id limit 1""")
                .query(Long.class).single();
        String today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
        Path attendance = file("attendance-list.pdf", ProofFiles.pdf());
        Path signOff = file("sign-off.docx", ProofFiles.docx());
        Page anna = signedIn("anna");
        Page rita = signedIn("rita");

        // Consent: anna sends the email, the customer accepts through its link.
        anna.navigate("/claims/" + claim + "?lang=en");
        anna.fill("#estimatedDealSizeUsd", "45000");
        anna.check("#disclaimerAccepted");
        anna.click("#send-consent");
        assertThat(anna.locator("h1 .status")).hasText("Awaiting consent");
        Page customer = browser.newPage("http://localhost:" + port);
        customer.navigate(consentLink(claim));
        customer.click("#accept");
        anna.navigate("/claims/" + claim + "?lang=en");
        assertThat(anna.locator("h1 .status")).hasText("Consent received");

        // Submission with proof.
        anna.fill("#executionDate", today);
        anna.fill("#comments", "Readiness workshop with 12 attendees");
        anna.setInputFiles("#files", attendance);
        anna.click("#submit-claim");
        assertThat(anna.locator("h1 .status")).hasText("Submitted");

        // Rita asks for more.
        rita.navigate("/review/claims/" + claim + "?lang=en");
        rita.click("#start-review");
        assertThat(rita.locator("h1 .status")).hasText("Under review");
        rita.check("#ra-MISSING_CUSTOMER_ACKNOWLEDGEMENT");
        rita.fill("#ra-comment", "Please add the customer's signed completion report.");
        rita.click("#request-action");
        assertThat(rita.locator("h1 .status")).hasText("Partner action required");

        // Anna sees the request and resubmits.
        anna.navigate("/claims/" + claim + "?lang=en");
        assertThat(anna.locator("#submit")).containsText("The customer's acknowledgement is missing");
        assertThat(anna.locator("#submit")).containsText("Please add the customer's signed completion report.");
        anna.fill("#executionDate", today);
        anna.fill("#comments", "Signed completion report attached");
        anna.setInputFiles("#files", signOff);
        anna.click("#submit-claim");
        assertThat(anna.locator("h1 .status")).hasText("Submitted");

        // Rita rejects.
        rita.navigate("/review/claims/" + claim + "?lang=en");
        rita.click("#start-review");
        rita.check("#rj-MISSING_OR_OLD_DATES");
        rita.fill("#rj-comment", "The completion report is not dated.");
        rita.click("#reject");
        assertThat(rita.locator("h1 .status")).hasText("Rejected");

        // Anna disputes, once.
        anna.navigate("/claims/" + claim + "?lang=en");
        assertThat(anna.locator("#dispute")).containsText("The completion report is not dated.");
        anna.fill("#dispute-reason", "The report is dated on its second page.");
        anna.click("#dispute-claim");
        assertThat(anna.locator("h1 .status")).hasText("Disputed");
        assertThat(anna.locator("#dispute")).hasCount(0);

        // Rita approves the disputed claim and records the payout.
        rita.navigate("/review/claims/" + claim + "?lang=en");
        rita.click("#start-review");
        assertThat(rita.locator("#reject-final")).isVisible();
        assertThat(rita.locator("#approve-amount")).hasText("USD 5,000.00");
        rita.click("#approve");
        assertThat(rita.locator("h1 .status")).hasText("Approved");
        rita.fill("#reference", "MCI-PAY-WALK-1");
        rita.click("#record-payout");
        assertThat(rita.locator("h1 .status")).hasText("Completed");
        Browser.screenshot(rita, "walk-completed-reviewer");

        // Anna finds it completed, with its whole history, on the Complete tab.
        anna.navigate("/claims/" + claim + "?lang=en");
        assertThat(anna.locator("h1 .status")).hasText("Completed");
        assertThat(anna.locator("section:has(h2:text-is('History')) tbody tr")).hasCount(13);
        assertThat(anna.locator(".submissions article")).hasCount(3);
        Browser.screenshot(anna, "walk-completed-partner");
        anna.navigate("/engagements/copilot-readiness-workshop/customers?tab=complete&lang=en");
        assertThat(anna.locator("a[href='/claims/" + claim + "']")).hasCount(1);
        Browser.screenshot(anna, "walk-complete-tab");

        assertThat(jdbc.sql("select string_agg(to_status, ',' order by id) from claim_history where claim_id = ?")
                .param(claim).query(String.class).single()).isEqualTo("CUSTOMER_CLAIMED,AWAITING_CONSENT,CONSENT_RECEIVED,"
                + "SUBMITTED,UNDER_REVIEW,PARTNER_ACTION_REQUIRED,SUBMITTED,UNDER_REVIEW,REJECTED,DISPUTED,UNDER_REVIEW,"
                + "APPROVED,COMPLETED");
    }

    private Page signedIn(String user) {
        Page page = browser.newPage("http://localhost:" + port);
        Browser.signIn(page, user, "demo");
        return page;
    }

    private String consentLink(long claim) {
        String html = jdbc.sql("select body_html from outbox_email where claim_id = ? and kind = 'consent-request'")
                .param(claim).query(String.class).single();
        Matcher link = LINK.matcher(html);
        assertThat(link.find()).as("the consent mail carries its link").isTrue();
        return link.group(1);
    }

    private static Path file(String name, byte[] content) throws IOException {
        Path dir = Files.createTempDirectory("walk");
        return Files.write(dir.resolve(name), content);
    }
}
