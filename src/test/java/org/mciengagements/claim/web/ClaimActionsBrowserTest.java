package org.mciengagements.claim.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.support.Browser;
import org.mciengagements.support.Http;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The partner's claim actions in Chromium, from the Customers page into the claim's page: submit
 * proof of execution (first refused — a renamed executable and a future date — then accepted with a
 * real PDF that downloads again byte for byte), resubmit after a reviewer's request with its
 * checklist, dispute a rejection, cancel before submission with a reason, and start a new claim
 * from an expired one through the prefilled Add customer wizard. Each test works on a different
 * Contoso demo claim of the Copilot Readiness Workshop, on a database of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mci.test.isolated-context=claim-actions-browser", "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class ClaimActionsBrowserTest {

    static final String COPILOT = "copilot-readiness-workshop";
    static final byte[] PDF = ("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
            .getBytes(StandardCharsets.US_ASCII);
    static final byte[] EXECUTABLE = "MZ\u0090\u0000\u0003\u0000\u0000\u0000This program cannot be run in DOS mode."
            .getBytes(StandardCharsets.ISO_8859_1);

    @RegisterExtension
    static final Browser browser = new Browser();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ProgramClock clock;
    @TempDir
    Path files;

    @Test
    void aPartnerSubmitsProofOfExecutionAfterFixingWhatWasRefused() throws IOException {
        long claim = contosoClaim("CONSENT_RECEIVED", "Woodgrove%");
        Path renamed = file("renamed/proof.pdf", EXECUTABLE);
        Path proof = file("real/attendance.pdf", PDF);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);

        Page page = signedIn("anna");
        page.navigate("/engagements/" + COPILOT + "/customers?lang=nl");
        Locator row = claimRow(page, claim);
        assertThat(row.locator(".submit-claim")).hasText("Claim indienen");
        assertThat(row.locator(".cancel-claim")).hasText("Annuleren");
        Browser.screenshot(page, "customers-claim-actions");
        row.locator(".submit-claim").click();
        assertThat(page).hasURL(Pattern.compile(".*/claims/" + claim + "#submit$"));
        assertThat(page.locator("#submit h2")).hasText("Claim indienen");
        assertThat(page.locator("#files")).hasAttribute("accept", ".pdf,.png,.jpg,.jpeg,.docx,.xlsx");
        assertThat(page.locator("#files-help")).hasText("Hoogstens 10 bestanden van elk hoogstens 10 MB: PDF, PNG, JPEG, "
                + "DOCX of XLSX. Het type van elk bestand wordt aan de inhoud herkend, niet aan de naam.");

        // A future date and an executable named .pdf: both refused, each next to its field, in Dutch.
        page.fill("#executionDate", today.plusDays(3).toString());
        page.fill("#comments", "Tweedaagse workshop met 14 deelnemers");
        page.setInputFiles("#files", renamed);
        page.click("#submit-claim");
        assertThat(page).hasURL(Pattern.compile(".*/claims/" + claim + "#submit$"));
        assertThat(page.locator("#submit .field.invalid:has(#executionDate) .error"))
                .hasText("De uitvoeringsdatum kan niet in de toekomst liggen.");
        assertThat(page.locator("#submit .file-errors li")).hasText(new String[] {
                "proof.pdf is geen PDF-, PNG-, JPEG-, DOCX- of XLSX-bestand (beoordeeld op de inhoud, niet op de naam)."});
        assertThat(page.locator("#submit .file-errors li")).hasAttribute("data-field", "files[0]");
        assertThat(page.locator("#executionDate")).hasValue(today.plusDays(3).toString());
        assertThat(page.locator("#comments")).hasValue("Tweedaagse workshop met 14 deelnemers");
        assertThat(page.locator("h1 .status")).hasText("Toestemming ontvangen");
        Browser.screenshot(page, "claim-submit-refused");
        assertThat(status(claim)).isEqualTo("CONSENT_RECEIVED");
        assertThat(jdbc.sql("select count(*) from claim_submission where claim_id = ?").param(claim)
                .query(Long.class).single()).isZero();

        // In English now, with a date in the past and a real PDF.
        page.navigate("/claims/" + claim + "?lang=en");
        page.fill("#executionDate", today.minusDays(1).toString());
        page.fill("#comments", "Two-day workshop with 14 attendees");
        page.setInputFiles("#files", proof);
        page.click("#submit-claim");
        assertThat(page.locator(".alert.info")).hasText("Your claim was submitted for review.");
        assertThat(page.locator("h1 .status")).hasText("Submitted");
        assertThat(page.locator("#submit")).hasCount(0);
        assertThat(page.locator("#cancel")).hasCount(0); // no cancel after the first submission
        Locator document = page.locator(".submissions a:text-is('attendance.pdf')");
        assertThat(document).isVisible();
        assertThat(page.locator(".submissions")).containsText("Two-day workshop with 14 attendees");
        Locator history = page.locator("section:has(h2:text-is('History')) tbody tr:has-text('Proof of execution submitted')");
        assertThat(history).hasCount(1);
        assertThat(history).containsText("anna");
        assertThat(history).containsText("Consent received → Submitted");
        Browser.screenshot(page, "claim-submitted");

        String href = document.getAttribute("href");
        long documentId = jdbc.sql("select id from claim_document where claim_id = ?").param(claim).query(Long.class).single();
        assertThat(href).isEqualTo("/claims/" + claim + "/documents/" + documentId);
        APIResponse download = page.request().get(href);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.headers().get("content-type")).isEqualTo("application/pdf");
        assertThat(download.headers().get("content-disposition")).startsWith("attachment").contains("attendance.pdf");
        assertThat(download.body()).isEqualTo(PDF);
        assertThat(status(claim)).isEqualTo("SUBMITTED");
    }

    @Test
    void aPartnerResubmitsAnsweringTheReviewersChecklist() {
        long claim = contosoClaim("SUBMITTED", "Litware%");
        Http http = new Http(port);
        assertThat(http.postJson("rita", "/api/v1/review/claims/" + claim + "/decisions",
                "{\"decision\":\"START_REVIEW\"}").statusCode()).isEqualTo(200);
        var request = http.postJson("rita", "/api/v1/review/claims/" + claim + "/decisions", """
                {"decision":"REQUEST_ACTION","checklist":["MISSING_CUSTOMER_ACKNOWLEDGEMENT","WORK_DESCRIPTION_MISSING"],
                 "comment":"Please add the customer-signed attendance list."}""");
        assertThat(request.statusCode()).as(request.body()).isEqualTo(200);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);

        Page page = signedIn("anna");
        page.navigate("/engagements/" + COPILOT + "/customers?lang=en");
        Locator row = claimRow(page, claim);
        assertThat(row.locator(".status")).hasText("Partner action required");
        assertThat(row.locator(".cancel-claim")).hasCount(0); // submitted once: no cancel
        row.locator(".resubmit-claim").click();
        assertThat(page).hasURL(Pattern.compile(".*/claims/" + claim + "#submit$"));
        assertThat(page.locator("#submit h2")).hasText("Resubmit claim");
        assertThat(page.locator("#submit .open-request .checklist li")).hasText(new String[] {
                "The customer's acknowledgement is missing", "The description of the work is missing"});
        assertThat(page.locator("#submit .open-request .comment")).hasText("Please add the customer-signed attendance list.");
        assertThat(page.locator("#submit .due")).containsText("Resubmit by");
        assertThat(page.locator("#submit .due .countdown")).hasText("13 days left");
        Browser.screenshot(page, "claim-resubmit");

        page.fill("#executionDate", today.minusDays(2).toString());
        page.fill("#comments", "The signed attendance list is with the customer's IT lead; the work was the readiness "
                + "assessment and the adoption plan.");
        page.click("#submit-claim");
        assertThat(page.locator(".alert.info")).hasText("Your claim was resubmitted for review.");
        assertThat(page.locator("h1 .status")).hasText("Submitted");
        assertThat(page.locator(".submissions article:has-text('Resubmission')")).containsText("signed attendance list");
        assertThat(page.locator("section:has(h2:text-is('History')) tbody tr:has-text('Resubmitted')"))
                .containsText("Partner action required → Submitted");
        assertThat(status(claim)).isEqualTo("SUBMITTED");
    }

    @Test
    void aPartnerDisputesARejectionOnceWithinTheWindow() throws IOException {
        long claim = contosoClaim("REJECTED", "Wide World%");
        Path signoff = file("dispute/customer-signoff.pdf", PDF);
        Page page = signedIn("anna");
        page.navigate("/engagements/" + COPILOT + "/customers?lang=en");
        Locator row = claimRow(page, claim);
        assertThat(row.locator(".dispute-claim")).hasText("Dispute");
        row.locator(".dispute-claim").click();
        assertThat(page).hasURL(Pattern.compile(".*/claims/" + claim + "#dispute$"));
        assertThat(page.locator("#dispute h2")).hasText("Dispute the rejection");
        // The demo's rejection carries its reason only (no checklist was recorded for it).
        assertThat(page.locator("#dispute .open-request .comment"))
                .hasText("The attendee list shows no one from the customer's IT department.");
        assertThat(page.locator("#dispute .due")).containsText("You can dispute this rejection once, until");
        assertThat(page.locator("#dispute .due .countdown")).hasText(Pattern.compile("\\d+ days? left"));

        page.click("#dispute-claim");
        assertThat(page.locator("#dispute .field.invalid:has(#dispute-reason) .error"))
                .hasText("Explain why the rejection should be reconsidered.");
        assertThat(status(claim)).isEqualTo("REJECTED");

        page.fill("#dispute-reason", "Two attendees work in the customer's IT department; their sign-off is attached.");
        page.setInputFiles("#dispute-files", signoff);
        page.click("#dispute-claim");
        assertThat(page.locator(".alert.info")).hasText("Your dispute was sent; the reviewer will look at the claim again.");
        assertThat(page.locator("h1 .status")).hasText("Disputed");
        assertThat(page.locator("#dispute")).hasCount(0);
        assertThat(page.locator(".submissions article:has-text('Dispute')")).containsText("customer-signoff.pdf");
        assertThat(page.locator("section:has(h2:text-is('History')) tbody tr:has-text('Rejection disputed')"))
                .containsText("Rejected → Disputed");
        Browser.screenshot(page, "claim-disputed");
        assertThat(status(claim)).isEqualTo("DISPUTED");
    }

    @Test
    void aPartnerCancelsAClaimBeforeSubmissionWithAReason() {
        long claim = contosoClaim("CUSTOMER_CLAIMED", "Northwind%");
        Page page = signedIn("anna");
        page.navigate("/engagements/" + COPILOT + "/customers?lang=en");
        claimRow(page, claim).locator(".cancel-claim").click();
        assertThat(page).hasURL(Pattern.compile(".*/claims/" + claim + "\\?open=cancel#cancel$"));
        assertThat(page.locator("#cancel-reason")).isVisible(); // the disclosure opens when asked for

        page.click("#cancel-claim");
        assertThat(page.locator("#cancel .field.invalid .error")).hasText("Give a reason for canceling.");
        assertThat(page.locator("#cancel-reason")).isVisible();
        assertThat(status(claim)).isEqualTo("CUSTOMER_CLAIMED");

        page.fill("#cancel-reason", "The customer runs the workshop with its own IT team.");
        page.click("#cancel-claim");
        assertThat(page.locator(".alert.info")).hasText("The claim was canceled.");
        assertThat(page.locator("h1 .status")).hasText("Canceled");
        assertThat(page.locator("main")).containsText("The customer runs the workshop with its own IT team.");
        assertThat(page.locator("#cancel")).hasCount(0);
        Locator history = page.locator("section:has(h2:text-is('History')) tbody tr:has-text('Canceled')").last();
        assertThat(history).containsText("Customer claimed → Canceled");
        assertThat(history).containsText("The customer runs the workshop with its own IT team.");
        Browser.screenshot(page, "claim-canceled");
        assertThat(status(claim)).isEqualTo("CANCELED");

        // It has left the Eligible tab for the Complete tab, with its claim ID linking to it.
        page.navigate("/engagements/" + COPILOT + "/customers?lang=en");
        assertThat(claimRow(page, claim)).hasCount(0);
        page.navigate("/engagements/" + COPILOT + "/customers?tab=complete&lang=en");
        assertThat(claimRow(page, claim).locator(".status")).hasText("Canceled");
    }

    @Test
    void aPartnerStartsANewClaimFromAnExpiredOneThroughThePrefilledWizard() {
        long old = contosoClaim("NOT_SUBMITTED_EXPIRED", "Trey Research");
        var before = jdbc.sql("""
                        select friendly_name, identifier_value, customer_contact_email, partner_contact_name, location_id
                        from claim where id = ?""")
                .param(old).query((rs, n) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5)}).single();
        String oldRow = jdbc.sql("select to_jsonb(c)::text from claim c where id = ?").param(old).query(String.class).single();

        Page page = signedIn("anna");
        page.navigate("/claims/" + old + "?lang=en");
        assertThat(page.locator("h1 .status")).hasText("Expired, not submitted");
        assertThat(page.locator("#new-claim h2")).hasText("Start a new claim");
        assertThat(page.locator("#submit, #dispute, #cancel")).hasCount(0);
        Browser.screenshot(page, "claim-expired");
        page.click("#start-new-claim");

        assertThat(page.locator("h1")).hasText("Start a new claim");
        assertThat(page.locator(".follow-up")).containsText("from expired claim " + old);
        assertThat(page.locator("#friendlyName")).hasValue(before[0]);
        assertThat(page.locator("#locationId")).hasValue(before[4]);
        page.click("button[value=next]");
        assertThat(page.locator("main code").first()).hasText(before[1]);
        assertThat(page.locator("main")).containsText("keeps that claim's customer identifier");
        assertThat(page.locator("#identifierValue")).hasCount(0);
        page.click("button[value=next]");
        assertThat(page.locator("input[name=engagementIds]")).hasCount(1);
        assertThat(page.locator("input[name=engagementIds][value=" + COPILOT + "]")).isChecked();
        page.click("button[value=next]");
        assertThat(page.locator("#customerEmail")).hasValue(before[2]);
        assertThat(page.locator("#partnerName")).hasValue(before[3]);
        page.click("button[value=next]");
        assertThat(page.locator("#previous-claim")).hasText(String.valueOf(old));
        Browser.screenshot(page, "claim-follow-up-review");
        page.click("button[value=create]");

        assertThat(page).hasURL(Pattern.compile(".*/claims/\\d+$"));
        long created = Long.parseLong(page.url().replaceAll(".*/claims/", ""));
        assertThat(created).isNotEqualTo(old);
        assertThat(page.locator(".alert.info")).hasText("Claim " + created + " was created from expired claim " + old + ".");
        assertThat(page.locator("h1 .status")).hasText("Customer claimed");
        assertThat(page.locator("dd a[href='/claims/" + old + "']")).hasText(String.valueOf(old));
        Browser.screenshot(page, "claim-follow-up-created");
        assertThat(jdbc.sql("select previous_claim_id from claim where id = ?").param(created).query(Long.class).single())
                .isEqualTo(old);

        // The expired claim is unchanged and now leads to its successor instead of offering another.
        assertThat(jdbc.sql("select to_jsonb(c)::text from claim c where id = ?").param(old).query(String.class).single())
                .isEqualTo(oldRow);
        page.navigate("/claims/" + old);
        assertThat(page.locator("h1 .status")).hasText("Expired, not submitted");
        assertThat(page.locator("#next-claim")).hasAttribute("href", "/claims/" + created);
        assertThat(page.locator("#start-new-claim")).hasCount(0);
        page.navigate("/engagements/" + COPILOT + "/customers/add?previousClaimId=" + old);
        assertThat(page).hasURL(Pattern.compile(".*/claims/" + created + "$"));
    }

    private Page signedIn(String user) {
        Page page = browser.newPage("http://localhost:" + port);
        Browser.signIn(page, user, "demo");
        return page;
    }

    /** The Customers page row of a claim: the one whose claim ID links to it. */
    private static Locator claimRow(Page page, long claimId) {
        return page.locator("table.data tbody tr:has(a[href='/claims/" + claimId + "']:text-is('" + claimId + "'))");
    }

    /** Contoso's demo claim on the Copilot Readiness Workshop in a status, for a customer (SQL {@code like}). */
    private long contosoClaim(String status, String customerName) {
        return jdbc.sql("""
                        select c.id from claim c join app_user u on u.partner_id = c.partner_id and u.username = 'anna'
                        where c.engagement_id = ? and c.status = ? and c.customer_name like ?""")
                .params(COPILOT, status, customerName).query(Long.class).single();
    }

    private String status(long claimId) {
        return jdbc.sql("select status from claim where id = ?").param(claimId).query(String.class).single();
    }

    private Path file(String name, byte[] content) throws IOException {
        Path file = files.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }
}
