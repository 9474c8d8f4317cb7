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
 */
public final class ParsedDocuments
{
    private final BlobStore blobs;
    private final SbomReader sbomReader;
    private final VulnerabilityReportReader reportReader;
    private final ImageAnalyzer analyzer;
    private final Map<String, IndexedSbom> sboms;
    private final Map<String, VulnerabilityReport> reports;

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
        IndexedSbom indexed = cached(sboms, document.blobKey() + "\0" + root, key -> {
            Sbom sbom = read(document.blobKey(), in -> sbomReader.read(in, root));
            return new IndexedSbom(sbom, analyzer.index(sbom));
        });
        Optional<GivenImage> given = document.givenImage();
        return given.isEmpty() ? indexed : new IndexedSbom(indexed.sbom().withImage(given.get()), indexed.index());
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
