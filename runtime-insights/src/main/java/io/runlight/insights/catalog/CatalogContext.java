package io.runlight.insights.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.sbom.RootFileSystem;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.OsInfo;

import static java.util.Objects.requireNonNull;

/**
 * What catalogers share while one image is cataloged: its file tree, the folder its metadata
 * files are on disk in, the limits, the distribution, and where packages and warnings go.
 */
final class CatalogContext
{
    private final ImageFiles files;
    private final Path metadataRoot;
    private final ExtractionFolder scratch;
    private final CatalogLimits limits;
    private final List<SbomPackage> packages = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private Optional<OsInfo> os = Optional.empty();

    CatalogContext(ImageFiles files, Path metadataRoot, ExtractionFolder scratch, CatalogLimits limits)
    {
        this.files = requireNonNull(files, "files is null");
        this.metadataRoot = requireNonNull(metadataRoot, "metadataRoot is null");
        this.scratch = requireNonNull(scratch, "scratch is null");
        this.limits = requireNonNull(limits, "limits is null");
    }

    FileTree tree()
    {
        return files.tree();
    }

    /** Where the metadata files are on disk, under their image paths. */
    Path metadataRoot()
    {
        return metadataRoot;
    }

    /** The metadata root, read as a process chrooted there would read it. */
    RootFileSystem metadata(DocumentFormat format)
    {
        return new RootFileSystem(metadataRoot, format, limits.readerLimits());
    }

    /** The temporary folder, for copies a reader needs to write beside (an SQLite database). */
    Path scratchRoot()
    {
        return scratch.root();
    }

    CatalogLimits limits()
    {
        return limits;
    }

    Optional<OsInfo> os()
    {
        return os;
    }

    void os(Optional<OsInfo> value)
    {
        if (os.isEmpty()) {
            os = requireNonNull(value, "value is null");
        }
    }

    void add(SbomPackage sbomPackage)
    {
        packages.add(requireNonNull(sbomPackage, "sbomPackage is null"));
    }

    List<SbomPackage> packages()
    {
        return packages;
    }

    void warn(String warning)
    {
        warnings.add(requireNonNull(warning, "warning is null"));
    }

    List<String> warnings()
    {
        return warnings;
    }

    /** Runs the reader on a file that can be read at random: the file itself, or a scratch copy of the stream. */
    <T> T randomAccess(String path, InputStream content, RandomAccessReader<T> reader)
            throws IOException
    {
        Optional<Path> onDisk = files.onDisk(path);
        if (onDisk.isPresent()) {
            return reader.read(onDisk.get());
        }
        Path copy = scratch.spill(content, path);
        try {
            return reader.read(copy);
        }
        finally {
            Files.deleteIfExists(copy);
        }
    }

    /**
     * Runs {@code fileReader} on the file itself when it is on disk (a root folder), else
     * {@code streamReader} on the stream (an archive's layer): reading a zip through its
     * central directory is much faster, but spilling a layer's file to disk would cost more.
     */
    <T> T randomAccessOrStream(String path, InputStream content, RandomAccessReader<T> fileReader, StreamReader<T> streamReader)
            throws IOException
    {
        Optional<Path> onDisk = files.onDisk(path);
        if (onDisk.isPresent()) {
            return fileReader.read(onDisk.get());
        }
        return streamReader.read(content);
    }

    /** Whether the image's files are on disk, where they can be read at random. */
    boolean filesOnDisk()
    {
        return files.onDisk("/").isPresent();
    }

    @FunctionalInterface
    interface StreamReader<T>
    {
        T read(InputStream content)
                throws IOException;
    }

    @FunctionalInterface
    interface RandomAccessReader<T>
    {
        T read(Path file)
                throws IOException;
    }
}
