package io.runlight.hub.insights;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.hazelcast.map.IMap;

import io.runlight.hub.store.BlobStore;
import io.runlight.hub.store.HubStore;
import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.profile.ProfileLimits;
import io.runlight.insights.runtime.EventBatch;
import io.runlight.insights.runtime.EventError;
import io.runlight.insights.runtime.RuntimeEvent;
import io.runlight.insights.runtime.RuntimeEventReader;
import io.runlight.insights.sbom.GivenImage;
import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomReader;
import io.runlight.insights.vuln.VulnerabilityReport;
import io.runlight.insights.vuln.VulnerabilityReportReader;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageReference;

import static java.util.Objects.requireNonNull;

/**
 * Accepts SBOMs, scan reports and runtime events: parses them completely first (a
 * document that fails to parse stores nothing), keeps raw documents in the blob table,
 * updates the image maps, and marks the image for recomputation. Every method blocks
 * (map and database writes): call it from a worker thread. When a method returns, all
 * it stored is written through to the database.
 */
public final class ImageIngest
{
    private final HubStore store;
    private final Clock clock;
    private final SbomReader sbomReader;
    private final VulnerabilityReportReader reportReader;
    private final RuntimeEventReader eventReader;
    private final Quarantine quarantine;
    private final ProfileWrites profileWrites;
    private final ParsedDocuments parsedDocuments;

    /**
     * @param parsedDocuments this member's parsed documents, handed each SBOM this ingest parses so that
     *         its insights are computed without parsing it again
     */
    public ImageIngest(HubStore store, Clock clock, InputLimits limits, ProfileLimits profileLimits, Quarantine quarantine, ParsedDocuments parsedDocuments)
    {
        this.parsedDocuments = requireNonNull(parsedDocuments, "parsedDocuments is null");
        this.quarantine = requireNonNull(quarantine, "quarantine is null");
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.sbomReader = new SbomReader(requireNonNull(limits, "limits is null"));
        this.reportReader = new VulnerabilityReportReader(limits);
        this.eventReader = new RuntimeEventReader(limits);
        this.profileWrites = new ProfileWrites(store.map(HubMaps.PROFILES), requireNonNull(profileLimits, "profileLimits is null"), quarantine,
                key -> resolveCanonical(key).ifPresent(this::markDirty));
    }

    /** Stores an SBOM document spooled to a file. */
    public IngestResults.Sbom ingestSbom(Path document)
    {
        return ingestSbom(received(document), Optional.empty(), Optional.empty());
    }

    /**
     * Stores an SBOM document received into a file, for the image the caller names if the
     * document names none, with its relative paths resolved against {@code root}.
     */
    public IngestResults.Sbom ingestSbom(ReceivedDocument document, Optional<GivenImage> given, Optional<String> root)
    {
        return storeSbom(parse(document.file(), in -> readSbom(in, root)), document, given, root);
    }

    /**
     * Parses an SBOM, with its relative paths resolved against {@code root}, and stores
     * nothing: the first half of {@link #ingestSbom(ReceivedDocument, Optional, Optional)}, for
     * a caller that reads the document while it arrives. Needs no store: any thread.
     *
     * @throws io.runlight.insights.input.InputException if it is no SBOM, malformed or over a limit
     */
    public Sbom readSbom(InputStream document, Optional<String> root)
    {
        return sbomReader.read(document, root.orElse("/"));
    }

