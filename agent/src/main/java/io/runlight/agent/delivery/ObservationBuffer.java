package io.runlight.agent.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.runlight.agent.attribution.Workload;
import io.runlight.agent.proc.FileUse;

import static java.util.Objects.requireNonNull;

/**
 * What the agent has seen and the hub has not acknowledged yet. Each (container, path, kind)
 * is sent once, and again only as a refresh once {@code refreshAfter} has passed since the hub
 * acknowledged it, so the hub's last-seen times stay current without a flood of repeats.
 *
 * <p>While the hub is away, observations wait here, one entry per (container, path, kind)
 * however often it is seen again (only its last-seen time moves), so an outage never makes
 * duplicates in the hub's view. The buffer holds at most {@code capacity} entries; past that a
 * new observation is counted as dropped and not remembered as sent, so the sample after the
 * hub returns and the buffer drains sees it again. Not thread-safe: one agent loop owns it.
 */
public final class ObservationBuffer
{
    private final int capacity;
    private final Duration refreshAfter;
    private final LinkedHashMap<Key, Observation> pending = new LinkedHashMap<>();
    private final Map<Key, Instant> delivered = new HashMap<>();
    private long dropped;

    public ObservationBuffer(int capacity, Duration refreshAfter)
    {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        requireNonNull(refreshAfter, "refreshAfter is null");
        if (refreshAfter.isNegative() || refreshAfter.isZero()) {
            throw new IllegalArgumentException("refreshAfter must be positive, was " + refreshAfter);
        }
        this.capacity = capacity;
        this.refreshAfter = refreshAfter;
    }

    /** Records that a sample at {@code time} showed {@code workload} using a file. */
    public void observe(Workload workload, FileUse use, Optional<String> process, Instant time)
    {
        requireNonNull(workload, "workload is null");
        requireNonNull(use, "use is null");
        requireNonNull(process, "process is null");
        requireNonNull(time, "time is null");
        Key key = new Key(workload.containerId(), workload.imageDigest().value(), use);
        Observation waiting = pending.get(key);
        if (waiting != null) {
            pending.put(key, waiting.seenAgain(time));
            return;
        }
        Instant acknowledged = delivered.get(key);
        if (acknowledged != null && Duration.between(acknowledged, time).compareTo(refreshAfter) < 0) {
            return;
        }
        if (pending.size() >= capacity) {
            dropped++;
            return;
        }
        pending.put(key, new Observation(workload, use, process, time, time, acknowledged != null));
    }

    /** Up to {@code max} waiting observations, oldest first; they stay waiting until {@link #acknowledged}. */
    public List<Observation> next(int max)
    {
        List<Observation> batch = new ArrayList<>(Math.min(max, pending.size()));
        Iterator<Observation> waiting = pending.values().iterator();
        while (batch.size() < max && waiting.hasNext()) {
            batch.add(waiting.next());
        }
        return batch;
    }

    /** The hub has these observations: they leave the buffer, and are not sent again before a refresh is due. */
    public void acknowledged(List<Observation> batch, Instant time)
    {
        requireNonNull(time, "time is null");
        for (Observation observation : batch) {
            Key key = new Key(observation.workload().containerId(), observation.workload().imageDigest().value(), observation.use());
            // a sighting newer than the one sent (seen again while the batch was on its way) waits for the next refresh
            if (pending.remove(key) != null) {
                delivered.put(key, time);
            }
        }
    }

    /**
     * Forgets acknowledgements old enough that the next sighting is a refresh anyway, so the
     * memory of what was sent holds only the files seen within one refresh period.
     */
    public void forgetBefore(Instant time)
    {
        Instant horizon = time.minus(refreshAfter);
        delivered.values().removeIf(acknowledged -> !acknowledged.isAfter(horizon));
    }

    /** Observations waiting for the hub. */
    public int pending()
    {
        return pending.size();
    }

    /** Observations not kept because the buffer was full, since the agent started. */
    public long dropped()
    {
        return dropped;
    }

    /** Acknowledged observations remembered so they are not sent again before their refresh. */
    public int remembered()
    {
        return delivered.size();
    }

    private record Key(String containerId, String imageDigest, FileUse use) {}
}
