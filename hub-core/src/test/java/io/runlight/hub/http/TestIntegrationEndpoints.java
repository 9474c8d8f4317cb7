package io.runlight.hub.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import io.runlight.hub.auth.Role;
import io.runlight.hub.integration.IntegrationService;
import io.runlight.hub.plugin.PluginJarBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The integration endpoints of a running hub with a real third-party plugin jar (compiled
 * from {@code plugins/echo}): configuration errors all at once, secrets masked everywhere
 * and never logged, the token secret shown once, update, pause and resume, test
 * connection against a real HTTP server, delete.
 */
@ExtendWith(SharedHub.class)
final class TestIntegrationEndpoints
{
    static final String ECHO_FACTORY = "com.example.echo.EchoConnectorFactory";
    private static final String API_KEY = "k-secret-123";

    private static RunningHub hub;
    private static HttpServer receiver;
    private static String receiverUrl;
    private static String admin;
    private static String read;

    @BeforeAll
    static void start(RunningHub shared)
            throws IOException
    {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/health", exchange -> {
            boolean authorized = ("Bearer " + API_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (authorized ? "{\"ok\":true}" : "{\"error\":\"bad key\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(authorized ? 200 : 401, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        receiver.start();
        receiverUrl = "http://127.0.0.1:" + receiver.getAddress().getPort();

        hub = shared;
        installEcho(hub);
        admin = hub.jwt(Role.ADMIN);
        read = hub.jwt(Role.READ);
    }

    @AfterAll
    static void stop()
    {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    /** Builds the echo plugin jar, drops it into the hub's plugins folder and waits until it is started. */
    static void installEcho(RunningHub running)
    {
        Path plugins = running.hub().plugins().pluginsDir();
        PluginJarBuilder.compile("plugins/echo").plugin("echo-plugin", "1.0.0").extension(ECHO_FACTORY).installInto(plugins, "echo.jar");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (running.hub().plugins().connector("echo").isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the echo plugin did not start: " + running.hub().plugins().plugins());
            }
            running.hub().plugins().rescan();
            sleep(50);
        }
    }

    @Test
    void reportsEveryConfigurationErrorAtOnce()
    {
        String body = """
                {"plugin": "echo", "name": "broken", "expiresIn": "P3M", "config": {
                  "target": "ftp://127.0.0.1/", "apiKey": 12345, "verbose": "maybe", "maxItems": "1.5", "window": "soon",
                  "tags": [1], "labels": {"team": 7}, "colour": "blue"}}""";
        RunningHub.Response response = hub.postJson("/api/v1/integrations", admin, body);

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json()).isEqualTo(RunningHub.parse("""
                {"error": "invalid_config",
                 "message": "The configuration for connector 'echo' has 8 errors; fix every property listed in 'errors'.",
                 "errors": [
                   {"property": "target", "message": "must be an absolute http or https URL such as https://example.com/path, not 'ftp://127.0.0.1/'"},
                   {"property": "apiKey", "message": "must be a string"},
                   {"property": "verbose", "message": "must be true or false, not 'maybe'"},
                   {"property": "maxItems", "message": "must be a whole number between -9223372036854775808 and 9223372036854775807, not '1.5'"},
                   {"property": "window", "message": "must be a duration in ISO-8601 (PT30M, P14D) or a number with a unit (30s, 15m, 12h, 14d), not 'soon'"},
                   {"property": "tags", "message": "must be a list of strings (a JSON array of strings or a comma-separated string), not an array"},
                   {"property": "labels", "message": "must be a JSON object of string values, not an object"},
                   {"property": "colour", "message": "is not a property of connector 'echo'; the properties are [apiKey, greeting, labels, maxItems, mode, tags, target, verbose, window]"}]}"""));

        RunningHub.Response missing = hub.postJson("/api/v1/integrations", admin, "{\"plugin\": \"echo\", \"name\": \"empty\", \"expiresIn\": \"P1M\", \"config\": {}}");
        assertThat(missing.json().path("errors")).isEqualTo(RunningHub.parse(
                "[{\"property\": \"target\", \"message\": \"is required\"}, {\"property\": \"apiKey\", \"message\": \"is required\"}]"));

        // the connector's own check runs once the hub's pass
        RunningHub.Response own = hub.postJson("/api/v1/integrations", admin,
                "{\"plugin\": \"echo\", \"name\": \"own\", \"expiresIn\": \"P1M\", \"config\": {\"target\": \"" + receiverUrl + "\", \"apiKey\": \"x\", \"greeting\": \"forbidden\"}}");
        assertThat(own.status()).isEqualTo(422);
        assertThat(own.json().path("errors")).isEqualTo(RunningHub.parse("[{\"property\": \"greeting\", \"message\": \"must not be 'forbidden'\"}]"));

        RunningHub.Response unknown = hub.postJson("/api/v1/integrations", admin, "{\"plugin\": \"nope\", \"name\": \"x\", \"expiresIn\": \"P1M\", \"config\": {}}");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json()).isEqualTo(RunningHub.errorJson("unprocessable_entity",
                "No plugin or connector 'nope' is loaded: GET /api/v1/plugins lists the loaded plugins and their connectors; add its plugin jar to the plugins folder."));

        assertThat(hub.get("/api/v1/integrations", read).json().findValues("name")).noneMatch(name -> List.of("broken", "empty", "own", "x").contains(name.asText()));
    }

