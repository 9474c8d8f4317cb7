package io.runlight.hub.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.LocalMapStats;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The hub's state: an embedded Hazelcast member whose durable maps are written through
 * to the database, plus the blob table. One per hub process; {@link #start} opens the
 * database, starts the member (which joins the cluster, if any) and loads every durable
 * map before it returns ({@link MapRecovery#load}), so a restarted member has all data. {@link #close()} leaves
 * the cluster gracefully (partitions migrate to the others) and closes the database.
 *
 * <p>Every map is an {@code IMap<String, String>} of JSON documents (see {@link JsonCodec}).
 * Map calls and blob calls block: keep them off the Vert.x event loop.
 */
public final class HubStore
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(HubStore.class);
    /** Threads that create durable maps at start; each mostly waits for the partitions' loads. */
    private static final int MAX_PARALLEL_LOADS = 8;

    private final StoreConfig config;
    private final Database database;
    private final HazelcastInstance hazelcast;
    private final BlobStore blobs;
    private volatile MapRecovery recovery;
    private volatile KeyLoadRepair keyLoadRepair;
    private boolean closed;

    private HubStore(StoreConfig config, Database database, HazelcastInstance hazelcast)
    {
        this.config = requireNonNull(config, "config is null");
        this.database = requireNonNull(database, "database is null");
        this.hazelcast = requireNonNull(hazelcast, "hazelcast is null");
        this.blobs = new BlobStore(database);
    }

    /**
     * Opens the database, starts this member and loads the durable maps.
     *
     * @throws io.runlight.hub.ConfigException if the configuration is invalid (every problem listed)
     * @throws StoreException if the database cannot be opened
     * @throws com.hazelcast.core.HazelcastException if the member cannot start (e.g. its port is taken)
     */
    public static HubStore start(StoreConfig config)
    {
        return start(config, List.of());
    }

    /**
     * As {@link #start(StoreConfig)}, with a near cache on each of {@code readMostlyMaps}: maps read on
     * every request and rarely changed, such as tokens ({@link ReadMostlyMaps}).
     */
    public static HubStore start(StoreConfig config, List<String> readMostlyMaps)
    {
        return start(config, readMostlyMaps, Database.Timeouts.DEFAULT);
    }

    /** As {@link #start(StoreConfig, List)}, with the database's {@code timeouts} instead of the hub's. */
    static HubStore start(StoreConfig config, List<String> readMostlyMaps, Database.Timeouts timeouts)
    {
        requireNonNull(config, "config is null").requireValid();
        requireNonNull(readMostlyMaps, "readMostlyMaps is null");
        // before the member exists: its async completions must never fall back to a thread per task
        HazelcastAsyncExecutor.install();
        Database database = Database.open(config, timeouts);
        HazelcastInstance hazelcast;
        try {
            hazelcast = Hazelcast.newHazelcastInstance(HazelcastMemberConfig.create(config, database, List.copyOf(readMostlyMaps)));
        }
        catch (RuntimeException e) {
            database.close();
            throw e;
        }
        HubStore store = new HubStore(config, database, hazelcast);
        try {
            Cluster cluster = hazelcast.getCluster();
            log.info("Joined cluster '{}' as member {} ({} {})", config.cluster().name(), address(cluster.getLocalMember()),
                    cluster.getMembers().size(), cluster.getMembers().size() == 1 ? "member" : "members");
            if (config.cluster().join() == StoreConfig.JoinMode.NONE) {
                createMapsAtOnce(hazelcast, config.durableMaps());
            }
            // from here on, entries lost with members are put back from the database; first, it loads the maps
            store.recovery = MapRecovery.start(hazelcast, database, config.durableMaps());
            if (config.cluster().join() != StoreConfig.JoinMode.NONE) {
                // before the maps are created: members joining meanwhile must lead to a repair
                store.keyLoadRepair = KeyLoadRepair.start(hazelcast, config.durableMaps());
            }
            loadMaps(hazelcast, store.recovery, config.durableMaps());
            if (store.keyLoadRepair != null && cluster.getMembers().size() > 1) {
                // members that started together may have left waits behind (KeyLoadRepair)
                store.keyLoadRepair.afterMembershipChange();
            }
        }
        catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /**
     * Creates the durable maps all at once on a member alone by configuration. Creating a map waits
     * for Hazelcast's initial-load protocol (about 70 ms a map even with no keys, a second of an
     * empty start one after another). In a cluster they are created one after another, as before:
     * there the protocol coordinates members that are joining meanwhile, and the waits it can leave
     * behind (see {@link KeyLoadRepair}) were seen with either order; making more of them at once is
     * a risk that this second of start-up does not pay for.
     */
    private static void createMapsAtOnce(HazelcastInstance hazelcast, List<String> mapNames)
    {
        forEachAtOnce(mapNames, "runlight-map-create", hazelcast::getMap);
    }

    /**
     * Loads every durable map at once from the database: the keys the cluster does not hold yet
     * (all of them on the first member; none when joining a cluster that holds them). One map
     * after another took seconds of nearly empty loads, each waiting for the partitions to answer,
     * where together they take one.
     */
    private static void loadMaps(HazelcastInstance hazelcast, MapRecovery recovery, List<String> mapNames)
    {
        forEachAtOnce(mapNames, "runlight-map-load", mapName -> {
            int loaded = recovery.load(mapName);
            IMap<String, String> map = hazelcast.getMap(mapName);
            log.info("Loaded map '{}' ({} entries, {} read from the database)", mapName, map.size(), loaded);
        });
    }

    /** Runs {@code work} for every map on up to {@value #MAX_PARALLEL_LOADS} threads named {@code threadName}; returns when all are done. */
    private static void forEachAtOnce(List<String> mapNames, String threadName, Consumer<String> work)
    {
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(1, Math.min(mapNames.size(), MAX_PARALLEL_LOADS)), runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        try {
            CompletableFuture.allOf(mapNames.stream()
                    .map(name -> CompletableFuture.runAsync(() -> work.accept(name), workers))
                    .toArray(CompletableFuture[]::new)).join();
        }
        catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
        finally {
            workers.shutdownNow();
        }
    }

    /** The embedded member, for services that need more than maps (entry processors, topics). */
    public HazelcastInstance hazelcast()
    {
        return hazelcast;
    }

    /** The map {@code name}; written through to the database if {@code name} is one of the durable maps. */
    public IMap<String, String> map(String name)
    {
        requireNonNull(name, "name is null");
        return hazelcast.getMap(name);
    }

    /** Whether {@code name} is written through to the database. */
    public boolean isDurable(String name)
    {
        return config.durableMaps().contains(name);
    }

    /** The names of the durable maps, as configured. */
    public List<String> durableMaps()
    {
        return config.durableMaps();
    }

    /** Large documents, kept in the database beside the maps. */
    public BlobStore blobs()
    {
        return blobs;
    }

    /** The database behind the durable maps and blobs; for readiness checks and tests that read the tables. */
    public Database database()
    {
        return database;
    }

    /**
     * Whether this member is running, the database answers within 2 s and no entry lost with
     * other members is still missing ({@link MapRecovery}); for {@code /health/ready}. Blocks.
     */
    public boolean isReady()
    {
        MapRecovery current = recovery;
        return hazelcast.getLifecycleService().isRunning() && (current == null || current.isComplete()) && database.ping();
    }

    /** The cluster as this member sees it: its members and each durable map's state here. */
    public ClusterStatus clusterStatus()
    {
        Cluster cluster = hazelcast.getCluster();
        List<ClusterStatus.Member> members = new ArrayList<>();
        for (Member member : cluster.getMembers()) {
            members.add(new ClusterStatus.Member(address(member), member.getUuid().toString(), member.localMember()));
        }
        MapRecovery current = recovery;
        List<ClusterStatus.MapState> maps = new ArrayList<>();
        for (String name : config.durableMaps()) {
            LocalMapStats stats = hazelcast.getMap(name).getLocalMapStats();
            maps.add(new ClusterStatus.MapState(name, stats.getOwnedEntryCount(), stats.getBackupEntryCount(),
                    current == null || !current.isRecovering(name)));
        }
        return new ClusterStatus(config.cluster().name(), cluster.getClusterState().name(), hazelcast.getPartitionService().isClusterSafe(), members, maps);
    }

    /** Puts back entries lost with members; listings that must be complete wait on it. */
    public MapRecovery recovery()
    {
        MapRecovery current = recovery;
        if (current == null) {
            throw new IllegalStateException("the store has not started");
        }
        return current;
    }

    /**
     * Leaves the cluster gracefully (waits for this member's partitions to migrate to the
     * others; write-through maps have nothing left to flush), then closes the database.
     */
    @Override
    public void close()
    {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        MapRecovery current = recovery;
        if (current != null) {
            current.close();
        }
        KeyLoadRepair repair = keyLoadRepair;
        if (repair != null) {
            repair.close();
        }
        try {
            if (hazelcast.getLifecycleService().isRunning()) {
                String member = address(hazelcast.getCluster().getLocalMember());
                hazelcast.shutdown();
                log.info("Left cluster '{}' (member {})", config.cluster().name(), member);
            }
        }
        finally {
            database.close();
        }
    }

    private static String address(Member member)
    {
        return member.getAddress().getHost() + ":" + member.getAddress().getPort();
    }
}
