package org.mciengagements.claim.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mciengagements.support.Browser;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A partner user signs in and works the three tabs of an engagement's Customers page in Chromium. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CustomersPageBrowserTest {

    @RegisterExtension
    static final Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Test
    void incentivesAdministratorOpensTheThreeTabsOfTheCustomersPage() {
        Page page = browser.newPage("http://localhost:" + port);
        Browser.signIn(page, "anna", "demo");
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/engagements$"));
        Browser.screenshot(page, "engagements");

        page.click("text=Copilot Readiness Workshop >> xpath=ancestor::article//a[contains(@class,'primary')]");
        assertThat(page.locator("h1")).containsText("Customers");
        assertThat(page.locator(".tabs a.active")).containsText("Eligible");
        // Active claims and known customers that can be claimed share the Eligible tab.
        assertThat(page.locator("table.data tbody tr").first()).isVisible();
        assertThat(page.locator("text=Known customer").first()).isVisible();
        assertThat(page.locator("td >> text=Northwind Traders")).isVisible();
        Browser.screenshot(page, "customers-eligible");

        page.click(".tabs a[data-tab=ineligible]");
        assertThat(page.locator(".tabs a.active")).containsText("Ineligible");
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*tab=ineligible.*"));
        assertThat(page.locator("tr:has-text('VanArsdel')")).containsText("consented to another partner");
        assertThat(page.locator("tr:has-text('Bellows College')")).containsText("Paid seats");
        Browser.screenshot(page, "customers-ineligible");

        page.click(".tabs a[data-tab=complete]");
        assertThat(page.locator(".tabs a.active")).containsText("Complete");
        assertThat(page.locator("table.data")).containsText("Completed");
        assertThat(page.locator("table.data")).not().containsText("Consent declined");
        Browser.screenshot(page, "customers-complete");

        page.fill("#q", "no customer is called like this");
        page.click(".toolbar button[type=submit]");
        assertThat(page.locator(".empty")).containsText("Nothing matches your search");

        page.navigate("/engagements/copilot-readiness-workshop/customers?tab=complete");
        page.locator("table.data tbody tr td a").first().click();
        assertThat(page.locator("h1")).containsText("Claim");
        assertThat(page.locator("section:has(h2:text('History')) tbody tr").first()).isVisible();
        Browser.screenshot(page, "claim-details");
    }

    @Test
    void pagesSpeakDutchAndTurkishFromTheSwitch() {
        Page page = browser.newPage("http://localhost:" + port);
        Browser.signIn(page, "umut", "demo");
        page.navigate("/engagements?lang=tr");
        assertThat(page.locator("h1")).hasText("Görevlendirmeler");
        page.navigate("/engagements?lang=nl");
        assertThat(page.locator("h1")).hasText("Afspraken");
        page.navigate("/engagements");
        assertThat(page.locator("h1")).hasText("Afspraken"); // the choice is remembered
        assertThat(page.locator("html").getAttribute("lang")).isEqualTo("nl");
    }
}
