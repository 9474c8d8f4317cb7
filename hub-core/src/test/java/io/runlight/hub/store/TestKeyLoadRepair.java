package io.runlight.hub.store;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.hazelcast.cluster.Address;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.internal.partition.InternalPartitionService;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.MapKeyLoader;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.recordstore.DefaultRecordStore;
import com.hazelcast.spi.impl.NodeEngineImpl;
import com.hazelcast.spi.impl.PartitionSpecificRunnable;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.runlight.hub.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backup copy of a partition left waiting by Hazelcast's initial-load protocol (its member
 * owned the partition while the map's sender was still loading, and the partition moved before
 * the "keys loaded" message came) is promoted when the owner dies: without {@link KeyLoadRepair}
 * it answers every call "still loading data from external store" for good. Such copies were
 * found on members started together (about one start in twelve); here one is made in that exact
 * state, as the protocol leaves it, because the race that makes it cannot be steered.
 */
@Tag("cluster")
@Tag("postgresql")
class TestKeyLoadRepair
{
    private static final String MAP = "key_load_probe";
    private static final Map<String, String> FAST_MEMBER = Map.of(
            "hazelcast.partition.count", "31",
            "hazelcast.wait.seconds.before.join", "1",
            "hazelcast.max.wait.seconds.before.join", "3",
            "hazelcast.heartbeat.interval.seconds", "1",
            "hazelcast.max.no.heartbeat.seconds", "5",
            "hazelcast.graceful.shutdown.max.wait", "30");

    private static EmbeddedPostgres postgres;

    @TempDir
    Path directory;

    private final List<HubStore> stores = new ArrayList<>();

