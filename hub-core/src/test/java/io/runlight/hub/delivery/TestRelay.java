package io.runlight.hub.delivery;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.hub.store.HubStore;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.runlight.hub.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay against a real receiver (WireMock on loopback), a real Hazelcast member with
 * the outbox written through to H2, and real Vert.x: idempotency keys, retries with
 * backoff, {@code Retry-After}, timeouts, connection resets, the circuit breaker, failing
 * connectors and paused integrations, each while another integration keeps delivering.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class TestRelay
{
    /** Five passes of the relay at {@link DeliveryTesting#fastOptions()}' 100 ms poll: what was not sent by then is held. */
    private static final Duration FIVE_PASSES = Duration.ofMillis(500);

    @TempDir
    static Path dataDirectory;

    private static HubStore store;
    private static Vertx vertx;
    private static WireMockServer receiver;

    private FakePushTargets targets;
    private Outbox outbox;
    private SimpleMeterRegistry metrics;
    private Relay relay;
    private OutboxStatus status;

    @BeforeAll
    static void startAll()
    {
        store = HubStore.start(DeliveryTesting.store(dataDirectory.resolve("hub"), DeliveryTesting.freePort()));
        vertx = Vertx.vertx();
        receiver = new WireMockServer(options().bindAddress("127.0.0.1").port(DeliveryTesting.freePort()).containerThreads(20));
        receiver.start();
    }

    @AfterAll
    static void stopAll()
    {
        if (receiver != null) {
            receiver.stop();
        }
        if (vertx != null) {
            vertx.close().await();
        }
        if (store != null) {
            store.close();
        }
    }

    @BeforeEach
    void newOutbox()
    {
        targets = new FakePushTargets();
        outbox = new Outbox(store, Clock.systemUTC(), new SecureRandom());
        metrics = new SimpleMeterRegistry();
    }

    @AfterEach
    void stopRelay()
    {
        if (relay != null) {
            relay.close(Duration.ofSeconds(5));
        }
        receiver.resetAll();
    }

    @Test
    void deliversOnceWithTheDeliveryIdAsIdempotencyKey()
    {
        receiver.stubFor(post("/hook/once").willReturn(aResponse().withStatus(202)));
        activate("once", 4);
        startRelay(DeliveryTesting.fastOptions());

        Delivery delivery = outbox.enqueue("once", WebhookTestPusher.message("sha256:aa", "{\"n\":1}"));
        await("the delivery", Duration.ofSeconds(10), () -> targets.successes("once") == 1);

        List<LoggedRequest> received = requests("once");
        assertThat(received).hasSize(1);
        assertThat(received.get(0).getHeader("Idempotency-Key")).isEqualTo(delivery.id()).matches("dlv_[0-9A-Za-z]{26}");
        assertThat(received.get(0).getHeader("X-Attempt")).isEqualTo("1");
        assertThat(received.get(0).getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(received.get(0).getBodyAsString()).isEqualTo("{\"n\":1}");
        assertThat(outbox.get(delivery.id())).isEmpty();
        assertThat(outbox.counts("once", "CLOSED")).isEqualTo(new DeliveryCounts(0, 0, "CLOSED"));
        assertThat(status.counts("once")).isEqualTo(new DeliveryCounts(0, 0, "CLOSED"));
        assertThat(counter("once", "delivered")).isEqualTo(1);
        assertThat(counter("once", "retried")).isZero();
        Timer latency = metrics.find("runlight.delivery.latency").tag("integration", "once").timer();
        assertThat(latency).isNotNull();
        assertThat(latency.count()).isEqualTo(1);
        // nothing is sent twice
        sleep(FIVE_PASSES);
        assertThat(requests("once")).hasSize(1);
    }

    @Test
    void serverErrorsAreRetriedWithBackoffThenDeadWithStatusAndExcerpt()
    {
        receiver.stubFor(post("/hook/errors").willReturn(aResponse().withStatus(500).withBody("database is down")));
        activate("errors", 4);
        startRelay(DeliveryTesting.fastOptions().withRetries(3, Duration.ofMillis(400), Duration.ofSeconds(2)));

        Delivery delivery = outbox.enqueue("errors", WebhookTestPusher.message("sha256:bb", "{}"));
        await("the dead letter", Duration.ofSeconds(15), () -> outbox.get(delivery.id()).map(Delivery::state).orElse(null) == DeliveryState.DEAD);
        // the integration is told after the outbox is updated
        await("the third failure report", Duration.ofSeconds(5), () -> targets.failures("errors").size() == 3);

        List<LoggedRequest> received = requests("errors");
        assertThat(received).extracting(request -> request.getHeader("Idempotency-Key")).containsExactly(delivery.id(), delivery.id(), delivery.id());
        assertThat(received).extracting(request -> request.getHeader("X-Attempt")).containsExactly("1", "2", "3");
        // backoff 400 ms then 800 ms, each ±50 %: at least 200 ms and 400 ms apart
        assertThat(gapMillis(received, 0)).isGreaterThanOrEqualTo(190);
        assertThat(gapMillis(received, 1)).isGreaterThanOrEqualTo(390);

        Delivery dead = outbox.get(delivery.id()).orElseThrow();
        assertThat(dead.attempts()).isEqualTo(3);
        assertThat(dead.lastStatus()).contains(500);
        assertThat(dead.lastError()).contains("gave up after 3 attempts: HTTP 500: database is down");
        assertThat(dead.lastResponse()).contains("database is down");
        assertThat(outbox.list("errors", DeliveryFilter.DEAD)).containsExactly(dead);
        assertThat(outbox.list("errors", DeliveryFilter.PENDING)).isEmpty();
        assertThat(targets.failures("errors")).containsExactly("HTTP 500: database is down", "HTTP 500: database is down",
                "gave up after 3 attempts: HTTP 500: database is down");
        assertThat(counter("errors", "retried")).isEqualTo(2);
        assertThat(counter("errors", "dead")).isEqualTo(1);
        assertThat(status.counts("errors")).isEqualTo(new DeliveryCounts(0, 1, "CLOSED"));

        // a retry re-queues the same id; once the receiver is back it arrives with that key
        receiver.resetAll();
        receiver.stubFor(post("/hook/errors").willReturn(aResponse().withStatus(200)));
        Delivery requeued = outbox.retry(delivery.id()).orElseThrow();
        assertThat(requeued.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(requeued.attempts()).isZero();
        assertThat(requeued.id()).isEqualTo(delivery.id());
        await("the retried delivery", Duration.ofSeconds(10), () -> outbox.get(delivery.id()).isEmpty());
        assertThat(requests("errors")).extracting(request -> request.getHeader("Idempotency-Key") + "#" + request.getHeader("X-Attempt"))
                .containsExactly(delivery.id() + "#1");
    }

    @Test
    void retryAfterIsHonoured()
    {
        receiver.stubFor(post("/hook/limited").inScenario("limited").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("slow down"))
                .willSetStateTo("open"));
        receiver.stubFor(post("/hook/limited").inScenario("limited").whenScenarioStateIs("open").willReturn(aResponse().withStatus(200)));
        activate("limited", 4);
        startRelay(DeliveryTesting.fastOptions());

        Delivery delivery = outbox.enqueue("limited", WebhookTestPusher.message("sha256:cc", "{}"));
        await("the first attempt", Duration.ofSeconds(5), () -> outbox.get(delivery.id()).map(Delivery::attempts).orElse(0) == 1);
        Delivery waiting = outbox.get(delivery.id()).orElseThrow();
        assertThat(waiting.attempts()).isEqualTo(1);
        assertThat(waiting.lastStatus()).contains(429);
        assertThat(waiting.lastError()).contains("HTTP 429: slow down");
        assertThat(outbox.list("limited", DeliveryFilter.FAILED)).containsExactly(waiting);
        await("the delivery", Duration.ofSeconds(10), () -> targets.successes("limited") == 1);

        List<LoggedRequest> received = requests("limited");
        assertThat(received).hasSize(2);
        // the backoff alone would have retried after 100 to 300 ms
        assertThat(gapMillis(received, 0)).isGreaterThanOrEqualTo(1000);
        assertThat(received).extracting(request -> request.getHeader("Idempotency-Key")).containsOnly(delivery.id());
    }

    @Test
    void slowResponsesTimeOutAndAreRetried()
    {
        receiver.stubFor(post("/hook/slow").inScenario("slow").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(200).withFixedDelay(3000))
                .willSetStateTo("fast"));
        receiver.stubFor(post("/hook/slow").inScenario("slow").whenScenarioStateIs("fast").willReturn(aResponse().withStatus(200)));
        activate("slow", 4);
        startRelay(DeliveryTesting.fastOptions());

        // the connector's own timeout; long enough that the second, quick answer beats it on a loaded machine
        Delivery delivery = outbox.enqueue("slow", WebhookTestPusher.message("sha256:dd", "{}", Duration.ofMillis(1000)));
        await("the delivery", Duration.ofSeconds(10), () -> targets.successes("slow") == 1);

        assertThat(targets.failures("slow")).containsExactly("no response from http://127.0.0.1:" + receiver.port() + " within 1000 ms");
        assertThat(requests("slow")).extracting(request -> request.getHeader("Idempotency-Key") + "#" + request.getHeader("X-Attempt"))
                .containsExactly(delivery.id() + "#1", delivery.id() + "#2");
    }

    @Test
    void connectionResetsAreRetried()
    {
        receiver.stubFor(post("/hook/reset").inScenario("reset").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
                .willSetStateTo("fine"));
        receiver.stubFor(post("/hook/reset").inScenario("reset").whenScenarioStateIs("fine").willReturn(aResponse().withStatus(204)));
        activate("reset", 4);
        startRelay(DeliveryTesting.fastOptions());

        Delivery delivery = outbox.enqueue("reset", WebhookTestPusher.message("sha256:ee", "{}"));
        await("the delivery", Duration.ofSeconds(10), () -> targets.successes("reset") == 1);

        assertThat(targets.failures("reset")).hasSize(1);
        assertThat(targets.failures("reset").get(0)).startsWith("request to http://127.0.0.1:" + receiver.port() + " failed: ");
        assertThat(requests("reset")).extracting(request -> request.getHeader("Idempotency-Key") + "#" + request.getHeader("X-Attempt"))
                .containsExactly(delivery.id() + "#1", delivery.id() + "#2");
        assertThat(outbox.get(delivery.id())).isEmpty();
    }

    @Test
    void circuitOpensAfterFailuresAndClosesWhenTheReceiverRecoversWhileOthersDeliver()
    {
        receiver.stubFor(post("/hook/broken").willReturn(aResponse().withStatus(503)));
        receiver.stubFor(post("/hook/healthy").willReturn(aResponse().withStatus(200)));
        activate("broken", 1);
        activate("healthy", 4);
        startRelay(DeliveryTesting.fastOptions()
                .withRetries(20, Duration.ofMillis(100), Duration.ofMillis(200))
                .withCircuit(50, 4, Duration.ofMillis(2000), 1));

        List<Delivery> broken = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            broken.add(outbox.enqueue("broken", WebhookTestPusher.message("sha256:broken-" + i, "{}")));
        }
        await("the open circuit", Duration.ofSeconds(10), () -> relay.circuitState("broken").equals("OPEN"));
        int whenOpened = requests("broken").size();
        assertThat(whenOpened).isEqualTo(4);

        // while it is open: nothing goes to the broken receiver, the healthy integration delivers
        List<Delivery> healthy = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            healthy.add(outbox.enqueue("healthy", WebhookTestPusher.message("sha256:healthy-" + i, "{}")));
        }
        await("the healthy deliveries", Duration.ofSeconds(5), () -> targets.successes("healthy") == 5);
        sleep(FIVE_PASSES);
        assertThat(requests("broken")).hasSize(whenOpened);
        assertThat(relay.circuitState("broken")).isEqualTo("OPEN");
        assertThat(status.counts("broken")).isEqualTo(new DeliveryCounts(4, 0, "OPEN"));
        assertThat(outbox.list("broken", DeliveryFilter.PENDING)).hasSize(4);

        // the receiver recovers: after the open period a trial call succeeds, the circuit closes, everything arrives
        receiver.resetAll();
        receiver.stubFor(post("/hook/broken").willReturn(aResponse().withStatus(200)));
        await("the recovered deliveries", Duration.ofSeconds(15), () -> targets.successes("broken") == 4);
        assertThat(relay.circuitState("broken")).isEqualTo("CLOSED");
        assertThat(requests("broken")).extracting(request -> request.getHeader("Idempotency-Key"))
                .containsExactlyInAnyOrderElementsOf(broken.stream().map(Delivery::id).toList());
        assertThat(status.counts("broken")).isEqualTo(new DeliveryCounts(0, 0, "CLOSED"));
        assertThat(targets.failures("healthy")).isEmpty();
        assertThat(relay.circuitState("healthy")).isEqualTo("CLOSED");
        assertThat(healthy).hasSize(5);
    }

    @Test
    void aConnectorThatThrowsOrHangsIsRetriedAndReportedWhileOthersDeliver()
    {
        receiver.stubFor(post("/hook/fine").willReturn(aResponse().withStatus(200)));
        receiver.stubFor(post("/hook/faulty").willReturn(aResponse().withStatus(200)));
        WebhookTestPusher faulty = activate("faulty", 2);
        activate("fine", 4);
        faulty.mode(WebhookTestPusher.Mode.HANGS);
        startRelay(DeliveryTesting.fastOptions().withRetries(3, Duration.ofMillis(100), Duration.ofMillis(200)));

        Delivery hanging = outbox.enqueue("faulty", WebhookTestPusher.message("sha256:hang", "{}"));
        Delivery fine = outbox.enqueue("fine", WebhookTestPusher.message("sha256:fine", "{}"));
        // the other integration does not wait for the hanging connector
        await("the other integration's delivery", Duration.ofSeconds(5), () -> targets.successes("fine") == 1);
        assertThat(targets.failures("faulty")).isEmpty();
        await("the hanging connector's failure", Duration.ofSeconds(5), () -> targets.failures("faulty").size() == 1);
        assertThat(targets.failures("faulty").get(0)).isEqualTo("connector failed in prepare: Pusher.prepare (connector 'acme') did not return within 500 ms");

        faulty.mode(WebhookTestPusher.Mode.THROWS);
        await("the dead letter", Duration.ofSeconds(10), () -> outbox.get(hanging.id()).map(Delivery::state).orElse(null) == DeliveryState.DEAD);
        await("the third failure report", Duration.ofSeconds(5), () -> targets.failures("faulty").size() == 3);
        Delivery dead = outbox.get(hanging.id()).orElseThrow();
        assertThat(dead.lastError()).contains("gave up after 3 attempts: connector failed in prepare: Pusher.prepare (connector 'acme') threw IllegalStateException: signing key missing");
        assertThat(dead.lastStatus()).isEmpty();
        assertThat(requests("faulty")).isEmpty();
        assertThat(targets.failures("faulty")).hasSize(3);
        // plugin failures are not the receiver's: the circuit stays closed
        assertThat(relay.circuitState("faulty")).isEqualTo("CLOSED");
        assertThat(requests("fine")).extracting(request -> request.getHeader("Idempotency-Key")).containsExactly(fine.id());
    }

    @Test
    void pausedIntegrationsKeepTheirDeliveriesUntilTheyResume()
    {
        receiver.stubFor(post("/hook/paused").willReturn(aResponse().withStatus(200)));
        WebhookTestPusher pusher = new WebhookTestPusher(receiverUri(), "paused", 4);
        startRelay(DeliveryTesting.fastOptions());

        Delivery first = outbox.enqueue("paused", WebhookTestPusher.message("sha256:p1", "{\"n\":1}"));
        Delivery second = outbox.enqueue("paused", WebhookTestPusher.message("sha256:p2", "{\"n\":2}"));
        sleep(FIVE_PASSES);
        assertThat(requests("paused")).isEmpty();
        assertThat(outbox.get(first.id())).contains(first);
        assertThat(outbox.get(second.id())).contains(second);
        assertThat(status.counts("paused")).isEqualTo(new DeliveryCounts(2, 0, "DISABLED"));

        targets.activate(new PushTarget("paused", "acme", 1, pusher));
        relay.wake();
        await("the held deliveries", Duration.ofSeconds(10), () -> targets.successes("paused") == 2);
        assertThat(requests("paused")).extracting(LoggedRequest::getBodyAsString).containsExactlyInAnyOrder("{\"n\":1}", "{\"n\":2}");
    }

    private WebhookTestPusher activate(String integrationId, int maxConcurrent)
    {
        WebhookTestPusher pusher = new WebhookTestPusher(receiverUri(), integrationId, maxConcurrent);
        targets.activate(new PushTarget(integrationId, "acme", 1, pusher));
        return pusher;
    }

    private static URI receiverUri()
    {
        return URI.create("http://127.0.0.1:" + receiver.port());
    }

    private void startRelay(RelayOptions options)
    {
        DeliveryGuards guards = new DeliveryGuards(options);
        relay = new Relay(vertx, outbox, guards, targets, metrics, Clock.systemUTC());
        status = new OutboxStatus(outbox, guards);
        relay.start();
    }

    private List<LoggedRequest> requests(String integrationId)
    {
        List<LoggedRequest> requests = new ArrayList<>(receiver.findAll(postRequestedFor(urlEqualTo("/hook/" + integrationId))));
        requests.sort((left, right) -> left.getLoggedDate().compareTo(right.getLoggedDate()));
        return requests;
    }

    private double counter(String integrationId, String outcome)
    {
        Counter counter = metrics.find("runlight.deliveries").tag("integration", integrationId).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private static long gapMillis(List<LoggedRequest> requests, int index)
    {
        return requests.get(index + 1).getLoggedDate().getTime() - requests.get(index).getLoggedDate().getTime();
    }

    private static void sleep(Duration duration)
    {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
