package io.runlight.insights.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.PackageType;

import static java.util.Objects.requireNonNull;

/**
 * Runlight's own cataloger: finds what is installed in an image from the package managers'
 * own records, with the files each package owns, so that runtime evidence can be matched
 * without relying on which SBOM tool a team uses.
 *
 * <p>The image is a root folder (an unpacked image, a container's file system, a real
 * system) or an image archive ({@code docker save}, OCI layout folder or tar). An archive is
 * never unpacked: its layers' headers are merged into a file tree, and only the metadata
 * files catalogers read are written to a temporary folder, which is removed afterwards.
 * Jars and binaries are read as streams straight from the layers.
 *
 * <p>A library: no network, no clock; the same image gives the same catalog.
 */
public final class Cataloger
{
    private static final Set<PackageType> OS_TYPES = Set.of(PackageType.DEB, PackageType.APK, PackageType.RPM);
    // a compressed layer's jar or executable up to this size is read into memory rather than streamed or copied to disk
    static final long IN_MEMORY_MAX = 64L * 1024 * 1024;

    private final CatalogLimits limits;
    private final Optional<Path> temporaryParent;
    private final Set<PackageType> types;

    /**
     * @param temporaryParent where the temporary folder goes (default: the system's temporary folder)
     */
    public Cataloger(CatalogLimits limits, Optional<Path> temporaryParent)
    {
        this(limits, temporaryParent, Set.of());
    }

    /**
     * @param types the ecosystems to catalog, all if empty; OS packages alone need no walk of the
     *        whole root folder, only their databases (fast on a real system's {@code /})
     */
    public Cataloger(CatalogLimits limits, Optional<Path> temporaryParent, Set<PackageType> types)
    {
        this.limits = requireNonNull(limits, "limits is null");
        this.temporaryParent = requireNonNull(temporaryParent, "temporaryParent is null");
        this.types = Set.copyOf(requireNonNull(types, "types is null"));
    }

    /**
     * Catalogs the files below {@code root}.
     *
     * @param image the image the folder holds, as the user names it ({@link ImageIdentity#UNKNOWN} if not known)
     */
    public Catalog catalogRootFolder(Path root, ImageIdentity image)
    {
        return catalogRootFolder(root, image, Set.of());
    }

    /**
     * Catalogs the files below {@code root} but those below the excluded folders: on a real
     * system's {@code /}, the container runtimes' storage ({@code /var/lib/docker}, ...) holds
     * other images, not the host's software.
     *
     * @param excluded absolute paths inside the root ({@code /var/lib/containerd}) of folders not to walk
     */
    public Catalog catalogRootFolder(Path root, ImageIdentity image, Set<String> excluded)
    {
        requireNonNull(root, "root is null");
        requireNonNull(image, "image is null");
        requireNonNull(excluded, "excluded is null");
        ExtractionFolder scratch = ExtractionFolder.create(temporaryParent.orElse(null), limits.maxMetadataFileBytes());
        try {
            List<String> walkWarnings = new ArrayList<>();
            Optional<List<String>> onlyFolders = !types.isEmpty() && OS_TYPES.containsAll(types)
                    ? Optional.of(List.of("/etc", "/usr/lib/os-release", "/var/lib/dpkg", "/lib/apk/db", "/var/lib/rpm", "/usr/lib/sysimage/rpm"))
                    : Optional.empty();
            try (DirectoryFiles files = DirectoryFiles.walk(root, image, limits, walkWarnings::add, onlyFolders, excluded)) {
                CatalogContext context = new CatalogContext(files, root.toAbsolutePath().normalize(), scratch, limits);
                walkWarnings.forEach(context::warn);
                return catalog(files, context, false);
            }
        }
        finally {
            scratch.delete();
        }
    }