    @BeforeAll
    static void startPostgres()
            throws Exception
    {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres()
            throws Exception
    {
        postgres.close();
    }

    @AfterEach
    void stopMembers()
    {
        for (HubStore store : stores) {
            store.close();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void promotedCopyLeftWaitingByTheLoadProtocolAnswersAgain()
            throws Exception
    {
        try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE key_load_repair");
        }
        StoreConfig.Jdbc jdbc = new StoreConfig.Jdbc("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/key_load_repair", Optional.of("postgres"), Optional.of("postgres"));
        List<Integer> ports = List.of(freePort(), freePort(), freePort());
        List<String> members = ports.stream().map(port -> "127.0.0.1:" + port).toList();
        for (int i = 0; i < 3; i++) {
            stores.add(HubStore.start(new StoreConfig(directory.resolve("member-" + i), Optional.of(jdbc),
                    new StoreConfig.Cluster("key-load-" + ports.get(0), "127.0.0.1", ports.get(i), false, StoreConfig.JoinMode.TCP, members, Optional.empty(), FAST_MEMBER),
                    List.of(MAP))));
        }
        HazelcastInstance first = stores.get(0).hazelcast();
        assertThat(await(Duration.ofSeconds(30), () -> first.getCluster().getMembers().size() == 3 && first.getPartitionService().isClusterSafe())).isTrue();
        IMap<String, String> map = first.getMap(MAP);
        for (int i = 0; i < 300; i++) {
            map.set("key-" + i, "{\"n\":" + i + "}");
        }

        // a partition of member 3 (not the map's sender partition) whose first backup is on member 1 or 2
        HazelcastInstance doomed = stores.get(2).hazelcast();
        InternalPartitionService partitions = nodeEngine(first).getPartitionService();
        int senderPartition = partitions.getPartitionId(MAP);
        int chosen = -1;
        HubStore promoted = null;
        for (int partition = 0; partition < partitions.getPartitionCount() && chosen < 0; partition++) {
            Address owner = partitions.getPartition(partition).getReplicaAddress(0);
            Address firstBackup = partitions.getPartition(partition).getReplicaAddress(1);
            if (partition != senderPartition && doomed.getCluster().getLocalMember().getAddress().equals(owner)) {
                for (HubStore survivor : stores.subList(0, 2)) {
                    if (survivor.hazelcast().getCluster().getLocalMember().getAddress().equals(firstBackup)) {
                        chosen = partition;
                        promoted = survivor;
                    }
                }
            }
        }
        assertThat(chosen).as("a partition owned by member 3 with a first backup on a survivor").isNotNegative();
        int partition = chosen;
        String key = firstKeyIn(first, partition);
        leaveWaitingForKeys(promoted.hazelcast(), partition);

        doomed.getLifecycleService().terminate();

        for (HubStore survivor : stores.subList(0, 2)) {
            IMap<String, String> survivorMap = survivor.hazelcast().getMap(MAP);
            assertThat(readWithin(survivorMap, key, Duration.ofSeconds(20)))
                    .as("entry in partition %d, read through member %s", partition, survivor.hazelcast().getCluster().getLocalMember())
                    .isEqualTo("{\"n\":" + key.substring("key-".length()) + "}");
        }
        assertThat(survivingSize(stores.get(0).hazelcast().getMap(MAP))).isEqualTo(300);
    }

    /** Reads {@code key}, or fails naming Hazelcast's "still loading" answer, after at most {@code wait}. */
    private static String readWithin(IMap<String, String> map, String key, Duration wait)
            throws Exception
    {
        Future<String> read = map.getAsync(key).toCompletableFuture();
        try {
            return read.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException e) {
            throw new AssertionError("no answer for '" + key + "' in " + wait + ": the promoted copy is still waiting for its keys", e);
        }
    }

    private static int survivingSize(IMap<String, String> map)
            throws Exception
    {
        return CompletableFuture.supplyAsync(map::size).get(20, TimeUnit.SECONDS);
    }

    private static String firstKeyIn(HazelcastInstance hazelcast, int partition)
    {
        for (int i = 0; i < 300; i++) {
            if (hazelcast.getPartitionService().getPartition("key-" + i).getPartitionId() == partition) {
                return "key-" + i;
            }
        }
        throw new AssertionError("no key of the 300 falls in partition " + partition);
    }

    /**
     * Puts the copy of partition {@code partition} on {@code hazelcast} in the state the protocol leaves
     * behind: a "keys loaded" future that nobody will complete, among the record store's loads. Done on
     * the partition's thread, as the protocol does.
     */
    private static void leaveWaitingForKeys(HazelcastInstance hazelcast, int partition)
            throws Exception
    {
        NodeEngineImpl nodeEngine = nodeEngine(hazelcast);
        MapService service = nodeEngine.getService(MapService.SERVICE_NAME);
        CompletableFuture<Void> done = new CompletableFuture<>();
        nodeEngine.getOperationService().execute(new PartitionSpecificRunnable()
        {
            @Override
            public int getPartitionId()
            {
                return partition;
            }

            @Override
            public void run()
            {
                try {
                    DefaultRecordStore store = (DefaultRecordStore) service.getMapServiceContext().getPartitionContainer(partition).getExistingRecordStore(MAP);
                    Field keyLoaderField = DefaultRecordStore.class.getDeclaredField("keyLoader");
                    keyLoaderField.setAccessible(true);
                    MapKeyLoader keyLoader = (MapKeyLoader) keyLoaderField.get(store);
                    Class<?> futureType = Class.forName(MapKeyLoader.class.getName() + "$LoadFinishedFuture");
                    Constructor<?> pendingFuture = futureType.getDeclaredConstructor();
                    pendingFuture.setAccessible(true);
                    Future<?> waiting = (Future<?>) pendingFuture.newInstance();
                    Field finished = MapKeyLoader.class.getDeclaredField("keyLoadFinished");
                    finished.setAccessible(true);
                    finished.set(keyLoader, waiting);
                    store.getLoadingFutures().add(waiting);
                    done.complete(null);
                }
                catch (ReflectiveOperationException | RuntimeException e) {
                    done.completeExceptionally(e);
                }
            }
        });
        done.get(10, TimeUnit.SECONDS);
    }

    private static NodeEngineImpl nodeEngine(HazelcastInstance hazelcast)
    {
        return ((HazelcastInstanceProxy) hazelcast).getOriginal().node.nodeEngine;
    }

    private static int freePort()
            throws Exception
    {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
