package io.runlight.hub.server;

import java.lang.ref.WeakReference;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.hub.auth.AdminTokens;
import io.runlight.hub.auth.Role;
import io.runlight.hub.plugin.PluginClassLoaders;
import io.runlight.hub.plugin.PluginJarBuilder;

import static io.runlight.hub.Await.await;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5's acceptance through a real hub: a third-party connector jar (compiled now from
 * {@code plugins/beacon-v1} and {@code -v2}, not a module of the build) dropped into the
 * plugins folder of a running hub is listed and pushes through the outbox and relay to a
 * real receiver (WireMock); a v2 jar replaces it, removing it unloads it; deleting the
 * integration's token or pausing it holds new changes in the outbox until a new token or
 * a resume releases them, each delivered once; a connector throwing in translate is
 * reported in its integration's status while the others keep receiving.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class TestPluginDeliveryEndToEnd
{
    private static final String FACTORY = "com.example.beacon.BeaconConnectorFactory";
    private static final String EVENTS_PATH = "/beacon/events";
    private static final Duration APPEARS_WITHIN = Duration.ofSeconds(5);
    private static final Duration DELIVERED_WITHIN = Duration.ofSeconds(10);
    /** The relay's poll interval in this test (the default is a second). */
    private static final Duration RELAY_POLL = Duration.ofMillis(100);
    /** Five relay passes: what was not sent by then is held. */
    private static final Duration HELD_FOR = RELAY_POLL.multipliedBy(5);

    @TempDir
    static Path dataDir;

    private static AutoCloseable fastMembers;
    private static Hub hub;
    private static HubClient client;
    private static WireMockServer receiver;
    private static String admin;
    private static PluginJarBuilder.Compiled v1;
    private static PluginJarBuilder.Compiled v2;
    private static Path plugins;
    private static String integrationId;
    private static String integrationSecret;
    private static String tokenId;

    @BeforeAll
    static void start()
    {
        v1 = PluginJarBuilder.compile("plugins/beacon-v1");
        v2 = PluginJarBuilder.compile("plugins/beacon-v2");
        receiver = new WireMockServer(options().bindAddress("127.0.0.1").port(HubTesting.freePort()).containerThreads(20));
        receiver.start();
        receiver.stubFor(post(urlEqualTo(EVENTS_PATH)).willReturn(aResponse().withStatus(200)));
        fastMembers = HubTesting.fastMembersInThisJvm();
        hub = HubTesting.start(HubTesting.config(dataDir, HubTesting.freePort(), Map.of("https.enabled", "false", "delivery.poll-interval", RELAY_POLL.toString())));
        client = new HubClient(HubClient.newHttpClient(), HubTesting.httpUrl(hub));
        admin = new AdminTokens(hub.jwt(), Clock.systemUTC()).mint(Role.ADMIN, Duration.ofHours(1), "e2e-admin");
        plugins = dataDir.resolve("plugins");
    }

    @AfterAll
    static void stop()
            throws Exception
    {
        if (hub != null) {
            hub.close();
        }
        if (receiver != null) {
            receiver.stop();
        }
        if (fastMembers != null) {
            fastMembers.close();
        }
    }

    @Test
    @Order(1)
    void aDroppedInJarIsListedAndItsIntegrationReceivesPushes()
            throws Exception
    {
        assertThat(Files.isDirectory(plugins)).isTrue();
        assertThat(pluginIds()).isEmpty();

        v1.plugin("beacon", "1.0.0").extension(FACTORY).installInto(plugins, "beacon.jar");
        await("beacon 1.0.0 to be listed as started", APPEARS_WITHIN, () -> beacon().map(plugin -> plugin.getString("version").equals("1.0.0")
                && plugin.getString("state").equals("STARTED")).orElse(false));
        JsonObject listed = beacon().orElseThrow();
        assertThat(listed.getString("jar")).isEqualTo("beacon.jar");
        assertThat(listed.getJsonArray("connectors").getJsonObject(0).getString("displayName")).isEqualTo("Beacon 1.0.0");
        assertThat(listed.getJsonArray("connectors").getJsonObject(0).getJsonArray("capabilities")).isEqualTo(new JsonArray().add("PUSH").add("SERVE"));

        HttpResponse<String> created = client.post("/api/v1/integrations", admin, "application/json", new JsonObject()
                .put("plugin", "beacon")
                .put("name", "beacon e2e")
                .put("config", new JsonObject().put("url", receiverUrl()).put("apiKey", "key-alpha"))
                .put("expiresIn", "P3M")
                .encode());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonObject integration = new JsonObject(created.body());
        integrationId = integration.getString("id");
        tokenId = integration.getJsonObject("token").getString("id");
        integrationSecret = integration.getJsonObject("token").getString("secret");
        assertThat(integrationSecret).startsWith("rlt_");
        assertThat(integration.getString("state")).isEqualTo("ACTIVE");
        assertThat(integration.getJsonObject("config")).isEqualTo(new JsonObject().put("url", receiverUrl()).put("apiKey", "****"));
        // the secret is shown once: reading the integration again shows the token without it
        JsonObject read = integration();
        assertThat(read.getJsonObject("token").getString("id")).isEqualTo(tokenId);
        assertThat(read.getJsonObject("token").containsKey("secret")).isFalse();
        assertThat(read.encode()).doesNotContain(integrationSecret).doesNotContain("key-alpha");

        String digest = postSbom("e2e-first");
        LoggedRequest first = awaitDelivery("the first change of image '" + digest + "'", body -> body.getString("image").equals(digest));
        assertThat(first.getMethod().value()).isEqualTo("POST");
        assertThat(first.getUrl()).isEqualTo(EVENTS_PATH);
        assertThat(first.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(first.getHeader("Authorization")).isEqualTo("Bearer key-alpha");
        assertThat(first.getHeader("Idempotency-Key")).matches("dlv_[0-9A-Za-z]{26}");
        assertThat(first.containsHeader("X-Beacon-Version")).isFalse();
        assertThat(new JsonObject(first.getBodyAsString())).isEqualTo(new JsonObject()
                .put("image", digest)
                .put("type", "runlight.image.insights.changed")
                .put("packagesInUse", 0)
                .put("integration", "beacon e2e"));

        HttpResponse<String> accepted = client.post("/api/v1/runtime/events", admin, "application/x-ndjson",
                HubDocuments.execEvent(digest, "cart-1", Instant.parse("2026-01-05T08:00:00Z")));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        LoggedRequest inUse = awaitDelivery("the change of image '" + digest + "' after its runtime events",
                body -> body.getString("image").equals(digest) && body.getInteger("packagesInUse") > 0);
        assertThat(new JsonObject(inUse.getBodyAsString())).isEqualTo(new JsonObject()
                .put("image", digest)
                .put("type", "runlight.image.profile.completed")
                .put("packagesInUse", 1)
                .put("integration", "beacon e2e"));
        assertThat(inUse.getHeader("Idempotency-Key")).matches("dlv_[0-9A-Za-z]{26}").isNotEqualTo(first.getHeader("Idempotency-Key"));
        assertEachKeyDeliveredOnce();
        await("the outbox of the integration to be empty", APPEARS_WITHIN, () -> deliveries("pending").isEmpty());
    }

    @Test
    @Order(2)
    void aReplacingJarIsUsedAndARemovedOneIsUnloadedAndFailsTheIntegration()
            throws Exception
    {
        v2.plugin("beacon", "2.0.0").extension(FACTORY).installInto(plugins, "beacon.jar");
        await("beacon 2.0.0 to be listed as started", APPEARS_WITHIN, () -> beacon().map(plugin -> plugin.getString("version").equals("2.0.0")
                && plugin.getString("state").equals("STARTED")).orElse(false));
        assertThat(beacon().orElseThrow().getLong("generation")).isEqualTo(2);
        assertThat(integration().getString("state")).isEqualTo("ACTIVE");

        String digest = postSbom("e2e-second");
        LoggedRequest delivered = awaitDelivery("the change of image '" + digest + "' by beacon 2.0.0", body -> body.getString("image").equals(digest));
        assertThat(delivered.getHeader("X-Beacon-Version")).isEqualTo("2.0.0");
        assertThat(delivered.getHeader("Authorization")).isEqualTo("Bearer key-alpha");
        assertThat(delivered.getHeader("Idempotency-Key")).matches("dlv_[0-9A-Za-z]{26}");
        assertThat(new JsonObject(delivered.getBodyAsString())).isEqualTo(new JsonObject()
                .put("schema", 2)
                .put("image", digest)
                .put("type", "runlight.image.insights.changed")
                .put("packagesInUse", 0)
                .put("integration", "beacon e2e"));

        // the receiver has the request, but the attempt ends only when the connector has read the answer: a jar removed
        // before that leaves the delivery pending, and the next plugin sends it again with the same idempotency key
        // (at least once, as the plugin author guide says), which is not what this test is about
        await("the attempt of the change to be recorded", APPEARS_WITHIN, () -> deliveries("pending").isEmpty());
        WeakReference<ClassLoader> loader = PluginClassLoaders.weakly(hub.plugins().connector("beacon").orElseThrow());
        Files.delete(plugins.resolve("beacon.jar"));
        await("beacon to be unlisted", APPEARS_WITHIN, () -> beacon().isEmpty());
        JsonObject failed = integration();
        assertThat(failed.getString("state")).isEqualTo("FAILED");
        assertThat(failed.getString("reason")).isEqualTo("Connector 'beacon' is not loaded: no started plugin provides it (see GET /api/v1/plugins).");
        // the hub keeps answering, and lets go of the unloaded plugin's classes
        assertThat(client.get("/health/live", null).statusCode()).isEqualTo(200);
        await("the class loader of the removed plugin to be garbage-collected", Duration.ofSeconds(15), () -> {
            System.gc();
            return loader.get() == null;
        });
        assertEachKeyDeliveredOnce();
    }

    @Test
    @Order(3)
    void deletingTheTokenOrPausingHoldsNewChangesUntilANewTokenOrResumeReleasesThem()
            throws Exception
    {
        v2.plugin("beacon", "2.0.0").extension(FACTORY).installInto(plugins, "beacon.jar");
        await("beacon to be back", APPEARS_WITHIN, () -> beacon().map(plugin -> plugin.getString("state").equals("STARTED")).orElse(false));
        await("the integration to be active again", APPEARS_WITHIN, () -> integration().getString("state").equals("ACTIVE"));
        // what the earlier tests' images changed is delivered first: below, only this test's changes may be pending
        await("the outbox of the integration to be empty", APPEARS_WITHIN, () -> deliveries("pending").isEmpty());
        HttpResponse<String> served = client.get("/v1/beacon", integrationSecret);
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(new JsonObject(served.body())).isEqualTo(new JsonObject().put("integration", "beacon e2e").put("version", "2.0.0"));

        // delete the token: severed at once, serve refused, pushes held
        assertThat(client.delete("/api/v1/tokens/" + tokenId, admin).statusCode()).isEqualTo(204);
        JsonObject severed = integration();
        assertThat(severed.getString("state")).isEqualTo("SEVERED");
        assertThat(severed.getString("reason")).isEqualTo("Its token was deleted: create a new one with POST /api/v1/tokens and \"integrationId\": \""
                + integrationId + "\".");
        assertThat(client.get("/v1/beacon", integrationSecret).statusCode()).isEqualTo(401);

        int receivedBefore = received().size();
        String severedDigest = postSbom("e2e-severed");
        List<JsonObject> held = awaitHeld(severedDigest);
        assertThat(received()).hasSize(receivedBefore);
        assertThat(integration().getJsonObject("deliveries").getLong("pending")).isEqualTo(1);

        // a new token for the integration: active again, the held delivery arrives once
        HttpResponse<String> renewed = client.post("/api/v1/tokens", admin, "application/json", new JsonObject()
                .put("name", "beacon e2e again").put("expiresIn", "P1M").put("integrationId", integrationId).encode());
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(201);
        JsonObject newToken = new JsonObject(renewed.body());
        assertThat(newToken.getString("scope")).isEqualTo("integration");
        String oldSecret = integrationSecret;
        tokenId = newToken.getString("id");
        integrationSecret = newToken.getString("secret");
        assertThat(integration().getString("state")).isEqualTo("ACTIVE");
        assertReleased(held);
        assertThat(client.get("/v1/beacon", integrationSecret).statusCode()).isEqualTo(200);
        assertThat(client.get("/v1/beacon", oldSecret).statusCode()).isEqualTo(401);

        // pause: held the same way, released by resume
        HttpResponse<String> paused = client.post("/api/v1/integrations/" + integrationId + "/pause", admin, "application/json", "{}");
        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
        assertThat(integration().getString("state")).isEqualTo("PAUSED");
        assertThat(client.get("/v1/beacon", integrationSecret).statusCode()).isEqualTo(503);
        receivedBefore = received().size();
        String pausedDigest = postSbom("e2e-paused");
        List<JsonObject> heldWhilePaused = awaitHeld(pausedDigest);
        assertThat(received()).hasSize(receivedBefore);

        HttpResponse<String> resumed = client.post("/api/v1/integrations/" + integrationId + "/resume", admin, "application/json", "{}");
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
        assertThat(integration().getString("state")).isEqualTo("ACTIVE");
        assertReleased(heldWhilePaused);
        assertThat(client.get("/v1/beacon", integrationSecret).statusCode()).isEqualTo(200);
        assertEachKeyDeliveredOnce();
    }

    @Test
    @Order(4)
    void aConnectorThrowingInTranslateIsReportedAndTheOthersKeepReceiving()
            throws Exception
    {
        HttpResponse<String> created = client.post("/api/v1/integrations", admin, "application/json", new JsonObject()
                .put("plugin", "beacon")
                .put("name", "beacon failing")
                .put("config", new JsonObject().put("url", receiverUrl()).put("apiKey", "key-beta").put("mode", "fail-translate"))
                .put("expiresIn", "P1M")
                .encode());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String failingId = new JsonObject(created.body()).getString("id");

        String digest = postSbom("e2e-fault");
        LoggedRequest delivered = awaitDelivery("the change of image '" + digest + "' to the healthy integration", body -> body.getString("image").equals(digest));
        assertThat(delivered.getHeader("Authorization")).isEqualTo("Bearer key-alpha");
        await("the failing integration to report its error", APPEARS_WITHIN, () -> integration(failingId).containsKey("lastError"));
        JsonObject failing = integration(failingId);
        assertThat(failing.getString("lastError")).isEqualTo("connector failed in translate: plugin 'beacon': Pusher.translate (connector 'beacon') threw "
                + "java.lang.IllegalStateException: beacon was told to fail in translate");
        assertThat(failing.getString("lastErrorAt")).isNotBlank();
        // a translate failure costs only that change: the connector stays up for the next one
        assertThat(failing.getString("state")).isEqualTo("ACTIVE");
        assertThat(failing.getJsonObject("deliveries").getLong("pending")).isZero();
        assertThat(receiver.findAll(postRequestedFor(urlEqualTo(EVENTS_PATH))).stream().map(request -> request.getHeader("Authorization")))
                .doesNotContain("Bearer key-beta");
        JsonObject healthy = integration();
        assertThat(healthy.getString("state")).isEqualTo("ACTIVE");
        assertThat(healthy.containsKey("lastSuccessAt")).isTrue();
        assertEachKeyDeliveredOnce();
    }

    /** Posts the trimmed Alpine SBOM as image copy {@code seed}; returns the digest the hub keys it by. */
    private static String postSbom(String seed)
            throws Exception
    {
        HttpResponse<String> response = client.post("/api/v1/sboms", admin, "application/json", HubDocuments.sbom(seed));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return new JsonObject(response.body()).getString("imageDigest");
    }

    /** Waits until the change of {@code digest} is pending in the integration's outbox, and holds there without being attempted. */
    private static List<JsonObject> awaitHeld(String digest)
            throws Exception
    {
        await("the change of image '" + digest + "' to be pending", DELIVERED_WITHIN,
                () -> deliveries("pending").stream().anyMatch(delivery -> delivery.getString("key").equals(digest)));
        Thread.sleep(HELD_FOR.toMillis());
        List<JsonObject> held = deliveries("pending");
        assertThat(held).extracting(delivery -> delivery.getString("key")).containsExactly(digest);
        assertThat(held).extracting(delivery -> delivery.getInteger("attempts")).containsExactly(0);
        assertThat(received()).noneMatch(request -> new JsonObject(request.getBodyAsString()).getString("image").equals(digest));
        return held;
    }

    /** Waits until every held delivery arrived (by its id as idempotency key) and the outbox is empty. */
    private static void assertReleased(List<JsonObject> held)
            throws Exception
    {
        for (JsonObject delivery : held) {
            String id = delivery.getString("id");
            awaitDelivery("held delivery '" + id + "'", body -> true, request -> id.equals(request.getHeader("Idempotency-Key")));
        }
        await("the outbox of the integration to be empty", APPEARS_WITHIN, () -> deliveries("pending").isEmpty());
    }

    private static LoggedRequest awaitDelivery(String what, Predicate<JsonObject> body)
            throws Exception
    {
        return awaitDelivery(what, body, request -> true);
    }

    private static LoggedRequest awaitDelivery(String what, Predicate<JsonObject> body, Predicate<LoggedRequest> request)
            throws Exception
    {
        List<LoggedRequest> found = new ArrayList<>();
        await(what, DELIVERED_WITHIN, () -> {
            found.clear();
            for (LoggedRequest candidate : received()) {
                if (request.test(candidate) && body.test(new JsonObject(candidate.getBodyAsString()))) {
                    found.add(candidate);
                }
            }
            return !found.isEmpty();
        });
        assertThat(found).as(what).hasSize(1);
        return found.get(0);
    }

    /** The receiver's base URL, on loopback. */
    private static String receiverUrl()
    {
        return "http://127.0.0.1:" + receiver.port();
    }

    /** Every request the receiver got, oldest first. */
    private static List<LoggedRequest> received()
    {
        return receiver.findAll(postRequestedFor(urlEqualTo(EVENTS_PATH)));
    }

    private static void assertEachKeyDeliveredOnce()
    {
        List<String> keys = received().stream().map(request -> request.getHeader("Idempotency-Key")).toList();
        Set<String> distinct = new TreeSet<>(keys);
        assertThat(keys).as("idempotency keys received").hasSize(distinct.size());
    }

    private static List<JsonObject> deliveries(String state)
            throws Exception
    {
        HttpResponse<String> response = client.get("/api/v1/integrations/" + integrationId + "/deliveries?state=" + state, admin);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonObject> deliveries = new ArrayList<>();
        new JsonArray(response.body()).forEach(item -> deliveries.add((JsonObject) item));
        return deliveries;
    }

    private static JsonObject integration()
            throws Exception
    {
        return integration(integrationId);
    }

    private static JsonObject integration(String id)
            throws Exception
    {
        HttpResponse<String> response = client.get("/api/v1/integrations/" + id, admin);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    private static List<String> pluginIds()
            throws Exception
    {
        List<String> ids = new ArrayList<>();
        plugins().forEach(plugin -> ids.add(plugin.getString("id")));
        return ids;
    }

    private static Optional<JsonObject> beacon()
            throws Exception
    {
        return plugins().stream().filter(plugin -> plugin.getString("id").equals("beacon")).findFirst();
    }

    private static List<JsonObject> plugins()
            throws Exception
    {
        HttpResponse<String> response = client.get("/api/v1/plugins", admin);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonObject> listed = new ArrayList<>();
        new JsonArray(response.body()).forEach(item -> listed.add((JsonObject) item));
        return listed;
    }
}
