package org.mciengagements.review.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.text.NumberFormat;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.support.Browser;
import org.mciengagements.support.Http;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The reviewer's walk in Chromium (SPEC §10): rita signs in and lands on the review queue, filters
 * it, sends a fresh submission back to the partner with a checklist, then approves a claim under
 * review and records its payout, tripping over a missing payment reference on the way. A disputed
 * claim warns that a rejection is final, and a decision taken on a stale page shows the conflict.
 *
 * <p>Its own database: the tests move demo claims, each its own. Contoso's Woodgrove claim is
 * submitted with a PDF first; Fabrikam's submitted data modernization claim is made overdue.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mci.test.isolated-context=review-browser", "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class ReviewBrowserTest {

    static final byte[] PDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
            .getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension
    static final Browser browser = new Browser();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ProgramClock clock;

    @Test
    void aReviewerWorksTheQueueFromARequestForActionToAPayout() {
        long woodgrove = submitWithProof(claimId("contoso", "CONSENT_RECEIVED", "2200009"));
        long overdue = claimId("fabrikam", "SUBMITTED", "7-4C9P6S3WEF");
        jdbc.sql("update claim set review_due_at = ? where id = ?")
                .params(Timestamp.from(clock.instant().minus(Duration.ofDays(2)).minus(Duration.ofHours(1))), overdue)
                .update();

        Page page = browser.newPage("http://localhost:" + port);
        Browser.signIn(page, "rita", "demo");
        assertThat(page).hasURL(Pattern.compile("/review$"));
        assertThat(page.locator("h1")).hasText("Review queue");
        assertThat(page.locator("#nav-review")).hasText("Review queue");
        assertThat(page.locator("#f-status")).hasValue("AWAITING_REVIEWER");
        Locator rows = page.locator("table.queue tbody tr");
        assertThat(rows.first()).hasAttribute("data-claim", String.valueOf(overdue));
        assertThat(rows.first()).hasClass(Pattern.compile("\\boverdue\\b"));
        assertThat(rows.first().locator("td.due")).containsText("Overdue");
        assertThat(rows.first().locator("td.due")).containsText("overdue by 2 days");
        assertThat(rows.nth(1)).not().hasClass(Pattern.compile("\\boverdue\\b"));
        assertThat(new HashSet<>(page.locator("table.queue tbody .status").allTextContents()))
                .isSubsetOf(Set.of("Submitted", "Under review", "Disputed", "Approved"))
                .contains("Submitted", "Under review", "Approved");
        Browser.screenshot(page, "review-queue");

        page.check("#f-overdue");
        page.click("#apply-filters");
        assertThat(rows).hasCount(1);
        assertThat(rows.first()).hasAttribute("data-claim", String.valueOf(overdue));

        page.uncheck("#f-overdue");
        page.selectOption("#f-status", "SUBMITTED");
        page.selectOption("#f-partner", "contoso");
        page.fill("#f-q", "woodgrove");
        page.click("#apply-filters");
        assertThat(rows).hasCount(1);
        Locator row = rows.first();
        assertThat(row).hasAttribute("data-claim", String.valueOf(woodgrove));
        assertThat(row.locator("td.partner")).hasText("Contoso Consulting");
        assertThat(row.locator("td.engagement")).hasText("Copilot Readiness Workshop");
        assertThat(row.locator(".status")).hasText("Submitted");
        assertThat(row.locator("td.submitted")).not().hasText("Not submitted");
        Browser.screenshot(page, "review-queue-filtered");

        row.locator("a.claim-link").click();
        assertThat(page).hasURL(Pattern.compile("/review/claims/" + woodgrove + "$"));
        assertThat(page.locator("h1 .status")).hasText("Submitted");
        assertThat(page.locator("#partner-name")).hasText("Contoso Consulting");
        Locator document = page.locator(".submissions a");
        assertThat(document).hasText("attendees.pdf");
        long documentId = jdbc.sql("select id from claim_document where claim_id = ?").param(woodgrove).query(Long.class).single();
        assertThat(document).hasAttribute("href", "/review/claims/" + woodgrove + "/documents/" + documentId);
        APIResponse download = page.request().get(document.getAttribute("href"));
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(PDF);

        page.click("#start-review");
        assertThat(page.locator(".alert.info")).hasText("Review started.");
        assertThat(page.locator("h1 .status")).hasText("Under review");

        // Neither a reason nor a comment: the checklist says what is missing, and nothing moves.
        page.click("#request-action");
        assertThat(page.locator(".alert.error")).containsText("The request has invalid fields.");
        assertThat(page.locator("#request-action-form .field.invalid:has(#ra-MISSING_PROOF) .error"))
                .hasText("Tick at least one reason or write a comment.");
        assertThat(page.locator("h1 .status")).hasText("Under review");

        page.check("#ra-MISSING_PROOF");
        page.check("#ra-MISSING_CUSTOMER_ACKNOWLEDGEMENT");
        page.fill("#ra-comment", "Please add the attendee list signed by the customer.");
        page.click("#request-action");
        assertThat(page.locator(".alert.info")).hasText("Partner action requested; the partner has been emailed.");
        assertThat(page.locator("h1 .status")).hasText("Partner action required");
        Locator notes = page.locator(".review-notes .note");
        assertThat(notes).hasCount(1);
        assertThat(notes.locator("strong")).hasText("Action requested");
        assertThat(notes.locator(".checklist li")).hasText(new String[] {"Proof of execution is missing",
                "The customer's acknowledgement is missing"});
        assertThat(notes.locator(".comment")).hasText("Please add the attendee list signed by the customer.");
        Locator history = page.locator("table.history tbody tr");
        int entries = history.count();
        assertThat(history.nth(entries - 2)).containsText("Review started");
        assertThat(history.nth(entries - 2)).containsText("rita (reviewer)");
        assertThat(history.nth(entries - 2)).containsText("Submitted → Under review");
        assertThat(history.nth(entries - 1)).containsText("Partner action requested");
        assertThat(history.nth(entries - 1)).containsText("rita (reviewer)");
        assertThat(history.nth(entries - 1)).containsText("Under review → Partner action required");
        assertThat(page.locator("#nothing-to-decide")).hasText(
                "There is nothing for you to decide while the claim is Partner action required.");
        Browser.screenshot(page, "review-action-requested");

        // Approve a claim under review and record its payout.
        long underReview = jdbc.sql("select id from claim where partner_id = 'contoso' and status = 'UNDER_REVIEW'"
                + " and identifier_value = 'd119483a-db12-524e-8241-4fd7b18c78c7'").query(Long.class).single();
        BigDecimal payout = jdbc.sql("select proposed_payout_usd from claim where id = ?").param(underReview)
                .query(BigDecimal.class).single();
        page.click("#nav-review");
        page.selectOption("#f-status", "UNDER_REVIEW");
        page.selectOption("#f-partner", "contoso");
        page.click("#apply-filters");
        assertThat(rows.locator(".status")).hasText(new String[] {"Under review", "Under review"});
        page.click("tr[data-claim='" + underReview + "'] a.claim-link");
        assertThat(page.locator("h1 .status")).hasText("Under review");
        assertThat(page.locator("#approve-amount")).hasText(usd(payout));
        assertThat(page.locator("#approve-hours")).hasCount(0);
        assertThat(page.locator("#reject-final")).hasCount(0);
        page.click("#approve");
        assertThat(page.locator(".alert.info")).hasText("Claim approved; the payout is fixed and the partner has been emailed.");
        assertThat(page.locator("h1 .status")).hasText("Approved");
        Locator money = page.locator(".panel:has(h2:text-is('Deal and payout'))");
        assertThat(money.locator("dt:text-is('Approved payout') + dd")).hasText(usd(payout));

        LocalDate utcToday = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate dublinToday = LocalDate.ofInstant(clock.instant(), ZoneId.of("Europe/Dublin"));
        assertThat(page.locator("#amountUsd")).hasValue(payout.toPlainString());
        assertThat(page.locator("#paidOn")).hasValue((dublinToday.isAfter(utcToday) ? utcToday : dublinToday).toString());
        page.fill("#reference", "");
        page.click("#record-payout");
        assertThat(page.locator(".field.invalid:has(#reference) .error")).hasText("Enter the payment reference.");
        assertThat(page.locator(".field.invalid")).hasCount(1);
        assertThat(page.locator("#amountUsd")).hasValue(payout.toPlainString());
        assertThat(page.locator("h1 .status")).hasText("Approved");
        Browser.screenshot(page, "review-payout-reference-missing");

        page.fill("#reference", "PAY-2026-0042");
        page.click("#record-payout");
        assertThat(page.locator(".alert.info")).hasText("Payout recorded; the claim is completed.");
        assertThat(page.locator("h1 .status")).hasText("Completed");
        assertThat(money.locator("dt:text-is('Paid') + dd")).containsText("PAY-2026-0042");
        assertThat(money.locator("dt:text-is('Paid') + dd")).containsText(usd(payout));
        assertThat(page.locator("#payout-form")).hasCount(0);
        Browser.screenshot(page, "review-completed");
        assertThat(jdbc.sql("select status from claim where id = ?").param(underReview).query(String.class).single())
                .isEqualTo("COMPLETED");
        assertThat(jdbc.sql("select kind from outbox_email where claim_id = ? order by id").param(underReview)
                .query(String.class).list()).containsExactly("claim-approved", "claim-paid");
    }

    @Test
    void aDisputedClaimWarnsThatRejectingIsFinalAndAStalePageShowsTheConflict() {
        long variable = claimId("contoso", "UNDER_REVIEW", "7-5D1Q7T4VGH");
        BigDecimal payout = jdbc.sql("select proposed_payout_usd from claim where id = ?").param(variable)
                .query(BigDecimal.class).single();
        Page page = browser.newPage("http://localhost:" + port);
        Browser.signIn(page, "rita", "demo");
        page.navigate("/review/claims/" + variable);
        assertThat(page.locator("#approve-amount")).hasText(usd(payout));
        assertThat(page.locator("#approve-hours")).hasText(
                "Variable payout for 100 hours, at the rate card the claim was made under.");

        long disputed = claimId("contoso", "DISPUTED", "margiestravel.com");
        page.navigate("/review/claims/" + disputed);
        assertThat(page.locator("#start-review-form p")).containsText("The partner disputed the rejection.");
        page.click("#start-review");
        assertThat(page.locator("h1 .status")).hasText("Under review");
        assertThat(page.locator("#reject-final")).hasText("This claim was disputed: rejecting it now is final.");
        assertThat(page.locator("#reject")).hasText("Reject for good");
        Browser.screenshot(page, "review-disputed-under-review");

        // Somebody approves it meanwhile; the reject button on this page is now stale.
        long rejectionsBefore = jdbc.sql("select count(*) from claim_review_note where claim_id = ? and decision = 'REJECT'")
                .param(disputed).query(Long.class).single();
        assertThat(new Http(port).postJson("rita", "/api/v1/review/claims/" + disputed + "/decisions",
                "{\"decision\":\"APPROVE\"}").statusCode()).isEqualTo(200);
        page.check("#rj-MISSING_PROOF");
        page.click("#reject");
        assertThat(page.locator(".alert.error")).hasText("This is not possible while the claim is Approved.");
        assertThat(page.locator("h1 .status")).hasText("Approved");
        assertThat(page.locator("#payout-form")).isVisible();
        assertThat(jdbc.sql("select count(*) from claim_review_note where claim_id = ? and decision = 'REJECT'")
                .param(disputed).query(Long.class).single()).as("the stale reject stored nothing").isEqualTo(rejectionsBefore);
    }

    private static String usd(BigDecimal amount) {
        NumberFormat format = NumberFormat.getNumberInstance(Locale.ENGLISH);
        format.setMinimumFractionDigits(2);
        format.setMaximumFractionDigits(2);
        return "USD " + format.format(amount);
    }

    private long claimId(String partner, String status, String identifier) {
        return jdbc.sql("select id from claim where partner_id = ? and status = ? and strpos(identifier_value, ?) > 0")
                .params(partner, status, identifier).query(Long.class).single();
    }

    /** The partner submits the claim with one PDF, through the API. */
    private long submitWithProof(long claim) {
        String boundary = "----mci-review-browser";
        String today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"executionDate\"\r\n\r\n" + today
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"attendees.pdf\""
                + "\r\nContent-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(PDF);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        Http http = new Http(port);
        HttpResponse<String> response = http.send("anna", HttpRequest.newBuilder(http.uri("/api/v1/claims/" + claim + "/submissions"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return claim;
    }
}
