package io.runlight.hub.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Configurations for tests: loopback members with few partitions and short timeouts. */
final class StoreFixtures
{
    /** Hazelcast settings that keep a test member small and quick to start, join and notice a dead peer. */
    static final Map<String, String> FAST_MEMBER = Map.of(
            "hazelcast.partition.count", "31",
            "hazelcast.wait.seconds.before.join", "1",
            "hazelcast.heartbeat.interval.seconds", "1",
            "hazelcast.max.no.heartbeat.seconds", "10",
            "hazelcast.graceful.shutdown.max.wait", "30");

    static final List<String> DURABLE = List.of("images", "tokens", "outbox");

    private StoreFixtures() {}

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

    /** A single member on the H2 file in {@code dataDirectory}. */
    static StoreConfig h2(Path dataDirectory, int port)
    {
        return new StoreConfig(dataDirectory, Optional.empty(), single(port), DURABLE);
    }

    static StoreConfig.Cluster single(int port)
    {
        return new StoreConfig.Cluster("runlight-test-" + port, "127.0.0.1", port, false, StoreConfig.JoinMode.NONE, List.of(), Optional.empty(), FAST_MEMBER);
    }

    static StoreConfig.Cluster tcp(String clusterName, int port, List<Integer> memberPorts)
    {
        List<String> members = memberPorts.stream().map(memberPort -> "127.0.0.1:" + memberPort).toList();
        return new StoreConfig.Cluster(clusterName, "127.0.0.1", port, false, StoreConfig.JoinMode.TCP, members, Optional.empty(), FAST_MEMBER);
    }
}