    /** Catalogs an image archive: a {@code docker save} tarball, or an OCI image layout folder or tar. */
    public Catalog catalogArchive(Path archive)
    {
        requireNonNull(archive, "archive is null");
        ExtractionFolder scratch = ExtractionFolder.create(temporaryParent.orElse(null), limits.maxMetadataFileBytes());
        try {
            List<Ecosystem> ecosystems = ecosystems();
            // what the catalogers read is known from a file's path and header: a compressed layer's wanted files are kept as its headers are read
            try (ArchiveFiles files = ArchiveFiles.open(archive, limits, scratch, wanted(ecosystems, true))) {
                Path metadataRoot = scratch.root().resolve("root");
                Files.createDirectory(metadataRoot);
                ExtractionFolder metadata = new ExtractionFolder(metadataRoot, limits.maxMetadataFileBytes());
                CatalogContext context = new CatalogContext(files, metadataRoot, scratch, limits);
                // links first, those on the way to the package databases: readers resolve os-release and friends through them
                for (FileTree.Entry entry : files.tree().entries()) {
                    if (entry.node().kind() == FileNode.Kind.SYMLINK && !entry.node().linkTarget().isEmpty() && onTheWayToDatabases(entry.path())) {
                        metadata.link(entry.path(), entry.node().linkTarget());
                    }
                }
                return catalog(files, context, true, metadata, ecosystems);
            }
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the temporary folder for '" + archive + "'", e);
        }
        catch (InternalError e) {
            if (e.getMessage() == null || !e.getMessage().contains("unsafe memory access")) {
                throw e;
            }
            // the archive is read through a memory mapping: a read past the end of a file shortened since it was opened
            throw new InputException(InputException.Reason.MALFORMED, DocumentFormat.IMAGE_ARCHIVE.displayName(), archive.toString(),
                    "the file changed while it was read (it is shorter than when it was opened); catalog a copy that nothing writes to", e);
        }
        finally {
            scratch.delete();
        }
    }

    private Catalog catalog(ImageFiles files, CatalogContext context, boolean extractMetadata)
    {
        return catalog(files, context, extractMetadata, null, ecosystems());
    }

    // the files some cataloger reads: its metadata (from an archive) or a stream
    private static java.util.function.BiPredicate<String, FileNode> wanted(List<Ecosystem> ecosystems, boolean extractMetadata)
    {
        return (path, node) -> {
            for (Ecosystem ecosystem : ecosystems) {
                if (extractMetadata && ecosystem.wantsMetadata(path) || ecosystem.wantsStream(path, node)) {
                    return true;
                }
            }
            return false;
        };
    }

    private Catalog catalog(ImageFiles files, CatalogContext context, boolean extractMetadata, ExtractionFolder metadata, List<Ecosystem> ecosystems)
    {
        files.readContents(
                wanted(ecosystems, extractMetadata),
                (path, node, stream) -> {
                    boolean isMetadata = false;
                    boolean onDisk = false;
                    List<Ecosystem> streamReaders = new ArrayList<>(2);
                    for (Ecosystem ecosystem : ecosystems) {
                        boolean metadataOfThis = extractMetadata && ecosystem.wantsMetadata(path);
                        isMetadata |= metadataOfThis;
                        onDisk |= metadataOfThis && ecosystem.metadataOnDisk();
                        if (ecosystem.wantsStream(path, node)) {
                            streamReaders.add(ecosystem);
                        }
                    }
                    Optional<Ecosystem> streamReader = streamReaders.stream().findFirst();
                    InputStream content = stream;
                    if (!streamReaders.isEmpty() && !(stream instanceof ChannelRegion.Content) && node.size() <= IN_MEMORY_MAX) {
                        // a jar or executable of a compressed layer: held in memory, every reader reads at random the parts it
                        // needs (a central directory, an ELF section table at the end) and the layer is inflated once, nothing spilled
                        ChannelRegion region = ChannelRegion.of(stream.readNBytes((int) node.size()));
                        content = new ChannelRegion.Content(region.stream(), region);
                    }
                    if (isMetadata && !onDisk && streamReader.isEmpty()) {
                        context.keep(path, content);
                    }
                    else if (isMetadata) {
                        Path written = metadata.write(path, content);
                        if (streamReader.isPresent()) {
                            try (InputStream again = Files.newInputStream(written)) {
                                streamReader.get().stream(path, node, again, context);
                            }
                        }
                    }
                    else if (streamReader.isPresent()) {
                        streamReader.get().stream(path, node, content, context);
                    }
                    // an executable is both a possible Go and Rust binary: a file read at random is read again, a stream only once
                    for (Ecosystem other : streamReaders.subList(Math.min(1, streamReaders.size()), streamReaders.size())) {
                        if (content instanceof ChannelRegion.Content random) {
                            try (InputStream again = random.region().stream()) {
                                other.stream(path, node, new ChannelRegion.Content(again, random.region()), context);
                            }
                        }
                        else {
                            other.streamTaken(path, node);
                        }
                    }
                });
        for (Ecosystem ecosystem : ecosystems) {
            java.util.Set<String> pending = java.util.Set.copyOf(ecosystem.pendingFiles());
            if (!pending.isEmpty()) {
                files.readContents((path, node) -> pending.contains(path),
                        (path, node, content) -> context.randomAccess(path, content, file -> {
                            ecosystem.readFile(path, file, context);
                            return null;
                        }));
            }
        }
        context.os(context.metadata(DocumentFormat.RUNLIGHT_CATALOG).osRelease());
        for (Ecosystem ecosystem : ecosystems) {
            ecosystem.finish(context);
        }
        List<SbomPackage> found = context.packages().stream().filter(sbomPackage -> wanted(sbomPackage.pkg().type())).toList();
        return new Catalog(files.identity(), context.os(), uniqueIds(found), context.warnings());
    }

