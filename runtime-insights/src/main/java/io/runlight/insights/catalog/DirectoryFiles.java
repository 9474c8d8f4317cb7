package io.runlight.insights.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

import io.runlight.insights.input.InputException;
import io.runlight.insights.sbom.ImageIdentity;

import static java.util.Objects.requireNonNull;

/**
 * The files below a root folder: an unpacked image, a mounted container file system, or a
 * real system's {@code /}. Symbolic links are recorded, never followed, so the walk stays
 * inside the folder; {@code /proc}, {@code /sys} and {@code /dev} of the root are skipped,
 * as they hold no installed software. A file that cannot be read (permissions) is reported
 * as a warning and left out, not a reason to give up on the rest.
 */
final class DirectoryFiles
        implements ImageFiles
{
    private static final Set<String> SKIPPED = Set.of("proc", "sys", "dev");

    private final Path root;
    private final ImageIdentity identity;
    private final Consumer<String> warnings;
    private final Set<String> excluded;
    private final FileTree tree = new FileTree();

    private DirectoryFiles(Path root, ImageIdentity identity, Consumer<String> warnings, Set<String> excluded)
    {
        this.root = root;
        this.identity = identity;
        this.warnings = warnings;
        this.excluded = excluded;
    }

    /**
     * @param onlyFolders when present, only these paths are walked, and any other path the catalogers
     *        ask about is looked up on disk when asked (OS package databases need no full walk)
     */
    static DirectoryFiles walk(Path root, ImageIdentity identity, CatalogLimits limits, Consumer<String> warnings, Optional<List<String>> onlyFolders)
    {
        return walk(root, identity, limits, warnings, onlyFolders, Set.of());
    }

    /**
     * @param excluded folders (absolute paths inside the root, such as {@code /var/lib/docker}) not walked
     */
    static DirectoryFiles walk(Path root, ImageIdentity identity, CatalogLimits limits, Consumer<String> warnings, Optional<List<String>> onlyFolders,
            Set<String> excluded)
    {
        requireNonNull(root, "root is null");
        Path absolute = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new InputException(InputException.Reason.INVALID, "root folder", root.toString(), "not a folder");
        }
        DirectoryFiles files = new DirectoryFiles(absolute, requireNonNull(identity, "identity is null"), requireNonNull(warnings, "warnings is null"),
                Set.copyOf(requireNonNull(excluded, "excluded is null")));
        if (onlyFolders.isEmpty()) {
            if (Files.isSymbolicLink(absolute)) {
                files.walkChildren(absolute, limits);
            }
            else {
                files.walk(absolute, limits);
            }
            return files;
        }
        for (String folder : onlyFolders.get()) {
            Path start = absolute.resolve(folder.substring(1));
            if (Files.exists(start, LinkOption.NOFOLLOW_LINKS)) {
                files.walk(start, limits);
            }
        }
        files.tree.lookupMissing(path -> files.stat(path, limits));
        return files;
    }

    // a path outside the walked folders, as the walk would have recorded it
    private Optional<FileNode> stat(String path, CatalogLimits limits)
    {
        if (path.length() > limits.maxPathLength() || path.contains("/../") || path.endsWith("/..")) {
            return Optional.empty();
        }
        Path file = root.resolve(path.substring(1));
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                return Optional.of(new FileNode(FileNode.Kind.SYMLINK, 0, 0777, Files.readSymbolicLink(file).toString(), 0, 0, 0));
            }
            if (attributes.isDirectory()) {
                return Optional.of(new FileNode(FileNode.Kind.DIRECTORY, 0, 0755, "", 0, 0, 0));
            }
            return Optional.of(new FileNode(attributes.isRegularFile() ? FileNode.Kind.FILE : FileNode.Kind.OTHER, attributes.size(), 0644, "", 0, 0, 0));
        }
        catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * A root that is a link ({@code /proc/<pid>/root}, the root of a process's mount namespace)
     * is walked through: its children are reached by their paths below the link, so each
     * lookup goes through the link into that namespace. Resolving the link instead would give
     * its target as this process sees it ({@code /}): the wrong file system.
     */
    private void walkChildren(Path link, CatalogLimits limits)
    {
        List<Path> children = new java.util.ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(link)) {
            entries.forEach(children::add);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list '" + link + "'", e);
        }
        children.sort(Path::compareTo);
        for (Path child : children) {
            walk(child, limits);
        }
    }

    private void walk(Path start, CatalogLimits limits)
    {
        long[] count = {tree.size()};
        try {
            Files.walkFileTree(start, Set.of(), limits.maxDepth(), new SimpleFileVisitor<>()
            {
                @Override
                public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes)
                {
                    if (directory.equals(root)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (directory.getParent().equals(root) && SKIPPED.contains(directory.getFileName().toString())
                            || !excluded.isEmpty() && excluded.contains(imagePath(directory))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    add(directory, attributes);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                {
                    add(file, attributes);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException failure)
                {
                    warnings.accept("cannot read '" + imagePath(file) + "': " + describe(failure));
                    return FileVisitResult.CONTINUE;
                }

                private void add(Path file, BasicFileAttributes attributes)
                {
                    count[0]++;
                    if (count[0] > limits.maxEntries()) {
                        throw new InputException(InputException.Reason.TOO_LARGE, "root folder", root.toString(),
                                "the folder has more than " + limits.maxEntries() + " files, the limit");
                    }
                    String path = imagePath(file);
                    if (path.length() > limits.maxPathLength()) {
                        warnings.accept("skipped a path longer than " + limits.maxPathLength() + " characters: '" + TarStream.printable(path) + "'");
                        return;
                    }
                    int mode = attributes.isRegularFile() ? mode(file) : 0755;
                    if (attributes.isSymbolicLink()) {
                        String target;
                        try {
                            target = Files.readSymbolicLink(file).toString();
                        }
                        catch (IOException e) {
                            target = "";
                        }
                        tree.put(path, new FileNode(FileNode.Kind.SYMLINK, 0, mode, target, 0, 0, 0));
                    }
                    else if (attributes.isDirectory()) {
                        tree.put(path, new FileNode(FileNode.Kind.DIRECTORY, 0, mode, "", 0, 0, 0));
                    }
                    else if (attributes.isRegularFile()) {
                        tree.put(path, new FileNode(FileNode.Kind.FILE, attributes.size(), mode, "", 0, 0, 0));
                    }
                    else {
                        tree.put(path, new FileNode(FileNode.Kind.OTHER, 0, mode, "", 0, 0, 0));
                    }
                }
            });
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot walk '" + root + "'", e);
        }
    }

    @Override
    public FileTree tree()
    {
        return tree;
    }

    @Override
    public ImageIdentity identity()
    {
        return identity;
    }

    @Override
    public Optional<Path> onDisk(String path)
    {
        return Optional.of(root.resolve(path.substring(1)));
    }

    @Override
    public void readContents(BiPredicate<String, FileNode> wanted, ContentHandler handler)
    {
        for (FileTree.Entry file : tree.entries()) {
            FileNode node = file.node();
            if (!node.isFile() || !wanted.test(file.path(), node)) {
                continue;
            }
            Path onDisk = root.resolve(file.path().substring(1));
            // the walk followed no link, so only the last segment could be one by now: NOFOLLOW_LINKS refuses it
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(onDisk, java.nio.file.StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                ChannelRegion region = new ChannelRegion(channel, 0, channel.size());
                handler.accept(file.path(), node, new ChannelRegion.Content(region.stream(), region));
            }
            catch (IOException e) {
                warnings.accept("cannot read '" + file.path() + "': " + describe(e));
            }
        }
    }

    @Override
    public void close()
    {
        // nothing held open
    }

    private String imagePath(Path file)
    {
        Path relative = root.relativize(file);
        return "/" + relative.toString().replace('\\', '/');
    }

    private static String describe(IOException failure)
    {
        return failure instanceof AccessDeniedException ? "permission denied" : failure.getMessage();
    }

    // the walk's attributes are basic ones: permissions need a look of their own (regular files only)
    private static int mode(Path file)
    {
        try {
            return mode(Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).permissions());
        }
        catch (IOException | UnsupportedOperationException e) {
            return 0644;
        }
    }

    private static int mode(Set<PosixFilePermission> permissions)
    {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= switch (permission) {
                case OWNER_READ -> 0400;
                case OWNER_WRITE -> 0200;
                case OWNER_EXECUTE -> 0100;
                case GROUP_READ -> 040;
                case GROUP_WRITE -> 020;
                case GROUP_EXECUTE -> 010;
                case OTHERS_READ -> 04;
                case OTHERS_WRITE -> 02;
                case OTHERS_EXECUTE -> 01;
            };
        }
        return mode;
    }
}
