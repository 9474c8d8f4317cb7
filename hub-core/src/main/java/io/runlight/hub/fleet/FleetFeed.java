package io.runlight.hub.fleet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.hub.insights.HubMaps;
import io.runlight.hub.insights.ImageCoverage;
import io.runlight.hub.store.HubStore;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.report.InsightsJsonReader;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.WorkloadInsights;

import static java.util.Objects.requireNonNull;

/**
 * Keeps a member's {@link FleetVulnerabilities} current. The view is derived from the
 * images' computed insights (the durable {@code insights} and {@code workload_insights}
 * maps): at start it is built from every stored image, and afterwards every change of
 * those maps on any member marks its image stale here, through a map listener, until
 * {@link #refresh} reads it again.
 *
 * <p>Why a per-member view and not a shared map of aggregates: a row aggregates many
 * images that different members compute at the same time, so a shared row would need a
 * cluster-wide read-modify-write for every vulnerability of every changed image, and a
 * crash between those writes would leave rows that no longer match the images. Derived
 * from the images alone, the view is right after any restart by construction, every
 * member answers the same, and requests read memory instead of the cluster.
 */
public final class FleetFeed
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(FleetFeed.class);

    private final HubStore store;
    private final FleetVulnerabilities view;
    private final InsightsJsonReader reader;
    private final Function<String, ImageCoverage> coverage;
    private final Set<String> stale = ConcurrentHashMap.newKeySet();
    private final List<Registration> registrations = new ArrayList<>();
    /** Until the first refresh has read every stored image; guarded by this. */
    private boolean building = true;

    private FleetFeed(HubStore store, FleetVulnerabilities view, InputLimits limits, Function<String, ImageCoverage> coverage)
    {
        this.store = store;
        this.view = view;
        this.reader = new InsightsJsonReader(limits);
        this.coverage = coverage;
    }

    /**
     * Listens to the insights maps and marks every stored image to be read: the view is built
     * by the first {@link #refresh}, which the hub runs in the background right after start
     * (with 10,000 images it takes seconds that start-up need not wait for); until then reads
     * of the view wait for it ({@link FleetVulnerabilities#startBuilding}).
     *
     * @param coverage the sources and observable kinds of load of an image, by canonical digest
     */
    public static FleetFeed start(HubStore store, FleetVulnerabilities view, InputLimits limits, Function<String, ImageCoverage> coverage)
    {
        FleetFeed feed = new FleetFeed(requireNonNull(store, "store is null"), requireNonNull(view, "view is null"), requireNonNull(limits, "limits is null"),
                requireNonNull(coverage, "coverage is null"));
        // listen first, then read: a change between the two is read twice, never missed
        feed.listen(HubMaps.INSIGHTS);
        feed.listen(HubMaps.WORKLOAD_INSIGHTS);
        view.startBuilding();
        IMap<String, String> insights = store.map(HubMaps.INSIGHTS);
        feed.stale.addAll(insights.keySet());
        return feed;
    }

    /**
     * Reads the images changed since the last refresh and updates the view. Blocks: call
     * from a worker.
     *
     * @return how many images were read
     */
    public synchronized int refresh()
    {
        if (stale.isEmpty()) {
            finishBuilding();
            return 0;
        }
        List<String> keys = new ArrayList<>(stale);
        stale.removeAll(keys);
        IMap<String, String> insights = store.map(HubMaps.INSIGHTS);
        IMap<String, String> workloads = store.map(HubMaps.WORKLOAD_INSIGHTS);
        Map<String, Optional<ImageFindings>> changes = new HashMap<>();
        for (String key : keys) {
            try {
                String imageJson = insights.get(key);
                if (imageJson == null) {
                    changes.put(key, Optional.empty());
                    continue;
                }
                ImageInsights image = reader.readImage(imageJson.getBytes(StandardCharsets.UTF_8));
                String workloadsJson = workloads.get(key);
                List<WorkloadInsights> containers = workloadsJson == null ? List.of() : reader.readWorkloads(workloadsJson.getBytes(StandardCharsets.UTF_8));
                changes.put(key, Optional.of(ImageFindings.of(key, image, containers, coverage.apply(key))));
            }
            catch (RuntimeException e) {
                // one unreadable image must not keep the others out of the list; its next change brings it back
                log.error("Cannot read the insights of image '{}' into the vulnerability list", key, e);
            }
        }
        view.update(changes);
        finishBuilding();
        return keys.size();
    }

    private void finishBuilding()
    {
        if (building) {
            building = false;
            view.finishBuilding();
            log.info("The fleet-wide vulnerability list is built ({} images)", view.imageCount());
        }
    }

    @Override
    public void close()
    {
        for (Registration registration : registrations) {
            store.map(registration.map()).removeEntryListener(registration.id());
        }
        registrations.clear();
    }

    private void listen(String mapName)
    {
        UUID id = store.map(mapName).addEntryListener(new StaleMarker(), false);
        registrations.add(new Registration(mapName, id));
    }

    private record Registration(String map, UUID id) {}

    private final class StaleMarker
            implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>, EntryRemovedListener<String, String>,
            EntryEvictedListener<String, String>, MapClearedListener
    {
        @Override
        public void entryAdded(EntryEvent<String, String> event)
        {
            stale.add(event.getKey());
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> event)
        {
            stale.add(event.getKey());
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event)
        {
            stale.add(event.getKey());
        }

        @Override
        public void entryEvicted(EntryEvent<String, String> event)
        {
            stale.add(event.getKey());
        }

        @Override
        public void mapCleared(MapEvent event)
        {
            view.images().forEach(image -> stale.add(image.digest()));
        }
    }
}
