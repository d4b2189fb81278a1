package io.vigil.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI in a real browser: Debian's chromium driven by Playwright, against the real server on
 * loopback. Each test signs in as a user would and saves a screenshot to {@code target/ui-screenshots}.
 * Every test also checks that the page made no request off this server and broke no rule of its
 * Content-Security-Policy.
 */
@Timeout(180)
class WebUiBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
    private static final LocatorAssertions.ContainsTextOptions LONG_WAIT =
            new LocatorAssertions.ContainsTextOptions().setTimeout(30_000);

    @TempDir
    static Path temp;

    private static UiFixture fixture;
    private static Playwright playwright;
    private static Browser browser;

    private BrowserContext context;
    private Page page;
    private final List<String> offServerRequests = new CopyOnWriteArrayList<>();
    private final List<String> consoleErrors = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(
                Files.isExecutable(CHROMIUM),
                "chromium is not installed (scripts/test installs it: apt-get install chromium)");
        fixture = UiFixture.start(temp);
        // the driver is in the jar; the browser is Debian's, never one Playwright would download
        playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(CHROMIUM)
                        .setHeadless(true)
                        .setTimeout(60_000)
                        // without the networking flags chromium keeps calling hosts a closed network lacks
                        .setArgs(List.of(
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-dev-shm-usage",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--no-first-run")));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        try (UiFixture closedLast = fixture) {
            if (playwright != null) {
                playwright.close();
            }
        }
    }

    @BeforeEach
    void openContext() {
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1440, 900));
        context.setDefaultTimeout(20_000);
        page = context.newPage();
        page.onRequest(request -> {
            if (!request.url().startsWith(fixture.base + "/")
                    && !request.url().startsWith("blob:")
                    && !request.url().startsWith("data:")) {
                offServerRequests.add(request.url());
            }
        });
        page.onConsoleMessage(message -> {
            if (message.type().equals("error")) {
                consoleErrors.add(message.text());
            }
        });
    }

    @AfterEach
    void closeContext() {
        context.close();
        assertThat(offServerRequests).as("requests off this server").isEmpty();
        // a 401/403 the UI asked for on purpose shows as a failed resource; nothing else may be an error
        assertThat(consoleErrors)
                .as("console errors (a Content-Security-Policy violation shows here)")
                .allSatisfy(error -> assertThat(error).containsPattern("status of 40[13]"));
    }

    @Test
    void signInKeepsTheKeyOutOfTheUrlAndSignOutForgetsIt() {
        page.navigate(fixture.base + "/");
        assertThat(page).hasURL(Pattern.compile(".*/ui/.*"));
        page.getByLabel("API key").fill("vgl_not-a-key");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                .click();
        assertThat(page.locator("#signin-error")).containsText("not accepted");

        signIn(fixture.adminKey);
        assertThat(page.locator("#who")).hasText("admin (admin)");
        assertThat(page.url()).doesNotContain(fixture.adminKey);
        assertThat(page.evaluate("() => sessionStorage.getItem('vigil.apiKey')"))
                .isEqualTo(fixture.adminKey);
        assertThat(page.evaluate("() => JSON.stringify(localStorage)").toString())
                .doesNotContain(fixture.adminKey);
        screenshot("signed-in");
        // the theme switch flips between light and dark, and the choice (not the key) is remembered
        Object before = page.evaluate("() => document.documentElement.dataset.theme");
        page.getByLabel("Switch between light and dark theme").click();
        Object after = page.evaluate("() => document.documentElement.dataset.theme");
        assertThat(List.of(before, after)).containsExactlyInAnyOrder("light", "dark");
        assertThat(page.evaluate("() => localStorage.getItem('vigil.theme')")).isEqualTo(after);

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out"))
                .click();
        assertThat(page.getByLabel("API key")).isVisible();
        assertThat(page.evaluate("() => sessionStorage.getItem('vigil.apiKey')"))
                .isNull();
        screenshot("sign-in");
    }

    @Test
    void aTypoShowsTheEnginesDiagnosticInline() {
        signIn(fixture.readerKey);
        setQuery("SigninLogs\n| wher ResultType == \"50126\"");
        assertThat(page.locator(".cm-lintRange-error")).isVisible();
        assertThat(page.locator("#diagnostic-summary")).hasText("1 error");
        // hovering the squiggle shows the engine's code and message
        page.locator(".cm-lintRange-error").first().hover();
        assertThat(page.locator(".cm-tooltip-lint")).containsText(Pattern.compile("KQL\\d+: "));
        assertThat(page.locator(".cm-tooltip-lint")).containsText("wher");
        screenshot("logs-diagnostic");
    }

    @Test
    void completionOffersTheColumnsOfTheTableInScope() {
        signIn(fixture.readerKey);
        setQuery("SigninLogs\n| where UserPrinc");
        page.locator(".cm-content").press("Control+Space");
        Locator options = page.locator(".cm-tooltip-autocomplete li");
        assertThat(options.first()).containsText("UserPrincipalName");
        // CodeMirror ignores Enter for its interaction delay (75 ms) after the list opens, as no person is faster
        page.waitForTimeout(150);
        page.locator(".cm-content").press("Enter");
        assertThat(page.locator(".cm-content")).containsText("| where UserPrincipalName");
        // after a pipe the catalog's operators are offered
        page.locator(".cm-content").press("Control+End");
        page.keyboard().type("\n| summ");
        page.locator(".cm-content").press("Control+Space");
        assertThat(page.locator(".cm-tooltip-autocomplete li").first()).containsText("summarize");
        screenshot("logs-completion");
        // the schema browser builds a table's columns when it is opened; a column click inserts its name
        Locator signinLogs = page.locator("#schema-list li[data-table='SigninLogs']");
        assertThat(signinLogs.locator("li.column")).hasCount(0);
        signinLogs.locator("summary").click();
        signinLogs
                .locator("li.column button", new Locator.LocatorOptions().setHasText("AppDisplayName"))
                .click();
        assertThat(page.locator(".cm-content")).containsText("AppDisplayName");
    }

    @Test
    void runningAQueryShowsRowsSortedOnDemandAndExportable() {
        signIn(fixture.readerKey);
        setQuery("SigninLogs\n| summarize Attempts = count() by IPAddress\n| order by IPAddress asc");
        page.locator("#run").click();
        Locator rows = page.locator("#grid table.results tbody tr");
        assertThat(page.locator("#status")).containsText("4 rows", LONG_WAIT);
        assertThat(rows).hasCount(4);
        assertThat(rows.first().locator("td").first()).containsText("203.0.113.10");
        // sorting by a column header sorts the grid (descending on the second click)
        page.locator("#grid th button", new Page.LocatorOptions().setHasText("IPAddress"))
                .click();
        page.locator("#grid th button", new Page.LocatorOptions().setHasText("IPAddress"))
                .click();
        assertThat(rows.first().locator("td").first()).containsText("203.0.113.13");
        com.microsoft.playwright.Download download =
                page.waitForDownload(() -> page.locator("#export-csv").click());
        assertThat(download.suggestedFilename()).isEqualTo("vigil-results.csv");
        screenshot("logs-results");
    }

    @Test
    void renderTimechartDrawsAChart() {
        signIn(fixture.readerKey);
        setQuery(
                "SigninLogs\n| summarize Attempts = count() by bin(TimeGenerated, 1h), ResultType\n| render timechart");
        page.locator("#run").click();
        assertThat(page.locator("#tab-chart"))
                .hasAttribute("aria-selected", "true", new LocatorAssertions.HasAttributeOptions().setTimeout(30_000));
        assertThat(page.locator("#chart canvas")).isVisible();
        assertThat(page.locator("#chart")).hasAttribute("data-series", "2");
        assertThat(page.locator("#chart .u-legend")).containsText("50126");
        screenshot("logs-timechart");
    }

    @Test
    void aDynamicCellExpandsAsATree() {
        signIn(fixture.readerKey);
        setQuery("SigninLogs\n| project UserPrincipalName, LocationDetails\n| take 3");
        page.locator("#run").click();
        Locator dynamic = page.locator("#grid details.dyn").first();
        assertThat(dynamic).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(30_000));
        assertThat(dynamic.locator(".tree").first()).isHidden();
        dynamic.locator("summary").first().click();
        assertThat(dynamic.locator(".tree").first()).isVisible();
        assertThat(dynamic.locator(".tree").first()).containsText("city");
        assertThat(dynamic.locator(".tree").first()).containsText("\"Amsterdam\"");
        screenshot("logs-dynamic");
    }

    @Test
    void ingestionHealthListsSourcesAndDeadLetterSamples() {
        signIn(fixture.readerKey);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Ingestion health"))
                .click();
        assertThat(page.locator("#health-sources")).containsText("data_collector");
        assertThat(page.locator("#health-reasons")).containsText("ui-test", LONG_WAIT);
        assertThat(page.locator("#health-samples")).containsText("{\"records\": [ {broken");
        screenshot("ingestion-health");
    }

    @Test
    void aReaderSeesNoAdminActionAndTheServerRefusesItAnyway() {
        signIn(fixture.readerKey);
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Administration")))
                .isHidden();
        page.navigate(fixture.base + "/ui/#/admin");
        assertThat(page.locator("#admin-error")).containsText("Not allowed");
        assertThat(page.locator("#admin-error")).containsText("needs the admin role");
        screenshot("reader-denied");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out"))
                .click();
        signIn(fixture.adminKey);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Administration"))
                .click();
        assertThat(page.locator("#admin-principals")).containsText("analyst");
        screenshot("administration");
    }

    @Test
    void anAlertOpensItsIncidentWhereAResponderCommentsAndClosesIt() throws Exception {
        signIn(fixture.responderKey);
        navigation("Alerts");
        Locator alerts = page.locator("#alerts-list table tbody tr");
        assertThat(alerts).hasCount(2, new LocatorAssertions.HasCountOptions().setTimeout(30_000));
        page.locator("#page-alerts").getByLabel("Severity").selectOption("High");
        assertThat(alerts).hasCount(1);
        page.getByRole(AriaRole.BUTTON, exactly(UiFixture.AUDIT_LOG_CLEARED)).click();
        Locator detail = page.locator("#alert-detail");
        assertThat(detail).containsText(UiFixture.CLEARED_ON);
        assertThat(detail).containsText("DefenseEvasion");
        screenshot("alerts");

        detail.getByRole(
                        AriaRole.LINK, new Locator.GetByRoleOptions().setName("Incident " + UiFixture.CLEARED_INCIDENT))
                .click();
        assertThat(page.locator("#incident-title")).containsText(UiFixture.AUDIT_LOG_CLEARED, LONG_WAIT);
        assertThat(page.locator("#incident-alerts")).containsText(UiFixture.AUDIT_LOG_CLEARED);
        assertThat(page.locator("#incident-entities")).containsText(UiFixture.CLEARED_ON);
        assertThat(page.locator("#incident-timeline")).containsText("Created with 1 alert, severity High, status New");

        Locator incidentPage = page.locator("#page-incident");
        incidentPage
                .getByLabel("Comment", new Locator.GetByLabelOptions().setExact(true))
                .fill("mallory's session cleared the log; dc01 isolated");
        page.getByRole(AriaRole.BUTTON, exactly("Add comment")).click();
        assertThat(page.locator("#incident-comments")).containsText("dc01 isolated", LONG_WAIT);
        assertThat(page.locator("#incident-timeline")).containsText("Comment: mallory's session cleared the log");

        incidentPage.getByLabel("Owner").fill("oncall@contoso.com");
        incidentPage.getByLabel("Status").selectOption("Closed");
        page.getByRole(AriaRole.BUTTON, exactly("Save")).click();
        // closing asks for a classification first, as Sentinel does
        assertThat(page.locator("#incident-edit-status")).containsText("Choose a classification");
        incidentPage
                .getByLabel("Classification", new Locator.GetByLabelOptions().setExact(true))
                .selectOption("TruePositive");
        incidentPage.getByLabel("Reason").selectOption("SuspiciousActivity");
        page.getByRole(AriaRole.BUTTON, exactly("Save")).click();
        assertThat(page.locator("#incident-timeline")).containsText("Status New → Closed", LONG_WAIT);
        assertThat(page.locator("#incident-timeline")).containsText("Owner unassigned → oncall@contoso.com");
        assertThat(page.locator("#incident-facts")).containsText("Closed");
        assertThat(page.locator("#incident-facts")).containsText("TruePositive · SuspiciousActivity");
        screenshot("incident");
        page.locator("#incident-timeline")
                .screenshot(new Locator.ScreenshotOptions().setPath(SCREENSHOTS.resolve("incident-timeline.png")));

        // the change is the table's: the server's incident says so, written by the responder
        String incident = fixture.get("/v1/securityinsights/incidents/" + UiFixture.CLEARED_INCIDENT, fixture.readerKey)
                .body();
        assertThat(incident).contains("\"status\":\"Closed\"", "\"commentsCount\":1", "oncall@contoso.com");

        navigation("Incidents");
        Locator incidents = page.locator("#incidents-list table tbody tr");
        assertThat(incidents).hasCount(2, new LocatorAssertions.HasCountOptions().setTimeout(30_000));
        Locator filters = page.locator("#page-incidents");
        filters.getByLabel("Status").selectOption("New");
        assertThat(incidents).hasCount(1);
        assertThat(incidents.first()).containsText(UiFixture.NEW_SERVICE);
        filters.getByLabel("Status").selectOption("");
        filters.getByLabel("Owner").selectOption("oncall@contoso.com");
        assertThat(incidents).hasCount(1);
        assertThat(incidents.first()).containsText(UiFixture.AUDIT_LOG_CLEARED);
        filters.getByLabel("Owner").selectOption("");
        assertThat(incidents).hasCount(2);
        screenshot("incidents");
    }

    @Test
    void investigateOpensTheLogsPageWithTheRulesQueryOverTheAlertsWindow() {
        signIn(fixture.readerKey);
        navigation("Alerts");
        page.getByRole(AriaRole.BUTTON, exactly(UiFixture.AUDIT_LOG_CLEARED)).click();
        page.getByRole(AriaRole.LINK, exactly("Investigate " + UiFixture.AUDIT_LOG_CLEARED))
                .click();
        assertThat(page.locator(".cm-content")).containsText("EventID == 1102");
        assertThat(page.locator("#timerange option:checked")).containsText("Alert window");
        assertThat(page.locator("#status")).containsText("1 row", LONG_WAIT);
        assertThat(page.locator("#grid")).containsText(UiFixture.CLEARED_ON);
        // the address is plain #/logs again: a reload does not run the query a second time
        assertThat(page).hasURL(Pattern.compile(".*#/logs$"));
        screenshot("investigate");
    }

    @Test
    void aReaderSeesNoIncidentControlsAndTheServerRefusesAChangeAnyway() {
        signIn(fixture.readerKey);
        page.navigate(fixture.base + "/ui/#/incidents/" + UiFixture.SERVICE_INCIDENT);
        assertThat(page.locator("#incident-title")).containsText(UiFixture.NEW_SERVICE, LONG_WAIT);
        assertThat(page.locator("#incident-entities")).containsText(UiFixture.SERVICE_ON);
        assertThat(page.locator("#incident-timeline")).containsText("Created with 1 alert");
        assertThat(page.getByRole(AriaRole.BUTTON, exactly("Save"))).hasCount(0);
        assertThat(page.getByRole(AriaRole.BUTTON, exactly("Add comment"))).hasCount(0);
        assertThat(page.locator("#incident-edit")).isHidden();
        screenshot("incident-reader");
        Object status = page.evaluate("""
                async () => (await fetch('/v1/securityinsights/incidents/1', {method: 'PUT',
                  headers: {Authorization: 'Bearer ' + sessionStorage.getItem('vigil.apiKey'),
                            'Content-Type': 'application/json'},
                  body: JSON.stringify({properties: {status: 'Closed'}})})).status
                """);
        assertThat(status).isEqualTo(403);
    }

    @Test
    void theRulesPageShowsRunStateAndOnlyAContributorSwitchesARule() throws Exception {
        signIn(fixture.adminKey);
        navigation("Rules");
        Locator rules = page.locator("#rules-list table tbody tr");
        assertThat(rules).hasCount(8, new LocatorAssertions.HasCountOptions().setTimeout(30_000));
        Locator cleared = rules.filter(new Locator.FilterOptions().setHasText(UiFixture.AUDIT_LOG_CLEARED));
        assertThat(cleared).containsText("Enabled");
        assertThat(cleared).containsText("1h / 1h");
        assertThat(cleared.locator("td").nth(7)).hasText("1");
        page.getByRole(AriaRole.BUTTON, exactly(UiFixture.AUDIT_LOG_CLEARED)).click();
        assertThat(page.locator("#rule-detail pre.kql")).containsText("EventID == 1102");
        assertThat(page.locator("#rule-detail")).containsText("1, the last at");
        screenshot("rules");

        page.getByRole(AriaRole.BUTTON, exactly("Disable " + UiFixture.AUDIT_LOG_CLEARED))
                .click();
        assertThat(page.getByRole(AriaRole.BUTTON, exactly("Enable " + UiFixture.AUDIT_LOG_CLEARED)))
                .isVisible();
        assertThat(fixture.get("/v1/rules", fixture.readerKey).body())
                .containsPattern("\"name\":\"Audit log cleared\"[^}]*\"enabled\":false");
        page.getByRole(AriaRole.BUTTON, exactly("Enable " + UiFixture.AUDIT_LOG_CLEARED))
                .click();
        assertThat(page.getByRole(AriaRole.BUTTON, exactly("Disable " + UiFixture.AUDIT_LOG_CLEARED)))
                .isVisible();

        // a reader sees each rule's state but no switch
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out"))
                .click();
        signIn(fixture.readerKey);
        navigation("Rules");
        assertThat(rules).hasCount(8, new LocatorAssertions.HasCountOptions().setTimeout(30_000));
        assertThat(page.locator("#rules-list button.toggle")).hasCount(0);
        assertThat(cleared).containsText("Enabled");
    }

    private void navigation(String name) {
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(name).setExact(true))
                .click();
    }

    private static Page.GetByRoleOptions exactly(String name) {
        return new Page.GetByRoleOptions().setName(name).setExact(true);
    }

    private void signIn(String key) {
        if (!page.url().startsWith(fixture.base)) {
            page.navigate(fixture.base + "/");
        }
        page.getByLabel("API key").fill(key);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                .click();
        // the first page of a run loads the catalog of ~700 tables: slow on a loaded machine
        assertThat(page.locator(".cm-content")).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(60_000));
    }

    /** Replaces the editor's text as typing would (CodeMirror sees real input events). */
    private void setQuery(String text) {
        Locator editor = page.locator(".cm-content");
        editor.click();
        editor.press("Control+a");
        editor.press("Delete");
        page.keyboard().insertText(text);
        page.keyboard().press("End");
    }

    private void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")));
    }
}
