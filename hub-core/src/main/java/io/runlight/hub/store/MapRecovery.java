package io.runlight.hub.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;

import io.runlight.hub.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Puts back into the cluster what it lost with its members. The database holds every
 * entry of a durable map (writes go through to it before they are acknowledged), but a
 * partition whose owner and every backup died at once is gone from memory, and Hazelcast
 * loads a map from its store only when the map is first created: a survivor would go on
 * listing less than the database holds, and so would members that join it later, until
 * the whole cluster restarts.
 * <p>
 * So on every partition that Hazelcast reports lost, and as a check every time a member
 * leaves, each durable map's keys in the database are compared with the keys the cluster
 * holds, and the missing ones are loaded back (existing entries are never replaced). From
 * a reported loss, or a check that finds entries missing, until a pass that began after it
 * has finished, {@link #isComplete()} is false: {@code /health/ready} is DOWN and complete
 * listings wait ({@link #awaitComplete}). A departure that lost nothing (the usual case:
 * every partition has two backups) leaves the member ready: taking every member out of a
 * load balancer whenever one of them restarts would be an outage of its own.
 * Passes run one at a time on a thread of their own; events that arrive during a pass
 * cause one more pass after it.
 */
public final class MapRecovery
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(MapRecovery.class);
    /** Where a member keeps its recovery, in Hazelcast's user context (services reach it through their instance). */
    private static final String USER_CONTEXT_KEY = MapRecovery.class.getName();
    /** How long a listing waits for lost entries to come back before it fails. */
    private static final int LISTING_WAIT_SECONDS = 10;
    static final Duration LISTING_WAIT = Duration.ofSeconds(LISTING_WAIT_SECONDS);
    /** Rounds of comparing and loading per map in one pass; a loaded entry appears at once, so two usually do. */
    private static final int MAX_ROUNDS = 5;
    private static final Duration ROUND_PAUSE = Duration.ofMillis(200);
    private static final Duration CONFIRM_PAUSE = Duration.ofMillis(100);
    /** After loading this many keys, compare again at once: a large load is done when loadAll returns. */
    private static final int LOADED_AT_ONCE_WITHOUT_PAUSE = 1000;

    private final HazelcastInstance hazelcast;
    private final Map<String, JdbcMapStore> stores;
    private final ExecutorService worker;
    private final List<Registration> registrations = new ArrayList<>();
    private final Object lock = new Object();
    /** Maps with a lost partition whose entries are not back yet, for messages; guarded by {@link #lock}. */
    private final Set<String> lostMaps = new TreeSet<>();
    /** Losses reported or found so far; guarded by {@link #lock}. */
    private long requested;
    /** The value of {@link #requested} when the last pass that finished began; guarded by {@link #lock}. */
    private long verified;
    /** Whether a pass is queued that has not started yet; guarded by {@link #lock}. */
    private boolean passQueued;
    private volatile boolean closed;

    private MapRecovery(HazelcastInstance hazelcast, Map<String, JdbcMapStore> stores)
    {
        this.hazelcast = requireNonNull(hazelcast, "hazelcast is null");
        this.stores = Map.copyOf(requireNonNull(stores, "stores is null"));
        this.worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "runlight-map-recovery");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Follows partition losses and member departures of {@code hazelcast} for every map of {@code durableMaps}. */
    static MapRecovery start(HazelcastInstance hazelcast, Database database, List<String> durableMaps)
    {
        Map<String, JdbcMapStore> stores = new LinkedHashMap<>();
        for (String name : durableMaps) {
            // the store Hazelcast writes through and loads with: rows read ahead for its loadAll must be there
            Object implementation = hazelcast.getConfig().getMapConfig(name).getMapStoreConfig().getImplementation();
            stores.put(name, implementation instanceof JdbcMapStore store ? store : new JdbcMapStore(database, name));
        }
        MapRecovery recovery = new MapRecovery(hazelcast, stores);
        for (String name : durableMaps) {
            IMap<String, String> map = hazelcast.getMap(name);
            UUID id = map.addPartitionLostListener(event -> recovery.partitionLost(name, event.getPartitionId()));
            recovery.registrations.add(() -> map.removePartitionLostListener(id));
        }
        UUID membership = hazelcast.getCluster().addMembershipListener(new MembershipListener()
        {
            @Override
            public void memberAdded(MembershipEvent event)
            {
                // a new member brings nothing that was lost
            }

            @Override
            public void memberRemoved(MembershipEvent event)
            {
                log.info("Member {} left: checking that the cluster still holds every entry of the database", event.getMember().getAddress());
                recovery.queuePass();
            }
        });
        recovery.registrations.add(() -> hazelcast.getCluster().removeMembershipListener(membership));
        hazelcast.getUserContext().put(USER_CONTEXT_KEY, recovery);
        recovery.registrations.add(() -> hazelcast.getUserContext().remove(USER_CONTEXT_KEY, recovery));
        return recovery;
    }

    /**
     * For listings that must show everything the database holds (integrations, tokens, the
     * outbox): waits until the member {@code hazelcast} has put back what was lost with other
     * members, at most {@value #LISTING_WAIT_SECONDS} s. A member started without a
     * {@link HubStore} (tests of one service) has nothing to wait for.
     *
     * @throws UnavailableException if entries are still missing after the wait
     */
    public static void awaitComplete(HazelcastInstance hazelcast)
    {
        if (hazelcast.getUserContext().get(USER_CONTEXT_KEY) instanceof MapRecovery recovery) {
            recovery.awaitComplete(LISTING_WAIT);
        }
    }

    /** Whether no map is known to miss entries that the database holds. */
    public boolean isComplete()
    {
        synchronized (lock) {
            return verified == requested;
        }
    }

    /** Whether entries of {@code mapName} are known to be missing and are being loaded back. */
    public boolean isRecovering(String mapName)
    {
        synchronized (lock) {
            return verified != requested && lostMaps.contains(mapName);
        }
    }

    /**
     * Waits until {@link #isComplete()}, at most {@code timeout}: for listings that must
     * show everything the database holds.
     *
     * @throws UnavailableException if entries are still missing after {@code timeout}, naming the maps
     */
    public void awaitComplete(Duration timeout)
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (verified != requested) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new UnavailableException("recovering", "The cluster is still checking for, or reloading, entries lost with members"
                            + (lostMaps.isEmpty() ? "" : " (of " + lostMaps + ")")
                            + ": retry in a few seconds (GET /health/ready answers 200 once it is done)");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StoreException("Interrupted while waiting for lost entries of " + lostMaps + " to be reloaded", e);
                }
            }
        }
    }

    @Override
    public void close()
    {
        closed = true;
        for (Registration registration : registrations) {
            try {
                registration.remove();
            }
            catch (RuntimeException e) {
                // the member is shutting down: its listeners go with it
                log.debug("Cannot remove a recovery listener", e);
            }
        }
        worker.shutdownNow();
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    private void partitionLost(String mapName, int partitionId)
    {
        log.warn("Partition {} of map '{}' was lost with its members: reloading its entries from the database", partitionId, mapName);
        markLost(mapName);
    }

    /** The map misses entries: incomplete until a pass that begins after this has put them back. */
    private void markLost(String mapName)
    {
        synchronized (lock) {
            requested++;
            lostMaps.add(mapName);
        }
        queuePass();
    }

    private void queuePass()
    {
        synchronized (lock) {
            if (passQueued || closed) {
                return;
            }
            passQueued = true;
        }
        try {
            worker.execute(this::pass);
        }
        catch (RejectedExecutionException e) {
            // closed meanwhile
            synchronized (lock) {
                passQueued = false;
            }
        }
    }

    private void pass()
    {
        Set<String> lost;
        long generation;
        synchronized (lock) {
            passQueued = false;
            lost = Set.copyOf(lostMaps);
            generation = requested;
        }
        boolean failed = false;
        for (Map.Entry<String, JdbcMapStore> entry : stores.entrySet()) {
            if (closed) {
                return;
            }
            String name = entry.getKey();
            try {
                int reloaded = fill(name, entry.getValue(), true);
                if (reloaded > 0) {
                    log.warn("Reloaded {} entries of map '{}' from the database that the cluster had lost", reloaded, name);
                }
            }
            catch (HazelcastInstanceNotActiveException e) {
                return;
            }
            catch (RuntimeException e) {
                // the database or the cluster is in trouble: try again, the map stays incomplete meanwhile
                log.error("Cannot reload the entries of map '{}' lost with members: {}; trying again", name, e.getMessage(), e);
                failed = true;
            }
        }
        if (failed) {
            pauseBeforeRetry();
            queuePass();
            return;
        }
        synchronized (lock) {
            // a departure or loss reported during this pass is handled by the pass it queued
            verified = Math.max(verified, generation);
            if (verified == requested) {
                lostMaps.removeAll(lost);
                lock.notifyAll();
            }
        }
        if (!lost.isEmpty() && isComplete()) {
            log.info("The cluster holds every entry of the database again ({} had lost partitions)", lost);
        }
    }

    /**
     * Loads map {@code mapName} from the database at start: every row whose key the cluster lacks
     * (all of them for the first member, none for a member joining a complete cluster), read in
     * one scan of the table and handed to {@code IMap.loadAll} ({@link MapLoading}). Should an entry still be missing
     * afterwards, the rounds of a recovery pass put it back. Blocks.
     *
     * @return how many entries were loaded
     */
    int load(String mapName)
    {
        JdbcMapStore store = stores.get(mapName);
        if (store == null) {
            throw new IllegalArgumentException("map '" + mapName + "' is not durable");
        }
        IMap<String, String> map = hazelcast.getMap(mapName);
        Set<String> held = new HashSet<>(map.keySet());
        Map<String, String> rows = store.readAllExcept(held::contains);
        if (rows.isEmpty()) {
            return 0;
        }
        try {
            // IMap.loadAll(keys, false) without its one-second polls
            MapLoading.loadAbsent(map, rows.keySet());
        }
        finally {
            store.forgetReadAhead(rows.keySet());
        }
        if (map.size() < held.size() + rows.size()) {
            // a key deleted meanwhile also lowers the size: the rounds below tell the two apart
            fill(mapName, store, false);
        }
        return rows.size();
    }

    /**
     * Loads the keys the database has and the cluster lacks; returns how many were missing.
     * With {@code missingIsLoss}, missing keys make the map incomplete until they are back.
     */
    private int fill(String name, JdbcMapStore store, boolean missingIsLoss)
    {
        IMap<String, String> map = hazelcast.getMap(name);
        int missingAtFirst = -1;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Set<String> missing = new HashSet<>();
            for (String key : store.storedKeys()) {
                missing.add(key);
            }
            if (missing.isEmpty()) {
                return Math.max(missingAtFirst, 0);
            }
            removeHeld(missing, map);
            if (missingAtFirst < 0 && !missing.isEmpty() && missingIsLoss) {
                // a write in flight is in the database a moment before it is in memory: look again before calling it a loss
                pause(CONFIRM_PAUSE);
                removeHeld(missing, map);
            }
            if (missingAtFirst < 0) {
                missingAtFirst = missing.size();
                if (!missing.isEmpty() && missingIsLoss) {
                    // found by a check, or reported lost already: either way listings must wait for these
                    markLost(name);
                }
            }
            if (missing.isEmpty()) {
                return missingAtFirst;
            }
            // existing entries are kept: one written since the loss is newer than the database's copy was when read
            map.loadAll(missing, false);
            // at start loadAll returns once every partition has loaded; after a loss, partitions may still be moving
            if (missingIsLoss && missing.size() < LOADED_AT_ONCE_WITHOUT_PAUSE) {
                pause(ROUND_PAUSE);
            }
        }
        throw new StoreException("Entries of map '" + name + "' are still missing after " + MAX_ROUNDS + " reloads");
    }

    /**
     * Removes from {@code keys} those {@code map} holds. Not {@code keys.removeAll(map.keySet())}:
     * that asks the key set's {@code contains} per key when the set is no smaller, and Hazelcast's
     * key set answers it by a scan that deserialises every key, which made a start with 30,000
     * aliases take 80 s instead of under one.
     */
    private static void removeHeld(Set<String> keys, IMap<String, String> map)
    {
        for (String held : map.keySet()) {
            keys.remove(held);
        }
    }

    private void pauseBeforeRetry()
    {
        pause(Duration.ofSeconds(1));
    }

    private static void pause(Duration duration)
    {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @FunctionalInterface
    private interface Registration
    {
        void remove();
    }
}
