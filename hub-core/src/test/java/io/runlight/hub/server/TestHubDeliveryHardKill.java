package io.runlight.hub.server;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.hub.Await;
import io.runlight.hub.plugin.PluginJarBuilder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.runlight.hub.Await.await;
import static io.runlight.hub.server.HubTesting.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5's durability line against the whole hub process: with 1,000 deliveries pending
 * for a receiver that is down, {@code kill -9} of the hub, a restart, the receiver comes
 * up: all 1,000 arrive, none twice per idempotency key. The deliveries are made the way a
 * hub makes them: a drop-in connector jar (beacon-v1), integrations pointing at a port
 * where nothing listens, and SBOMs of distinct images, each of which is a change every
 * integration translates into one delivery. The relay sends at most 10 requests per
 * second per integration, so the 1,000 are spread over {@value #INTEGRATIONS}
 * integrations of the same receiver to keep the test short.
 */
@Tag("kill9")
class TestHubDeliveryHardKill
{
    private static final Logger log = LoggerFactory.getLogger(TestHubDeliveryHardKill.class);
    private static final String FACTORY = "com.example.beacon.BeaconConnectorFactory";
    private static final String EVENTS_PATH = "/beacon/events";
    private static final int INTEGRATIONS = 8;
    private static final int IMAGES = 125;
    private static final int DELIVERIES = INTEGRATIONS * IMAGES;
    private static final int WRITERS = 4;
    /** Each check reads the whole outbox: check every 250 ms, not every 25. */
    private static final Duration POLL = Duration.ofMillis(250);

    @TempDir
    Path directory;

    private final List<HubProcess> hubs = new ArrayList<>();
    private WireMockServer receiver;

    @AfterEach
    void stop()
            throws InterruptedException
    {
        for (HubProcess hub : hubs) {
            hub.close();
        }
        if (receiver != null) {
            receiver.stop();
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void everyPendingDeliveryArrivesOnceAfterKillMinus9RestartAndTheReceiverComingUp()
            throws Exception
    {
        Path data = directory.resolve("hub");
        Path plugins = data.resolve("plugins");
        Files.createDirectories(plugins);
        PluginJarBuilder.compile("plugins/beacon-v1").plugin("beacon", "1.0.0").extension(FACTORY).installInto(plugins, "beacon.jar");
        // reserved and closed: nothing listens there until the receiver comes up after the restart
        int receiverPort = freePort();

        HubProcess first = startHub(data, plugins, "first");
        String admin = HubClient.adminToken(data);
        HubClient client = new HubClient(HubClient.newHttpClient(), first.httpUrl());
        assertThat(await(Duration.ofSeconds(10), () -> client.pluginStarted(admin, "beacon"))).as("beacon 1.0.0 started; hub log:\n%s", first.log()).isTrue();
        List<String> integrationIds = new ArrayList<>();
        for (int i = 0; i < INTEGRATIONS; i++) {
            HttpResponse<String> created = client.post("/api/v1/integrations", admin, "application/json", new JsonObject()
                    .put("plugin", "beacon")
                    .put("name", "durable " + i)
                    .put("config", new JsonObject().put("url", "http://127.0.0.1:" + receiverPort).put("apiKey", "key-" + i))
                    .put("expiresIn", "P1M")
                    .encode());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            integrationIds.add(new JsonObject(created.body()).getString("id"));
        }

        postSboms(client, admin);
        Set<String> pendingBeforeKill = new TreeSet<>();
        boolean allPending = Await.holdsWithin(Duration.ofSeconds(30), POLL, () -> {
            pendingBeforeKill.clear();
            pendingBeforeKill.addAll(pending(client, admin, integrationIds));
            return pendingBeforeKill.size() >= DELIVERIES;
        });
        assertThat(allPending).as("pending deliveries: %d; hub log:\n%s", pendingBeforeKill.size(), first.log()).isTrue();
        // no more changes are on their way: the count holds still
        Thread.sleep(1000);
        pendingBeforeKill.clear();
        pendingBeforeKill.addAll(pending(client, admin, integrationIds));
        assertThat(pendingBeforeKill).hasSizeGreaterThanOrEqualTo(DELIVERIES);
        int failedBeforeKill = failed(client, admin, integrationIds);
        // the relay tried the receiver that is down (and its circuits opened)
        assertThat(failedBeforeKill).isPositive();
        log.info("{} deliveries pending ({} with a failed attempt) before kill -9", pendingBeforeKill.size(), failedBeforeKill);

        hubs.remove(first);
        first.kill();

        HubProcess second = startHub(data, plugins, "second");
        HubClient restarted = new HubClient(HubClient.newHttpClient(), second.httpUrl());
        // the receiver is still down: the outbox holds exactly what was pending at the kill
        assertThat(new TreeSet<>(pending(restarted, admin, integrationIds))).isEqualTo(pendingBeforeKill);
        receiver = new WireMockServer(options().bindAddress("127.0.0.1").port(receiverPort).containerThreads(40));
        receiver.stubFor(post(urlEqualTo(EVENTS_PATH)).willReturn(aResponse().withStatus(200)));
        receiver.start();
        long up = System.nanoTime();

        // the restarted relay first waits out the circuits its failed calls opened (30 s), then sends 10 per second per integration
        boolean empty = Await.holdsWithin(Duration.ofSeconds(75), POLL, () -> pending(restarted, admin, integrationIds).isEmpty());
        assertThat(empty).as("deliveries still pending: %d; hub log:\n%s", pending(restarted, admin, integrationIds).size(), second.log()).isTrue();
        log.info("Every delivery arrived {} ms after the receiver came up", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - up));
        Thread.sleep(500);

        Map<String, Integer> perKey = new HashMap<>();
        for (LoggedRequest request : received()) {
            perKey.merge(request.getHeader("Idempotency-Key"), 1, Integer::sum);
        }
        Map<String, Integer> twice = new HashMap<>(perKey);
        twice.values().removeIf(count -> count == 1);
        assertThat(twice).as("idempotency keys received more than once").isEmpty();
        assertThat(new TreeSet<>(perKey.keySet())).isEqualTo(pendingBeforeKill);
        assertThat(received()).hasSize(pendingBeforeKill.size());
        for (String id : integrationIds) {
            assertThat(deliveries(restarted, admin, id, "dead")).isEmpty();
        }
        hubs.remove(second);
        second.kill();
    }

    private HubProcess startHub(Path data, Path plugins, String name)
            throws Exception
    {
        HubProcess hub = HubProcess.start(
                List.of("--data-dir", data.toString(), "--port", "0", "--tls-port", "0", "--cluster-port", String.valueOf(freePort())),
                Map.of("RUNLIGHT_PLUGINS_DIR", plugins.toString()),
                directory.resolve(name + ".log"));
        hubs.add(hub);
        return hub;
    }

    /** Posts the SBOMs of {@value #IMAGES} distinct images from {@value #WRITERS} threads. */
    private static void postSboms(HubClient client, String admin)
            throws Exception
    {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<List<String>>> writers = new ArrayList<>();
            for (int writer = 0; writer < WRITERS; writer++) {
                writers.add(pool.submit(() -> {
                    List<String> problems = new ArrayList<>();
                    for (int image = next.getAndIncrement(); image < IMAGES; image = next.getAndIncrement()) {
                        HttpResponse<String> response = client.post("/api/v1/sboms", admin, "application/json", HubDocuments.sbom("durable-" + image));
                        if (response.statusCode() != 201) {
                            problems.add("SBOM " + image + " answered " + response.statusCode() + ": " + response.body());
                        }
                    }
                    return problems;
                }));
            }
            List<String> problems = new ArrayList<>();
            for (Future<List<String>> writer : writers) {
                problems.addAll(writer.get(60, TimeUnit.SECONDS));
            }
            assertThat(problems).isEmpty();
        }
        finally {
            pool.shutdownNow();
        }
    }

    /** The ids of every pending delivery of the integrations. */
    private static List<String> pending(HubClient client, String admin, List<String> integrationIds)
            throws Exception
    {
        return client.deliveryIds(admin, integrationIds, "pending");
    }

    private static int failed(HubClient client, String admin, List<String> integrationIds)
            throws Exception
    {
        int failed = 0;
        for (String integrationId : integrationIds) {
            failed += deliveries(client, admin, integrationId, "failed").size();
        }
        return failed;
    }

    private static List<JsonObject> deliveries(HubClient client, String admin, String integrationId, String state)
            throws Exception
    {
        HttpResponse<String> response = client.get("/api/v1/integrations/" + integrationId + "/deliveries?state=" + state, admin);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonObject> deliveries = new ArrayList<>();
        new JsonArray(response.body()).forEach(item -> deliveries.add((JsonObject) item));
        return deliveries;
    }

    private List<LoggedRequest> received()
    {
        return receiver.findAll(postRequestedFor(urlEqualTo(EVENTS_PATH)));
    }
}
