package io.runlight.hub.insights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.hazelcast.map.IMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.hub.store.HubStore;
import io.runlight.insights.correlate.ImageAnalysis;
import io.runlight.insights.correlate.ImageAnalyzer;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.profile.ImageProfile;
import io.runlight.insights.profile.ProfileLimits;
import io.runlight.insights.report.InsightsJsonReader;
import io.runlight.insights.report.InsightsJsonWriter;
import io.runlight.insights.vuln.VulnerabilityReport;
import io.runlight.plugin.api.ImageInsights;

import static java.util.Objects.requireNonNull;

/**
 * Recomputes the insights of images whose inputs changed. Ingest marks an image's
 * canonical digest in the {@code dirty} map; each member recomputes the dirty images
 * whose keys it owns, so exactly one member computes an image at a time, and clears
 * the mark only if no newer change arrived meanwhile.
 *
 * <p>The verdicts are given as of the image's last observation, not the wall clock: how
 * long an image has been observed is what its events show, so the hub and
 * {@code runlight analyze} give the same verdicts for the same data, and a collector
 * that keeps reporting is what makes a profile complete.
 */
public final class InsightsComputer
{
    private static final Logger log = LoggerFactory.getLogger(InsightsComputer.class);

    private final HubStore store;
    private final ImageAnalyzer analyzer;
    private final ParsedDocuments documents;
    private final ProfileLimits profileLimits;
    private final Quarantine quarantine;
    private final InsightsJsonReader jsonReader;
    private final InsightsJsonWriter jsonWriter = InsightsJsonWriter.compact();
    private final List<InsightsListener> listeners = new CopyOnWriteArrayList<>();

    public InsightsComputer(HubStore store, ImageAnalyzer analyzer, ParsedDocuments documents, ProfileLimits profileLimits, InputLimits limits, Quarantine quarantine)
    {
        this.quarantine = requireNonNull(quarantine, "quarantine is null");
        this.store = requireNonNull(store, "store is null");
        this.analyzer = requireNonNull(analyzer, "analyzer is null");
        this.documents = requireNonNull(documents, "documents is null");
        this.profileLimits = requireNonNull(profileLimits, "profileLimits is null");
        this.jsonReader = new InsightsJsonReader(requireNonNull(limits, "limits is null"));
    }

    private String workloadsJson(ImageAnalysis analysis)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            jsonWriter.writeWorkloads(analysis.workloads(), out);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write workload insights to memory", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public void addListener(InsightsListener listener)
    {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    /**
     * Recomputes every dirty image this member owns. Blocks: call from a worker.
     *
     * @return how many images were recomputed
     */
    public int refreshOwnedImages()
    {
        IMap<String, String> dirty = store.map(HubMaps.DIRTY);
        int computed = 0;
        for (String key : dirty.localKeySet()) {
            String stamp = dirty.get(key);
            if (stamp == null) {
                continue;
            }
            try {
                if (compute(key).isPresent()) {
                    computed++;
                }
            }
            catch (RuntimeException e) {
                // one broken image must not stop the others; it is retried on its next change
                log.error("Cannot compute insights of image '{}'", key, e);
            }
            dirty.remove(key, stamp);
        }
        return computed;
    }

    /**
     * Computes and stores the insights of one image now. Blocks.
     *
     * @return the analysis, or empty while the image has no SBOM
     */
    public Optional<ImageAnalysis> compute(String canonical)
    {
        String recordJson = store.map(HubMaps.IMAGES).get(canonical);
        if (recordJson == null) {
            return Optional.empty();
        }
        ImageRecord record = HubCodecs.IMAGE.decode(recordJson);
        if (record.sbom().isEmpty()) {
            return Optional.empty();
        }
        ParsedDocuments.IndexedSbom sbom = documents.sbom(record.sbom().get());

        Map<String, StoredDocument> reportDocuments = new LinkedHashMap<>();
        IMap<String, String> reportIndex = store.map(HubMaps.REPORTS);
        IMap<String, String> profiles = store.map(HubMaps.PROFILES);
        ImageProfile profile = ImageProfile.EMPTY;
        List<String> profileKeys = new ArrayList<>(record.allDigests());
        record.names().forEach(name -> profileKeys.add(HubMaps.NAME_KEY_PREFIX + name));
        for (String digest : record.allDigests()) {
            String index = reportIndex.get(digest);
            if (index != null) {
                HubCodecs.REPORTS.decode(index).documents().forEach(document -> reportDocuments.putIfAbsent(document.blobKey(), document));
            }
        }
        for (String key : profileKeys) {
            String stored = profiles.get(key);
            if (stored != null) {
                try {
                    profile = profile.merge(ProfileMerge.read(key, stored), profileLimits);
                }
                catch (IllegalArgumentException e) {
                    // removed only if unchanged: a batch may have replaced it meanwhile
                    if (profiles.remove(key, stored)) {
                        quarantine.put(HubMaps.PROFILES, key, stored, e);
                    }
                }
            }
        }
        List<VulnerabilityReport> reports = reportDocuments.values().stream().map(documents::report).toList();
        Instant asOf = profile.lastSeen().orElse(Instant.EPOCH);
        ImageAnalysis analysis = analyzer.analyze(sbom.sbom(), sbom.index(), reports, profile, asOf);

        IMap<String, String> insights = store.map(HubMaps.INSIGHTS);
        String previousJson = insights.get(canonical);
        String imageJson = new String(jsonWriter.imageToBytes(analysis.image()), StandardCharsets.UTF_8);
        if (!imageJson.equals(previousJson)) {
            insights.set(canonical, imageJson);
        }
        store.map(HubMaps.WORKLOAD_INSIGHTS).set(canonical, workloadsJson(analysis));
        store.map(HubMaps.IMAGE_SUMMARIES).set(canonical, HubCodecs.SUMMARY.encode(ImageSummaries.of(analysis.image(), analysis.workloads())));
        Optional<ImageInsights> previous = previousJson == null ? Optional.empty() : Optional.of(jsonReader.readImage(previousJson.getBytes(StandardCharsets.UTF_8)));
        for (InsightsListener listener : listeners) {
            try {
                listener.insightsComputed(previous, analysis);
            }
            catch (RuntimeException e) {
                log.error("Insights listener failed for image '{}'", canonical, e);
            }
        }
        return Optional.of(analysis);
    }
}
