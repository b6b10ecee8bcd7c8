package com.loyaltybridge.tagsync.console;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.user;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets;
import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets.Wallet;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.WalletTestSupport;

import tools.jackson.databind.json.JsonMapper;

/**
 * Runs of offer wallets in the console, in a real browser (headless Chromium), against
 * PostgreSQL, the S3 server, the SessionM simulator (its Connect side serves the wallets)
 * and the Braze simulator: planned by their dry run and launched from the launch page,
 * listed beside tag syncs with what they wrote, shown with their members, the member
 * SessionM rejected and the one Braze refused, restarted from their page after Braze
 * refused the key, and followed live while they run. Screenshots of their pages go to
 * {@code target/console-screenshots/}.
 */
class ConsoleOfferWalletsIT extends WalletTestSupport {

    private static final String BUCKET = "console-wallets";

    /** Segments mapped for offer wallets, one per test that runs them. */
    private static final String PLANNED = "console-wallets-planned";

    private static final String RESTARTED = "console-wallets-restarted";

    private static final String WATCHED = "console-wallets-watched";

    /** A segment mapped for tags, whose sync is listed beside the wallets. */
    private static final String TAGGED = "console-wallets-tagged";

    /** A SessionM user_id unknown to SessionM, which must show as text. */
    private static final String XSS = "<img src=x onerror=alert(1)>";

    /**
     * Wallet reads per second: slow enough to watch a run of a few hundred members go by.
     */
    private static final int CONNECT_RATE = 40;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ConsoleServer server;

