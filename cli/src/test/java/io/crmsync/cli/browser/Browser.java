package io.crmsync.cli.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium (Debian's {@code chromium} and {@code chromedriver}, which {@code .ci/run}
 * installs) for the console's browser tests: loopback only, no network of its own, a fresh
 * profile. Screenshots go to {@code target/browser/}. Without the two packages the tests are
 * skipped, except under CI ({@code CI=true}), where they fail.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final URI base;

    private Browser(ChromeDriver driver, URI base) {
        this.driver = driver;
        this.base = base;
    }

    /** Opens a browser on a server's base URI (skips the test when Chromium is missing outside CI). */
    static Browser open(URI base) {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertThat(installed)
                    .as("chromium and chromedriver must be installed under CI (.ci/run does)")
                    .isTrue();
        }
        assumeTrue(installed, "Debian's chromium and chromium-driver are not installed");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return new Browser(driver, base);
    }

    WebDriver driver() {
        return driver;
    }

    /** Opens a path of the server. */
    void go(String path) {
        driver.get(base.resolve(path).toString());
    }

    /** Logs in at the console with the token. */
    void login(String token) throws InterruptedException {
        go("/console/login");
        type("token", token);
        click("login");
        assertThat(driver.getCurrentUrl()).endsWith("/console/");
    }

    void type(String id, String text) {
        WebElement e = driver.findElement(By.id(id));
        e.clear();
        e.sendKeys(text);
    }

    /** Clicks an element that submits a form, and waits for the next page to replace this one. */
    void click(String id) throws InterruptedException {
        click(driver.findElement(By.id(id)));
    }

    /** Clicks an element that submits a form, and waits for the next page to replace this one. */
    void click(WebElement element) throws InterruptedException {
        WebElement page = driver.findElement(By.tagName("html"));
        element.click();
        for (int i = 0; i < 2400; i++) {
            try {
                page.isEnabled();
            } catch (StaleElementReferenceException replaced) {
                return;
            } catch (WebDriverException replacedWhileAsked) {
                return; // "does not belong to the document": the same, seen mid-navigation
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the page did not change after a click");
    }

    void select(String id, String value) {
        for (WebElement option : driver.findElement(By.id(id)).findElements(By.tagName("option"))) {
            if (value.equals(option.getAttribute("value"))) {
                option.click();
                return;
            }
        }
        throw new AssertionError(id + " has no option " + value);
    }

    /** An element's text as the page is now (for {@link #reloadUntil}'s checks, which try again). */
    String textNow(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    /** An element's text, once the page that a click started to load has it (at most 2,400 tries). */
    String text(String id) throws InterruptedException {
        for (int i = 0; ; i++) {
            try {
                return driver.findElement(By.id(id)).getText();
            } catch (WebDriverException notYet) {
                if (i >= 2400) {
                    throw notYet;
                }
                Thread.sleep(25);
            }
        }
    }

    /** The flash message of the last action. */
    String flash() throws InterruptedException {
        return text("flash");
    }

    /** Reloads the page until {@code check} holds, at most {@code reloads} times (the pages refresh themselves too). */
    void reloadUntil(String what, int reloads, Supplier<Boolean> check) throws InterruptedException {
        for (int i = 0; i < reloads; i++) {
            try {
                if (check.get()) {
                    return;
                }
            } catch (WebDriverException notYet) {
                // the element is not on this load of the page
            }
            Thread.sleep(500);
            driver.navigate().refresh();
        }
        throw new AssertionError("the page never showed " + what + "; it shows:\n"
                + driver.findElement(By.tagName("body")).getText());
    }

    /** Saves what the browser shows as {@code target/browser/<name>.png}. */
    Path screenshot(String name) {
        try {
            Path dir = Path.of("target", "browser");
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a test's steps; on any failure keeps a screenshot named for the test, then fails. */
    void run(String test, Steps steps) throws Exception {
        try {
            steps.run();
        } catch (Throwable t) {
            try {
                screenshot(test + "-failed");
                Files.writeString(Path.of("target", "browser", test + "-failed.html"), driver.getPageSource());
            } catch (RuntimeException | IOException ignored) {
                // the failure itself is what matters
            }
            throw t;
        }
    }

    /** A test's steps. */
    @FunctionalInterface
    interface Steps {
        void run() throws Exception;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
