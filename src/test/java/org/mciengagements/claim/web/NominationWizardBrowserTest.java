package org.mciengagements.claim.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.SelectOption;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mciengagements.support.Browser;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The Add customer and Claim customer wizards in Chromium, as a partner user walks them: a tenant
 * whose domains do not match the contact (the mismatch-reason step), a VARIABLE engagement with
 * its payout review, and claiming a known customer with contacts prefilled. Runs on its own
 * database because it creates claims.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "mci.test.isolated-context=nomination-wizard")
@DirtiesContext
class NominationWizardBrowserTest {

    @RegisterExtension
    static final Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Test
    void addingATenantWhoseDomainsDoNotMatchTheContactAsksForAReason() {
        Page page = signedIn("anna");
        page.navigate("/engagements/copilot-readiness-workshop/customers");
        page.click("#add-customer");

        // Step 1: a field error stands next to its field.
        page.fill("#friendlyName", "x");
        page.click("button[value=next]");
        assertThat(page.locator(".field.invalid:has(#friendlyName) .error")).containsText("3 to 100 characters");
        page.fill("#friendlyName", "Van der Berg copilot workshop");
        page.selectOption("#locationId", "4100231");
        page.click("button[value=next]");

        // Step 2: a malformed tenant ID is refused, a GUID in capitals is fine.
        page.check("input[name=identifierType][value=TENANT_ID]");
        page.fill("#identifierValue", "not-a-guid");
        page.click("button[value=next]");
        assertThat(page.locator(".field.invalid .error")).containsText("GUID");
        page.fill("#identifierValue", "37227068-1BB0-5299-91FA-C8CDAB9A189C");
        page.click("button[value=next]");

        // Step 3: the engagement the wizard started from is preselected; ineligible ones show why.
        assertThat(page.locator("input[name=engagementIds][value=copilot-readiness-workshop]")).isChecked();
        assertThat(page.locator(".ineligible")).containsText("Azure Data Modernization");
        page.click("button[value=next]");

        // Step 4: the contact's email domain is not one of the tenant's verified domains.
        page.fill("#customerName", "Pieter van der Berg");
        page.fill("#customerEmail", "pieter@vdb-holding.example");
        page.click("button[value=next]");
        assertThat(page.locator("fieldset.mismatch")).containsText("vanderberglogistiek.nl");
        assertThat(page.locator(".field.invalid:has(#mismatchReason) .error")).containsText("choose a reason");
        page.selectOption("#mismatchReason", "OTHER");
        page.click("button[value=next]");
        assertThat(page.locator(".field.invalid:has(#mismatchNote) .error")).containsText("Describe");
        page.fill("#mismatchNote", "Group purchasing runs from the holding company");
        page.click("button[value=next]");

        // Step 5: review; Back keeps what was typed.
        assertThat(page.locator(".review")).containsText("Pieter van der Berg");
        page.click("button[value=back]");
        assertThat(page.locator("#customerEmail")).hasValue("pieter@vdb-holding.example");
        assertThat(page.locator("#mismatchNote")).hasValue("Group purchasing runs from the holding company");
        page.click("button[value=next]");
        Browser.screenshot(page, "wizard-review-mismatch");
        page.click("button[value=create]");

        assertThat(page).hasURL(Pattern.compile(".*/engagements/copilot-readiness-workshop/customers$"));
        assertThat(page.locator(".alert.info")).containsText("created");
        assertThat(page.locator("tr:has-text('Van der Berg Logistiek')")).containsText("Customer claimed");
    }

