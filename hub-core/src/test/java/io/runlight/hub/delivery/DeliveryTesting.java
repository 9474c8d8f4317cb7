package io.runlight.hub.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.runlight.hub.store.StoreConfig;

/** Stores, options and waiting for tests of the outbox and relay. */
final class DeliveryTesting
{
    /** A small, quick Hazelcast member. */
    static final Map<String, String> FAST_MEMBER = Map.of(
            "hazelcast.partition.count", "31",
            "hazelcast.wait.seconds.before.join", "1",
            "hazelcast.heartbeat.interval.seconds", "1",
            "hazelcast.max.no.heartbeat.seconds", "10",
            "hazelcast.graceful.shutdown.max.wait", "30");

    private DeliveryTesting() {}

    /** A single member on the H2 file in {@code dataDirectory}, with the outbox durable. */
    static StoreConfig store(Path dataDirectory, int port)
    {
        return new StoreConfig(dataDirectory, Optional.empty(),
                new StoreConfig.Cluster("runlight-delivery-test-" + port, "127.0.0.1", port, false, StoreConfig.JoinMode.NONE, List.of(), Optional.empty(), FAST_MEMBER),
                List.of(Outbox.MAP));
    }

    /** Quick polls and short backoffs: 100 ms poll, 4 attempts, backoff from 200 ms up to 1 s, 2 s request timeout, 1000 requests/s. */
    static RelayOptions fastOptions()
    {
        return RelayOptions.defaults()
                .withPollInterval(Duration.ofMillis(100))
                .withRetries(4, Duration.ofMillis(200), Duration.ofSeconds(1))
                // long enough that a receiver slowed by a loaded machine is not taken for a failed one (and sent to twice)
                .withDefaultRequestTimeout(Duration.ofSeconds(10))
                .withRequestsPerSecond(1000);
    }

    static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
