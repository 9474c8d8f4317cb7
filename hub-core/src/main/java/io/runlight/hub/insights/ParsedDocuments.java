package io.runlight.hub.insights;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.runlight.hub.store.BlobStore;
import io.runlight.insights.correlate.ImageAnalyzer;
import io.runlight.insights.index.OwnershipIndex;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.sbom.GivenImage;
import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomReader;
import io.runlight.insights.vuln.VulnerabilityReport;
import io.runlight.insights.vuln.VulnerabilityReportReader;

import static java.util.Objects.requireNonNull;

/**
 * This member's cache of parsed documents and ownership indexes (docs/architecture.md: "per-member
 * caches hold the built ownership indexes"). Documents are immutable once stored (a
 * blob key names its content), so entries never go stale; the least recently used are
 * dropped past a bound.
 * <p>
 * An SBOM that this member's ingest has just parsed is handed over ({@link #parsedAtIngest}) and
 * indexed from that parse: reading the blob back and parsing it again was more than half of the
 * CPU an ingest of a 160 MiB SBOM cost.
 */
public final class ParsedDocuments
{
    /** SBOMs parsed at ingest and not indexed yet: insights are computed within a second, so a few suffice. */
    private static final int PARSED_AT_INGEST = 2;

    private final BlobStore blobs;
    private final SbomReader sbomReader;
    private final VulnerabilityReportReader reportReader;
    private final ImageAnalyzer analyzer;
    private final Map<String, IndexedSbom> sboms;
    private final Map<String, VulnerabilityReport> reports;
    private final Map<String, Sbom> parsedAtIngest = lru(PARSED_AT_INGEST);

    /** An SBOM with its ownership index. */
    public record IndexedSbom(Sbom sbom, OwnershipIndex index)
    {
        public IndexedSbom
        {
            requireNonNull(sbom, "sbom is null");
            requireNonNull(index, "index is null");
        }
    }

    public ParsedDocuments(BlobStore blobs, InputLimits limits, ImageAnalyzer analyzer, int maxSboms, int maxReports)
    {
        this.blobs = requireNonNull(blobs, "blobs is null");
        this.sbomReader = new SbomReader(requireNonNull(limits, "limits is null"));
        this.reportReader = new VulnerabilityReportReader(limits);
        this.analyzer = requireNonNull(analyzer, "analyzer is null");
        this.sboms = lru(maxSboms);
        this.reports = lru(maxReports);
    }

    /**
     * The stored SBOM, parsed with its root and indexed, named by the image given with it.
     * The cache holds one parse per blob and root; naming the image is cheap and done on each call.
     */
    public IndexedSbom sbom(StoredDocument document)
    {
        String root = document.rootOrDefault();
        IndexedSbom indexed = cached(sboms, sbomKey(document), key -> {
            Sbom sbom = takeParsedAtIngest(key).orElseGet(() -> read(document.blobKey(), in -> sbomReader.read(in, root)));
            return new IndexedSbom(sbom, analyzer.index(sbom));
        });
        Optional<GivenImage> given = document.givenImage();
        return given.isEmpty() ? indexed : new IndexedSbom(indexed.sbom().withImage(given.get()), indexed.index());
    }

    /**
     * Keeps {@code sbom}, the document {@code stored} as this member's ingest parsed it (with its
     * root, before naming the image), for the first {@link #sbom} of it.
     */
    public void parsedAtIngest(StoredDocument stored, Sbom sbom)
    {
        requireNonNull(stored, "stored is null");
        requireNonNull(sbom, "sbom is null");
        synchronized (parsedAtIngest) {
            parsedAtIngest.put(sbomKey(stored), sbom);
        }
    }

    private Optional<Sbom> takeParsedAtIngest(String key)
    {
        synchronized (parsedAtIngest) {
            return Optional.ofNullable(parsedAtIngest.remove(key));
        }
    }

    private static String sbomKey(StoredDocument document)
    {
        return document.blobKey() + "\0" + document.rootOrDefault();
    }

    /** The stored scan report, parsed, named by the image given with it. */
    public VulnerabilityReport report(StoredDocument document)
    {
        VulnerabilityReport report = cached(reports, document.blobKey(), key -> read(key, reportReader::read));
        return document.givenImage().map(report::withImage).orElse(report);
    }

    private <T> T read(String blobKey, Function<InputStream, T> reader)
    {
        Optional<InputStream> stream = blobs.open(blobKey);
        if (stream.isEmpty()) {
            throw new IllegalStateException("stored document '" + blobKey + "' is missing from the blob table: the database lost it or it was deleted by hand");
        }
        try (InputStream in = stream.get()) {
            return reader.apply(in);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read stored document '" + blobKey + "'", e);
        }
    }

    private static <T> T cached(Map<String, T> cache, String key, Function<String, T> loader)
    {
        synchronized (cache) {
            T value = cache.get(key);
            if (value != null) {
                return value;
            }
        }
        // parse outside the lock: two threads may parse the same document once each, which is harmless
        T value = loader.apply(key);
        synchronized (cache) {
            cache.put(key, value);
        }
        return value;
    }

    private static <T> Map<String, T> lru(int capacity)
    {
        return new LinkedHashMap<>(16, 0.75f, true)
        {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, T> eldest)
            {
                return size() > capacity;
            }
        };
    }
}
