package org.mciengagements.security.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.math.BigDecimal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.support.Browser;
import org.mciengagements.support.ClaimJourney;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Enrollment and team roles in Chromium: the Add customer wizard shows the locations a user may
 * not pick, disabled, with why; an operator suspends and re-enrolls a location in its row, a missing
 * reason said in place, the recent changes following; anna grants umut a role on the Team page,
 * which changes in place and records it, and the last-administrator refusal appears in its cell.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mci.test.isolated-context=enrollment-team-browser", "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class EnrollmentAndTeamBrowserTest {

    static final String WORKSHOP = "browser-workshop";

    @RegisterExtension
    static final Browser browser = new Browser();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    EngagementCatalog catalog;
    @Autowired
    ProgramClock clock;

    @BeforeEach
    void workshop() {
        if (catalog.find(WORKSHOP).isEmpty()) {
            ClaimJourney.saveWorkshop(catalog, WORKSHOP, 5, BigDecimal.valueOf(5000), clock.instant());
        }
    }

    @Test
    void theWizardShowsLocationsThatCannotNominateDisabledWithTheirReason() {
        Page farah = signedIn("farah");
        farah.navigate("/engagements/" + WORKSHOP + "/customers/add?lang=en");
        assertThat(farah.locator("#locationId option[value='5200411']")).isEnabled();
        Locator ankara = farah.locator("#locationId option[value='5200413']");
        assertThat(ankara).isDisabled();
        assertThat(ankara).containsText("Suspended on");
        assertThat(ankara).containsText("Annual compliance review overdue");
        assertThat(farah.locator("#unavailable-locations li[data-location='5200413']"))
                .containsText("Suspended on");
        assertThat(farah.locator("#unavailable-locations li[data-location='5200413']"))
                .containsText("Annual compliance review overdue");
        Browser.screenshot(farah, "wizard-suspended-location");

        Page anna = signedIn("anna");
        anna.navigate("/engagements/" + WORKSHOP + "/customers/add?lang=en");
        assertThat(anna.locator("#locationId option[value='4100234']")).isDisabled();
        assertThat(anna.locator("#unavailable-locations li[data-location='4100234']")).containsText("Not enrolled in MCI");
        assertThat(anna.locator("#locationId option[value='4100231']")).isEnabled();
    }

    @Test
    void anOperatorSuspendsALocationInItsRowAndTheChangeIsRecorded() {
        Page oscar = signedIn("oscar");
        oscar.navigate("/admin/locations?lang=en");
        oscar.evaluate("window.samePage = true");
        Locator row = oscar.locator("#loc-5200412");
        assertThat(row.locator(".badge.enrollment")).hasText("Enrolled");

        row.locator("select[name=action]").selectOption("SUSPEND");
        row.locator("button[type=submit]").click();
        assertThat(oscar.locator("#loc-5200412 .enrollment-form .error")).containsText("Give a reason");
        assertThat(oscar.locator("#loc-5200412 .badge.enrollment")).hasText("Enrolled");

        oscar.locator("#loc-5200412 input[name=reason]").fill("Insurance certificate missing");
        oscar.locator("#loc-5200412 button[type=submit]").click();
        assertThat(oscar.locator("#loc-5200412 .badge.enrollment")).hasText("Suspended");
        assertThat(oscar.locator("#loc-5200412 .row-notice")).containsText("5200412 is suspended");
        assertThat(oscar.locator("#loc-5200412 .enrollment-reason")).hasText("Insurance certificate missing");
        assertThat(oscar.locator("#recent-changes")).containsText("Insurance certificate missing");
        assertThat(oscar.locator("#recent-changes")).containsText("5200412");
        assertThat((Boolean) oscar.evaluate("window.samePage === true")).as("changed in place").isTrue();
        Browser.screenshot(oscar, "admin-locations-suspended");

        // The partner's wizard says so at once.
        Page farah = signedIn("farah");
        farah.navigate("/engagements/" + WORKSHOP + "/customers/add?lang=en");
        assertThat(farah.locator("#locationId option[value='5200412']")).isDisabled();
        assertThat(farah.locator("#unavailable-locations li[data-location='5200412']"))
                .containsText("Insurance certificate missing");

        oscar.locator("#loc-5200412 select[name=action]").selectOption("REENROLL");
        oscar.locator("#loc-5200412 button[type=submit]").click();
        assertThat(oscar.locator("#loc-5200412 .badge.enrollment")).hasText("Enrolled");
        assertThat(jdbc.sql("select count(*) from audit_event where subject_type = 'LOCATION' and subject_id = '5200412'")
                .query(Long.class).single()).isEqualTo(2);

        // A location's own page has its history.
        oscar.navigate("/admin/locations/5200412");
        assertThat(oscar.locator(".history tbody tr")).hasCount(2);
        assertThat(oscar.locator(".history")).containsText("Insurance certificate missing");
    }

    @Test
    void anAdministratorGrantsARoleOnTheTeamPageAndSeesItRecorded() {
        Page anna = signedIn("anna");
        anna.navigate("/team?lang=en");
        anna.evaluate("window.samePage = true");
        Locator cell = anna.locator("#cell-umut-4100231");
        assertThat(cell.locator(".role-chip")).hasCount(0);
        // umut holds a role on 4100232 only; anna administers every location, so every cell has its buttons.
        assertThat(anna.locator("#cell-umut-4100232 .role-chip[data-role='INCENTIVES_USER']")).isVisible();

        cell.locator("button.grant[data-role='INCENTIVES_USER']").click();
        assertThat(anna.locator("#cell-umut-4100231 .role-chip[data-role='INCENTIVES_USER']")).isVisible();
        assertThat(anna.locator("#team-notice")).containsText("now holds Incentives user on 4100231");
        assertThat(anna.locator("#team-history")).containsText("granted Incentives user on 4100231 to Umut Yılmaz");
        assertThat(anna.locator("#team-history tbody tr").first()).containsText("Anna de Vries");
        assertThat((Boolean) anna.evaluate("window.samePage === true")).as("changed in place").isTrue();
        assertThat(jdbc.sql("select count(*) from user_location_role where username = 'umut' and location_id = '4100231' "
                + "and role = 'INCENTIVES_USER'").query(Long.class).single()).isEqualTo(1);
        Browser.screenshot(anna, "team-granted");

        // anna is the only administrator of 4100234: the refusal is said in that cell, and nothing changes.
        anna.locator("#cell-anna-4100234 button.revoke[data-role='INCENTIVES_ADMIN']").click();
        assertThat(anna.locator("#cell-anna-4100234 .error")).containsText("would have no Incentives administrator left");
        assertThat(anna.locator("#cell-anna-4100234 .role-chip[data-role='INCENTIVES_ADMIN']")).isVisible();
        assertThat(jdbc.sql("select count(*) from user_location_role where username = 'anna' and location_id = '4100234' "
                + "and role = 'INCENTIVES_ADMIN'").query(Long.class).single()).isEqualTo(1);

        // umut, an incentives user, has no Team page and no Team link.
        Page umut = signedIn("umut");
        umut.navigate("/engagements?lang=en");
        assertThat(umut.locator("#nav-team")).hasCount(0);
        assertThat(umut.navigate("/team").status()).isEqualTo(403);
    }

    private Page signedIn(String user) {
        Page page = browser.newPage("http://localhost:" + port);
        Browser.signIn(page, user, "demo");
        return page;
    }
}