    @BeforeAll
    static void startServer() {
        Map<String, String> properties = new LinkedHashMap<>(serviceProperties());
        properties.putAll(walletProperties());
        properties.put("sessionm.connect.requests-per-second", String.valueOf(CONNECT_RATE));
        // The smallest chunk: a running run's progress moves every couple of seconds.
        properties.put("offers.chunk-size", "75");
        properties.put("sessionm.request-timeout", "10s");
        properties.put("scan.export-roots", "s3://" + BUCKET + "/");
        properties.put("scan.settle-time", "0s");
        String[] offers = { PLANNED, RESTARTED, WATCHED };
        for (int i = 0; i < offers.length; i++) {
            properties.put("scan.segments[" + i + "].segment-id", offers[i]);
            properties.put("scan.segments[" + i + "].kind", "offers");
            properties.put("scan.segments[" + i + "].identifier", IDENTIFIER);
        }
        properties.put("scan.segments[3].segment-id", TAGGED);
        properties.put("scan.segments[3].tags", "vip");
        properties.put("scan.segments[3].mode", "api");
        server = ConsoleServer.start(properties);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void offerWalletsArePlannedLaunchedListedBesideTagSyncsAndShownWithWhatTheyWrote() {
        Map<String, Wallet> wallets = walletsOf(1, 30);
        sessionm.offers().unknownUsers(XSS);
        braze.rejectUser("external_id", "E-7", "'sessionm_offers' is not a valid attribute value");
        List<String> members = new ArrayList<>(List.of(members(1, 30)));
        members.add(2, member("E-X", XSS));
        StorageLocation export = writeExport(ExportFolder.of(PLANNED), members);
        long tagSync = launchAndAwait(writeExport(ExportFolder.of(TAGGED), List.of(user("C-1"), user("C-2"))), "tags",
                "COMPLETED");

        long dryRun;
        long run;
        try (Browser browser = Browser.at(server.base())) {
            browser.signIn("operator", ConsoleServer.OPERATOR_SECRET);
            browser.consoleLog();
            browser.open("/launch?segment=" + PLANNED);
            assertThat(browser.find("#kind option[selected]").getAttribute("value"))
                .as("a segment mapped for offers only is launched as offer wallets")
                .isEqualTo("offers");
            browser.find("input[name='export'][value='" + export.uri() + "']").click();
            browser.click("Plan…");
            browser.awaitPlan();
            dryRun = executionIdIn(browser.find("main p.hint a[href^='/executions/']").getAttribute("href"));

            assertThat(browser.text(".estimate-wallets")).isEqualTo("30");
            assertThat(browser.text(".estimate-requests")).as("30 wallets, 75 a request").isEqualTo("1");
            assertThat(firstIdentifiers(browser, "changed")).as("in export order; the rejected member is not changed")
                .hasSize(20)
                .startsWith("U-1", "U-2", "U-3");
            assertThat(browser.text("dl.sync-parameters")).contains(export.uri()).contains(IDENTIFIER);
            assertThat(braze.requests()).as("a dry run writes nothing to Braze").isEmpty();
            browser.screenshots("launch-wallet-plan", Browser.DESKTOP_WIDTH, Browser.PHONE_WIDTH);

            run = launchFromPlan(browser);
            browser.await(Duration.ofSeconds(60), driver -> browser.text(".progress .status").contains("completed"));

            assertThat(count(browser, "members")).isEqualTo("31");
            assertThat(count(browser, "written")).isEqualTo("29");
            assertThat(count(browser, "unchanged")).isEqualTo("0");
            assertThat(count(browser, "rejected")).isEqualTo("1");
            assertThat(count(browser, "refused")).isEqualTo("1");
            assertThat(count(browser, "braze-requests")).isEqualTo("1");
            assertThat(browser.text(".progress .status")).as("a rejected and a refused member")
                .contains("needs a look");
            assertThat(browser.text(".rejected-by-code")).contains("user_not_found: 1");
            assertThat(browser.text(".refused-by-message"))
                .contains("'sessionm_offers' is not a valid attribute value: 1");
            assertThat(browser.findAll("table.rejected-users td.identifier").stream().map(WebElement::getText).toList())
                .as("the member SessionM does not know, by its user_id, as text")
                .containsExactly(XSS);
            assertThat(browser.findAll("main img, main script")).as("no element made from data").isEmpty();
            assertThat(browser.text("table.traffic tr[data-service='connect']")).contains("31");
            assertThat(browser.text("table.traffic tr[data-service='braze']")).contains("no limit configured");
            assertThat(browser.text(".plan-why")).isNotBlank();
            browser.screenshots("wallet-execution", Browser.DESKTOP_WIDTH, Browser.PHONE_WIDTH);

            browser.open("/executions");
            WebElement wallet = browser.find("tr[data-execution='" + run + "']");
            assertThat(wallet.getAttribute("data-kind")).isEqualTo("offers");
            assertThat(wallet.findElement(By.cssSelector(".run-kind")).getText()).isEqualTo("offer wallets");
            assertThat(cell(wallet, "users")).isEqualTo("31");
            assertThat(cell(wallet, "done")).isEqualTo("29");
            assertThat(cell(wallet, "rejected")).isEqualTo("1");
            assertThat(cell(wallet, "trouble")).isEqualTo("1");
            WebElement planned = browser.find("tr[data-execution='" + dryRun + "']");
            assertThat(planned.getText()).contains("dry run").contains("offer wallets");
            assertThat(cell(planned, "done")).as("what its real run would write").isEqualTo("would write 30");
            assertThat(browser.find("tr[data-execution='" + tagSync + "']").getAttribute("data-kind"))
                .as("the tag sync beside them")
                .isEqualTo("tags");
            browser.screenshots("executions-with-wallets", Browser.DESKTOP_WIDTH, Browser.PHONE_WIDTH);

            browser.open("/executions?kind=offers");
            assertThat(executionsListed(browser)).contains(run, dryRun).doesNotContain(tagSync);
            browser.open("/executions?kind=tags");
            assertThat(executionsListed(browser)).contains(tagSync).doesNotContain(run, dryRun);
            assertThat(browser.findAll("#known-segments option")
                .stream()
                .map(option -> option.getAttribute("value"))
                .toList()).as("segments mapped for either kind").contains(PLANNED, TAGGED);

            browser.open("/executions/" + dryRun);
            assertThat(browser.text(".estimate-wallets")).isEqualTo("30");
            assertThat(browser.findAll("[data-count='written']")).as("a dry run wrote nothing").isEmpty();
            browser.screenshots("wallet-dry-run", Browser.DESKTOP_WIDTH, Browser.PHONE_WIDTH);

            browser.open("/audiences");
            String audience = "section[data-audience='offers:" + PLANNED + "'] ";
            assertThat(browser.text(audience + ".members")).as("members whose wallet is in Braze").isEqualTo("29");
            assertThat(browser.text(audience + ".last-run")).contains("run of offer wallets").contains("#" + run);
            assertThat(browser.text(audience + ".next-refresh")).contains("every run reads every wallet");

            HttpResponse<String> csv = server.get("/executions/" + run + "/rejected-users.csv",
                    Map.of("Cookie", "TAGSYNC_CONSOLE=" + browser.sessionCookie()));
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.body()).contains(XSS).contains("user_not_found");
            assertThat(browser.consoleLog()).as("no script error, nothing the CSP refused").isEmpty();
        }
        for (int i = 1; i <= 30; i++) {
            if (i != 7) {
                assertThat(profileOf("E-" + i)).as("the profile of E-%d", i)
                    .isEqualTo(expectedAttributes(wallets.get("U-" + i)));
            }
        }
        assertThat(profileOf("E-7")).as("Braze refused it").isEmpty();
        assertThat(objectsPerMember()).as("one attribute object each, none for the refused one")
            .hasSize(29)
            .doesNotContainKey("E-7")
            .allSatisfy((member, objects) -> assertThat(objects).as(member).isOne());
    }