    /**
     * Stores an SBOM that {@link #readSbom} read from exactly the bytes of {@code document}:
     * the second half of {@link #ingestSbom(ReceivedDocument, Optional, Optional)}.
     */
    public IngestResults.Sbom storeSbom(Sbom read, ReceivedDocument document, Optional<GivenImage> given, Optional<String> root)
    {
        requireNonNull(read, "read is null");
        requireNonNull(document, "document is null");
        Sbom sbom = given.isPresent() ? named(read.format(), () -> read.withImage(given.get())) : read;
        if (sbom.image().digests().isEmpty()) {
            throw new UnusableDocumentException("The " + sbom.format().displayName() + " document names no image digest (config, manifest or repo digest); "
                    + "Runlight keys images by digest: name the image with ?image=sha256:... or ?image=name@sha256:... "
                    + "(runlight ingest sbom --image), or generate the SBOM from an image (for example 'syft <image> -o syft-json').");
        }
        StoredDocument stored = storeBlob("sbom", sbom.format().id(), document)
                .named(given.map(value -> value.reference().orElse(value.digest().value())), root);
        parsedDocuments.parsedAtIngest(stored, read);
        List<String> digests = sbom.image().digests().stream().map(ImageDigest::value).toList();
        String canonical = canonicalOf(digests).orElse(digests.get(0));

        IMap<String, String> images = store.map(HubMaps.IMAGES);
        images.lock(canonical);
        try {
            String existing = images.get(canonical);
            ImageRecord record = existing == null
                    ? new ImageRecord(canonical, List.of(), List.of(), Optional.empty(), clock.instant())
                    : HubCodecs.IMAGE.decode(existing);
            List<String> names = sbom.image().names().stream().map(ImageIngest::normalisedName).flatMap(Optional::stream).toList();
            ImageRecord updated = record.withSbom(digests, names, stored, clock.instant());
            images.set(canonical, HubCodecs.IMAGE.encode(updated));
            IMap<String, String> aliases = store.map(HubMaps.IMAGE_ALIASES);
            for (String digest : updated.allDigests()) {
                aliases.set(digest, canonical);
            }
            IMap<String, String> imageNames = store.map(HubMaps.IMAGE_NAMES);
            for (String name : updated.names()) {
                imageNames.set(name, canonical);
            }
        }
        finally {
            images.unlock(canonical);
        }
        markDirty(canonical);
        return new IngestResults.Sbom(canonical, sbom.packages().size(), sbom.format().id());
    }

    /** Stores a scan report spooled to a file, under every digest it names. */
    public IngestResults.Report ingestReport(Path document)
    {
        return ingestReport(received(document), Optional.empty());
    }

    /** Stores a scan report received into a file, for the image the caller names if the report names none. */
    public IngestResults.Report ingestReport(ReceivedDocument document, Optional<GivenImage> given)
    {
        return storeReport(parse(document.file(), this::readReport), document, given);
    }

    /** Parses a scan report and stores nothing, as {@link #readSbom} does for SBOMs. */
    public VulnerabilityReport readReport(InputStream document)
    {
        return reportReader.read(document);
    }

    /** Stores a scan report that {@link #readReport} read from exactly the bytes of {@code document}. */
    public IngestResults.Report storeReport(VulnerabilityReport read, ReceivedDocument document, Optional<GivenImage> given)
    {
        requireNonNull(read, "read is null");
        requireNonNull(document, "document is null");
        VulnerabilityReport report = given.isPresent() ? named(read.format(), () -> read.withImage(given.get())) : read;
        if (report.image().digests().isEmpty()) {
            throw new UnusableDocumentException("The " + report.format().displayName() + " report names no image digest; "
                    + "name the image with ?image=sha256:... or ?image=name@sha256:... (runlight ingest vulns --image), "
                    + "or scan an image (for example 'grype <image> -o json') so the report can be joined to its SBOM.");
        }
        StoredDocument stored = storeBlob("report", report.format().id(), document)
                .named(given.map(value -> value.reference().orElse(value.digest().value())), Optional.empty());
        IMap<String, String> reports = store.map(HubMaps.REPORTS);
        List<String> digests = report.image().digests().stream().map(ImageDigest::value).toList();
        for (String digest : digests) {
            reports.lock(digest);
            try {
                String existing = reports.get(digest);
                ReportIndex index = existing == null ? new ReportIndex(List.of()) : HubCodecs.REPORTS.decode(existing);
                reports.set(digest, HubCodecs.REPORTS.encode(index.with(stored)));
            }
            finally {
                reports.unlock(digest);
            }
        }
        Optional<String> canonical = canonicalOf(digests);
        canonical.ifPresent(this::markDirty);
        return new IngestResults.Report(canonical.orElse(digests.get(0)), report.findings().size(), report.format().id());
    }

