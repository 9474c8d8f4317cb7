package io.runlight.hub.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.runlight.hub.auth.Role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 18's console pages in Debian's headless Chromium against a real hub loaded with the
 * demo's sample (24-hour learning window, so two images are still learning): the Overview's
 * numbers are the API's; the Vulnerabilities page opens on "In use", its chips and sort
 * change the rows as the API orders and filters them, a row opens its images and workloads
 * with evidence, and the CSV export is the rows shown; the Images page claims no smaller
 * working set for a learning image.
 */
@Tag("browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class TestFleetPagesInBrowser
{
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dataDir;
    @TempDir
    static Path browserProfile;
    @TempDir
    static Path downloads;

    private static ConsoleHub hub;
    private static ChromeDriver driver;
    private static WebDriverWait wait;
    private static String admin;

    @BeforeAll
    static void start()
    {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "1".equals(System.getenv("RUNLIGHT_REQUIRE_BROWSER"))) {
            fail("RUNLIGHT_REQUIRE_BROWSER=1 but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: apt-get install chromium chromium-driver");
        }
        assumeTrue(installed, "the console's browser test needs Debian's Chromium: apt-get install chromium chromium-driver");
        hub = ConsoleHub.start(dataDir, Map.of("insights.learning-window", "PT24H"));
        admin = hub.jwt(Role.ADMIN);
        for (String sbom : List.of("alpine-3.17.2.syft.json", "debian-buster.trivy.json", "alpine-3.10.trivy.json")) {
            assertThat(hub.postJson("/api/v1/sboms", admin, demo(sbom)).statusCode()).isEqualTo(201);
        }
        for (String report : List.of("alpine-3.17.2.grype.json", "debian-buster.trivy.json", "alpine-3.10.trivy.json")) {
            assertThat(hub.postJson("/api/v1/vulnerability-reports", admin, demo(report)).statusCode()).isEqualTo(201);
        }
        HttpResponse<String> events = hub.send("POST", "/api/v1/runtime/events", admin, Map.of(), "application/x-ndjson", demo("events.ndjson").getBytes(StandardCharsets.UTF_8));
        assertThat(events.statusCode()).as(events.body()).isEqualTo(202);
        long deadline = System.nanoTime() + WAIT.multipliedBy(2).toNanos();
        while (api("/api/v1/vulnerabilities").path("summary").path("inUse").asInt() != 10 || api("/api/v1/overview").path("workloads").asInt() != 5) {
            assertThat(System.nanoTime()).as("the sample's insights within 20 s").isLessThan(deadline);
            sleep(100);
        }

        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions", "--disable-dev-shm-usage",
                "--window-size=1360,900", "--user-data-dir=" + browserProfile);
        driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build(), options);
        driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
        // a chip or the sort redraws the page: an element found just before is replaced, not changed
        wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(50));
        wait.ignoring(StaleElementReferenceException.class);
        driver.get(hub.base() + "/console/#/overview");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("admin-token"))).sendKeys(admin, Keys.ENTER);
        awaitPage("Overview");
    }

    @AfterAll
    static void stop()
    {
        if (driver != null) {
            driver.quit();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    @Order(1)
    void overviewShowsTheApisNumbersAndClaimsNoReduction()
    {
        JsonNode overview = api("/api/v1/overview");
        for (String[] stat : new String[][] {{"images", "images"}, {"workloads", "workloads"}, {"clusters", "clusters"}}) {
            assertThat(statValue(stat[0])).as(stat[0]).isEqualTo(overview.path(stat[1]).asText());
        }
        JsonNode summary = overview.path("vulnerabilities");
        assertThat(List.of(statValue("vulnerabilities"), statValue("in-use"), statValue("not-in-use"), statValue("unknown")))
                .containsExactly(summary.path("vulnerabilities").asText(), summary.path("inUse").asText(), summary.path("notInUse").asText(), summary.path("unknown").asText())
                .containsExactly("14", "10", "0", "4");
        assertThat(driver.findElement(By.id("fleet-verdict")).getText())
                .isEqualTo("10 in use, 0 not in use, 4 unknown: no smaller working set is claimed while verdicts are unknown. "
                        + "They become final in 18 h (2026-11-29 03:00 UTC) if events keep coming.");
        for (String severity : List.of("CRITICAL", "HIGH", "MEDIUM")) {
            String shown = driver.findElement(By.cssSelector("tr[data-severity='" + severity + "'] td:nth-child(2)")).getText();
            assertThat(shown).as(severity).isEqualTo(overview.path("inUseBySeverity").path(severity).asText());
        }
        assertThat(overview.path("inUseBySeverity").path("HIGH").asInt()).isEqualTo(2);
        assertThat(rowTexts("Packages in use with the most vulnerabilities")).containsExactly("libcrypto3 3.0.8-r0 10 HIGH 1");
        // learning images first, soonest final first, with the time left; then the complete one
        assertThat(rowTexts("Images by profile state")).containsExactly(
                "testdata/fixtures/images/alpine-310.tar.gz LEARNING 8 h 16 h 1",
                "testdata/fixtures/images/debian-buster.tar.gz LEARNING 6 h 18 h 1",
                "alpine COMPLETE 14 d 1 h — 3");
        assertThat(rowTexts("Kinds of use observed")).extracting(row -> row.substring(0, 4)).containsExactly("exec", "mmap", "open");
        // the sample's events are Runlight's snapshot form (a "files" list per record): one source fed all three images
        assertThat(rowTexts("Runtime sources")).containsExactly("Runlight snapshots 3");
        assertThat(overview.path("sources").toString()).isEqualTo("[{\"source\":\"RUNLIGHT_SNAPSHOT\",\"name\":\"Runlight snapshots\",\"images\":3}]");
    }

    @Test
    @Order(2)
    void vulnerabilitiesOpensOnInUseAndItsChipsAndSortFollowTheApi()
    {
        click(By.xpath("//nav//a[text()='Vulnerabilities']"));
        awaitPage("Vulnerabilities");
        assertThat(driver.findElement(By.cssSelector("[data-key='usage-IN_USE']")).getAttribute("aria-pressed")).isEqualTo("true");
        assertThat(shownIds()).isEqualTo(apiIds("/api/v1/vulnerabilities?usage=IN_USE")).hasSize(10);
        assertThat(driver.findElement(By.id("vulnerability-summary")).getText()).startsWith("10 shown. 10 in use, 0 not in use, 4 unknown:");

        chip("usage-all");
        assertThat(shownIds()).isEqualTo(apiIds("/api/v1/vulnerabilities")).hasSize(14);
        chip("severity-HIGH");
        assertThat(shownIds()).isEqualTo(apiIds("/api/v1/vulnerabilities?severity=HIGH")).containsExactly("CVE-2023-0464", "CVE-2023-5363", "CVE-2019-18224");
        new Select(driver.findElement(By.id("sort"))).selectByValue("id");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("main tbody tr:first-child td:first-child"), "CVE-2019-18224"));
        assertThat(shownIds()).containsExactly("CVE-2019-18224", "CVE-2023-0464", "CVE-2023-5363");
        chip("cluster-staging");
        // the sort by id stays chosen while the chips change
        assertThat(shownIds()).containsExactlyInAnyOrderElementsOf(apiIds("/api/v1/vulnerabilities?severity=HIGH&cluster=staging"))
                .containsExactly("CVE-2019-18224", "CVE-2023-0464", "CVE-2023-5363");

        // the CSV is the rows shown, in the order shown
        click(By.cssSelector("[data-key='export-csv']"));
        Path csv = downloads.resolve("runlight-vulnerabilities.csv");
        wait.until(driverState -> Files.exists(csv) && size(csv) > 0);
        String[] records = read(csv).split("\r\n");
        assertThat(records[0]).isEqualTo("id,severity,cvss,epss,knownExploited,fixAvailable,fixedIn,usage,images,workloads,workloadsInUse,clusters,packages,inUseBy");
        assertThat(records).hasSize(4);
        assertThat(records[2]).startsWith("CVE-2023-0464,HIGH,7.5,,false,true,3.0.8-r1,IN_USE,1,1,1,1,\"pkg:apk/alpine/libcrypto3@3.0.8-r0?")
                .endsWith("(not in use)\",staging/shop/Deployment/cart/cart");
    }

    @Test
    @Order(3)
    void aRowOpensItsImagesAndWorkloadsWithEvidence()
    {
        click(By.cssSelector("a[data-id='CVE-2023-5363']"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//main//h1[text()='CVE-2023-5363']")));
        JsonNode detail = api("/api/v1/vulnerabilities/CVE-2023-5363");
        assertThat(driver.findElement(By.id("detail-counts")).getText()).isEqualTo("1 image, 2 of 3 workload containers loaded it, 2 clusters.");
        assertThat(detail.path("workloadsInUse").asInt()).isEqualTo(2);
        List<String> workloads = rowTexts("Workload containers running " + detail.path("affectedImages").get(0).path("digest").asText());
        assertThat(workloads).hasSize(3);
        assertThat(workloads.get(0)).startsWith("prod-eu payments StatefulSet/ledger ledger UNKNOWN");
        assertThat(workloads.get(1)).startsWith("prod-eu shop Deployment/cart cart IN USE mmap /usr/lib/libcrypto.so.3 by /usr/bin/cart-server");
        assertThat(workloads.get(2)).startsWith("staging shop Deployment/cart cart IN USE mmap /usr/lib/libcrypto.so.3");
        click(By.xpath("//a[text()='← All vulnerabilities']"));
        awaitPage("Vulnerabilities");
    }

    @Test
    @Order(4)
    void anUnknownVerdictShowsItsReason()
    {
        driver.get(hub.base() + "/console/#/vulnerabilities/CVE-2019-18224");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//main//h1[text()='CVE-2019-18224']")));
        JsonNode pkg = api("/api/v1/vulnerabilities/CVE-2019-18224").path("affectedImages").get(0).path("packages").get(0);
        assertThat(pkg.path("usage").asText()).isEqualTo("UNKNOWN");
        assertThat(pkg.path("reason").asText()).isNotEmpty();
        assertThat(driver.findElement(By.tagName("main")).getText()).contains(pkg.path("reason").asText());
    }

    @Test
    @Order(5)
    void imagesClaimNoSmallerWorkingSetWhileLearning()
    {
        click(By.xpath("//nav//a[text()='Images']"));
        awaitPage("Images");
        List<String> labels = driver.findElements(By.cssSelector("svg.chart title")).stream().map(title -> title.getAttribute("textContent")).toList();
        assertThat(labels).anyMatch(label -> label.startsWith("Working set: 10 of 20 vulnerabilities are in packages that run (50% fewer to fix first); 5 of 15 packages are in use"));
        assertThat(labels).contains(
                "Working set not known yet: 0 in use, 0 not in use, 2 unknown; final in 18 h.",
                "Working set not known yet: 0 in use, 0 not in use, 4 unknown; final in 16 h.");
        assertThat(driver.findElement(By.tagName("main")).getText()).doesNotContain("100%").contains("observed for 14 d 1 h", "final in 16 h");
    }

    private static void awaitPage(String name)
    {
        wait.until(ExpectedConditions.titleIs(name + " · Runlight console"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//main//h1[text()='" + name + "']")));
    }

    /** Clicks what the locator finds, finding it again if a redraw replaced it in between. */
    private static void click(By locator)
    {
        wait.until(driverState -> {
            driverState.findElement(locator).click();
            return true;
        });
    }

    /** Presses a chip and waits until the page is drawn again with it pressed. */
    private static void chip(String key)
    {
        By locator = By.cssSelector("[data-key='" + key + "']");
        click(locator);
        wait.until(ExpectedConditions.attributeToBe(locator, "aria-pressed", "true"));
    }

    private static String statValue(String key)
    {
        return driver.findElement(By.cssSelector("[data-stat='" + key + "'] strong")).getText();
    }

    private static List<String> rowTexts(String caption)
    {
        WebElement table = driver.findElement(By.xpath("//table[caption[normalize-space()='" + caption + "']]"));
        return table.findElements(By.cssSelector("tbody tr")).stream().map(row -> row.getText().replace('\n', ' ')).toList();
    }

    private static List<String> shownIds()
    {
        return driver.findElements(By.cssSelector("main tbody a[data-id]")).stream().map(link -> link.getAttribute("data-id")).toList();
    }

    private static List<String> apiIds(String path)
    {
        List<String> ids = new ArrayList<>();
        api(path).path("vulnerabilities").forEach(row -> ids.add(row.path("id").asText()));
        return ids;
    }

    private static JsonNode api(String path)
    {
        HttpResponse<String> response = hub.get(path, admin);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            return JSON.readTree(response.body());
        }
        catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static String demo(String name)
    {
        try (InputStream in = TestFleetPagesInBrowser.class.getResourceAsStream("/demo/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file)
    {
        try {
            return Files.size(file);
        }
        catch (IOException e) {
            return 0;
        }
    }

    private static String read(Path file)
    {
        try {
            return Files.readString(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis)
    {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