    @Test
    void anOperatorRestartsARunOfOfferWalletsThatBrazeStoppedAndItWritesEveryWallet() {
        Map<String, Wallet> wallets = walletsOf(101, 140);
        StorageLocation export = writeExport(ExportFolder.of(RESTARTED), List.of(members(101, 140)));
        braze.revokeKey();
        long failed = launchAndAwait(export, "offers", "FAILED");

        long restarted;
        try (Browser browser = Browser.at(server.base())) {
            browser.signIn("operator", ConsoleServer.OPERATOR_SECRET);
            browser.consoleLog();
            browser.open("/executions/" + failed);
            assertThat(browser.text(".failure .reason")).contains("Braze refused the API key");
            assertThat(browser.text(".failure .advice")).contains("BRAZE_API_KEY").contains("restart");
            assertThat(count(browser, "written")).isEqualTo("0");
            browser.screenshots("wallet-execution-failed", Browser.DESKTOP_WIDTH, Browser.PHONE_WIDTH);

            browser.click("Abandon…");
            assertThat(browser.text(".consequence")).contains("This run of offer wallets never runs again");
            browser.open("/executions/" + failed);
            browser.click("Restart…");
            assertThat(browser.text(".consequence")).contains("Wallets already written are not written again")
                .contains("requests under way when it stopped may be written twice")
                .contains("Braze attributes are idempotent");
            assertThat(browser.text("main")).contains("Offer wallets of segment").contains(RESTARTED);
            browser.screenshots("wallet-restart", Browser.DESKTOP_WIDTH, Browser.PHONE_WIDTH);
            braze.reset();

            restarted = clickUntilStarted(browser, "Restart", "/executions/" + failed + "/restart");
            browser.await(Duration.ofSeconds(60), driver -> browser.text(".progress .status").contains("completed"));

            assertThat(restarted).isNotEqualTo(failed);
            assertThat(jobInstanceOf(restarted)).as("it resumes the same run").isEqualTo(jobInstanceOf(failed));
            assertThat(count(browser, "written")).isEqualTo("40");
            assertThat(browser.text(".progress .percent")).isEqualTo("100.0%");
            assertThat(browser.consoleLog()).as("no script error, nothing the CSP refused").isEmpty();
        }
        assertThat(ExecutionRows.status(jdbc, failed)).isEqualTo("FAILED");
        for (int i = 101; i <= 140; i++) {
            assertThat(profileOf("E-" + i)).isEqualTo(expectedAttributes(wallets.get("U-" + i)));
        }
        assertThat(objectsPerMember()).as("once each").hasSize(40).allSatisfy((member, objects) -> {
            assertThat(objects).as(member).isOne();
        });
    }

    @Test
    void aRunningRunOfOfferWalletsShowsItsMembersDoneInTheListAndOnItsPageWithoutAReload() {
        int members = 12 * CONNECT_RATE;
        walletsOf(1001, 1000 + members);
        StorageLocation export = writeExport(ExportFolder.of(WATCHED), List.of(members(1001, 1000 + members)));

        try (Browser browser = Browser.at(server.base())) {
            browser.signIn("viewer", ConsoleServer.VIEWER_SECRET);
            browser.consoleLog();
            long id = launch(export, "offers");

            browser.open("/executions?kind=offers");
            String listed = browser.await(Duration.ofSeconds(30), driver -> {
                String summary = browser.text("tr[data-execution='" + id + "'] .progress .summary");
                return summary.contains("members/s") ? summary : null;
            });
            assertThat(listed).contains(" of " + String.format("%,d", members) + " members done");

            browser.open("/executions/" + id);
            browser.script("window.stillTheSamePage = true;");
            double first = browser.progress();
            double later = browser.await(Duration.ofSeconds(60), driver -> {
                double now = browser.progress();
                return now > first && now < 100 ? now : null;
            });

            assertThat(later).isGreaterThan(first);
            assertThat(browser.script("return window.stillTheSamePage === true;")).as("the page was not reloaded")
                .isEqualTo(true);
            assertThat(browser.text(".progress .summary")).contains("members/s").contains("left");
            browser.await(Duration.ofSeconds(90), driver -> browser.text(".progress .status").contains("completed"));
            assertThat(browser.text(".progress .percent")).isEqualTo("100.0%");
            assertThat(count(browser, "written")).isEqualTo(String.format("%,d", members));
            assertThat(browser.consoleLog()).as("no script error, nothing the CSP refused").isEmpty();
        }
    }