    @Test
    void aVariableEngagementShowsItsPayoutBeforeTheClaimIsMade() {
        Page page = signedIn("anna");
        page.navigate("/engagements/azure-data-modernization/customers");
        page.click("#add-customer");
        page.fill("#friendlyName", "Northwind data platform");
        page.selectOption("#locationId", "4100231");
        page.click("button[value=next]");
        page.fill("#identifierValue", "7-2k4m8q1zxa");
        page.click("button[value=next]");

        page.fill("#hours", "9999");
        page.click("button[value=next]");
        assertThat(page.locator(".field.invalid:has(#hours) .error")).containsText("hours");
        page.fill("#hours", "240");
        page.click("button[value=next]");
        page.fill("#customerName", "Nora Northwind");
        page.fill("#customerEmail", "nora@northwindtraders.nl");
        page.click("button[value=next]");

        // 240 h × USD 165 = USD 39,600, capped at 20 % of the USD 180,000 opportunity.
        assertThat(page.locator(".review")).containsText("7-2K4M8Q1ZXA");
        assertThat(page.locator(".payout .big")).hasText("USD 36,000.00");
        assertThat(page.locator(".payout")).containsText("39,600.00");
        assertThat(page.locator(".payout")).containsText("capped");
        Browser.screenshot(page, "wizard-review-variable");
        page.click("button[value=create]");
        assertThat(page.locator("tr:has-text('Northwind data platform')")).containsText("Customer claimed");
    }

    @Test
    void claimingAKnownCustomerStartsFromItsLatestConsent() {
        Page page = signedIn("anna");
        page.navigate("/engagements/copilot-readiness-workshop/customers");
        page.locator("tr:has-text('Coho Winery') .claim-customer").click();
        assertThat(page.locator("h1")).hasText("Claim customer");
        page.fill("#friendlyName", "Coho Winery again");
        page.selectOption("#locationId", "4100231");
        page.click("button[value=next]");
        assertThat(page.locator("main")).containsText("keeps the identifier");
        page.click("button[value=next]");
        // Only engagements this key is eligible for are offered.
        assertThat(page.locator(".ineligible")).hasCount(0);
        page.click("button[value=next]");
        assertThat(page.locator("#customerEmail")).not().hasValue("");
        page.click("button[value=next]");
        page.click("button[value=create]");
        assertThat(page.locator("tr:has-text('Coho Winery')")).containsText("Customer claimed");
        assertThat(page.locator("tr:has-text('Coho Winery') .claim-customer")).hasCount(0);
    }

    @Test
    void aDomainWithoutATenantAsksForTheTenantIdOrTpidInstead() {
        Page page = signedIn("anna");
        page.navigate("/engagements/smb-modern-work-deployment/customers/add");
        page.fill("#friendlyName", "Alpine Ski House rollout");
        page.selectOption("#locationId", "4100231");
        page.click("button[value=next]");
        page.check("input[name=identifierType][value=DOMAIN]");
        page.fill("#identifierValue", "alpine-unknown.example");
        page.click("button[value=next]");
        assertThat(page.locator(".alert.info")).containsText("No tenant could be derived from alpine-unknown.example");
        assertThat(page.locator("input[name=identifierType][value=TENANT_ID]")).isChecked();
        page.check("input[name=identifierType][value=TPID]");
        page.fill("#identifierValue", "0012345");
        page.click("button[value=next]");
        assertThat(page.locator("input[name=engagementIds][value=smb-modern-work-deployment]")).isChecked();
        assertThat(page.locator("main")).containsText("TPID:12345");
    }

    @Test
    void fieldErrorsSpeakThePagesLanguage() {
        Page page = signedIn("umut");
        page.navigate("/engagements/copilot-readiness-workshop/customers/add?lang=tr");
        page.click("button[value=next]");
        assertThat(page.locator(".field.invalid:has(#friendlyName) .error")).containsText("karakter");
        page.navigate("/engagements/copilot-readiness-workshop/customers/add?lang=nl");
        page.click("button[value=next]");
        assertThat(page.locator(".field.invalid:has(#friendlyName) .error")).containsText("tekens");
    }

    private Page signedIn(String user) {
        Page page = browser.newPage("http://localhost:" + port);
        Browser.signIn(page, user, "demo");
        return page;
    }
}
