package org.mciengagements.engagement.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.support.Browser;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The operator's engagement pages in Chromium: oscar creates an engagement from the form, trips
 * over a CEL mistake shown where it is, fixes it, and later renames the engagement; the change is
 * listed under the form, and a partner sees the engagement at once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mci.test.isolated-context=engagement-config-browser", "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class EngagementConfigurationBrowserTest {

    @RegisterExtension
    static final Browser browser = new Browser();

    @LocalServerPort
    int port;
    @Autowired
    ProgramClock clock;
    @Autowired
    EngagementCatalog catalog;

    @Test
    void anOperatorCreatesAnEngagementFromTheFormAndSeesCelMistakesWhereTheyAre() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Page page = browser.newPage("http://localhost:" + port);
        Browser.signIn(page, "oscar", "demo");
        page.locator("#nav-admin-engagements").click();
        assertThat(page.locator("h1")).hasText("Engagement configuration");
        assertThat(page.locator("#engagements tbody tr")).not().hasCount(0);
        page.locator("#new-engagement").click();

        page.locator("#id").fill("fabric-readiness-assessment");
        page.locator("#name").fill("Fabric Readiness Assessment");
        page.locator("#description").fill("A one-week assessment of a customer's analytics estate.");
        page.locator("#solutionArea").fill("Data & AI");
        page.locator("#type").selectOption("ASSESSMENT");
        page.locator("#firstClaimDay").fill(today.minusDays(1).toString());
        page.locator("#lastClaimDay").fill(today.plusDays(120).toString());
        page.locator("#type-TENANT_ID").check();
        page.locator("#type-DOMAIN").check();
        page.locator("#allowedCountries").fill("NL XX");
        page.locator("#criterion-0-name").fill("Paid seats");
        page.locator("#criterion-0-expression").fill("customer.paidSeats >= 300 &&");
        page.locator("#criterion-0-message").fill("The customer needs at least 300 paid seats.");
        page.locator("#add-criterion").click();
        assertThat(page.locator("#criterion-0-expression")).hasValue("customer.paidSeats >= 300 &&");
        page.locator("#criterion-1-name").fill("Industry");
        page.locator("#criterion-1-expression").fill("has(customer.industry)");
        page.locator("#criterion-1-message").fill("The directory must know the industry.");
        page.locator("#fixedA").fill("3000");
        page.locator("#fixedB").fill("2,200");
        page.locator("#save-engagement").click();

        assertThat(page.locator("#form-problem")).containsText("3 problems");
        assertThat(page.locator("#allowedCountries + .help + .error")).hasText("XX is not a two-letter ISO country code.");
        assertThat(page.locator("#fixedC ~ .error")).hasText("This field is required.");
        assertThat(page.locator("pre.cel-mark")).hasText(Pattern.compile(
                "customer\\.paidSeats >= 300 &&\\n\\s{28}\\^"));
        assertThat(page.locator("#criterion-0-expression ~ .error")).containsText("Line 1, column 29:");
        assertThat(page.locator("#fixedB")).hasValue("2,200");
        Browser.screenshot(page, "engagement-config-problems");

        page.locator("#allowedCountries").fill("NL");
        page.locator("#criterion-0-expression").fill("customer.paidSeats >= 300");
        page.locator("#fixedC").fill("1500");
        page.locator("#save-engagement").click();

        assertThat(page).hasURL(Pattern.compile("/admin/engagements/fabric-readiness-assessment$"));
        assertThat(page.locator(".alert.info")).hasText("Engagement fabric-readiness-assessment created.");
        assertThat(page.locator("#history tbody tr")).hasCount(1);
        var saved = catalog.find("fabric-readiness-assessment").orElseThrow();
        assertThat(saved.fixedPayouts().values()).extracting(Object::toString)
                .containsExactlyInAnyOrder("3000.00", "2200.00", "1500.00");
        assertThat(saved.deadlines().firstSubmissionDays()).as("the assessment default").isEqualTo(60);
        assertThat(saved.criteria()).hasSize(2);

        page.locator("#name").fill("Fabric Readiness Assessment (2 weeks)");
        page.locator("#save-engagement").click();
        assertThat(page.locator(".alert.info")).hasText("Changes to fabric-readiness-assessment saved.");
        assertThat(page.locator("#history tbody tr")).hasCount(2);
        assertThat(page.locator("#history tbody tr").first()).containsText("oscar");
        assertThat(page.locator("#history tbody tr").first())
                .containsText("Fabric Readiness Assessment → Fabric Readiness Assessment (2 weeks)");
        Browser.screenshot(page, "engagement-config-saved");

        Page anna = browser.newPage("http://localhost:" + port);
        Browser.signIn(anna, "anna", "demo");
        anna.navigate("http://localhost:" + port + "/engagements");
        assertThat(anna.locator("body")).containsText("Fabric Readiness Assessment (2 weeks)");
    }
}
