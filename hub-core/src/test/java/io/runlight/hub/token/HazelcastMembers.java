package io.runlight.hub.token;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import io.runlight.hub.store.ReadMostlyMaps;

/**
 * Real embedded Hazelcast members for tests: loopback only, TCP-IP join on free ports,
 * a cluster name of their own (so parallel test runs on the machine never merge), few
 * partitions and no join wait, so a member starts in about a second. The token maps have
 * the near caches the hub gives them.
 */
public final class HazelcastMembers
        implements AutoCloseable
{
    private final List<HazelcastInstance> members;

    private HazelcastMembers(List<HazelcastInstance> members)
    {
        this.members = List.copyOf(members);
    }

    public static HazelcastMembers start(int count)
    {
        String clusterName = "runlight-test-" + UUID.randomUUID();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports.add(freePort());
        }
        List<HazelcastInstance> started = new ArrayList<>();
        for (int port : ports) {
            started.add(Hazelcast.newHazelcastInstance(config(clusterName, port, ports)));
        }
        return new HazelcastMembers(started);
    }

    public HazelcastInstance member(int index)
    {
        return members.get(index);
    }

    @Override
    public void close()
    {
        for (HazelcastInstance member : members) {
            member.getLifecycleService().terminate();
        }
    }

    private static Config config(String clusterName, int port, List<Integer> ports)
    {
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.partition.count", "31");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        for (int member : ports) {
            join.getTcpIpConfig().addMember("127.0.0.1:" + member);
        }
        // as the hub configures them: checked from each member's memory, invalidated on change
        return ReadMostlyMaps.configure(config, List.of(TokenService.TOKENS_MAP, TokenService.TOKEN_HASHES_MAP));
    }

    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }
}
