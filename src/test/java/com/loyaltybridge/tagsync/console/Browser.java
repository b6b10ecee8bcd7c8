package com.loyaltybridge.tagsync.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium, driven through the system's chromedriver (Debian's
 * {@code chromium} and {@code chromium-driver} packages), as a person uses the console:
 * it follows links, fills forms, runs the pages' scripts. Where neither is on the PATH
 * the test fails saying so, rather than being skipped: CI installs them
 * ({@code .ci/run}).
 */
final class Browser implements AutoCloseable {

    static final int DESKTOP_WIDTH = 1280;
    static final int PHONE_WIDTH = 375;

    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private final ChromeDriver driver;

    private final String base;

    private final Path profile;

    private Browser(String base) {
        this.base = base;
        try {
            this.profile = Files.createTempDirectory("console-chromium-");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(executable("chromium", "chromium-browser", "google-chrome").toFile());
        // As root (CI, this machine) Chromium needs --no-sandbox; the rest keeps it quiet
        // and off the network.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-extensions", "--user-data-dir=" + profile, "--window-size=" + DESKTOP_WIDTH + ",900");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(executable("chromedriver").toFile())
            .usingAnyFreePort()
            .build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        width(DESKTOP_WIDTH);
    }

    static Browser at(String base) {
        return new Browser(base);
    }

    /**
     * The program on the PATH by one of {@code names}; a failed test that says how to
     * install it when there is none.
     */
    private static Path executable(String... names) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : names) {
            Optional<Path> found = Stream.of(path.split(File.pathSeparator))
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new AssertionError("The console's browser tests need Chromium and its driver, and found no " + names[0]
                + " on the PATH: install them (Debian: apt-get install -y chromium chromium-driver), as .ci/run does");
    }

    WebDriver driver() {
        return driver;
    }

    void open(String path) {
        driver.get(base + path);
    }

    String path() {
        String url = driver.getCurrentUrl();
        return url.startsWith(base) ? url.substring(base.length()) : url;
    }

    /** Signs in on the sign-in page with a client's name and secret. */
    void signIn(String client, String secret) {
        open("/login");
        driver.findElement(By.id("client")).sendKeys(client);
        driver.findElement(By.id("secret")).sendKeys(secret);
        WebElement submit = driver.findElement(By.cssSelector("main form button[type=submit]"));
        submit.click();
        // Whatever the answer, it is another page: wait for it rather than read the
        // sign-in page's address.
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.stalenessOf(submit));
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    String text(String css) {
        return find(css).getText();
    }

    /** Clicks the button whose text is {@code label}, or else the link. */
    void click(String label) {
        List<WebElement> buttons = driver.findElements(By.xpath("//main//button[normalize-space(.)='" + label + "']"));
        (buttons.isEmpty() ? driver.findElement(By.xpath("//main//a[normalize-space(.)='" + label + "']"))
                : buttons.get(0))
            .click();
    }

    <T> T await(Duration timeout, Function<WebDriver, T> condition) {
        // A part the page swaps in (live progress) replaces the elements read a moment
        // before.
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).ignoring(StaleElementReferenceException.class)
            .until(condition);
    }

    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /** The value of the page's (first) progress bar, 0 to 100. */
    double progress() {
        return ((Number) script("return document.querySelector('.progress progress').value;")).doubleValue();
    }

    /**
     * Waits until the plan page shows its dry run's plan: the page reloads itself once
     * the dry run ended.
     */
    void awaitPlan() {
        await(Duration.ofSeconds(60),
                driver -> path().matches("/launch/plan/\\d+") && !findAll("#launch-form").isEmpty());
    }

    /** The session cookie the console set, to send it from another client. */
    String sessionCookie() {
        Cookie cookie = driver.manage().getCookieNamed("TAGSYNC_CONSOLE");
        assertThat(cookie).as("the console's session cookie").isNotNull();
        return cookie.getValue();
    }

    /**
     * What the pages wrote to the browser's console since the last call: errors of
     * scripts, refusals by the CSP.
     */
    List<LogEntry> consoleLog() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    /** Lays the page out at {@code width} CSS pixels, as a screen that wide shows it. */
    void width(int width) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", 900, "deviceScaleFactor", 1, "mobile", width < 600));
    }

    /**
     * Saves the whole page (not only what fits the window) at each of {@code widths}, as
     * {@code NAME-WIDTH.png}.
     */
    void screenshots(String name, int... widths) {
        try {
            Files.createDirectories(SCREENSHOTS);
            for (int width : widths) {
                width(width);
                long height = ((Number) script("return Math.ceil(document.documentElement.scrollHeight)")).longValue();
                Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
                        Map.of("format", "png", "captureBeyondViewport", true, "clip",
                                Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
                Files.write(SCREENSHOTS.resolve(name + "-" + width + ".png"),
                        Base64.getDecoder().decode((String) shot.get("data")));
            }
            width(DESKTOP_WIDTH);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(file -> file.toFile().delete());
        }
        catch (IOException e) {
            // A temporary profile left behind is no failure of the console.
        }
    }

}
