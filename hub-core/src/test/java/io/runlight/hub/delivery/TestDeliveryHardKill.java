package io.runlight.hub.delivery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.hub.store.HubStore;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import static io.runlight.hub.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Durability: 1,000 deliveries pending for a receiver that is down, {@code kill -9} of
 * the process holding them, a restart, the receiver comes up: all 1,000 arrive, none twice
 * per idempotency key.
 */
@Tag("kill9")
final class TestDeliveryHardKill
{
    static final String INTEGRATION = "durable";
    private static final int DELIVERIES = 1_000;

    @TempDir
    Path dataDirectory;

    private Process hub;

    /** Short backoffs, many attempts (so nothing goes dead while the receiver is down), a high rate. */
    static RelayOptions options()
    {
        return DeliveryTesting.fastOptions().withRetries(1_000, Duration.ofMillis(100), Duration.ofMillis(500));
    }

    @AfterEach
    void killHub()
    {
        if (hub != null) {
            hub.destroyForcibly();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyPendingDeliveryArrivesOnceAfterKillMinus9AndRestart()
            throws Exception
    {
        int receiverPort = DeliveryTesting.freePort();
        Path log = dataDirectory.resolve("hub.log");
        hub = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-Djava.net.preferIPv4Stack=true",
                "-cp", System.getProperty("java.class.path"),
                DeliveryHardKillMain.class.getName(),
                dataDirectory.resolve("hub").toString(),
                String.valueOf(DeliveryTesting.freePort()),
                String.valueOf(receiverPort),
                String.valueOf(DELIVERIES))
                .redirectError(log.toFile())
                .start();

        Set<String> acknowledged = new LinkedHashSet<>();
        List<String> unexpected = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(hub.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("ACK ")) {
                    acknowledged.add(line.split(" ")[2]);
                }
                else if (line.equals("DONE")) {
                    // let the relay try (and fail) against the receiver that is down, then SIGKILL
                    Thread.sleep(1500);
                    assertThat(hub.toHandle().destroyForcibly()).isTrue();
                }
                else if (!line.equals("READY")) {
                    unexpected.add(line);
                }
            }
        }
        assertThat(hub.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(unexpected).as("hub output; its log: %s", readLog(log)).isEmpty();
        assertThat(acknowledged).as("hub log: %s", readLog(log)).hasSize(DELIVERIES);

        WireMockServer receiver = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").port(receiverPort).containerThreads(40));
        receiver.stubFor(post("/hook/" + INTEGRATION).willReturn(aResponse().withStatus(200)));
        receiver.start();
        Vertx vertx = Vertx.vertx();
        Relay relay = null;
        try (HubStore store = HubStore.start(DeliveryTesting.store(dataDirectory.resolve("hub"), DeliveryTesting.freePort()))) {
            Outbox outbox = new Outbox(store, Clock.systemUTC(), new SecureRandom());
            assertThat(store.map(Outbox.MAP).size()).isEqualTo(DELIVERIES);
            // the killed hub had tried (and failed) to reach the receiver that was down
            assertThat(outbox.list(INTEGRATION, DeliveryFilter.FAILED)).isNotEmpty();
            assertThat(outbox.list(INTEGRATION, DeliveryFilter.FAILED).get(0).lastError().orElseThrow()).startsWith("request to http://127.0.0.1:" + receiverPort + " failed: ");
            FakePushTargets targets = new FakePushTargets();
            targets.activate(new PushTarget(INTEGRATION, "acme", 1, new WebhookTestPusher(URI.create("http://127.0.0.1:" + receiverPort), INTEGRATION, 16)));
            relay = new Relay(vertx, outbox, new DeliveryGuards(options()), targets, new SimpleMeterRegistry(), Clock.systemUTC());
            relay.start();

            await("every delivery to arrive", Duration.ofSeconds(40), () -> store.map(Outbox.MAP).isEmpty());
            Thread.sleep(500);
            List<LoggedRequest> received = receiver.findAll(postRequestedFor(urlEqualTo("/hook/" + INTEGRATION)));
            Map<String, Integer> perKey = new HashMap<>();
            for (LoggedRequest request : received) {
                perKey.merge(request.getHeader("Idempotency-Key"), 1, Integer::sum);
            }
            assertThat(perKey.keySet()).isEqualTo(acknowledged);
            assertThat(perKey.values()).containsOnly(1);
            assertThat(received).hasSize(DELIVERIES);
            assertThat(targets.successes(INTEGRATION)).isEqualTo(DELIVERIES);
        }
        finally {
            if (relay != null) {
                relay.close(Duration.ofSeconds(5));
            }
            vertx.close().await();
            receiver.stop();
        }
    }

    private static String readLog(Path log)
            throws IOException
    {
        if (!Files.exists(log)) {
            return "(none)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
