package com.loyaltybridge.tagsync.console;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.user;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;

import com.loyaltybridge.tagsync.sessionm.IdentifierType;
import com.loyaltybridge.tagsync.sessionm.simulator.Fault;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.SyncTestSupport;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console in a real browser (headless Chromium), against PostgreSQL, s3proxy and the
 * SessionM simulator: what a viewer sees and may not do, an operator's restart,
 * audiences, a launch from its dry run's plan, live progress, hostile identifiers,
 * sign-in and its refusals, and screenshots of every page at a desktop's and a phone's
 * width ({@code target/console-screenshots/}).
 */
class ConsoleIT extends SyncTestSupport {

    private static final String BUCKET = "console-exports";

    private static final String XSS = "<img src=x onerror=alert(1)>";

    private static final String FORMULA = "=cmd|' /C calc'!A0";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ConsoleServer server;

    @BeforeAll
    static void startServer() {
        Map<String, String> properties = new LinkedHashMap<>(serviceProperties());
        properties.put("scan.export-roots", "s3://" + BUCKET + "/");
        properties.put("scan.settle-time", "0s");
        properties.put("sync.tagging-chunk-size", "5");
        properties.put("sync.staging-chunk-size", "20");
        properties.put("bulk-file.output", "s3://console-bulk/");
        properties.put("sessionm.max-retries", "0");
        properties.put("sessionm.request-timeout", "10s");
        String[] segments = { "console-failing", "console-progress", "console-hostile", "console-tour",
                "console-audience", "console-plan" };
        for (int i = 0; i < segments.length; i++) {
            properties.put("scan.segments[" + i + "].segment-id", segments[i]);
            properties.put("scan.segments[" + i + "].tags", "vip");
            properties.put("scan.segments[" + i + "].ttl", "2592000");
            properties.put("scan.segments[" + i + "].mode", "api");
        }
        server = ConsoleServer.start(properties);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void aViewerSeesAFailedExecutionAndItsRejectedUsersButMayNotRestartIt() {
        long failed = failedExecution("console-failing", 1, 12, "C-9");

        try (Browser browser = Browser.at(server.base())) {
            browser.signIn("viewer", ConsoleServer.VIEWER_SECRET);
            browser.open("/executions?status=FAILED&segment=console-failing");
            WebElement row = browser.find("tr[data-execution='" + failed + "']");
            assertThat(row.getText()).contains("failed").contains("console-failing");

            browser.open("/executions/" + failed);
            assertThat(browser.text(".progress .status")).contains("failed");
            assertThat(browser.text(".failure .reason")).contains("SessionM");
            assertThat(browser.text(".failure .advice")).isNotBlank();
            assertThat(identifiers(browser)).containsExactlyInAnyOrder(XSS, FORMULA);
            assertThat(browser.findAll("a[href$='/restart'], a[href$='/abandon'], form[action$='/restart']"))
                .as("a viewer is offered no restart or abandon")
                .isEmpty();
            assertThat(browser.findAll("nav a[href='/launch']")).as("nor the launch page").isEmpty();

            String session = browser.sessionCookie();
            String csrf = browser.find("input[name='_csrf']").getAttribute("value");
            Map<String, String> cookie = Map.of("Cookie", "TAGSYNC_CONSOLE=" + session);
            int postsBefore = sessionm.postCount();

            HttpResponse<String> restart = server.postForm("/executions/" + failed + "/restart", Map.of("_csrf", csrf),
                    cookie);
            HttpResponse<String> abandon = server.postForm("/executions/" + failed + "/abandon", Map.of("_csrf", csrf),
                    cookie);
            HttpResponse<String> confirmation = server.get("/executions/" + failed + "/restart", cookie);

            assertThat(restart.statusCode()).as("a forged restart with the viewer's session and CSRF token")
                .isEqualTo(403);
            assertThat(abandon.statusCode()).isEqualTo(403);
            assertThat(confirmation.statusCode()).isEqualTo(403);
            assertThat(executionsOfSync(failed)).as("no execution was added").isEqualTo(1);
            assertThat(ExecutionRows.status(jdbc, failed)).isEqualTo("FAILED");
            assertThat(sessionm.postCount()).as("nothing was sent").isEqualTo(postsBefore);
            HttpResponse<String> signOut = server.postForm("/logout", Map.of("_csrf", csrf), cookie);
            assertThat(signOut.statusCode()).as("the token was valid: it signs the viewer out").isEqualTo(302);
            assertThat(signOut.headers().firstValue("Location").orElseThrow()).endsWith("/login?signed-out");
        }
    }

    @Test
    void anOperatorRestartsAFailedExecutionFromItsPageAndWatchesItComplete() {
        long failed = failedExecution("console-failing", 101, 112, "C-109");

        try (Browser browser = Browser.at(server.base())) {
            browser.signIn("operator", ConsoleServer.OPERATOR_SECRET);
            browser.open("/executions/" + failed);
            browser.click("Restart…");
            assertThat(browser.text(".consequence")).contains("Users already tagged are never sent again");
            browser.click("Restart");

            String completed = browser.await(Duration.ofSeconds(60), driver -> {
                String text = browser.text(".progress .status");
                return text.contains("completed") ? text : null;
            });
            long restarted = Long.parseLong(browser.path().replaceAll("^/executions/(\\d+).*$", "$1"));
            assertThat(restarted).isNotEqualTo(failed);
            assertThat(completed).contains("needs a look");
        }
        List<String> users = IntStream.rangeClosed(101, 112).mapToObj(i -> "C-" + i).toList();
        assertAppliedExactlyOnce(users, "vip");
        for (String user : users) {
            assertThat(sessionm.postsFor(IdentifierType.EXTERNAL_ID, user))
                .as("POSTs for %s across both executions", user)
                .hasSize(user.equals("C-109") ? 2 : 1);
        }
        assertThat(sessionm.postsFor(IdentifierType.EXTERNAL_ID, XSS)).as("a rejected user is not sent again")
            .hasSize(1);
    }

    @Test
    void aRunningSyncsProgressBarAdvancesWithoutAReload() {
        StorageLocation export = export("console-progress", users(201, 360));
        sessionm.latency(Duration.ofMillis(250));

        try (Browser browser = Browser.at(server.base())) {
            browser.signIn("operator", ConsoleServer.OPERATOR_SECRET);
            browser.open("/launch");
            browser.find("#location").sendKeys("s3://another-bucket/segment-export/console-progress/2026-11-28/x-1/");
            browser.find("#launch-location button").click();
            assertThat(browser.text("main .problem")).as("a folder outside the export roots is refused, as by the API")
                .contains("is not an export folder");
            browser.open("/launch?segment=console-progress");
            browser.find("input[name='export'][value='" + export.uri() + "']").click();
            browser.click("Plan…");
            browser.awaitPlan();
            assertThat(browser.text("dl.sync-parameters")).contains(export.uri()).contains("vip");
            browser.click("Launch");
            browser.await(Duration.ofSeconds(30), driver -> browser.path().matches("/executions/\\d+"));
            browser.script("window.stillTheSamePage = true;");
            double first = browser.progress();

            double later = browser.await(Duration.ofSeconds(60), driver -> {
                double now = browser.progress();
                return now > first && now < 100 ? now : null;
            });

            assertThat(browser.script("return window.stillTheSamePage === true;")).as("the page was not reloaded")
                .isEqualTo(true);
            assertThat(later).isGreaterThan(first);
            assertThat(browser.text(".progress .summary")).contains("users/s").contains("left");
            browser.await(Duration.ofSeconds(90), driver -> browser.text(".progress .status").contains("completed"));
            assertThat(browser.text(".progress .percent")).isEqualTo("100.0%");
        }
    }

    @Test
    void hostileIdentifiersRenderAsTextRunNoScriptAndAreNeutralisedInTheCsv() {
        sessionm.unknownCustomers(XSS, FORMULA);
        long id = launchAndAwait(export("console-hostile", user("C-1"), user(XSS), user(FORMULA)), "COMPLETED");

        try (Browser browser = Browser.at(server.base())) {
            browser.signIn("viewer", ConsoleServer.VIEWER_SECRET);
            browser.consoleLog();
            for (String page : List.of("/executions", "/executions/" + id, "/audiences")) {
                browser.open(page);
                assertThat(browser.findAll("main img, main script")).as("no element made from data on " + page)
                    .isEmpty();
                assertThatThrownBy(() -> browser.driver().switchTo().alert()).as("no alert on " + page)
                    .isInstanceOf(NoAlertPresentException.class);
            }
            browser.open("/executions/" + id);
            assertThat(identifiers(browser)).containsExactlyInAnyOrder(XSS, FORMULA);
            assertThat(browser.driver().getPageSource()).contains("&lt;img src=x onerror=alert(1)&gt;");
            List<LogEntry> log = browser.consoleLog();
            assertThat(log).as("the browser's console: no script error, nothing the CSP refused").isEmpty();

            HttpResponse<String> csv = server.get("/executions/" + id + "/rejected-users.csv",
                    Map.of("Cookie", "TAGSYNC_CONSOLE=" + browser.sessionCookie()));
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.headers().firstValue("Content-Disposition").orElseThrow()).contains("attachment");
            List<String> cells = csvRecords(csv.body()).stream().skip(1).map(record -> record.get(0)).toList();
            assertThat(cells).containsExactlyInAnyOrder(XSS, "'" + FORMULA);
        }
    }

