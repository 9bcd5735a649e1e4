package org.mciengagements.directory;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mciengagements.shared.CustomerKey;
import org.mciengagements.support.Browser;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The directory page in Chromium: oscar uploads a tenants file with a bad row; while another
 * import holds the directory the new one waits, and its page polls; once it may run, the progress
 * bar reaches 100 % without a reload, and the counts and the report row appear.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mci.test.isolated-context=directory-import-browser", "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class DirectoryImportBrowserTest {

    @RegisterExtension
    static final Browser browser = new Browser();

    @LocalServerPort int port;
    @Autowired DataSource dataSource;
    @Autowired CustomerDirectory directory;

    @Test
    void anOperatorUploadsAFileAndWatchesItsImportFinishWithItsReport() throws Exception {
        Page oscar = browser.newPage("http://localhost:" + port);
        Browser.signIn(oscar, "oscar", "demo");
        oscar.navigate("/welcome?lang=en");
        oscar.click("#nav-admin-directory");
        assertThat(oscar.locator("h1")).hasText("Customer directory");
        assertThat(oscar.locator("#columns-TENANTS")).containsText("tenant_id, name, country");
        assertThat(oscar.locator("#columns-TENANTS")).containsText("tpid, domains");

        // No file: the refusal stands next to the file field.
        oscar.click("#import-submit");
        assertThat(oscar.locator("#file-error")).hasText("Choose a CSV file.");

        String csv = """
                tenant_id,name,country,domains,attr:paidSeats
                bbbbbbbb-2222-4222-8222-000000000001,Browser Tenant One,NL,browser-one.example,12
                not-a-tenant,Browser Tenant Bad,NL,,3
                bbbbbbbb-2222-4222-8222-000000000003,Browser Tenant Three,DE,,
                """;
        try (Connection other = dataSource.getConnection(); Statement statement = other.createStatement()) {
            // Another import holds the directory: this one waits, and its page shows it waiting.
            statement.execute("select pg_advisory_lock(" + DirectoryImport.LOCK + ")");
            oscar.selectOption("#kind", "TENANTS");
            oscar.setInputFiles("#file", new FilePayload("browser-tenants.csv", "text/csv",
                    csv.getBytes(StandardCharsets.UTF_8)));
            oscar.click("#import-submit");
            assertThat(oscar).hasURL(Pattern.compile(".*/admin/directory/imports/\\d+$"));
            assertThat(oscar.locator("#import-status")).hasText("Queued");
            assertThat(oscar.locator("#import-progress")).hasAttribute("value", "0");
            assertThat(oscar.locator("#import-panel")).hasAttribute("hx-trigger", "every 1s");
            Browser.screenshot(oscar, "directory-import-queued");
            oscar.evaluate("window.samePage = true");
            statement.execute("select pg_advisory_unlock(" + DirectoryImport.LOCK + ")");
        }

        assertThat(oscar.locator("#import-status")).hasText("Succeeded");
        assertThat(oscar.locator("#import-progress")).hasAttribute("value", "100");
        assertThat(oscar.locator("#import-percent")).hasText("100 %");
        assertThat(oscar.evaluate("window.samePage === true")).as("updated in place, no reload").isEqualTo(true);
        assertThat(oscar.locator("#import-panel")).not().hasAttribute("hx-trigger", Pattern.compile(".*"));
        assertThat(oscar.locator("#count-read")).hasText("3");
        assertThat(oscar.locator("#count-imported")).hasText("2");
        assertThat(oscar.locator("#count-rejected")).hasText("1");
        assertThat(oscar.locator("#report-table tbody tr")).hasCount(1);
        assertThat(oscar.locator("#report-table tbody tr td").nth(0)).hasText("3");
        assertThat(oscar.locator("#report-table tbody tr td").nth(1)).hasText("tenant_id");
        assertThat(oscar.locator("#report-table tbody tr td").nth(2)).containsText("Not a valid identifier");
        assertThat(oscar.locator("#report-table tbody tr td").nth(2))
                .containsText("tenant_id is not a valid TENANT_ID: not-a-tenant");
        Browser.screenshot(oscar, "directory-import-done");

        String report = oscar.request().get(oscar.locator("#report-csv").getAttribute("href")).text();
        assertThat(report).isEqualTo("row,column,code,reason\r\n"
                + "3,tenant_id,INVALID_IDENTIFIER,tenant_id is not a valid TENANT_ID: not-a-tenant\r\n");
        assertThat(directory.find(CustomerKey.tenant("bbbbbbbb-2222-4222-8222-000000000001"))).isPresent();
        assertThat(directory.tenantOf("browser-one.example")).contains("bbbbbbbb-2222-4222-8222-000000000001");

        oscar.click(".crumbs a");
        assertThat(oscar.locator("#recent-imports tbody tr").first()).containsText("browser-tenants.csv");
        assertThat(oscar.locator("#recent-imports tbody tr").first()).containsText("Succeeded");

        oscar.navigate("/admin/directory?lang=nl");
        assertThat(oscar.locator("h1")).hasText("Klantenregister");
        assertThat(oscar.locator("#recent-imports tbody tr").first()).containsText("Geslaagd");
    }
}
