package io.runlight.hub.server;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.hub.auth.AdminTokens;
import io.runlight.hub.auth.Role;
import io.runlight.hub.plugin.PluginJarBuilder;

import static io.runlight.hub.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code delivery.*} settings reach the relay of a real hub: with
 * {@code delivery.max-attempts=2} and a 50 ms backoff, a push to a port nobody listens on is
 * dead after exactly two attempts (the default of eight attempts from one second up would
 * take minutes), and a retry through the API gives it two more.
 */
final class TestDeliverySettings
{
    private static final String FACTORY = "com.example.beacon.BeaconConnectorFactory";
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @TempDir
    static Path dataDir;

    private static AutoCloseable fastMembers;
    private static Hub hub;
    private static HubClient client;
    private static String admin;
    private static int closedPort;

    @BeforeAll
    static void start()
            throws IOException
    {
        // in the plugins folder before the hub starts: loaded at start, no watcher round
        PluginJarBuilder.compile("plugins/beacon-v1").plugin("beacon", "1.0.0").extension(FACTORY)
                .installInto(Files.createDirectories(dataDir.resolve("plugins")), "beacon.jar");
        closedPort = HubTesting.freePort();
        fastMembers = HubTesting.fastMembersInThisJvm();
        hub = HubTesting.start(HubTesting.config(dataDir, HubTesting.freePort(), Map.of(
                "https.enabled", "false",
                "delivery.max-attempts", "2",
                "delivery.first-backoff", "50ms",
                "delivery.max-backoff", "50ms",
                "delivery.poll-interval", "100ms")));
        client = new HubClient(HubClient.newHttpClient(), HubTesting.httpUrl(hub));
        admin = new AdminTokens(hub.jwt(), Clock.systemUTC()).mint(Role.ADMIN, Duration.ofHours(1), "delivery-settings-admin");
    }

    @AfterAll
    static void stop()
            throws Exception
    {
        if (hub != null) {
            hub.close();
        }
        if (fastMembers != null) {
            fastMembers.close();
        }
    }

    @Test
    void aDeliveryIsDeadAfterTheConfiguredAttemptsAndARetryGivesItAsManyAgain()
            throws Exception
    {
        await("beacon to be started", WITHIN, () -> {
            JsonArray plugins = new JsonArray(client.get("/api/v1/plugins", admin).body());
            return plugins.stream().map(JsonObject.class::cast).anyMatch(plugin -> plugin.getString("id").equals("beacon") && plugin.getString("state").equals("STARTED"));
        });
        HttpResponse<String> created = client.post("/api/v1/integrations", admin, "application/json", new JsonObject()
                .put("plugin", "beacon")
                .put("name", "unreachable")
                .put("config", new JsonObject().put("url", "http://127.0.0.1:" + closedPort).put("apiKey", "key-gamma"))
                .put("expiresIn", "P1M")
                .encode());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String integrationId = new JsonObject(created.body()).getString("id");

        HttpResponse<String> sbom = client.post("/api/v1/sboms", admin, "application/json", HubDocuments.sbom("delivery-settings"));
        assertThat(sbom.statusCode()).as(sbom.body()).isEqualTo(201);
        String digest = new JsonObject(sbom.body()).getString("imageDigest");

        // the outcome is stored before it is counted: once counted, the outbox shows it
        await("the change of image '" + digest + "' to be dead", WITHIN, () -> deliveriesCounted(integrationId, "dead") == 1.0);
        JsonObject dead = assertDeadAfterTwoAttempts(integrationId, digest);
        assertThat(deliveries(integrationId, "pending")).isEmpty();
        assertThat(deliveriesCounted(integrationId, "retried")).isEqualTo(1.0);
        assertThat(deliveriesCounted(integrationId, "dead")).isEqualTo(1.0);

        String deliveryId = dead.getString("id");
        HttpResponse<String> retried = client.post("/api/v1/integrations/" + integrationId + "/deliveries/" + deliveryId + "/retry", admin, "application/json", "");
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        assertThat(new JsonObject(retried.body()).getString("state")).isEqualTo("PENDING");
        assertThat(new JsonObject(retried.body()).getInteger("attempts")).isZero();

        await("delivery '" + deliveryId + "' to be dead again", WITHIN, () -> deliveriesCounted(integrationId, "dead") == 2.0);
        assertThat(assertDeadAfterTwoAttempts(integrationId, digest).getString("id")).isEqualTo(deliveryId);
        assertThat(deliveriesCounted(integrationId, "retried")).isEqualTo(2.0);
    }

    /** The integration's only dead delivery: the change of {@code digest}, given up after two refused connections. */
    private static JsonObject assertDeadAfterTwoAttempts(String integrationId, String digest)
            throws Exception
    {
        List<JsonObject> dead = deliveries(integrationId, "dead");
        assertThat(dead).hasSize(1);
        JsonObject delivery = dead.get(0);
        assertThat(delivery.getString("key")).isEqualTo(digest);
        assertThat(delivery.getString("state")).isEqualTo("DEAD");
        assertThat(delivery.getInteger("attempts")).isEqualTo(2);
        assertThat(delivery.containsKey("lastStatus")).isFalse();
        assertThat(delivery.getString("lastError")).startsWith("gave up after 2 attempts: request to http://127.0.0.1:" + closedPort + " failed: ");
        return delivery;
    }

    private static List<JsonObject> deliveries(String integrationId, String state)
            throws Exception
    {
        HttpResponse<String> response = client.get("/api/v1/integrations/" + integrationId + "/deliveries?state=" + state, admin);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonObject> deliveries = new ArrayList<>();
        new JsonArray(response.body()).forEach(item -> deliveries.add((JsonObject) item));
        return deliveries;
    }

    /** {@code runlight_deliveries_total} of the integration and outcome, from {@code GET /metrics}; 0 before the first. */
    private static double deliveriesCounted(String integrationId, String outcome)
            throws Exception
    {
        String series = "runlight_deliveries_total{integration=\"" + integrationId + "\",outcome=\"" + outcome + "\"} ";
        HttpResponse<String> metrics = client.get("/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        Optional<String> line = metrics.body().lines().filter(candidate -> candidate.startsWith(series)).findFirst();
        return line.map(found -> Double.parseDouble(found.substring(series.length()))).orElse(0.0);
    }
}
