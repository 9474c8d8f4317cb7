package io.runlight.hub.insights;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import com.hazelcast.map.IMap;

import io.runlight.hub.store.HubStore;
import io.runlight.insights.index.LoadKind;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.profile.ImageProfile;
import io.runlight.insights.report.InsightsJsonReader;
import io.runlight.insights.runtime.Sensor;
import io.runlight.insights.vex.VexDocuments;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.Workload;
import io.runlight.plugin.api.WorkloadInsights;
import io.runlight.plugin.api.connector.InsightsQuery;
import io.runlight.plugin.api.connector.Page;
import io.runlight.plugin.api.connector.PageRequest;
import io.runlight.plugin.api.connector.VexFormat;
import io.runlight.plugin.api.connector.WorkloadQuery;

import static java.util.Objects.requireNonNull;

/**
 * Reads the computed insights: for the HTTP API and, as {@link InsightsQuery}, for
 * connector plugins. Every method blocks on map reads: call it from a worker.
 *
 * <p>Listings are ordered by a stable key (image digest; workload then digest) and paged
 * by keyset cursors ({@link PageCursor}).
 */
public final class InsightsReader
        implements InsightsQuery
{
    private static final Comparator<WorkloadInsights> WORKLOAD_ORDER = Comparator
            .comparing(WorkloadInsights::workload)
            .thenComparing(item -> item.imageDigest().value());

    private final HubStore store;
    private final InsightsJsonReader jsonReader;
    private final VexDocuments vex;
    private final Clock clock;
    /** Per member: the last decoded workloads of each image, by canonical digest. */
    private final Map<String, DecodedWorkloads> decoded = new ConcurrentHashMap<>();

    public InsightsReader(HubStore store, InputLimits limits, VexDocuments vex, Clock clock)
    {
        this.store = requireNonNull(store, "store is null");
        this.jsonReader = new InsightsJsonReader(requireNonNull(limits, "limits is null"));
        this.vex = requireNonNull(vex, "vex is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The canonical digest of any digest of a known image. */
    public Optional<String> canonical(String digest)
    {
        return Optional.ofNullable(store.map(HubMaps.IMAGE_ALIASES).get(digest));
    }

    /** The SBOM the hub keeps for the image with any of its digests, if one arrived. */
    public Optional<StoredDocument> sbom(String digest)
    {
        return canonical(digest)
                .map(key -> store.map(HubMaps.IMAGES).get(key))
                .flatMap(json -> HubCodecs.IMAGE.decode(json).sbom());
    }

    /** The image document as stored (the JSON {@code analyze} prints for one image). */
    public Optional<String> imageJson(String digest)
    {
        return canonical(digest).map(key -> store.map(HubMaps.INSIGHTS).get(key));
    }

    @Override
    public Optional<ImageInsights> image(ImageDigest digest)
    {
        return imageJson(digest.value()).map(json -> jsonReader.readImage(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public Page<ImageInsights> images(PageRequest page)
    {
        return images(page, image -> true);
    }

    /**
     * Images ordered by digest, filtered.
     *
     * @param cluster only images that run in this cluster, if given
     * @param namespace only images that run in this namespace, if given
     * @param inUse only images with (true) or without (false) packages in use, if given
     */
    public Page<ImageInsights> images(PageRequest page, Optional<String> cluster, Optional<String> namespace, Optional<Boolean> inUse)
    {
        Predicate<ImageInsights> filter = image -> inUse.map(wanted -> wanted == (image.summary().packagesInUse() > 0)).orElse(true);
        if (cluster.isPresent() || namespace.isPresent()) {
            WorkloadQuery query = new WorkloadQuery(cluster, namespace);
            filter = filter.and(image -> workloadsOf(image.digest().value()).stream().anyMatch(workload -> matches(query, workload.workload())));
        }
        return images(page, filter);
    }

    /**
     * The images' summaries ordered by digest, filtered as {@link #images(PageRequest, Optional, Optional, Optional)}
     * filters images, without reading any image's packages: an image whose summary is missing
     * (stored before summaries were kept) gets it from its document, once.
     */
    public Page<ImageSummary> summaries(PageRequest page, Optional<String> cluster, Optional<String> namespace, Optional<Boolean> inUse)
    {
        Optional<String> after = PageCursor.sortKey(page.cursor());
        IMap<String, String> stored = store.map(HubMaps.IMAGE_SUMMARIES);
        TreeMap<String, String> sorted = new TreeMap<>(stored);
        for (String key : store.map(HubMaps.INSIGHTS).keySet()) {
            if (!sorted.containsKey(key)) {
                backfill(key).ifPresent(json -> sorted.put(key, json));
            }
        }
        Map<String, String> remaining = after.isPresent() ? sorted.tailMap(after.get(), false) : sorted;
        List<ImageSummary> items = new ArrayList<>();
        boolean more = false;
        for (String json : remaining.values()) {
            ImageSummary summary = HubCodecs.SUMMARY.decode(json);
            boolean wanted = inUse.map(yes -> yes == (summary.packagesInUse() > 0)).orElse(true)
                    && (cluster.isEmpty() && namespace.isEmpty() || summary.runsIn(cluster, namespace));
            if (!wanted) {
                continue;
            }
            if (items.size() == page.limit()) {
                more = true;
                break;
            }
            items.add(summary);
        }
        return new Page<>(items, more ? Optional.of(PageCursor.after(items.get(items.size() - 1).digest())) : Optional.empty());
    }

    private Optional<String> backfill(String canonical)
    {
        String imageJson = store.map(HubMaps.INSIGHTS).get(canonical);
        if (imageJson == null) {
            return Optional.empty();
        }
        ImageInsights image = jsonReader.readImage(imageJson.getBytes(StandardCharsets.UTF_8));
        String summary = HubCodecs.SUMMARY.encode(ImageSummaries.of(image, workloadsOf(canonical)));
        // only if the image was not recomputed meanwhile: a newer summary wins
        String raced = store.map(HubMaps.IMAGE_SUMMARIES).putIfAbsent(canonical, summary);
        return Optional.of(raced == null ? summary : raced);
    }

    private Page<ImageInsights> images(PageRequest page, Predicate<ImageInsights> filter)
    {
        Optional<String> after = PageCursor.sortKey(page.cursor());
        TreeMap<String, String> sorted = new TreeMap<>(store.map(HubMaps.INSIGHTS));
        Map<String, String> remaining = after.isPresent() ? sorted.tailMap(after.get(), false) : sorted;
        List<ImageInsights> items = new ArrayList<>();
        String lastKey = null;
        boolean more = false;
        for (Map.Entry<String, String> entry : remaining.entrySet()) {
            ImageInsights image = jsonReader.readImage(entry.getValue().getBytes(StandardCharsets.UTF_8));
            if (!filter.test(image)) {
                continue;
            }
            if (items.size() == page.limit()) {
                more = true;
                break;
            }
            items.add(image);
            lastKey = entry.getKey();
        }
        return new Page<>(items, more ? Optional.of(PageCursor.after(lastKey)) : Optional.empty());
    }

    @Override
    public Page<WorkloadInsights> workloads(WorkloadQuery query, PageRequest page)
    {
        return workloads(query, Optional.empty(), page);
    }

    /**
     * Workload containers ordered by workload, then image digest, filtered.
     *
     * @param image only the workloads running this image (any of its digests), if given;
     *         an image the hub does not know runs nowhere
     */
    public Page<WorkloadInsights> workloads(WorkloadQuery query, Optional<String> image, PageRequest page)
    {
        Optional<String> after = PageCursor.sortKey(page.cursor());
        IMap<String, String> map = store.map(HubMaps.WORKLOAD_INSIGHTS);
        Map<String, String> byImage = new HashMap<>();
        if (image.isPresent()) {
            // workload documents are keyed by the canonical digest, so one image is one read
            canonical(image.get()).ifPresent(key -> Optional.ofNullable(map.get(key)).ifPresent(document -> byImage.put(key, document)));
        }
        else {
            // through the near cache: an unchanged document is the same string as last time, and is not decoded again
            byImage.putAll(map.getAll(map.keySet()));
            decoded.keySet().retainAll(byImage.keySet());
        }
        List<WorkloadInsights> all = new ArrayList<>();
        for (Map.Entry<String, String> entry : byImage.entrySet()) {
            for (WorkloadInsights workload : decodedWorkloads(entry.getKey(), entry.getValue())) {
                if (matches(query, workload.workload())) {
                    all.add(workload);
                }
            }
        }
        return page(all, after, page);
    }

    private static Page<WorkloadInsights> page(List<WorkloadInsights> all, Optional<String> after, PageRequest page)
    {
        all.sort(WORKLOAD_ORDER);
        List<WorkloadInsights> items = new ArrayList<>();
        boolean more = false;
        for (WorkloadInsights workload : all) {
            String key = sortKey(workload);
            if (after.isPresent() && key.compareTo(after.get()) <= 0) {
                continue;
            }
            if (items.size() == page.limit()) {
                more = true;
                break;
            }
            items.add(workload);
        }
        return new Page<>(items, more ? Optional.of(PageCursor.after(sortKey(items.get(items.size() - 1)))) : Optional.empty());
    }

    /** The workloads of an image's document, decoded once per version of the document. */
    private List<WorkloadInsights> decodedWorkloads(String canonical, String document)
    {
        DecodedWorkloads cached = decoded.get(canonical);
        // the near cache hands out the same string while the document is unchanged; equal text is a hit too
        if (cached != null && (cached.document() == document || cached.document().equals(document))) {
            return cached.workloads();
        }
        List<WorkloadInsights> workloads = jsonReader.readWorkloads(document.getBytes(StandardCharsets.UTF_8));
        decoded.put(canonical, new DecodedWorkloads(document, workloads));
        return workloads;
    }

    private record DecodedWorkloads(String document, List<WorkloadInsights> workloads) {}

    /**
     * The sources that fed an image and the kinds of load they showed they see, from its stored
     * profiles (under any of its digests and names); a profile that cannot be read adds nothing.
     */
    public ImageCoverage coverage(String canonical)
    {
        String recordJson = store.map(HubMaps.IMAGES).get(canonical);
        if (recordJson == null) {
            return ImageCoverage.NONE;
        }
        ImageRecord record = HubCodecs.IMAGE.decode(recordJson);
        List<String> keys = new ArrayList<>(record.allDigests());
        record.names().forEach(name -> keys.add(HubMaps.NAME_KEY_PREFIX + name));
        EnumSet<Sensor> sensors = EnumSet.noneOf(Sensor.class);
        EnumSet<LoadKind> observable = EnumSet.noneOf(LoadKind.class);
        for (String key : keys) {
            String stored = store.map(HubMaps.PROFILES).get(key);
            if (stored == null) {
                continue;
            }
            try {
                ImageProfile profile = ProfileMerge.read(key, stored);
                sensors.addAll(profile.sensors());
                observable.addAll(profile.observable());
            }
            catch (IllegalArgumentException e) {
                // an unreadable profile is quarantined when the image is computed; here it only adds nothing
                continue;
            }
        }
        return new ImageCoverage(List.copyOf(sensors), List.copyOf(observable));
    }

    @Override
    public Optional<byte[]> vex(ImageDigest digest, VexFormat format)
    {
        return image(digest).map(image -> vex.toBytes(image, format, image.profile().lastSeen().orElse(clock.instant())));
    }

    private List<WorkloadInsights> workloadsOf(String canonical)
    {
        String document = store.map(HubMaps.WORKLOAD_INSIGHTS).get(canonical);
        return document == null ? List.of() : jsonReader.readWorkloads(document.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean matches(WorkloadQuery query, Workload workload)
    {
        return query.cluster().map(workload.cluster()::equals).orElse(true)
                && query.namespace().map(workload.namespace()::equals).orElse(true);
    }

    // a string whose order equals WORKLOAD_ORDER: fields joined by a separator below every printable character
    private static String sortKey(WorkloadInsights item)
    {
        Workload workload = item.workload();
        return String.join("\u0001", workload.cluster(), workload.namespace(), workload.kind(), workload.name(), workload.container(), item.imageDigest().value());
    }
}