    /** Merges runtime events spooled to a file into the images' profiles. */
    public IngestResults.Events ingestEvents(Path document)
    {
        return ingestEvents(document, Optional.empty());
    }

    /**
     * Merges runtime events spooled to a file into the images' profiles; events that name
     * no cluster are filed under {@code defaultCluster} when given (Falco cannot tell its
     * cluster, the sender can).
     */
    public IngestResults.Events ingestEvents(Path document, Optional<String> defaultCluster)
    {
        requireNonNull(defaultCluster, "defaultCluster is null");
        return ingestBatch(parse(document, eventReader::read), defaultCluster);
    }

    /** As {@link #ingestEvents(Path, Optional)}, for a body read into memory; the caller closes {@code document}. */
    public IngestResults.Events ingestEvents(InputStream document, Optional<String> defaultCluster)
    {
        requireNonNull(defaultCluster, "defaultCluster is null");
        return ingestBatch(eventReader.read(document), defaultCluster);
    }

    /**
     * As {@link #ingestEvents(Path, Optional)}, for the endpoint of Falco's {@code http_output}:
     * anything but Falco alerts is refused there (it would pass for them only by accident).
     *
     * @throws InputException INVALID if the document is other runtime events
     */
    public IngestResults.Events ingestFalcoAlerts(Path document, Optional<String> defaultCluster)
    {
        try (InputStream in = Files.newInputStream(document)) {
            return ingestFalcoAlerts(in, defaultCluster);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled request body", e);
        }
    }

    /** As {@link #ingestFalcoAlerts(Path, Optional)}, for a body read into memory; the caller closes {@code document}. */
    public IngestResults.Events ingestFalcoAlerts(InputStream document, Optional<String> defaultCluster)
    {
        requireNonNull(defaultCluster, "defaultCluster is null");
        EventBatch batch = eventReader.read(document);
        if (batch.format() != DocumentFormat.FALCO_JSON) {
            throw new InputException(InputException.Reason.INVALID, batch.format().displayName(), "/",
                    "this endpoint takes Falco alerts (http_output), found " + batch.format().displayName() + "; post other runtime events to /api/v1/runtime/events");
        }
        return ingestBatch(batch, defaultCluster);
    }

    private IngestResults.Events ingestBatch(EventBatch batch, Optional<String> defaultCluster)
    {
        List<EventError> errors = new ArrayList<>(batch.errors());
        int rejected = batch.rejected();
        Map<String, List<RuntimeEvent>> byImage = new LinkedHashMap<>();
        // an image reference's digest is looked up once per batch, not once per event
        Map<String, String> resolvedNames = new HashMap<>();
        int index = 0;
        for (RuntimeEvent read : batch.events()) {
            index++;
            RuntimeEvent event = defaultCluster.map(read::withDefaultCluster).orElse(read);
            Optional<String> key = profileKey(event, resolvedNames);
            if (key.isEmpty()) {
                rejected++;
                if (errors.size() < EventBatch.MAX_ERRORS) {
                    errors.add(new EventError("event " + index, "the event names neither an image digest nor an image reference, so it cannot be tied to an image"));
                }
                continue;
            }
            byImage.computeIfAbsent(key.get(), ignored -> new ArrayList<>()).add(event);
        }
        int accepted = 0;
        for (List<RuntimeEvent> events : byImage.values()) {
            accepted += events.size();
        }
        // made into a profile per image (de-duplicated per container, path and kind) together with the batches that arrive meanwhile
        profileWrites.merge(byImage);
        return new IngestResults.Events(accepted, rejected, errors);
    }

