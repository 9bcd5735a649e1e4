package org.mciengagements;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.support.Browser;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * An operator runs the program from the pages alone, and a partner then uses it: oscar creates an
 * engagement whose criterion reads a directory attribute nobody has loaded yet, imports a directory
 * file that brings it, and enrolls the one location the engagement is for; anna then nominates a
 * customer of that file from that location.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mci.test.isolated-context=program-operations", "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class ProgramOperationsBrowserTest {

    static final String ENGAGEMENT = "zero-trust-workshop";
    static final String MUNICH = "4100234"; // Contoso Munich, not enrolled in the demo

    @RegisterExtension
    static final Browser browser = new Browser();

    @LocalServerPort
    int port;
    @Autowired
    ProgramClock clock;
    @Autowired
    JdbcClient jdbc;

    @Test
    void anOperatorConfiguresImportsAndEnrollsAndAPartnerThenNominates() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Page oscar = browser.newPage("http://localhost:" + port);
        Browser.signIn(oscar, "oscar", "demo");

        // 1. A new engagement, for Munich only, with a criterion on a new attribute.
        assertThat(oscar).hasURL(Pattern.compile("/admin/engagements$"));
        oscar.click("#new-engagement");
        oscar.fill("#id", ENGAGEMENT);
        oscar.fill("#name", "Zero Trust Workshop");
        oscar.fill("#description", "A one-day workshop on identity-first security.");
        oscar.fill("#solutionArea", "Security");
        oscar.selectOption("#type", "WORKSHOP");
        oscar.fill("#firstClaimDay", today.toString());
        oscar.fill("#lastClaimDay", today.plusDays(60).toString());
        oscar.check("#type-TENANT_ID");
        oscar.fill("#eligibleLocationIds", MUNICH);
        oscar.fill("#criterion-0-name", "Security score");
        oscar.fill("#criterion-0-expression", "customer.securityScore >= 50");
        oscar.fill("#criterion-0-message", "The customer's security score must be at least 50.");
        oscar.fill("#fixedA", "2500");
        oscar.fill("#fixedB", "2000");
        oscar.fill("#fixedC", "1500");
        oscar.click("#save-engagement");
        assertThat(oscar.locator(".alert.info")).hasText("Engagement " + ENGAGEMENT + " created.");

        // 2. The directory file that brings the attribute: one good tenant, one below the bar, one broken.
        oscar.click("#nav-admin-directory");
        oscar.selectOption("#kind", "TENANTS");
        oscar.setInputFiles("#file", new FilePayload("security-tenants.csv", "text/csv", """
                tenant_id,name,country,domains,attr:securityScore
                c0ffee00-1111-4222-8333-444455556666,Bavaria Brewing,DE,bavaria-brewing.example,72
                c0ffee00-1111-4222-8333-444455557777,Isar Shipping,DE,isar-shipping.example,20
                c0ffee00-1111-4222-8333-44445555zzzz,Broken Row,DE,,90
                """.getBytes(StandardCharsets.UTF_8)));
        oscar.click("#import-submit");
        assertThat(oscar.locator("#import-status")).hasText("Succeeded");
        assertThat(oscar.locator("#count-imported")).hasText("2");
        assertThat(oscar.locator("#report-table tbody tr")).hasCount(1);

        // Before enrollment, anna's partner has no location the engagement is for: it does not exist for her.
        Page anna = browser.newPage("http://localhost:" + port);
        Browser.signIn(anna, "anna", "demo");
        anna.navigate("/engagements");
        assertThat(anna.locator("main")).not().containsText("Zero Trust Workshop");

        // 3. Enroll Munich.
        oscar.click("#nav-admin-locations");
        oscar.locator("#loc-" + MUNICH + " select[name=action]").selectOption("ENROLL");
        oscar.locator("#loc-" + MUNICH + " button[type=submit]").click();
        assertThat(oscar.locator("#loc-" + MUNICH + " .badge.enrollment")).hasText("Enrolled");

        // 4. anna nominates the tenant that meets the criterion, from Munich.
        anna.navigate("/engagements");
        anna.locator("a:has-text('Zero Trust Workshop')").first().click();
        anna.navigate("/engagements/" + ENGAGEMENT + "/customers");
        anna.click("#add-customer");
        anna.fill("#friendlyName", "Bavaria Brewing zero trust");
        anna.selectOption("#locationId", MUNICH);
        anna.click("button[value=next]");
        anna.check("input[name=identifierType][value=TENANT_ID]");
        anna.fill("#identifierValue", "c0ffee00-1111-4222-8333-444455556666");
        anna.click("button[value=next]");
        assertThat(anna.locator("input[name=engagementIds][value=" + ENGAGEMENT + "]")).isChecked();
        anna.click("button[value=next]");
        anna.fill("#customerName", "Lena Huber");
        anna.fill("#customerEmail", "lena.huber@bavaria-brewing.example");
        anna.click("button[value=next]");
        anna.click("button[value=create]");
        assertThat(anna.locator(".alert.info")).containsText("created");
        assertThat(anna.locator("tr:has-text('Bavaria Brewing')")).containsText("Customer claimed");
        Browser.screenshot(anna, "program-operations-nominated");

        assertThat(jdbc.sql("select location_id || ' ' || customer_key from claim where engagement_id = ?")
                .param(ENGAGEMENT).query(String.class).list())
                .containsExactly(MUNICH + " TENANT:c0ffee00-1111-4222-8333-444455556666");
        // The other tenant of the file is below the bar, and the partner is told why.
        anna.navigate("/engagements/" + ENGAGEMENT + "/customers/add");
        anna.fill("#friendlyName", "Isar Shipping zero trust");
        anna.selectOption("#locationId", MUNICH);
        anna.click("button[value=next]");
        anna.check("input[name=identifierType][value=TENANT_ID]");
        anna.fill("#identifierValue", "c0ffee00-1111-4222-8333-444455557777");
        anna.click("button[value=next]");
        assertThat(anna.locator(".ineligible")).containsText("The customer's security score must be at least 50.");
    }
}
