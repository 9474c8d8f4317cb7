package io.runlight.insights.catalog;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BiPredicate;

import io.runlight.insights.sbom.ImageIdentity;

/**
 * The files of one image, however it was given: a root folder or an image archive.
 * Catalogers see the same tree and the same content pass for both.
 */
interface ImageFiles
        extends Closeable
{
    /** Receives the content of one file; the stream is only valid during the call. */
    @FunctionalInterface
    interface ContentHandler
    {
        void accept(String path, FileNode node, InputStream content)
                throws IOException;
    }

    FileTree tree();

    /** What the source itself says about the image (an archive's digests and names). */
    ImageIdentity identity();

    /**
     * Passes the content of every regular file the predicate wants to the handler, each once,
     * in an order of the source's choosing (an archive reads each layer once, in order).
     */
    void readContents(BiPredicate<String, FileNode> wanted, ContentHandler handler);

    /** The file on disk with the image file's content, when the source is a folder. */
    Optional<Path> onDisk(String path);

    @Override
    void close();
}