    @Test
    void withoutASessionEveryPageSendsToSignInAndBackAfterIt() {
        long id = launchAndAwait(export("console-tour", users(401, 403)), "COMPLETED");
        List<String> pages = List.of("/", "/executions", "/executions?status=FAILED", "/executions/" + id,
                "/executions/" + id + "/progress", "/executions/" + id + "/rejected-users.csv",
                "/executions/" + id + "/skipped-lines.csv", "/executions/" + id + "/restart", "/audiences", "/segments",
                "/launch", "/launch/plan/" + id, "/launch?segment=console-tour", "/no-such-page");

        for (String page : pages) {
            HttpResponse<String> answer = server.get(page, Map.of());
            assertThat(answer.statusCode()).as(page).isEqualTo(302);
            assertThat(answer.headers().firstValue("Location").orElseThrow()).as(page).endsWith("/login");
        }
        assertThat(server.postForm("/executions/" + id + "/abandon", Map.of(), Map.of()).statusCode())
            .as("a POST without session nor token")
            .isEqualTo(403);
        assertThat(ExecutionRows.status(jdbc, id)).isEqualTo("COMPLETED");

        try (Browser browser = Browser.at(server.base())) {
            browser.open("/executions/" + id);
            assertThat(browser.path()).isEqualTo("/login");
            String sessionBefore = browser.sessionCookie();
            browser.find("#client").sendKeys("viewer");
            browser.find("#secret").sendKeys(ConsoleServer.VIEWER_SECRET);
            browser.click("Sign in");
            assertThat(browser.sessionCookie()).as("a new session id at sign-in").isNotEqualTo(sessionBefore);
            // Spring Security marks the way back with ?continue.
            assertThat(browser.path()).as("back where the viewer was going").startsWith("/executions/" + id + "?");
            assertThat(browser.find("h1").getText()).isEqualTo("Execution " + id);
        }
    }

