package io.runlight.hub.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.runlight.hub.config.ConfigLoader;
import io.runlight.hub.config.HubConfig;

/**
 * Starting whole hubs in tests: free loopback ports, Hazelcast members that start,
 * join and notice a dead peer quickly, and bounded polling.
 */
final class HubTesting
{
    /**
     * Hazelcast settings for test members. The hub has no configuration key for them, so
     * they go in as system properties (Hazelcast reads those when its config lacks a value).
     */
    static final Map<String, String> FAST_MEMBER = Map.of(
            "hazelcast.partition.count", "31",
            "hazelcast.wait.seconds.before.join", "1",
            "hazelcast.max.wait.seconds.before.join", "3",
            "hazelcast.heartbeat.interval.seconds", "1",
            "hazelcast.max.no.heartbeat.seconds", "8",
            "hazelcast.graceful.shutdown.max.wait", "30");

    private HubTesting() {}

    static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }

    /**
     * Sets {@link #FAST_MEMBER} as system properties of this JVM, for in-process members;
     * closing puts the previous values back.
     */
    static AutoCloseable fastMembersInThisJvm()
    {
        Map<String, Optional<String>> previous = new HashMap<>();
        FAST_MEMBER.forEach((key, value) -> {
            previous.put(key, Optional.ofNullable(System.getProperty(key)));
            System.setProperty(key, value);
        });
        return () -> previous.forEach((key, value) -> {
            if (value.isPresent()) {
                System.setProperty(key, value.get());
            }
            else {
                System.clearProperty(key);
            }
        });
    }

    /** The settings of a single in-process member on {@code dataDir}, plus {@code extra}. */
    static HubConfig config(Path dataDir, int clusterPort, Map<String, String> extra)
    {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("data-dir", dataDir.toString());
        flags.put("http.port", "0");
        flags.put("https.port", "0");
        flags.put("cluster.port", String.valueOf(clusterPort));
        flags.put("insights.learning-window", "0");
        // what a test ingests shows in insights after 50 ms, not after up to the default 500
        flags.put("insights.refresh-interval", "50ms");
        flags.put("shutdown.grace-period", "PT20S");
        flags.putAll(extra);
        return new ConfigLoader(Map.of()).load(Optional.empty(), flags);
    }

    static Hub start(HubConfig config)
    {
        return Hub.start(config, Clock.systemUTC());
    }

    static String httpUrl(Hub hub)
    {
        return "http://127.0.0.1:" + hub.httpPort().orElseThrow();
    }
}