    /** Members {@code U-from}..{@code U-to} with a wallet each, served by SessionM. */
    private static Map<String, Wallet> walletsOf(int from, int to) {
        Map<String, Wallet> wallets = new HashMap<>();
        for (int i = from; i <= to; i++) {
            Wallet wallet = Wallet.of(i, 10 * i, OfferWallets.offer("w-" + i, "Welcome " + i, "2027-06-01T00:00:00Z"));
            wallets.put("U-" + i, wallet);
            sessionm.offers().put("U-" + i, wallet);
        }
        return wallets;
    }

    private static StorageLocation writeExport(ExportFolder folder, List<String> lines) {
        return folder.writeTo(s3, BUCKET, Map.of("part.zip", zip(lines(lines.toArray(String[]::new)))));
    }

    /**
     * Launches the run of {@code export} of {@code kind} through the REST API, as the
     * data team does, once no other run holds its audience's lock.
     */
    private static long launch(StorageLocation export, String kind) {
        String json = "{\"export\":\"" + export.uri() + "\",\"kind\":\"" + kind + "\"}";
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        HttpResponse<String> launched = server.postApi("/api/syncs", json, ConsoleServer.OPERATOR_SECRET);
        while (launched.statusCode() == 409 && launched.body().contains("another process is running")
                && System.nanoTime() < deadline) {
            sleep(50);
            launched = server.postApi("/api/syncs", json, ConsoleServer.OPERATOR_SECRET);
        }
        assertThat(launched.statusCode()).as(launched.body()).isEqualTo(202);
        return JSON.readTree(launched.body()).path("executionId").asLong();
    }

    private static long launchAndAwait(StorageLocation export, String kind, String status) {
        long id = launch(export, kind);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!ExecutionRows.endedAs(jdbc, id, status)) {
            assertThat(System.nanoTime()).as("execution %d reaches %s", id, status).isLessThan(deadline);
            sleep(100);
        }
        return id;
    }

    /** Launches the real run from its plan page; the execution it started. */
    private static long launchFromPlan(Browser browser) {
        return clickUntilStarted(browser, "Launch", browser.path());
    }

    /**
     * Clicks {@code button} and waits for the execution page it leads to; again from
     * {@code page} while the run just ended still holds its audience's lock (it does
     * until its thread has written its summary).
     */
    private static long clickUntilStarted(Browser browser, String button, String page) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            browser.click(button);
            // A refusal shows its reason on the page it leads to.
            String outcome = browser.await(Duration.ofSeconds(30), driver -> !browser.findAll("main .problem").isEmpty()
                    ? "refused" : browser.path().matches("/executions/\\d+") ? "started" : null);
            if (outcome.equals("started")) {
                return executionIdIn(browser.path());
            }
            String problem = browser.text("main .problem");
            assertThat(problem).as("refused only while the audience's lock is held")
                .contains("another process is running");
            assertThat(System.nanoTime()).as("the lock is released").isLessThan(deadline);
            sleep(100);
            browser.open(page);
        }
    }

    private static long executionIdIn(String path) {
        return Long.parseLong(path.replaceAll("^.*/executions/(\\d+).*$", "$1"));
    }

    private static String count(Browser browser, String key) {
        return browser.text(".wallet-counts [data-count='" + key + "'] dd");
    }

    private static String cell(WebElement row, String css) {
        return row.findElement(By.cssSelector("td." + css)).getText();
    }

    private static List<String> firstIdentifiers(Browser browser, String group) {
        return browser.findAll("tr[data-group='" + group + "'] .identifier").stream().map(WebElement::getText).toList();
    }

    private static List<Long> executionsListed(Browser browser) {
        return browser.findAll("table.executions tbody tr")
            .stream()
            .map(row -> Long.parseLong(row.getAttribute("data-execution")))
            .toList();
    }

    private static long jobInstanceOf(long executionId) {
        return jdbc.queryForObject("SELECT job_instance_id FROM batch_job_execution WHERE job_execution_id = ?",
                Long.class, executionId);
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