    @Test
    void aBadSecretIsRefusedWithoutSayingWhichPartWasWrong() {
        try (Browser browser = Browser.at(server.base())) {
            browser.signIn("viewer", "not-the-viewer-secret-0000000000");
            String wrongSecret = browser.text("main");
            String wrongSecretPath = browser.path();
            browser.signIn("nobody", ConsoleServer.VIEWER_SECRET);
            String wrongName = browser.text("main");
            browser.signIn("braze", ConsoleServer.BRAZE_SECRET);
            String brazeClient = browser.text("main");

            assertThat(wrongSecretPath).isEqualTo("/login?failed");
            assertThat(wrongSecret).contains("Signing in failed.")
                .doesNotContainIgnoringCase("secret was")
                .doesNotContainIgnoringCase("unknown");
            assertThat(wrongName).isEqualTo(wrongSecret);
            assertThat(brazeClient).as("the braze client may not use the console").isEqualTo(wrongSecret);
            assertThat(browser.driver().getPageSource()).doesNotContain(ConsoleServer.VIEWER_SECRET,
                    ConsoleServer.BRAZE_SECRET);
            browser.open("/executions");
            assertThat(browser.path()).isEqualTo("/login");
        }
        HttpResponse<String> signInPage = server.get("/login", Map.of());
        assertThat(signInPage.headers().firstValue("Content-Security-Policy").orElseThrow())
            .startsWith("default-src 'self';")
            .contains("script-src 'self';", "style-src 'self';", "frame-ancestors 'none'")
            .doesNotContain("unsafe");
        assertThat(signInPage.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(signInPage.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("TAGSYNC_CONSOLE=")
            .contains("HttpOnly", "SameSite=Lax");
        HttpResponse<String> inUrl = server.get("/login?client=viewer&secret=" + ConsoleServer.VIEWER_SECRET, Map.of());
        assertThat(inUrl.statusCode()).isEqualTo(200);
        String cookie = inUrl.headers().firstValue("Set-Cookie").map(value -> value.split(";")[0]).orElse("");
        assertThat(server.get("/executions", Map.of("Cookie", cookie)).statusCode())
            .as("a secret in a URL signs nobody in")
            .isEqualTo(302);
    }

    @Test
    void everyPageAtADesktopsAndAPhonesWidth() {
        long failed = failedExecution("console-tour", 501, 530, "C-517");
        // An audience synced, with an older export of its segment superseded, for the
        // Audiences page.
        export(new ExportFolder("console-audience", LocalDate.of(2026, 11, 26), UUID.randomUUID(), 1_764_115_200L),
                users(801, 803));
        launchAndAwait(export(
                new ExportFolder("console-audience", LocalDate.of(2026, 11, 27), UUID.randomUUID(), 1_764_201_600L),
                users(801, 806)), "COMPLETED");
        int[] widths = { Browser.DESKTOP_WIDTH, Browser.PHONE_WIDTH };

        try (Browser browser = Browser.at(server.base())) {
            browser.open("/login");
            browser.screenshots("login", widths);
            browser.signIn("operator", ConsoleServer.OPERATOR_SECRET);
            browser.open("/executions");
            browser.screenshots("executions", widths);
            browser.open("/executions/" + failed);
            browser.screenshots("execution", widths);
            browser.click("Restart…");
            browser.screenshots("restart", widths);
            browser.open("/audiences");
            browser.screenshots("audiences", widths);
            browser.open("/launch?segment=console-tour");
            browser.screenshots("launch", widths);
            browser.click("Plan…");
            browser.awaitPlan();
            browser.screenshots("launch-plan", widths);
            browser.find("main p.hint a[href^='/executions/']").click();
            browser.screenshots("execution-dry-run", widths);
            assertThat(browser.consoleLog()).as("no page wrote an error to the browser's console").isEmpty();
        }
    }

    @Test
    void theAudiencesPageShowsAnAudienceAfterASyncWithItsMembersAndTheSupersededExportOfItsSegment() {
        StorageLocation older = export(
                new ExportFolder("console-audience", LocalDate.of(2026, 11, 26), UUID.randomUUID(), 1_764_115_200L),
                users(601, 603));
        StorageLocation newer = export(
                new ExportFolder("console-audience", LocalDate.of(2026, 11, 27), UUID.randomUUID(), 1_764_201_600L),
                users(601, 605));
        long synced = launchAndAwait(newer, "COMPLETED");

        try (Browser browser = Browser.at(server.base())) {
            browser.signIn("viewer", ConsoleServer.VIEWER_SECRET);
            browser.open("/audiences");
            String audience = "section[data-audience='console-audience'] ";
            assertThat(browser.text(audience + ".members")).isEqualTo("5");
            assertThat(browser.text(audience + ".last-synced")).contains("2026-11-27").contains("#" + synced);
            assertThat(browser.text(audience + ".last-run")).contains("completed").contains("#" + synced);
            assertThat(browser.text(audience + ".next-refresh")).as("a TTL of 30 days: refreshed half-way")
                .contains("UTC")
                .doesNotContain("due");
            assertThat(browser.text(audience + ".refresh-due")).isEqualTo("0");
            assertThat(browser.text(audience + "tr[data-export='" + newer.uri() + "'] .standing")).contains("synced");
            assertThat(browser.text(audience + "tr[data-export='" + older.uri() + "'] .standing"))
                .contains("superseded")
                .contains("never synced, never sent");
        }
    }

    @Test
    void aLaunchShowsItsDryRunPlanThenSendsExactlyThePlannedUsers() {
        launchAndAwait(
                export(new ExportFolder("console-plan", LocalDate.of(2026, 11, 26), UUID.randomUUID(), 1_764_115_200L),
                        users(701, 706)),
                "COMPLETED");
        List<String> newLines = new ArrayList<>(List.of(users(704, 709)));
        newLines.add(2, user(XSS));
        StorageLocation next = export(
                new ExportFolder("console-plan", LocalDate.of(2026, 11, 27), UUID.randomUUID(), 1_764_201_600L),
                newLines.toArray(String[]::new));
        int postsBefore = sessionm.postCount();

        try (Browser browser = Browser.at(server.base())) {
            browser.signIn("operator", ConsoleServer.OPERATOR_SECRET);
            browser.consoleLog();
            browser.open("/launch?segment=console-plan");
            browser.find("input[name='export'][value='" + next.uri() + "']").click();
            browser.click("Plan…");
            browser.awaitPlan();

            assertThat(planCount(browser, "entering")).isEqualTo("4");
            assertThat(planCount(browser, "refresh")).isEqualTo("0");
            assertThat(planCount(browser, "retry")).isEqualTo("0");
            assertThat(planCount(browser, "unchanged")).isEqualTo("3");
            assertThat(planCount(browser, "leaving")).isEqualTo("3");
            assertThat(browser.text(".plan-calls")).contains("4 calls");
            assertThat(
                    browser.findAll("tr[data-group='entering'] .identifier").stream().map(WebElement::getText).toList())
                .as("the plan's sample, hostile identifier as text")
                .containsExactly(XSS, "C-707", "C-708", "C-709");
            assertThat(browser.findAll("main img, main script")).as("no element made from data").isEmpty();
            assertThat(browser.driver().getPageSource()).contains("&lt;img src=x onerror=alert(1)&gt;");
            assertThat(sessionm.postCount()).as("the dry run sent nothing").isEqualTo(postsBefore);
            assertThat(browser.findAll("#plan-full-form button")).as("full is offered, behind its own plan").hasSize(1);
            String csrf = browser.find("#launch-form input[name='_csrf']").getAttribute("value");
            HttpResponse<String> unconfirmedFull = server.postForm("/launch",
                    Map.of("_csrf", csrf, "export", next.uri(), "full", "true"),
                    Map.of("Cookie", "TAGSYNC_CONSOLE=" + browser.sessionCookie()));
            assertThat(unconfirmedFull.statusCode()).as("full without confirming counter tags go up for everyone")
                .isEqualTo(400);
            assertThat(unconfirmedFull.body()).contains("counter tags go up for everyone");

            browser.click("Launch");
            browser.await(Duration.ofSeconds(60), driver -> browser.path().matches("/executions/\\d+")
                    && browser.text(".progress .status").contains("completed"));
            assertThat(browser.consoleLog()).as("no script error, nothing the CSP refused").isEmpty();
        }
        assertThat(sessionm.postCount() - postsBefore)
            .as("one POST per planned user and tag, nothing for the refused full")
            .isEqualTo(4);
        for (String entering : List.of("C-707", XSS, "C-708", "C-709")) {
            assertThat(sessionm.postsFor(IdentifierType.EXTERNAL_ID, entering)).as("POSTs for %s", entering).hasSize(1);
        }
        for (String unchanged : List.of("C-704", "C-705", "C-706")) {
            assertThat(sessionm.postsFor(IdentifierType.EXTERNAL_ID, unchanged))
                .as("%s: only its first sync's", unchanged)
                .hasSize(1);
        }
    }

    private static String planCount(Browser browser, String group) {
        return browser.text("tr[data-group='" + group + "'] .count");
    }

    /**
     * A sync of users C-from..C-to that failed: {@code failing} answered 503 once; the
     * two hostile ids are unknown.
     */
    private static long failedExecution(String segment, int from, int to, String failing) {
        sessionm.unknownCustomers(XSS, FORMULA);
        sessionm.faultFor(failing, Fault.status(503));
        List<String> lines = new ArrayList<>(List.of(users(from, to)));
        lines.add(1, user(XSS));
        lines.add(3, user(FORMULA));
        return launchAndAwait(export(segment, lines.toArray(String[]::new)), "FAILED");
    }

    private static long launchAndAwait(StorageLocation export, String status) {
        HttpResponse<String> launched = server.postApi("/api/syncs", "{\"export\":\"" + export.uri() + "\"}",
                ConsoleServer.OPERATOR_SECRET);
        assertThat(launched.statusCode()).as(launched.body()).isEqualTo(202);
        long id = JSON.readTree(launched.body()).path("executionId").asLong();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!ExecutionRows.endedAs(jdbc, id, status)) {
            assertThat(System.nanoTime()).as("execution %d reaches %s", id, status).isLessThan(deadline);
            sleep(100);
        }
        return id;
    }

    private static long executionsOfSync(long executionId) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM batch_job_execution WHERE job_instance_id =
                    (SELECT job_instance_id FROM batch_job_execution WHERE job_execution_id = ?)""", Long.class,
                executionId);
    }

    private static List<String> identifiers(Browser browser) {
        return browser.findAll("table.rejected-users td.identifier").stream().map(WebElement::getText).toList();
    }

    private static List<CSVRecord> csvRecords(String text) {
        try {
            return CSVFormat.RFC4180.parse(new StringReader(text)).getRecords();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StorageLocation export(String segment, String... lines) {
        return export(ExportFolder.of(segment), lines);
    }

    private static StorageLocation export(ExportFolder folder, String... lines) {
        return folder.writeTo(s3, BUCKET, Map.of("part.zip", zip(lines(lines))));
    }

    private static String[] users(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> user("C-" + i)).toArray(String[]::new);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
