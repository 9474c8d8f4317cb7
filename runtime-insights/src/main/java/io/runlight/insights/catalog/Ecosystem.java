package io.runlight.insights.catalog;

import java.io.IOException;
import java.io.InputStream;

/**
 * One package manager's cataloger. It names the metadata files it reads (kept on disk: the
 * root folder itself, or the temporary folder an archive's are written to) and the files it
 * reads as a stream (jars, binaries), then turns what it read into packages.
 */
interface Ecosystem
{
    /** Whether the file (an absolute image path) is metadata this cataloger reads from the metadata root. */
    boolean wantsMetadata(String path);

    /**
     * Whether an archive's metadata files go to the temporary folder (package databases, read by
     * file-based readers) rather than stay in memory ({@link CatalogContext#metadataBytes}).
     */
    default boolean metadataOnDisk()
    {
        return false;
    }

    /** Whether this cataloger reads the file's content as a stream during the content pass. */
    default boolean wantsStream(String path, FileNode node)
    {
        return false;
    }

    /** The content of a file {@link #wantsStream} asked for; valid only during the call. */
    default void stream(String path, FileNode node, InputStream content, CatalogContext context)
            throws IOException
    {
        // catalogers that read no streams need no content
    }

    /**
     * A file {@link #wantsStream} asked for went to another cataloger as a stream that cannot be
     * read twice (a compressed layer); read it later through {@link #pendingFiles()} if needed.
     */
    default void streamTaken(String path, FileNode node)
    {
        // catalogers that need every such file remember it
    }

    /** Files the content pass could not read as a stream, to be read again from a file on disk. */
    default java.util.Set<String> pendingFiles()
    {
        return java.util.Set.of();
    }

    /** A file of {@link #pendingFiles()}, on disk. */
    default void readFile(String path, java.nio.file.Path file, CatalogContext context)
            throws IOException
    {
        // only catalogers with pending files are asked
    }

    /** Adds its packages, once all content has been seen. */
    void finish(CatalogContext context);
}
