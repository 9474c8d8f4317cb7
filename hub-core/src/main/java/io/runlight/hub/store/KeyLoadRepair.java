package io.runlight.hub.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Ends waits of Hazelcast's initial-load protocol that nothing else would end. A map with a
 * store is loaded in each partition once the member holding the map's "sender" partition has
 * told every partition owner that the keys are loaded. A partition whose copy was made while
 * its member owned it and the sender was still loading keeps waiting for that message if the
 * partition moves away before it arrives: the message goes to the new owner, and the old
 * copy stays behind as a backup, still waiting. Promoted to owner when a member dies (or by a
 * migration when one joins), it answers every call with "Map ... is still loading data from
 * external store" for good; the trigger Hazelcast sends for it asks the sender, which is done,
 * and drops the answer.
 * <p>
 * Seen here as a survivor of a member loss that failed every call on some entries for minutes
 * (about one start in ten with members starting at once), and as backups still waiting on
 * members that had started together. So after every change of membership, once the
 * partitions have settled, each durable map's protocol is run again ({@code IMap.loadAll(false)}):
 * the store's {@code loadAllKeys} has no keys to give (the hub loads entries itself), so nothing
 * is read or replaced, and the sender tells every owner, waiting or not, that loading has
 * finished.
 */
final class KeyLoadRepair
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(KeyLoadRepair.class);
    /** Partitions settle in well under this after a member leaves or joins; past it, repair anyway. */
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(60);
    private static final Duration SETTLE_POLL = Duration.ofMillis(100);
    /** Maps repaired at once; a repair mostly waits for the partitions' answers. */
    private static final int THREADS = 4;

    private final HazelcastInstance hazelcast;
    private final List<String> mapNames;
    private final ExecutorService settling;
    private final ExecutorService repairing;
    /** Maps whose repair is queued or running: a membership change meanwhile needs no second one. */
    private final Map<String, AtomicBoolean> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean settleQueued = new AtomicBoolean();
    private final List<Runnable> registrations = new ArrayList<>();
    private volatile boolean closed;

    private KeyLoadRepair(HazelcastInstance hazelcast, List<String> mapNames)
    {
        this.hazelcast = requireNonNull(hazelcast, "hazelcast is null");
        this.mapNames = List.copyOf(requireNonNull(mapNames, "mapNames is null"));
        this.settling = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "runlight-key-load-settle"));
        this.repairing = Executors.newFixedThreadPool(THREADS, runnable -> daemon(runnable, "runlight-key-load-repair"));
        mapNames.forEach(name -> pending.put(name, new AtomicBoolean()));
    }

    /** Repairs the maps {@code mapNames} of {@code hazelcast} after every change of the cluster's members. */
    static KeyLoadRepair start(HazelcastInstance hazelcast, List<String> mapNames)
    {
        KeyLoadRepair repair = new KeyLoadRepair(hazelcast, mapNames);
        UUID id = hazelcast.getCluster().addMembershipListener(new MembershipListener()
        {
            @Override
            public void memberAdded(MembershipEvent event)
            {
                repair.afterMembershipChange();
            }

            @Override
            public void memberRemoved(MembershipEvent event)
            {
                repair.afterMembershipChange();
            }
        });
        repair.registrations.add(() -> hazelcast.getCluster().removeMembershipListener(id));
        return repair;
    }

    /** Once the partitions have settled, runs every map's load protocol again. Returns at once. */
    void afterMembershipChange()
    {
        if (closed || !settleQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            settling.execute(() -> {
                settleQueued.set(false);
                awaitSettled();
                mapNames.forEach(this::repair);
            });
        }
        catch (RejectedExecutionException e) {
            // closed meanwhile
            settleQueued.set(false);
        }
    }

    private void awaitSettled()
    {
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        try {
            while (!closed && System.nanoTime() < deadline && !hazelcast.getPartitionService().isClusterSafe()) {
                TimeUnit.MILLISECONDS.sleep(SETTLE_POLL.toMillis());
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (HazelcastInstanceNotActiveException e) {
            // shutting down: the repairs below find the member inactive and stop
        }
    }

    private void repair(String mapName)
    {
        AtomicBoolean queued = pending.get(mapName);
        if (closed || !queued.compareAndSet(false, true)) {
            return;
        }
        try {
            repairing.execute(() -> {
                long started = System.nanoTime();
                try {
                    hazelcast.getMap(mapName).loadAll(false);
                    log.debug("Load protocol of map '{}' run again after a membership change ({} ms)", mapName,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                }
                catch (HazelcastInstanceNotActiveException e) {
                    // the member is shutting down
                }
                catch (RuntimeException e) {
                    if (!closed) {
                        log.warn("Cannot run the load protocol of map '{}' again after a membership change: {}", mapName, e.getMessage(), e);
                    }
                }
                finally {
                    queued.set(false);
                }
            });
        }
        catch (RejectedExecutionException e) {
            queued.set(false);
        }
    }

    @Override
    public void close()
    {
        closed = true;
        for (Runnable registration : registrations) {
            try {
                registration.run();
            }
            catch (RuntimeException e) {
                // the member is shutting down: its listeners go with it
                log.debug("Cannot remove the key-load repair's listener", e);
            }
        }
        settling.shutdownNow();
        repairing.shutdownNow();
    }

    private static Thread daemon(Runnable runnable, String name)
    {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
