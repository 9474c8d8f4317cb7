package io.runlight.insights.catalog;

import io.runlight.insights.input.InputLimits;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * Bounds the cataloger enforces on an image, so a hostile archive cannot exhaust disk,
 * memory or time: it is refused with a message naming the limit instead.
 *
 * @param maxEntries the most tar entries in all layers together (and files of a root folder)
 * @param maxUnpackedBytes the most bytes all layers hold once uncompressed (a gzip bomb stops here)
 * @param maxDepth the most segments in one path
 * @param maxPathLength the longest path, in characters
 * @param maxMetadataFileBytes the largest package-database or metadata file read
 *        (dpkg status, rpmdb.sqlite, RECORD, package.json, a Go binary)
 * @param maxArchiveEntryBytes the largest archive member inside a jar read (a nested jar, a pom.properties)
 * @param readerLimits the limits of the package-database readers
 */
public record CatalogLimits(long maxEntries, long maxUnpackedBytes, int maxDepth, int maxPathLength, long maxMetadataFileBytes,
        long maxArchiveEntryBytes, InputLimits readerLimits)
{
    /** Enough for the largest real images (a few million files, tens of GB), small enough to stop abuse. */
    public static final CatalogLimits DEFAULT = new CatalogLimits(5_000_000, 64L * 1024 * 1024 * 1024, 128, 4096,
            512L * 1024 * 1024, 256L * 1024 * 1024, InputLimits.DEFAULT);

    public CatalogLimits
    {
        checkArgument(maxEntries > 0, "maxEntries must be positive: " + maxEntries);
        checkArgument(maxUnpackedBytes > 0, "maxUnpackedBytes must be positive: " + maxUnpackedBytes);
        checkArgument(maxDepth >= 8, "maxDepth must be at least 8: " + maxDepth);
        checkArgument(maxPathLength >= 256, "maxPathLength must be at least 256: " + maxPathLength);
        checkArgument(maxMetadataFileBytes > 0, "maxMetadataFileBytes must be positive: " + maxMetadataFileBytes);
        checkArgument(maxArchiveEntryBytes > 0, "maxArchiveEntryBytes must be positive: " + maxArchiveEntryBytes);
        requireNonNull(readerLimits, "readerLimits is null");
    }
}