    /** The canonical digest of a profile or report key, if the image is known. */
    public Optional<String> resolveCanonical(String key)
    {
        if (key.startsWith(HubMaps.NAME_KEY_PREFIX)) {
            return Optional.ofNullable(store.map(HubMaps.IMAGE_NAMES).get(key.substring(HubMaps.NAME_KEY_PREFIX.length())));
        }
        return Optional.ofNullable(store.map(HubMaps.IMAGE_ALIASES).get(key));
    }

    /** The profile key of an event's image; {@code resolvedNames} holds the keys of the names already looked up. */
    private Optional<String> profileKey(RuntimeEvent event, Map<String, String> resolvedNames)
    {
        Optional<ImageDigest> digest = event.container().imageDigest();
        if (digest.isPresent()) {
            return Optional.of(digest.get().value());
        }
        Optional<String> name = event.container().image().flatMap(ImageIngest::normalisedName);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        // a tag resolves to a digest only through an SBOM or report that recorded it
        return Optional.of(resolvedNames.computeIfAbsent(name.get(), normalised -> {
            String canonical = store.map(HubMaps.IMAGE_NAMES).get(normalised);
            return canonical != null ? canonical : HubMaps.NAME_KEY_PREFIX + normalised;
        }));
    }

    private Optional<String> canonicalOf(List<String> digests)
    {
        IMap<String, String> aliases = store.map(HubMaps.IMAGE_ALIASES);
        for (String digest : digests) {
            String canonical = aliases.get(digest);
            if (canonical != null) {
                return Optional.of(canonical);
            }
        }
        return Optional.empty();
    }

    private void markDirty(String canonical)
    {
        store.map(HubMaps.DIRTY).set(canonical, clock.instant().toString() + "#" + System.nanoTime());
    }

    // a given image that contradicts the document's own digest is the caller's mistake: 422
    private static <T> T named(DocumentFormat format, Supplier<T> naming)
    {
        try {
            return naming.get();
        }
        catch (GivenImage.ImageMismatchException e) {
            throw new UnusableDocumentException("The " + format.displayName() + " document: " + e.getMessage() + ".");
        }
    }

    private StoredDocument storeBlob(String kind, String format, ReceivedDocument document)
    {
        BlobStore blobs = store.blobs();
        // the key names the content, so storing the same document twice stores it once
        String key = kind + "/" + document.sha256();
        if (!blobs.exists(key)) {
            String stored;
            try (InputStream in = Files.newInputStream(document.file())) {
                stored = blobs.put(key, in);
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot store the " + kind + " document", e);
            }
            if (!stored.equals(document.sha256())) {
                // the spool file changed after it was received (it is the hub's own, so it should not): refuse
                // rather than refer to a blob named for other bytes. It is not deleted: a concurrent upload of the
                // same document may have stored it under that key meanwhile, and its bytes are replaced on the next put
                throw new IllegalStateException("the received " + kind + " document changed before it was stored (SHA-256 " + document.sha256()
                        + " when received, " + stored + " when stored)");
            }
        }
        return new StoredDocument(key, format, document.sha256(), document.size(), clock.instant());
    }

    private static ReceivedDocument received(Path document)
    {
        try {
            return ReceivedDocument.of(document);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled request body", e);
        }
    }

    private static <T> T parse(Path document, java.util.function.Function<InputStream, T> reader)
    {
        try (InputStream in = Files.newInputStream(document)) {
            return reader.apply(in);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled request body", e);
        }
    }

    /** {@code alpine:3.17} → {@code docker.io/library/alpine:3.17}; empty when it is no image reference. */
    static Optional<String> normalisedName(String reference)
    {
        try {
            ImageReference parsed = ImageReference.parse(reference);
            if (parsed.tag().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(parsed.nameWithTag());
        }
        catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