    private static final List<String> DATABASE_PATHS = List.of("/etc/os-release", "/usr/lib/os-release", "/var/lib/dpkg/status",
            "/var/lib/dpkg/status.d/", "/var/lib/dpkg/info/", "/lib/apk/db/installed", "/var/lib/rpm/", "/usr/lib/sysimage/rpm/");

    // a link at a database path or at one of its folders (/var -> /private/var, /lib -> usr/lib)
    private static boolean onTheWayToDatabases(String path)
    {
        for (String database : DATABASE_PATHS) {
            if (database.equals(path) || database.startsWith(path + "/")) {
                return true;
            }
        }
        return false;
    }

    private List<Ecosystem> ecosystems()
    {
        List<Ecosystem> all = new ArrayList<>();
        if (wanted(PackageType.DEB) || wanted(PackageType.APK)) {
            all.add(new OsPackages());
        }
        if (wanted(PackageType.RPM)) {
            all.add(new RpmPackages());
        }
        if (wanted(PackageType.PYPI)) {
            all.add(new PythonPackages());
        }
        if (wanted(PackageType.NPM)) {
            all.add(new NpmPackages());
        }
        if (wanted(PackageType.MAVEN)) {
            all.add(new JavaArchives());
        }
        if (wanted(PackageType.GOLANG)) {
            all.add(new GoBinaries());
        }
        if (wanted(PackageType.CARGO)) {
            all.add(new CargoBinaries());
        }
        if (wanted(PackageType.COMPOSER)) {
            all.add(new ComposerPackages());
        }
        if (wanted(PackageType.NUGET)) {
            all.add(new NugetPackages());
        }
        if (wanted(PackageType.GEM)) {
            all.add(new RubyGems());
        }
        return all;
    }

    private boolean wanted(PackageType type)
    {
        return types.isEmpty() || types.contains(type);
    }

    private record SortKey(String type, String purl, String location, SbomPackage sbomPackage) {}

    // sorted by ecosystem, name, version and place, with ids made unique: the same image gives the same catalog
    private static List<SbomPackage> uniqueIds(List<SbomPackage> packages)
    {
        // each package's purl is written out once, not at every comparison
        List<SortKey> sorted = new ArrayList<>(packages.size());
        for (SbomPackage sbomPackage : packages) {
            sorted.add(new SortKey(sbomPackage.pkg().type().wireName(), sbomPackage.pkg().purl().toString(),
                    sbomPackage.locations().isEmpty() ? "" : sbomPackage.locations().get(0), sbomPackage));
        }
        sorted.sort(Comparator.comparing(SortKey::type).thenComparing(SortKey::purl).thenComparing(SortKey::location));
        Set<String> used = new HashSet<>();
        List<SbomPackage> result = new ArrayList<>(sorted.size());
        for (SortKey key : sorted) {
            SbomPackage sbomPackage = key.sbomPackage();
            String base = key.purl();
            String id = base;
            int suffix = 2;
            while (!used.add(id)) {
                id = base + "#" + suffix;
                suffix++;
            }
            result.add(new SbomPackage(id, sbomPackage.pkg(), sbomPackage.ownedFiles(), sbomPackage.locations(), sbomPackage.nestedIn()));
        }
        return result;
    }
}