    @Test
    void masksSecretsEverywhereAndShowsTheTokenSecretOnce()
    {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger runlight = (Logger) LoggerFactory.getLogger("io.runlight");
        Level level = runlight.getLevel();
        logs.start();
        root.addAppender(logs);
        runlight.setLevel(Level.DEBUG);
        String secret;
        String id;
        try {
            RunningHub.Response created = hub.postJson("/api/v1/integrations", admin, """
                    {"plugin": "echo", "name": "Masked", "expiresIn": "P6M", "config": {
                      "target": "%s", "apiKey": "%s", "tags": "a, b", "labels": {"team": "sec"}, "window": "15m"}}""".formatted(receiverUrl, API_KEY));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            JsonNode json = created.json();
            id = json.path("id").asText();
            secret = json.path("token").path("secret").asText();
            assertThat(id).matches("int_[0-9A-Za-z]{20}");
            assertThat(secret).startsWith("rlt_").hasSize(40);
            assertThat(json.path("config")).isEqualTo(RunningHub.parse("""
                    {"target": "%s", "apiKey": "****", "tags": "a, b", "labels": {"team": "sec"}, "window": "15m"}""".formatted(receiverUrl)));
            assertThat(json.path("state").asText()).isEqualTo("ACTIVE");
            assertThat(json.has("reason")).isFalse();
            assertThat(json.path("deliveries")).isEqualTo(RunningHub.parse("{\"pending\": 0, \"dead\": 0, \"circuitState\": \"DISABLED\"}"));
            assertThat(json.path("token").fieldNames()).toIterable().containsExactly("id", "secret", "expiresAt");

            RunningHub.Response shown = hub.get("/api/v1/integrations/" + id, read);
            assertThat(shown.status()).isEqualTo(200);
            assertThat(shown.json().path("config").path("apiKey").asText()).isEqualTo("****");
            assertThat(shown.json().path("token").path("id").asText()).isEqualTo(json.path("token").path("id").asText());
            assertThat(shown.json().path("token").path("status").asText()).isEqualTo("ACTIVE");
            assertThat(shown.json().path("token").has("secret")).isFalse();
            for (RunningHub.Response later : List.of(shown, hub.get("/api/v1/integrations", read), hub.get("/api/v1/tokens", admin))) {
                assertThat(later.body()).doesNotContain(API_KEY).doesNotContain(secret);
            }
            assertThat(hub.hub().integrations().get(id).orElseThrow().integration().toString()).doesNotContain(API_KEY).contains("apiKey=****");
        }
        finally {
            root.detachAppender(logs);
            runlight.setLevel(level);
        }
        assertThat(logs.list).isNotEmpty();
        for (ILoggingEvent event : logs.list) {
            assertThat(event.getFormattedMessage()).doesNotContain(API_KEY).doesNotContain(secret);
        }
        // the secret is stored for the connector sealed (TestSecretsAtRest), never in plaintext; the token only as a hash
        assertThat(hub.hub().store().map(IntegrationService.INTEGRATIONS_MAP).get(id)).doesNotContain(API_KEY).contains("\"apiKey\":\"rlsealed:v1:");
        assertThat(hub.hub().store().map("tokens").values()).noneMatch(value -> value.contains(secret));
    }

