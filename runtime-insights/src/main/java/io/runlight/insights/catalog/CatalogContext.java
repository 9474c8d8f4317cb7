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
    // an archive's small metadata files (package.json, RECORD, METADATA, .pom), kept in memory: thousands of
    // tiny files written to disk and deleted again cost more than everything else the catalog does
    private final java.util.Map<String, byte[]> inMemory = new java.util.HashMap<>();
    private long inMemoryBytes;

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

    /** Keeps an archive's metadata file in memory, bounded by the metadata file limit in total. */
    void keep(String path, InputStream content)
            throws IOException
    {
        byte[] bytes;
        if (content instanceof ChannelRegion.Content random && random.region().size() <= limits.maxMetadataFileBytes()) {
            // a file of an uncompressed layer: one read of its known size
            bytes = random.region().read(0, (int) random.region().size(), java.nio.ByteOrder.BIG_ENDIAN).array();
        }
        else {
            bytes = content.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxMetadataFileBytes() + 1));
        }
        if (bytes.length > limits.maxMetadataFileBytes()) {
            throw new io.runlight.insights.input.InputException(io.runlight.insights.input.InputException.Reason.TOO_LARGE, "image archive", path,
                    "the file has more than " + limits.maxMetadataFileBytes() + " bytes, the limit for a package database or metadata file");
        }
        inMemoryBytes += bytes.length;
        if (inMemoryBytes > limits.maxMetadataFileBytes()) {
            throw new io.runlight.insights.input.InputException(io.runlight.insights.input.InputException.Reason.TOO_LARGE, "image archive", path,
                    "the metadata files read so far have more than " + limits.maxMetadataFileBytes() + " bytes, the limit");
        }
        inMemory.put(path, bytes);
    }

    /**
     * The content of a metadata file (an absolute image path): from memory for an archive, from
     * the root folder (links resolved inside it) otherwise; empty if there is no such file.
     */
    Optional<byte[]> metadataBytes(String path)
            throws IOException
    {
        if (!filesOnDisk()) {
            return Optional.ofNullable(inMemory.get(path));
        }
        Optional<String> resolved = metadata(DocumentFormat.RUNLIGHT_CATALOG).regularFile(path.substring(1));
        if (resolved.isEmpty()) {
            return Optional.empty();
        }
        Path file = resolved.get().equals("/") ? metadataRoot : metadataRoot.resolve(resolved.get().substring(1));
        if (Files.size(file) > limits.maxMetadataFileBytes()) {
            throw new io.runlight.insights.input.InputException(io.runlight.insights.input.InputException.Reason.TOO_LARGE, "root folder", path,
                    "the file has more than " + limits.maxMetadataFileBytes() + " bytes, the limit for a metadata file");
        }
        return Optional.of(Files.readAllBytes(file));
    }

    /**
     * The metadata files, read as a process chrooted to the image would read them: the root
     * folder's, or an archive's kept in memory (links resolved through the image's file tree).
     */
    RootFileSystem metadata(DocumentFormat format)
    {
        if (filesOnDisk()) {
            return new RootFileSystem(metadataRoot, format, limits.readerLimits());
        }
        return new RootFileSystem(new KeptFiles(), format, limits.readerLimits());
    }

    /** An archive's metadata files kept in memory, in the image's file tree. */
    private final class KeptFiles
            implements RootFileSystem.Source
    {
        @Override
        public Entry entry(String path)
        {
            FileNode node = files.tree().node(path);
            if (node == null) {
                return null;
            }
            return switch (node.kind()) {
                case FILE, HARDLINK -> new Entry(Kind.FILE, "");
                case DIRECTORY -> new Entry(Kind.DIRECTORY, "");
                case SYMLINK -> new Entry(Kind.LINK, node.linkTarget());
                case OTHER -> new Entry(Kind.OTHER, "");
            };
        }

        @Override
        public long size(String path)
                throws IOException
        {
            return kept(path).length;
        }

        @Override
        public InputStream open(String path)
                throws IOException
        {
            return new java.io.ByteArrayInputStream(kept(path));
        }

        @Override
        public List<String> files(String directory)
        {
            List<String> names = new ArrayList<>();
            for (FileTree.Entry entry : files.tree().entriesBelow(directory)) {
                String name = entry.path().substring(directory.length() + 1);
                if (name.indexOf('/') < 0 && entry.node().isFile()) {
                    names.add(name);
                }
            }
            return names;
        }

        @Override
        public String describe()
        {
            return "the image";
        }

        private byte[] kept(String path)
                throws IOException
        {
            byte[] bytes = inMemory.get(path);
            if (bytes == null) {
                throw new java.io.FileNotFoundException("'" + path + "' was not read from the archive");
            }
            return bytes;
        }
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
