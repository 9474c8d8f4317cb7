package io.runlight.hub.console;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.runlight.hub.auth.Role;
import io.runlight.hub.plugin.PluginJarBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Acceptance of issue 7's console, through the UI only, in Debian's real headless Chromium
 * against a real hub: sign in; create a token bound to an integration with a 3-month expiry
 * and read it once; see its expiry date; renew it to a year; delete it and see the
 * integration severed; Plugins and Images; on the Integrations page, for an integration whose
 * receiver is down, test connection, pause (changes held), resume, dead deliveries and their
 * retry. On every page: only same-origin requests and
 * WCAG AA contrast; the Tokens page works from the keyboard alone. A screenshot of every
 * page goes to {@code target/console-screenshots/}.
 */
@Tag("browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class TestConsoleInBrowser
{
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String ECHO_FACTORY = "com.example.echo.EchoConnectorFactory";
    private static final String ALPINE_DIGEST = "sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** WCAG 2 contrast of every visible text against its effective background, as {text, ratio, color, background}. */
    private static final String CONTRAST_SCRIPT = """
            const parse = value => {
              const match = value.match(/rgba?\\(([^)]+)\\)/);
              if (!match) { return null; }
              const parts = match[1].split(/[\\s,\\/]+/).filter(part => part).map(Number);
              return {r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1};
            };
            const over = (top, bottom) => ({r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
              b: top.b * top.a + bottom.b * (1 - top.a), a: 1});
            const luminance = color => {
              const channel = value => { value /= 255; return value <= 0.03928 ? value / 12.92 : Math.pow((value + 0.055) / 1.055, 2.4); };
              return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b);
            };
            const background = element => {
              const layers = [];
              for (let node = element; node; node = node.parentElement) {
                const color = parse(getComputedStyle(node).backgroundColor);
                if (color && color.a > 0) { layers.push(color); if (color.a >= 1) { break; } }
              }
              let result = {r: 255, g: 255, b: 255, a: 1};
              for (const layer of layers.reverse()) { result = over(layer, result); }
              return result;
            };
            const results = [];
            for (const element of document.querySelectorAll('body *')) {
              const text = [...element.childNodes].filter(node => node.nodeType === Node.TEXT_NODE).map(node => node.textContent).join('').trim();
              if (!text || element.closest('[disabled], [hidden], noscript, title')) { continue; }
              const box = element.getBoundingClientRect();
              const style = getComputedStyle(element);
              if (box.width <= 1 || box.height <= 1 || style.visibility !== 'visible' || style.display === 'none') { continue; }
              const back = background(element);
              const fore = over(parse(style.color), back);
              const [light, dark] = [luminance(fore), luminance(back)].sort((a, b) => b - a);
              results.push({text: text.slice(0, 60), ratio: (light + 0.05) / (dark + 0.05), color: style.color,
                background: `rgb(${Math.round(back.r)}, ${Math.round(back.g)}, ${Math.round(back.b)})`});
            }
            return JSON.stringify(results);
            """;

    @TempDir
    static Path dataDir;
    @TempDir
    static Path browserProfile;

    private static ConsoleHub hub;
    private static HttpServer receiver;
    private static ChromeDriver driver;
    private static WebDriverWait wait;
    private static String admin;
    private static String integrationId;
    private static String unreachableId;
    private static int closedPort;
    private static Path screenshots;
    private static int screenshotCount;

    @BeforeAll
    static void start()
            throws IOException
    {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "1".equals(System.getenv("RUNLIGHT_REQUIRE_BROWSER"))) {
            fail("RUNLIGHT_REQUIRE_BROWSER=1 but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: apt-get install chromium chromium-driver");
        }
        assumeTrue(installed, "the console's browser test needs Debian's Chromium: apt-get install chromium chromium-driver");

        // the echo integration's push target, standing in for a third party: it accepts everything
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        receiver.start();

        // two quick attempts, so a push to a closed port is dead within a fraction of a second
        hub = ConsoleHub.start(dataDir, Map.of("delivery.max-attempts", "2", "delivery.first-backoff", "PT0.05S", "delivery.backoff-jitter", "0",
                "delivery.poll-interval", "PT0.1S"));
        admin = hub.jwt(Role.ADMIN);
        seed();

        screenshots = Path.of(System.getProperty("basedir", ".")).resolve("target").resolve("console-screenshots");
        Files.createDirectories(screenshots);
        try (Stream<Path> old = Files.list(screenshots)) {
            for (Path file : old.toList()) {
                Files.delete(file);
            }
        }
        driver = startBrowser();
        wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(50));
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
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    @Order(1)
    void signsInWithAnAdminJwtOnly()
    {
        driver.get(hub.base() + "/");
        wait.until(ExpectedConditions.urlToBe(hub.base() + "/console/"));
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("admin-token")));
        assertThat(input.getAttribute("type")).isEqualTo("password");
        assertThat(driver.switchTo().activeElement()).isEqualTo(input);
        checkPage("sign-in");

        // a JWT without the admin role is refused with the way out
        input.sendKeys(hub.jwt(Role.READ), Keys.ENTER);
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-error"))).getText())
                .isEqualTo("This token does not have the admin role. Mint one with: runlight admin-token --role admin");
        input.clear();
        signIn("Tokens");
        assertThat(sessionStorage("runlight.adminJwt")).isEqualTo(admin);
        assertThat(((JavascriptExecutor) driver).executeScript("return localStorage.length")).isEqualTo(0L);
    }

    @Test
    @Order(2)
    void createsAThreeMonthTokenForAnIntegrationAndShowsItOnce()
    {
        openPage("Tokens");
        checkPage("tokens");
        LocalDate before = LocalDate.now(ZoneOffset.UTC);

        click(By.xpath("//button[normalize-space()='+ Add Token']"));
        WebElement dialog = openDialog("Add token");
        assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("token-name");
        driver.switchTo().activeElement().sendKeys("snyk-prod-console");
        new Select(dialog.findElement(By.id("token-integration"))).selectByVisibleText("Echo production (echo)");
        dialog.findElement(By.xpath(".//label[normalize-space()='3 months']")).click();
        assertThat(dialog.findElement(By.xpath(".//fieldset//span[@class='hint']")).getText())
                .isEqualTo("Expires on " + before.plusMonths(3) + " (UTC).");
        screenshot("add-token");
        dialog.findElement(By.xpath(".//button[normalize-space()='Create token']")).click();

        WebElement secretField = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-secret")));
        String secret = secretField.getAttribute("value");
        assertThat(secret).matches("rlt_[0-9A-Za-z]{36}");
        WebElement created = driver.findElement(By.cssSelector("dialog[open]"));
        assertThat(created.findElement(By.id("token-warning")).getText())
                .isEqualTo("Copy this token now. It will not be shown again: the hub keeps only a hash of it and cannot recover it.");
        assertThat(created.findElement(By.xpath(".//button[normalize-space()='Copy']")).isDisplayed()).isTrue();
        screenshot("token-created");

        // the hub's own answer: the token, bound to the integration, expiring 3 UTC calendar months after it was created
        JsonNode token = token("snyk-prod-console");
        assertThat(token.path("prefix").asText()).isEqualTo(secret.substring(0, 8));
        assertThat(token.path("integrationId").asText()).isEqualTo(integrationId);
        LocalDate createdOn = LocalDate.ofInstant(Instant.parse(token.path("createdAt").asText()), ZoneOffset.UTC);
        LocalDate expiresOn = LocalDate.ofInstant(Instant.parse(token.path("expiresAt").asText()), ZoneOffset.UTC);
        assertThat(createdOn).isBetween(before, LocalDate.now(ZoneOffset.UTC));
        assertThat(expiresOn).isEqualTo(createdOn.plusMonths(3));

        click(By.xpath("//dialog[@open]//button[normalize-space()='Done']"));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog[open]"), 0));
        WebElement row = tokenRow("snyk-prod-console");
        assertThat(cells(row).subList(0, 7)).containsExactly("snyk-prod-console", "Echo production (echo)", secret.substring(0, 8) + "…", createdOn.toString(),
                expiresOn.toString(), "ACTIVE", "Never");

        // once means once: after a reload the secret is nowhere, not even in the tab's storage
        driver.navigate().refresh();
        tokenRow("snyk-prod-console");
        assertThat(driver.getPageSource()).doesNotContain(secret);
        assertThat((String) ((JavascriptExecutor) driver).executeScript("return JSON.stringify(sessionStorage) + JSON.stringify(localStorage)"))
                .doesNotContain(secret);
    }

    @Test
    @Order(3)
    void renewsTheTokenToOneYear()
    {
        openPage("Tokens");
        tokenRow("snyk-prod-console").findElement(By.xpath(".//button[normalize-space()='Renew']")).click();
        WebElement dialog = openDialog("Renew token \"snyk-prod-console\"");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        dialog.findElement(By.xpath(".//label[normalize-space()='1 year']")).click();
        WebElement confirm = dialog.findElement(By.xpath(".//button[starts-with(normalize-space(), 'Renew until')]"));
        assertThat(confirm.getText()).isEqualTo("Renew until " + today.plusYears(1));
        screenshot("renew-token");
        confirm.click();

        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog[open]"), 0));
        JsonNode token = token("snyk-prod-console");
        LocalDate expiresOn = LocalDate.ofInstant(Instant.parse(token.path("expiresAt").asText()), ZoneOffset.UTC);
        assertThat(expiresOn).isEqualTo(today.plusYears(1));
        wait.until(ExpectedConditions.textToBe(By.cssSelector("time[data-expires='" + token.path("id").asText() + "']"), expiresOn.toString()));
        assertThat(driver.findElement(By.id("notice")).getText())
                .isEqualTo("Token \"snyk-prod-console\" renewed: it now expires on " + expiresOn + " (UTC).");
    }

    @Test
    @Order(4)
    void deletingTheTokenSeversItsIntegration()
    {
        openPage("Tokens");
        tokenRow("snyk-prod-console").findElement(By.xpath(".//button[normalize-space()='Delete']")).click();
        WebElement dialog = openDialog("Delete token \"snyk-prod-console\"?");
        assertThat(dialog.findElement(By.cssSelector(".danger-note")).getText())
                .isEqualTo("Integration Echo production (echo) will be severed at once, on every hub member: its platform is refused and nothing is pushed"
                        + " until you create a new token for it and give that token to the platform.");
        // a destructive dialog starts on Cancel
        assertThat(driver.switchTo().activeElement().getText()).isEqualTo("Cancel");
        screenshot("delete-token");
        dialog.findElement(By.xpath(".//button[normalize-space()='Delete token']")).click();

        wait.until(ExpectedConditions.numberOfElementsToBe(By.xpath("//tr[td[1][normalize-space()='snyk-prod-console']]"), 0));
        assertThat(driver.findElement(By.id("notice")).getText()).isEqualTo("Token \"snyk-prod-console\" deleted; integration \"Echo production\" is severed.");

        openPage("Integrations");
        WebElement state = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-state='" + integrationId + "'] .badge")));
        assertThat(state.getText()).isEqualTo("SEVERED");
        assertThat(json(hub.get("/api/v1/integrations/" + integrationId, admin)).path("state").asText()).isEqualTo("SEVERED");
        checkPage("integrations-severed");
    }

    @Test
    @Order(5)
    void createsAnIntegrationFromItsPluginsDeclaredForm()
    {
        openPage("Integrations");
        click(By.xpath("//button[normalize-space()='+ New integration']"));
        WebElement dialog = openDialog("New integration");
        assertThat(dialog.findElement(By.id("config-apiKey")).getAttribute("type")).isEqualTo("password");
        assertThat(dialog.findElement(By.id("config-verbose")).getAttribute("type")).isEqualTo("checkbox");
        dialog.findElement(By.id("integration-name")).sendKeys("Echo staging");
        dialog.findElement(By.id("config-target")).sendKeys(receiverUrl());
        dialog.findElement(By.id("config-apiKey")).sendKeys("k-staging-secret");
        dialog.findElement(By.id("config-tags")).sendKeys("staging, eu");
        ((JavascriptExecutor) driver).executeScript("document.querySelector('dialog[open] .dialog-body').scrollTop = 0");
        screenshot("new-integration");
        dialog.findElement(By.xpath(".//button[normalize-space()='Create integration']")).click();

        String secret = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-secret"))).getAttribute("value");
        assertThat(secret).matches("rlt_[0-9A-Za-z]{36}");
        new Actions(driver).sendKeys(Keys.ESCAPE).perform();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog[open]"), 0));
        JsonNode created = null;
        for (JsonNode integration : json(hub.get("/api/v1/integrations", admin))) {
            if (integration.path("name").asText().equals("Echo staging")) {
                created = integration;
            }
        }
        assertThat(created).isNotNull();
        assertThat(created.path("config").path("apiKey").asText()).isNotEqualTo("k-staging-secret");
        assertThat(created.path("config").path("tags")).isEqualTo(JSON.createArrayNode().add("staging").add("eu"));
        assertThat(created.path("token").path("prefix").asText()).isEqualTo(secret.substring(0, 8));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-state='" + created.path("id").asText() + "']")));
        screenshot("integrations");
    }

    @Test
    @Order(6)
    void tokensPageWorksFromTheKeyboardAlone()
    {
        openPage("Tokens");
        ((JavascriptExecutor) driver).executeScript("document.activeElement.blur(); window.scrollTo(0, 0);");
        // every visible button, link and field of the page is reached by Tab
        @SuppressWarnings("unchecked")
        List<String> controls = (List<String>) ((JavascriptExecutor) driver).executeScript("""
                const controls = [...document.querySelectorAll('a[href], button, input, select, textarea')]
                  .filter(element => !element.disabled && !element.closest('[hidden]') && element.getClientRects().length > 0);
                controls.forEach((element, index) => element.dataset.tabProbe = String(index));
                return controls.map(element => element.dataset.tabProbe);""");
        assertThat(controls).hasSizeGreaterThanOrEqualTo(9);
        // one full round: past the last control focus leaves the page (the browser's own UI) and comes back to the first
        Set<String> reached = new HashSet<>();
        for (int press = 0; press < controls.size() + 2; press++) {
            new Actions(driver).sendKeys(Keys.TAB).perform();
            String probe = (String) ((JavascriptExecutor) driver).executeScript(
                    "return document.activeElement === document.body ? 'body' : (document.activeElement.dataset.tabProbe || document.activeElement.outerHTML.slice(0, 80))");
            reached.add(probe);
            if (!probe.equals("body")) {
                boolean visibleFocus = (Boolean) ((JavascriptExecutor) driver).executeScript(
                        "const style = getComputedStyle(document.activeElement); return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;");
                assertThat(visibleFocus).as("focus outline of control %s", probe).isTrue();
            }
        }
        assertThat(reached).containsAll(controls);

        // Add Token, from the keyboard only: Tab to the button, Enter, type, arrows, Tab, Enter
        ((JavascriptExecutor) driver).executeScript("document.activeElement.blur(); window.scrollTo(0, 0);");
        for (int press = 0; press < controls.size() + 2 && !"+ Add Token".equals(driver.switchTo().activeElement().getText()); press++) {
            new Actions(driver).sendKeys(Keys.TAB).perform();
        }
        assertThat(driver.switchTo().activeElement().getText()).isEqualTo("+ Add Token");
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        openDialog("Add token");
        assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("token-name");
        // name; Tab to the integration (none: an ingest token); Tab into the expiration radios (3 months), → 6 months; Tab to Cancel, Tab to Create
        new Actions(driver).sendKeys("ci-upload").sendKeys(Keys.TAB).sendKeys(Keys.TAB).sendKeys(Keys.ARROW_RIGHT)
                .sendKeys(Keys.TAB).sendKeys(Keys.TAB).perform();
        assertThat(driver.switchTo().activeElement().getText()).isEqualTo("Create token");
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-secret")));
        assertThat(driver.switchTo().activeElement().getText()).isEqualTo("Copy");
        new Actions(driver).sendKeys(Keys.ESCAPE).perform();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog[open]"), 0));
        // focus is back where the dialog was opened (read in the page: the list re-renders meanwhile, and an element
        // fetched before a re-render is stale when its text is asked for)
        wait.until(driverState -> "+ Add Token".equals(((JavascriptExecutor) driver).executeScript("return document.activeElement.innerText.trim()")));

        JsonNode token = token("ci-upload");
        assertThat(token.path("scope").asText()).isEqualTo("ingest");
        assertThat(LocalDate.ofInstant(Instant.parse(token.path("expiresAt").asText()), ZoneOffset.UTC))
                .isEqualTo(LocalDate.ofInstant(Instant.parse(token.path("createdAt").asText()), ZoneOffset.UTC).plusMonths(6));
        tokenRow("ci-upload");
    }

    @Test
    @Order(7)
    void showsPluginsLoadedAndRefused()
    {
        openPage("Plugins");
        WebElement echo = wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//tr[td[1]/div/strong[text()='echo-plugin']]")));
        assertThat(cells(echo).subList(1, 4)).containsExactly("1.0.0", "STARTED", "Echo echo PUSH SERVE");
        WebElement refused = driver.findElement(By.xpath("//tr[td[1]/div/strong[text()='bundling-plugin']]"));
        assertThat(cells(refused).get(2)).startsWith("REFUSED\nplugin jar 'bundling.jar' bundles its own copy of the Runlight plugin API");
        checkPage("plugins");
    }

    @Test
    @Order(8)
    void showsImagesWithTheirWorkingSetAndEvidence()
    {
        openPage("Images");
        WebElement chart = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("svg.chart")));
        assertThat(chart.findElement(By.tagName("title")).getAttribute("textContent"))
                .isEqualTo("Working set: 10 of 20 vulnerabilities are in packages that run (50% fewer to fix first); 4 of 15 packages are in use, 1 unknown.");
        checkPage("images");

        click(By.xpath("//h2/a[contains(@href, '" + ALPINE_DIGEST.substring("sha256:".length()) + "')]"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h2[normalize-space()='Packages (15)']")));
        assertThat(driver.findElements(By.cssSelector("svg.chart"))).hasSize(1);
        WebElement busybox = driver.findElement(By.xpath("//tr[td[1]/strong[text()='busybox']]"));
        assertThat(cells(busybox).subList(0, 5)).containsExactly("busybox", "1.35.0-r29", "apk", "IN USE", "file");
        busybox.findElement(By.tagName("summary")).click();
        assertThat(busybox.findElement(By.cssSelector("details li")).getText()).startsWith("exec /usr/bin/busybox");
        WebElement workload = driver.findElement(By.xpath("//tr[td[3][text()='Deployment/cart']]"));
        assertThat(cells(workload).subList(0, 4)).containsExactly("prod-eu", "shop", "Deployment/cart", "cart");
        WebElement vulnerability = driver.findElement(By.xpath("//tr[td[2]/span[text()='CVE-2023-0464']]"));
        assertThat(cells(vulnerability)).containsExactly("1", "CVE-2023-0464", "libcrypto3 3.0.8-r0", "HIGH", "7.5", "3.0.8-r1", "IN USE");

        // VEX: fetched with the bearer token, handed to the browser as a Blob download
        click(By.xpath("//button[normalize-space()='Download OpenVEX']"));
        wait.until(ExpectedConditions.textToBe(By.id("notice"), "Downloaded " + ALPINE_DIGEST.replace(':', '-') + ".openvex.json."));
        checkPage("image-detail");
    }

    @Test
    @Order(9)
    void anEndedSessionSendsTheAdminBackToSignIn()
    {
        openPage("Tokens");
        ((JavascriptExecutor) driver).executeScript("sessionStorage.setItem('runlight.adminJwt', arguments[0])", hub.expiredJwt());
        click(By.linkText("Plugins"));
        WebElement message = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-error")));
        assertThat(message.getText()).isEqualTo("Your session has ended: the hub answered \"The bearer token has expired.\" Sign in again with a fresh admin token.");
        assertThat(sessionStorage("runlight.adminJwt")).isNull();
        checkPage("session-ended");

        // signed in again, the admin is back on the page the session ended on
        signIn("Plugins");
        click(By.id("sign-out"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("admin-token")));
        assertThat(sessionStorage("runlight.adminJwt")).isNull();
        assertThat(driver.findElement(By.id("nav")).isDisplayed()).isFalse();
    }

    @Test
    @Order(10)
    void testsTheConnectionOfAnUnreachableAndAWorkingIntegration()
    {
        closedPort = freePort();
        HttpResponse<String> created = hub.postJson("/api/v1/integrations", admin,
                "{\"plugin\": \"echo\", \"name\": \"Echo unreachable\", \"expiresIn\": \"P1M\", \"config\": {\"target\": \"http://127.0.0.1:" + closedPort
                        + "/in\", \"apiKey\": \"k-down\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        unreachableId = json(created).path("id").asText();
        openIntegrations();

        click(integrationButton("Echo unreachable", "Test"));
        String expected = "GET http://127.0.0.1:" + closedPort + "/health failed: ";
        WebElement notice = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#notice.error")));
        wait.until(driverState -> notice.getText().startsWith("Connection test of \"Echo unreachable\" failed: "));
        // the hub's own sentence, word for word
        JsonNode result = json(hub.postJson("/api/v1/integrations/" + unreachableId + "/test", admin, "{}"));
        assertThat(result.path("ok").asBoolean()).isFalse();
        assertThat(result.path("message").asText()).startsWith(expected).contains("Connection refused");
        assertThat(notice.getText()).isEqualTo("Connection test of \"Echo unreachable\" failed: " + result.path("message").asText());
        checkPage("integration-test-failed");

        click(integrationButton("Echo staging", "Test"));
        wait.until(ExpectedConditions.textToBe(By.id("notice"), "Connection test of \"Echo staging\" passed (HTTP 200): GET http://127.0.0.1:"
                + receiver.getAddress().getPort() + "/health answered HTTP 200."));
        assertThat(driver.findElement(By.id("notice")).getAttribute("class")).isEqualTo("notice");
    }

    @Test
    @Order(11)
    void pausingHoldsChangesAndResumingSendsThemUntilTheyAreDead()
    {
        openIntegrations();
        click(integrationButton("Echo unreachable", "Pause"));
        wait.until(ExpectedConditions.textToBe(By.id("notice"), "Integration \"Echo unreachable\" paused."));
        integrationCells("Echo unreachable", cells -> cells.get(2).equals("PAUSED\nPaused by an admin: resume it to serve and push again."));
        assertThat(json(hub.get("/api/v1/integrations/" + unreachableId, admin)).path("state").asText()).isEqualTo("PAUSED");

        // a new change of the image (libssl3 is loaded now): written to the outbox, held while paused
        post("/api/v1/runtime/events", "application/x-ndjson", ("{\"time\":\"2026-11-28T12:10:00Z\",\"cluster\":\"prod-eu\",\"namespace\":\"shop\",\"workloadKind\":\"Deployment\","
                + "\"workloadName\":\"cart\",\"pod\":\"cart-7d9f\",\"container\":\"cart\",\"containerId\":\"containerd://4f2a9c0d1e\",\"image\":\"docker.io/library/alpine:3.17\","
                + "\"imageDigest\":\"" + ALPINE_DIGEST + "\",\"kind\":\"mmap\",\"path\":\"/lib/libssl.so.3\",\"process\":\"/bin/busybox\"}\n").getBytes(StandardCharsets.UTF_8), 202);
        JsonNode held = deliveriesWhen(unreachableId, "pending", deliveries -> deliveries.size() == 1).get(0);
        assertThat(held.path("key").asText()).isEqualTo(ALPINE_DIGEST);
        assertThat(held.path("attempts").asInt()).isZero();
        sleep(300);
        assertThat(json(hub.get("/api/v1/integrations/" + unreachableId + "/deliveries?state=pending", admin))).hasSize(1);

        click(By.xpath("//button[normalize-space()='Refresh']"));
        List<String> paused = integrationCells("Echo unreachable", cells -> cells.get(5).equals("1"));
        assertThat(paused.subList(1, 7)).containsExactly("echo-plugin\nconnector echo", "PAUSED\nPaused by an admin: resume it to serve and push again.", "Never", "None", "1", "0");
        assertThat(paused.get(8)).isEqualTo("Resume\nTest");
        checkPage("integration-paused");

        click(integrationButton("Echo unreachable", "Resume"));
        wait.until(ExpectedConditions.textToBe(By.id("notice"), "Integration \"Echo unreachable\" resumed."));
        integrationCells("Echo unreachable", cells -> cells.get(2).equals("ACTIVE"));
        // sent twice to the closed port (delivery.max-attempts=2), then dead, with the reason
        JsonNode dead = deliveriesWhen(unreachableId, "dead", deliveries -> deliveries.size() == 1).get(0);
        assertThat(dead.path("id").asText()).isEqualTo(held.path("id").asText());
        assertThat(dead.path("attempts").asInt()).isEqualTo(2);
        String lastError = dead.path("lastError").asText();
        assertThat(lastError).startsWith("gave up after 2 attempts: request to http://127.0.0.1:" + closedPort + " failed: ").contains("Connection refused");
        assertThat(json(hub.get("/api/v1/integrations/" + unreachableId + "/deliveries?state=pending", admin))).isEmpty();

        click(By.xpath("//button[normalize-space()='Refresh']"));
        List<String> failed = integrationCells("Echo unreachable", cells -> cells.get(6).equals("1"));
        assertThat(List.of(failed.get(2), failed.get(3), failed.get(5), failed.get(6))).containsExactly("ACTIVE", "Never", "0", "1");
        assertThat(failed.get(4)).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC\n.*").endsWith("\n" + lastError);
        assertThat(json(hub.get("/api/v1/integrations/" + unreachableId, admin)).path("lastError").asText()).isEqualTo(lastError);
        assertThat(failed.get(8)).isEqualTo("Pause\nTest\nRetry dead (1)");
        checkPage("integration-dead");
    }

    @Test
    @Order(12)
    void retryingDeadDeliveriesAfterConfirmationQueuesThemAgain()
    {
        openIntegrations();
        // paused, the retried delivery waits where the admin can see it instead of failing again at once
        click(integrationButton("Echo unreachable", "Pause"));
        integrationCells("Echo unreachable", cells -> cells.get(2).startsWith("PAUSED"));
        String deadId = json(hub.get("/api/v1/integrations/" + unreachableId + "/deliveries?state=dead", admin)).get(0).path("id").asText();

        // Cancel queues nothing
        click(integrationButton("Echo unreachable", "Retry dead (1)"));
        WebElement dialog = openDialog("Retry dead deliveries of \"Echo unreachable\"?");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog[open] tbody tr"), 1));
        new Actions(driver).sendKeys(Keys.ESCAPE).perform();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog[open]"), 0));
        assertThat(json(hub.get("/api/v1/integrations/" + unreachableId + "/deliveries?state=dead", admin))).hasSize(1);

        click(integrationButton("Echo unreachable", "Retry dead (1)"));
        dialog = openDialog("Retry dead deliveries of \"Echo unreachable\"?");
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog[open] tbody tr")));
        JsonNode dead = json(hub.get("/api/v1/integrations/" + unreachableId + "/deliveries?state=dead", admin)).get(0);
        assertThat(cells(row).subList(0, 3)).containsExactly("runlight.image.insights.changed\n" + ALPINE_DIGEST, "2", dead.path("lastError").asText());
        assertThat(dialog.findElement(By.xpath(".//div[@class='dialog-body']/p")).getText()).isEqualTo("These deliveries failed for good or ran out of attempts."
                + " Retrying queues them again as pending, with the same ids (so the receiver can drop duplicates), and attempts start over."
                + " They wait while the integration is paused.");
        // the confirming button has the focus: Enter retries
        assertThat(driver.switchTo().activeElement().getText()).isEqualTo("Retry 1 delivery");
        checkPage("retry-dead-confirm");
        new Actions(driver).sendKeys(Keys.ENTER).perform();

        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog[open]"), 0));
        wait.until(ExpectedConditions.textToBe(By.id("notice"), "1 dead delivery of \"Echo unreachable\" queued again as pending."));
        List<String> retried = integrationCells("Echo unreachable", cells -> cells.get(5).equals("1") && cells.get(6).equals("0"));
        assertThat(retried.get(8)).isEqualTo("Resume\nTest");
        JsonNode pending = json(hub.get("/api/v1/integrations/" + unreachableId + "/deliveries?state=pending", admin)).get(0);
        assertThat(pending.path("id").asText()).isEqualTo(deadId);
        assertThat(pending.path("state").asText()).isEqualTo("PENDING");
        assertThat(pending.path("attempts").asInt()).isZero();
        assertThat(json(hub.get("/api/v1/integrations/" + unreachableId + "/deliveries?state=dead", admin))).isEmpty();
        checkPage("integration-retried");

        // resumed, the same delivery is sent again (and, the receiver still down, is dead again after its attempts)
        click(integrationButton("Echo unreachable", "Resume"));
        JsonNode again = deliveriesWhen(unreachableId, "dead", deliveries -> deliveries.size() == 1).get(0);
        assertThat(again.path("id").asText()).isEqualTo(deadId);
        assertThat(again.path("attempts").asInt()).isEqualTo(2);
    }

    private static void seed()
    {
        Path plugins = hub.hub().plugins().pluginsDir();
        PluginJarBuilder.Compiled echo = PluginJarBuilder.compile("plugins/echo");
        echo.plugin("echo-plugin", "1.0.0").extension(ECHO_FACTORY).installInto(plugins, "echo.jar");
        // a jar that bundles its own copy of the plugin API: refused, with the reason
        echo.plugin("bundling-plugin", "2.0.0").extension(ECHO_FACTORY).bundlingTheApi().installInto(plugins, "bundling.jar");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (hub.hub().plugins().connector("echo").isEmpty() || hub.hub().plugins().plugins().size() < 2) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the test plugins were not loaded: " + hub.hub().plugins().plugins());
            }
            hub.hub().plugins().rescan();
            sleep(50);
        }
        HttpResponse<String> integration = hub.postJson("/api/v1/integrations", admin,
                "{\"plugin\": \"echo\", \"name\": \"Echo production\", \"expiresIn\": \"P1M\", \"config\": {\"target\": \"" + receiverUrl() + "\", \"apiKey\": \"k-prod\"}}");
        assertThat(integration.statusCode()).as(integration.body()).isEqualTo(201);
        integrationId = json(integration).path("id").asText();

        post("/api/v1/sboms", "application/json", "/fixtures/sbom/alpine-3.17.2.syft.json", 201);
        post("/api/v1/vulnerability-reports", "application/json", "/fixtures/vulns/alpine-3.17.2.grype.json", 201);
        post("/api/v1/runtime/events", "application/x-ndjson", "/fixtures/events/alpine-3.17.2.ndjson", 202);
        deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            HttpResponse<String> image = hub.get("/api/v1/images/" + ALPINE_DIGEST, admin);
            if (image.statusCode() == 200 && json(image).path("summary").path("vulnerabilitiesInUse").asInt() == 10) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("image '" + ALPINE_DIGEST + "' had no insights after " + WAIT + ": " + image.body());
            }
            sleep(50);
        }
    }

    private static void post(String path, String contentType, String resource, int status)
    {
        post(path, contentType, ConsoleHub.resource(resource), status);
    }

    private static void post(String path, String contentType, byte[] body, int status)
    {
        HttpResponse<String> response = hub.send("POST", path, admin, Map.of(), contentType, body);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
    }

    /** The Integrations page, signing in again first if the session has ended (the step before signs out). */
    private static void openIntegrations()
    {
        if (sessionStorage("runlight.adminJwt") == null) {
            driver.get(hub.base() + "/console/#/integrations");
            signIn("Integrations");
        }
        else {
            openPage("Integrations");
        }
    }

    private static String integrationRow(String name)
    {
        return "//tr[td[1]/div/strong[text()='" + name + "']]";
    }

    private static By integrationButton(String name, String label)
    {
        return By.xpath(integrationRow(name) + "//button[normalize-space()='" + label + "']");
    }

    /** The cells of an integration's row once they satisfy {@code condition} (the page redraws after every action). */
    private static List<String> integrationCells(String name, Predicate<List<String>> condition)
    {
        return new WebDriverWait(driver, WAIT, Duration.ofMillis(50)).ignoring(StaleElementReferenceException.class).until(driverState -> {
            List<WebElement> rows = driver.findElements(By.xpath(integrationRow(name)));
            if (rows.isEmpty()) {
                return null;
            }
            List<String> cells = cells(rows.get(0));
            return condition.test(cells) ? cells : null;
        });
    }

    /** The hub's deliveries of an integration in {@code state}, once they satisfy {@code condition}. */
    private static JsonNode deliveriesWhen(String id, String state, Predicate<JsonNode> condition)
    {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode deliveries = json(hub.get("/api/v1/integrations/" + id + "/deliveries?state=" + state, admin));
            if (condition.test(deliveries)) {
                return deliveries;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("deliveries of integration '" + id + "' in state " + state + " after " + WAIT + ": " + deliveries);
            }
            sleep(50);
        }
    }

    /** A loopback port nothing listens on: pushes to it are refused at once. */
    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }

    private static String receiverUrl()
    {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/events";
    }

    private static ChromeDriver startBrowser()
    {
        // an explicit driver and browser binary: Selenium Manager is never started, so nothing is looked up or downloaded
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
                "--disable-extensions", "--disable-dev-shm-usage", "--window-size=1360,900", "--user-data-dir=" + browserProfile);
        return new ChromeDriver(service, options);
    }

    /** Signs in through the form with the admin JWT and waits for the page the browser is on (Tokens at first). */
    private static void signIn(String page)
    {
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("admin-token")));
        input.sendKeys(admin, Keys.ENTER);
        wait.until(ExpectedConditions.titleIs(page + " · Runlight console"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//main//h1[text()='" + page + "']")));
    }

    /** Follows the navigation link and waits until the page is drawn. */
    private static void openPage(String name)
    {
        click(By.xpath("//nav//a[text()='" + name + "']"));
        wait.until(ExpectedConditions.titleIs(name + " · Runlight console"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//main//h1[text()='" + name + "']")));
        assertThat(driver.findElement(By.xpath("//nav//a[text()='" + name + "']")).getAttribute("aria-current")).isEqualTo("page");
    }

    private static void click(By locator)
    {
        wait.until(ExpectedConditions.elementToBeClickable(locator)).click();
    }

    private static WebElement openDialog(String title)
    {
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog[open]")));
        assertThat(dialog.findElement(By.tagName("h2")).getText()).isEqualTo(title);
        wait.until(driverState -> (Boolean) ((JavascriptExecutor) driver).executeScript("return document.querySelector('dialog[open]').contains(document.activeElement)"));
        return dialog;
    }

    private static WebElement tokenRow(String name)
    {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//tr[td[1][normalize-space()='" + name + "']]")));
    }

    private static List<String> cells(WebElement row)
    {
        return row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
    }

    /** The hub's own view of a token, by name. */
    private static JsonNode token(String name)
    {
        for (JsonNode token : json(hub.get("/api/v1/tokens", admin))) {
            if (token.path("name").asText().equals(name)) {
                return token;
            }
        }
        throw new AssertionError("the hub has no token named '" + name + "'");
    }

    private static String sessionStorage(String key)
    {
        return (String) ((JavascriptExecutor) driver).executeScript("return sessionStorage.getItem(arguments[0])", key);
    }

    /** What every page must do: only same-origin requests, the CSP header, AA contrast; and its screenshot. */
    private static void checkPage(String name)
    {
        String origin = hub.base().toString();
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) ((JavascriptExecutor) driver).executeScript(
                "return performance.getEntriesByType('resource').map(entry => entry.name)");
        assertThat(resources).as("resources loaded by page %s", name).isNotEmpty()
                .allSatisfy(url -> assertThat(url).as("page %s", name).startsWith(origin + "/"));
        HttpResponse<String> page = hub.get("/console/", null);
        assertThat(page.headers().firstValue("Content-Security-Policy")).contains(ConsoleHandlers.CONTENT_SECURITY_POLICY);

        List<String> lowContrast = new ArrayList<>();
        int checked = 0;
        for (JsonNode text : json((String) ((JavascriptExecutor) driver).executeScript(CONTRAST_SCRIPT))) {
            checked++;
            if (text.path("ratio").asDouble() < 4.5) {
                lowContrast.add(String.format("'%s' %s on %s: %.2f", text.path("text").asText(), text.path("color").asText(), text.path("background").asText(),
                        text.path("ratio").asDouble()));
            }
        }
        assertThat(checked).as("texts checked on page %s", name).isGreaterThan(3);
        assertThat(lowContrast).as("texts below 4.5:1 on page %s", name).isEmpty();
        screenshot(name);
    }

    /** A PNG of the whole page (the window grows to the document's height for it). */
    private static void screenshot(String name)
    {
        long height = (Long) ((JavascriptExecutor) driver).executeScript("return Math.max(document.documentElement.scrollHeight, 900)");
        Dimension size = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(size.getWidth(), (int) Math.min(height + 140, 4000)));
        File file = driver.getScreenshotAs(OutputType.FILE);
        driver.manage().window().setSize(size);
        screenshotCount++;
        try {
            Files.copy(file.toPath(), screenshots.resolve(String.format("%02d-%s.png", screenshotCount, name)), StandardCopyOption.REPLACE_EXISTING);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot save the screenshot of '" + name + "'", e);
        }
    }

    private static JsonNode json(HttpResponse<String> response)
    {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return json(response.body());
    }

    private static JsonNode json(String json)
    {
        try {
            return JSON.readTree(json);
        }
        catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
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