    @Test
    void updatesPausesResumesTestsAndDeletes()
    {
        RunningHub.Response created = hub.postJson("/api/v1/integrations", admin,
                "{\"plugin\": \"echo\", \"name\": \"Lifecycle\", \"expiresIn\": \"P1M\", \"config\": {\"target\": \"" + receiverUrl + "\", \"apiKey\": \"" + API_KEY + "\"}}");
        String id = created.json().path("id").asText();
        String tokenId = created.json().path("token").path("id").asText();

        RunningHub.Response tested = hub.postJson("/api/v1/integrations/" + id + "/test", admin, "");
        assertThat(tested.json()).isEqualTo(RunningHub.parse("{\"ok\": true, \"status\": 200, \"message\": \"GET " + receiverUrl + "/health answered HTTP 200.\"}"));

        // a masked secret sent back keeps its stored value
        RunningHub.Response updated = hub.send("PUT", "/api/v1/integrations/" + id, admin, "application/json",
                ("{\"name\": \"Renamed\", \"config\": {\"target\": \"" + receiverUrl + "\", \"apiKey\": \"****\", \"greeting\": \"hi\"}}").getBytes(StandardCharsets.UTF_8));
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().path("name").asText()).isEqualTo("Renamed");
        assertThat(updated.json().path("config")).isEqualTo(RunningHub.parse("{\"target\": \"" + receiverUrl + "\", \"apiKey\": \"****\", \"greeting\": \"hi\"}"));
        assertThat(hub.postJson("/api/v1/integrations/" + id + "/test", admin, "").json().path("ok").asBoolean()).isTrue();

        RunningHub.Response wrongKey = hub.send("PUT", "/api/v1/integrations/" + id, admin, "application/json",
                ("{\"config\": {\"target\": \"" + receiverUrl + "\", \"apiKey\": \"wrong\"}}").getBytes(StandardCharsets.UTF_8));
        assertThat(wrongKey.status()).isEqualTo(200);
        assertThat(hub.postJson("/api/v1/integrations/" + id + "/test", admin, "").json()).isEqualTo(RunningHub.parse(
                "{\"ok\": false, \"status\": 401, \"message\": \"GET " + receiverUrl + "/health answered HTTP 401: {\\\"error\\\":\\\"bad key\\\"}\"}"));

        int closedPort = RunningHub.freePort();
        hub.send("PUT", "/api/v1/integrations/" + id, admin, "application/json",
                ("{\"config\": {\"target\": \"http://127.0.0.1:" + closedPort + "\", \"apiKey\": \"****\"}}").getBytes(StandardCharsets.UTF_8));
        JsonNode unreachable = hub.postJson("/api/v1/integrations/" + id + "/test", admin, "").json();
        assertThat(unreachable.path("ok").asBoolean()).isFalse();
        assertThat(unreachable.has("status")).isFalse();
        assertThat(unreachable.path("message").asText()).startsWith("GET http://127.0.0.1:" + closedPort + "/health failed: ");

        RunningHub.Response paused = hub.postJson("/api/v1/integrations/" + id + "/pause", admin, "");
        assertThat(paused.json().path("state").asText()).isEqualTo("PAUSED");
        assertThat(paused.json().path("reason").asText()).isEqualTo("Paused by an admin: resume it to serve and push again.");
        assertThat(hub.hub().integrations().pushTargets().pushTarget(id)).isEmpty();
        RunningHub.Response resumed = hub.postJson("/api/v1/integrations/" + id + "/resume", admin, "");
        assertThat(resumed.json().path("state").asText()).isEqualTo("ACTIVE");
        assertThat(hub.hub().integrations().pushTargets().pushTarget(id)).isPresent();

