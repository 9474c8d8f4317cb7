package io.runlight.hub.insights;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryLoadedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import com.hazelcast.map.listener.MapEvictedListener;

import io.runlight.hub.store.HubStore;

import static java.util.Objects.requireNonNull;

/**
 * A number on this member that moves whenever the insights connectors read change anywhere in
 * the cluster: an image's insights, its workloads or its digests. What was computed from the
 * insights at one version is still right while the version has not moved; the serve routes'
 * page copies rely on that.
 * <p>
 * Map events and the near-cache invalidations of the same change travel separately, so for a
 * moment after an event a read through a near cache may still return the old value. A version
 * is therefore {@linkplain #settled() settled} only once {@link #SETTLE} has passed since the
 * last change: what is computed before that may be answered, but must not be kept.
 */
public final class InsightsVersion
        implements AutoCloseable
{
    /** How long after a change reads may still see the value before it. */
    public static final Duration SETTLE = Duration.ofMillis(250);

    private static final List<String> MAPS = List.of(HubMaps.INSIGHTS, HubMaps.WORKLOAD_INSIGHTS, HubMaps.IMAGE_ALIASES);

    private final HubStore store;
    private final AtomicLong version = new AtomicLong();
    private final long settleNanos;
    private volatile long lastChangeNanos;
    private final List<Registration> registrations = new ArrayList<>();

    private InsightsVersion(HubStore store, Duration settle)
    {
        this.store = store;
        this.settleNanos = settle.toNanos();
        // nothing computed before the listeners were in place may be kept
        this.lastChangeNanos = System.nanoTime();
    }

    /** Listens to the insights maps of {@code store} until closed. */
    public static InsightsVersion start(HubStore store)
    {
        return start(store, SETTLE);
    }

    static InsightsVersion start(HubStore store, Duration settle)
    {
        InsightsVersion insights = new InsightsVersion(requireNonNull(store, "store is null"), requireNonNull(settle, "settle is null"));
        for (String name : MAPS) {
            IMap<String, String> map = store.map(name);
            UUID id = map.addEntryListener(insights.new ChangeListener(), false);
            insights.registrations.add(new Registration(name, id));
        }
        return insights;
    }

    /** The version now. */
    public long current()
    {
        return version.get();
    }

    /**
     * The version now if no change arrived within {@link #SETTLE}: what is computed from the
     * insights from now on may be kept until the version moves. Empty while a change may not
     * have reached every read yet.
     */
    public OptionalLong settled()
    {
        long now = version.get();
        if (System.nanoTime() - lastChangeNanos < settleNanos) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(now);
    }

    private void changed()
    {
        // the time first: a reader that sees the new version also sees that it is not settled
        lastChangeNanos = System.nanoTime();
        version.incrementAndGet();
    }

    @Override
    public void close()
    {
        for (Registration registration : registrations) {
            store.map(registration.map()).removeEntryListener(registration.id());
        }
        registrations.clear();
        changed();
    }

    private record Registration(String map, UUID id) {}

    private final class ChangeListener
            implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>, EntryRemovedListener<String, String>,
            EntryEvictedListener<String, String>, EntryExpiredListener<String, String>, EntryLoadedListener<String, String>, MapClearedListener,
            MapEvictedListener
    {
        @Override
        public void entryAdded(EntryEvent<String, String> event)
        {
            changed();
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> event)
        {
            changed();
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event)
        {
            changed();
        }

        @Override
        public void entryEvicted(EntryEvent<String, String> event)
        {
            changed();
        }

        @Override
        public void entryExpired(EntryEvent<String, String> event)
        {
            changed();
        }

        @Override
        public void entryLoaded(EntryEvent<String, String> event)
        {
            changed();
        }

        @Override
        public void mapCleared(MapEvent event)
        {
            changed();
        }

        @Override
        public void mapEvicted(MapEvent event)
        {
            changed();
        }
    }
}
