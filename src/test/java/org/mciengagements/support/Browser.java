package org.mciengagements.support;

import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A headless Debian Chromium driven by Playwright, shared by the tests of one class. Playwright
 * never downloads a browser here: the executable comes from {@code mci.browser.executable}
 * (default {@code /usr/bin/chromium}).
 */
public final class Browser implements AfterAllCallback {

    private static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic");

    private Playwright playwright;
    private com.microsoft.playwright.Browser browser;

    /** A fresh page in a fresh context (its own cookies), at the given base URL. */
    public Page newPage(String baseUrl) {
        if (browser == null) {
            playwright = Playwright.create(new Playwright.CreateOptions()
                    .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
            browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(Path.of(System.getProperty("mci.browser.executable", "/usr/bin/chromium")))
                    .setHeadless(true)
                    .setArgs(ARGS));
        }
        return browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                        .setBaseURL(baseUrl).setLocale("en-US").setViewportSize(1360, 900))
                .newPage();
    }

    /** Saves a full-page screenshot under {@code target/screenshots/}. */
    public static Path screenshot(Page page, String name) {
        try {
            Path dir = Path.of(System.getProperty("mci.screenshots.dir", "target/screenshots"));
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Signs in through the login form. */
    public static void signIn(Page page, String username, String password) {
        page.navigate("/login");
        page.fill("#username", username);
        page.fill("#password", password);
        page.click("button[type=submit]");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (browser != null) {
            browser.close();
            playwright.close();
        }
    }
}