        assertThat(hub.delete("/api/v1/integrations/" + id, admin).status()).isEqualTo(204);
        assertThat(hub.get("/api/v1/integrations/" + id, read).json()).isEqualTo(RunningHub.errorJson("not_found", "No integration '" + id + "'."));
        assertThat(hub.delete("/api/v1/integrations/" + id, admin).status()).isEqualTo(404);
        assertThat(hub.postJson("/api/v1/integrations/" + id + "/pause", admin, "").status()).isEqualTo(404);
        assertThat(hub.hub().tokens().get(tokenId)).isEmpty();
    }

    @Test
    void aPluginIdNamesItsOnlyConnectorAndBothNamesAreListed()
    {
        RunningHub.Response created = hub.postJson("/api/v1/integrations", admin, "{\"plugin\": \"echo-plugin\", \"name\": \"By plugin\", \"expiresIn\": \"P1M\", "
                + "\"config\": {\"target\": \"" + receiverUrl + "\", \"apiKey\": \"x\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().path("id").asText();
        assertThat(created.json().path("plugin").asText()).isEqualTo("echo-plugin");
        assertThat(created.json().path("connector").asText()).isEqualTo("echo");
        JsonNode listed = hub.get("/api/v1/integrations", read).json();
        assertThat(listed.findParents("id").stream().filter(integration -> integration.path("id").asText().equals(id))
                .map(integration -> integration.path("plugin").asText() + "/" + integration.path("connector").asText()))
                .containsExactly("echo-plugin/echo");
        assertThat(hub.get("/api/v1/integrations/" + id, read).json().path("connector").asText()).isEqualTo("echo");
        assertThat(hub.delete("/api/v1/integrations/" + id, admin).status()).isEqualTo(204);
    }

    @Test
    void aNameThatDenotesTwoConnectorsIsRefusedListingThem()
            throws IOException
    {
        // a plugin whose id is "echo" provides connector "acme": "echo" is now connector 'echo' or plugin 'echo'
        Path plugins = hub.hub().plugins().pluginsDir();
        Path jar = PluginJarBuilder.compile("plugins/acme-v1").plugin("echo", "1.0.0").extension("com.acme.runlight.AcmeConnectorFactory").installInto(plugins, "acme-as-echo.jar");
        try {
            awaitConnector("acme", true);
            RunningHub.Response refused = hub.postJson("/api/v1/integrations", admin, "{\"plugin\": \"echo\", \"name\": \"Which\", \"expiresIn\": \"P1M\", \"config\": {}}");
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.json()).isEqualTo(RunningHub.errorJson("unprocessable_entity",
                    "'echo' names 2 connectors (connector 'acme' of plugin 'echo', connector 'echo' of plugin 'echo-plugin'): give the id of one connector in 'plugin'."));
            assertThat(hub.get("/api/v1/integrations", read).json().findValues("name")).noneMatch(name -> name.asText().equals("Which"));
        }
        finally {
            Files.delete(jar);
            awaitConnector("acme", false);
        }
    }

    private static void awaitConnector(String connectorId, boolean loaded)
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (hub.hub().plugins().connector(connectorId).isPresent() != loaded) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("connector '" + connectorId + "' did not become " + (loaded ? "loaded" : "unloaded") + ": " + hub.hub().plugins().plugins());
            }
            hub.hub().plugins().rescan();
            sleep(50);
        }
    }

    @Test
    void aConnectorCanDoWhatItReturnsNotWhatItsFactoryDeclares()
    {
        // echo declares PUSH and SERVE; in mode serve-only it offers no pusher, as a default Snyk integration (push=false) does
        String serveOnly = hub.postJson("/api/v1/integrations", admin, "{\"plugin\": \"echo\", \"name\": \"Serve only\", \"expiresIn\": \"P1M\", \"config\": "
                + "{\"target\": \"" + receiverUrl + "\", \"apiKey\": \"x\", \"mode\": \"serve-only\"}}").json().path("id").asText();
        assertThat(hub.postJson("/api/v1/integrations/" + serveOnly + "/test", admin, "").json()).isEqualTo(RunningHub.parse(
                "{\"ok\": true, \"message\": \"The connector was created and serves 1 route(s): GET /v1/echo.\"}"));
        assertThat(hub.hub().integrations().pushTargets().pushTarget(serveOnly)).isEmpty();

        String idle = hub.postJson("/api/v1/integrations", admin, "{\"plugin\": \"echo\", \"name\": \"Idle\", \"expiresIn\": \"P1M\", \"config\": "
                + "{\"target\": \"" + receiverUrl + "\", \"apiKey\": \"x\", \"mode\": \"idle\"}}").json().path("id").asText();
        assertThat(hub.postJson("/api/v1/integrations/" + idle + "/test", admin, "").json()).isEqualTo(RunningHub.parse(
                "{\"ok\": false, \"message\": \"The connector was created but neither pushes nor serves with this configuration: check the integration's configuration.\"}"));

        assertThat(hub.delete("/api/v1/integrations/" + serveOnly, admin).status()).isEqualTo(204);
        assertThat(hub.delete("/api/v1/integrations/" + idle, admin).status()).isEqualTo(204);
    }

    @Test
    void aConnectorThatCannotBeCreatedIsFailedWithItsReason()
    {
        RunningHub.Response created = hub.postJson("/api/v1/integrations", admin,
                "{\"plugin\": \"echo\", \"name\": \"Broken\", \"expiresIn\": \"P1M\", \"config\": {\"target\": \"" + receiverUrl + "\", \"apiKey\": \"x\", \"mode\": \"fail-create\"}}");
        assertThat(created.status()).isEqualTo(201);
        String reason = "Its connector could not be created: plugin 'echo-plugin': ConnectorFactory.create (connector 'echo') threw "
                + "java.lang.IllegalStateException: echo cannot start in mode fail-create";
        assertThat(created.json().path("state").asText()).isEqualTo("FAILED");
        assertThat(created.json().path("reason").asText()).isEqualTo(reason);
        assertThat(created.json().path("lastError").asText()).isEqualTo(reason);
        String id = created.json().path("id").asText();
        assertThat(hub.hub().integrations().pushTargets().pushTarget(id)).isEmpty();
        assertThat(hub.postJson("/api/v1/integrations/" + id + "/test", admin, "").json()).isEqualTo(RunningHub.parse(
                "{\"ok\": false, \"message\": \"The connector could not be created: plugin 'echo-plugin': ConnectorFactory.create (connector 'echo') threw "
                        + "java.lang.IllegalStateException: echo cannot start in mode fail-create\"}"));

        RunningHub.Response fixed = hub.send("PUT", "/api/v1/integrations/" + id, admin, "application/json",
                ("{\"config\": {\"target\": \"" + receiverUrl + "\", \"apiKey\": \"****\"}}").getBytes(StandardCharsets.UTF_8));
        assertThat(fixed.json().path("state").asText()).isEqualTo("ACTIVE");
        assertThat(hub.hub().integrations().pushTargets().pushTarget(id)).isPresent();
    }

    @Test
    void refusesBadRequests()
    {
        assertThat(hub.postJson("/api/v1/integrations", admin, "{\"plugin\": \"echo\", \"name\": \"x\", \"config\": {}}").json())
                .isEqualTo(RunningHub.errorJson("unprocessable_entity", "Field 'expiresIn' is required."));
        assertThat(hub.postJson("/api/v1/integrations", admin, "{\"plugin\": \"echo\", \"name\": \"x\", \"expiresIn\": \"P1M\", \"config\": []}").json())
                .isEqualTo(RunningHub.errorJson("unprocessable_entity", "Field 'config' must be a JSON object."));
        assertThat(hub.postJson("/api/v1/integrations", read, "{}").status()).isEqualTo(403);
        assertThat(hub.send("PUT", "/api/v1/integrations/int_missing", admin, "application/json", "{\"name\": \"y\"}".getBytes(StandardCharsets.UTF_8)).json())
                .isEqualTo(RunningHub.errorJson("not_found", "No integration 'int_missing'."));
        assertThat(hub.send("PUT", "/api/v1/integrations/int_missing", admin, "application/json", "{}".getBytes(StandardCharsets.UTF_8)).json())
                .isEqualTo(RunningHub.errorJson("unprocessable_entity", "Give 'name', 'config' or both."));
    }

    static void sleep(long millis)
    {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
