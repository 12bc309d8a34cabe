package dev.rota.dashboard;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by its own chromedriver, both named by path so that Selenium
 * Manager never looks for (or downloads) a browser or a driver. A fresh profile directory per browser,
 * removed on close. Waits are explicit conditions, never sleeps.
 */
final class Browser implements AutoCloseable {
    static final String CHROMIUM = System.getProperty("rota.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("rota.chromedriver", "/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Duration WAIT = Duration.ofSeconds(15);
    /** The viewer's zone: not UTC, so that the page's local times and the UTC on hover differ. */
    static final String TIME_ZONE = "Europe/Paris";
    private static final int MAX_SCREENSHOT_HEIGHT = 5000;

    final ChromeDriver driver;
    private final Path profile;
    private final String baseUrl;

    Browser(String baseUrl, Dimension window) {
        this.baseUrl = baseUrl;
        try {
            profile = Files.createTempDirectory("rota-chromium-");
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile.toAbsolutePath(),
                "--window-size=" + window.getWidth() + "," + window.getHeight());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .withEnvironment(Map.of("TZ", TIME_ZONE))
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(WAIT);
    }

    /** Removes the screenshots of an earlier run, so that every file in the folder is from this one. */
    static void clearScreenshots() throws IOException {
        if (Files.isDirectory(SCREENSHOTS)) {
            try (Stream<Path> files = Files.list(SCREENSHOTS)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".png")).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    static boolean installed() {
        return Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
    }

    void open(String hash) {
        driver.get(baseUrl + "/" + hash);
    }

    /** Goes to a route of the already loaded app (no page load, the app's own router). */
    void route(String hash) {
        js("location.hash = arguments[0]", hash);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    <T> T until(Function<WebDriver, T> condition) {
        return until(WAIT, condition);
    }

    <T> T until(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(50))
                .ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    WebElement visible(By by) {
        return until(d -> {
            List<WebElement> found = d.findElements(by);
            return !found.isEmpty() && found.get(0).isDisplayed() ? found.get(0) : null;
        });
    }

    /** The element's text; found again if a live update replaced it between finding and reading. */
    String text(By by) {
        return until(d -> {
            try {
                return visible(by).getText();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return null;
            }
        });
    }

    /** Waits until the element's text contains {@code part}; returns the text. */
    String untilText(By by, String part) {
        return until(d -> {
            List<WebElement> found = d.findElements(by);
            String t = found.isEmpty() ? null : found.get(0).getText();
            return t != null && t.contains(part) ? t : null;
        });
    }

    boolean present(By by) {
        return !driver.findElements(by).isEmpty();
    }

    /** Clicks the element once it is shown and enabled; finds it again if a live update replaced it. */
    void click(By by) {
        until(d -> {
            WebElement e = d.findElement(by);
            if (!e.isDisplayed() || !e.isEnabled()) {
                return null;
            }
            e.click();
            return true;
        });
    }

    /** Saves a PNG of the whole page (not only the window) as target/screenshots/{name}.png. */
    Path screenshot(String name) {
        Path to = SCREENSHOTS.resolve(name + ".png");
        long width = ((Number) js("return document.documentElement.clientWidth")).longValue();
        long height = Math.min(MAX_SCREENSHOT_HEIGHT,
                ((Number) js("return document.documentElement.scrollHeight")).longValue());
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        try {
            Files.write(to, Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temp profile is harmless
            }
        }
    }
}
