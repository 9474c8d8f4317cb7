package io.runlight.hub.delivery;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.hub.store.HubStore;
import io.runlight.hub.store.StoreConfig;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.runlight.hub.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two members on loopback sharing a PostgreSQL database, each running a relay over the
 * same outbox: every delivery is sent by exactly one member (each takes the keys it owns
 * and locks a delivery while sending), and both members share the work.
 */
@Tag("cluster")
@Tag("postgresql")
final class TestRelayCluster
{
    private static final int DELIVERIES = 120;

    @TempDir
    Path dataDirectory;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyDeliveryIsSentByExactlyOneMember()
            throws Exception
    {
        WireMockServer receiver = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").port(DeliveryTesting.freePort()).containerThreads(40));
        receiver.stubFor(post("/hook/shared").willReturn(aResponse().withStatus(200).withFixedDelay(50)));
        receiver.start();
        List<AutoCloseable> closing = new ArrayList<>();
        // closed last, after the members and relays that use it
        EmbeddedPostgres postgres = EmbeddedPostgres.start();
        closing.add(postgres);
        try {
            try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE relay_cluster");
            }
            StoreConfig.Jdbc jdbc = new StoreConfig.Jdbc("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/relay_cluster", Optional.of("postgres"), Optional.of("postgres"));
            String clusterName = "runlight-relay-" + UUID.randomUUID();
            List<Integer> ports = List.of(DeliveryTesting.freePort(), DeliveryTesting.freePort());
            List<String> members = ports.stream().map(port -> "127.0.0.1:" + port).toList();

            List<HubStore> stores = new ArrayList<>();
            List<Outbox> outboxes = new ArrayList<>();
            List<FakePushTargets> targets = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                StoreConfig config = new StoreConfig(dataDirectory.resolve("member-" + i), Optional.of(jdbc),
                        new StoreConfig.Cluster(clusterName, "127.0.0.1", ports.get(i), false, StoreConfig.JoinMode.TCP, members, Optional.empty(), DeliveryTesting.FAST_MEMBER),
                        List.of(Outbox.MAP));
                HubStore store = HubStore.start(config);
                closing.add(0, store);
                stores.add(store);
            }
            await("two members", Duration.ofSeconds(20), () -> stores.get(0).hazelcast().getCluster().getMembers().size() == 2);
            for (int i = 0; i < 2; i++) {
                Vertx vertx = Vertx.vertx();
                closing.add(0, () -> vertx.close().await());
                Outbox outbox = new Outbox(stores.get(i), Clock.systemUTC(), new SecureRandom());
                FakePushTargets memberTargets = new FakePushTargets();
                memberTargets.activate(new PushTarget("shared", "acme", 1, new WebhookTestPusher(URI.create("http://127.0.0.1:" + receiver.port()), "shared", 8)));
                Relay relay = new Relay(vertx, outbox, new DeliveryGuards(DeliveryTesting.fastOptions()), memberTargets, new SimpleMeterRegistry(), Clock.systemUTC());
                relay.start();
                closing.add(0, relay);
                outboxes.add(outbox);
                targets.add(memberTargets);
            }

            Set<String> written = new HashSet<>();
            for (int i = 0; i < DELIVERIES; i++) {
                written.add(outboxes.get(i % 2).enqueue("shared", WebhookTestPusher.message("sha256:image-" + i, "{\"n\":" + i + "}")).id());
            }
            await("every delivery", Duration.ofSeconds(40), () -> stores.get(0).map(Outbox.MAP).isEmpty());
            Thread.sleep(300);

            List<LoggedRequest> received = receiver.findAll(postRequestedFor(urlEqualTo("/hook/shared")));
            Map<String, Integer> perKey = new HashMap<>();
            received.forEach(request -> perKey.merge(request.getHeader("Idempotency-Key"), 1, Integer::sum));
            assertThat(perKey.keySet()).isEqualTo(written);
            assertThat(perKey.values()).containsOnly(1);
            assertThat(targets.get(0).successes("shared") + targets.get(1).successes("shared")).isEqualTo(DELIVERIES);
            // each member sent the deliveries it owns
            assertThat(targets.get(0).successes("shared")).isPositive();
            assertThat(targets.get(1).successes("shared")).isPositive();
        }
        finally {
            for (AutoCloseable resource : closing) {
                resource.close();
            }
            receiver.stop();
        }
    }
}
