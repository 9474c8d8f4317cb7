package io.runlight.insights.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.sbom.ImageIdentity;

import static java.util.Objects.requireNonNull;

/**
 * The files of an image archive: its layers applied bottom first, as a container runtime
 * unpacks them, but kept as a tree of headers rather than written to disk.
 *
 * <ul>
 *   <li>A later layer's file replaces an earlier one; a file replacing a folder removes what
 *       was below it.</li>
 *   <li>{@code .wh.<name>} removes {@code <name>} (and what is below it) of the layers below;
 *       {@code .wh..wh..opq} empties its folder of what the layers below put there.</li>
 *   <li>A member below a folder that an earlier member made a symbolic link lands where the
 *       link leads, resolved inside the image (as containerd and Docker extract it).</li>
 *   <li>Refused: a member name with a {@code ..} segment or an absolute one, more members,
 *       bytes or path depth than the limits allow.</li>
 * </ul>
 */
final class ArchiveFiles
        implements ImageFiles
{
    private static final String FORMAT = DocumentFormat.IMAGE_ARCHIVE.displayName();

    private final ImageArchive archive;
    private final CatalogLimits limits;
    private final ExtractionFolder scratch;
    private final FileTree tree = new FileTree();

    private ArchiveFiles(ImageArchive archive, CatalogLimits limits, ExtractionFolder scratch)
    {
        this.archive = archive;
        this.limits = limits;
        this.scratch = scratch;
    }

    /** Opens the archive and reads every layer's headers. */
    static ArchiveFiles open(Path path, CatalogLimits limits, ExtractionFolder scratch)
    {
        ImageArchive archive = ImageArchive.open(path, limits);
        try {
            ArchiveFiles files = new ArchiveFiles(archive, requireNonNull(limits, "limits is null"), requireNonNull(scratch, "scratch is null"));
            files.merge();
            return files;
        }
        catch (RuntimeException e) {
            archive.close();
            throw e;
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
        return archive.identity();
    }

    @Override
    public Optional<Path> onDisk(String path)
    {
        return Optional.empty();
    }

    @Override
    public void close()
    {
        archive.close();
    }

    private void merge()
    {
        long entries = 0;
        long unpacked = 0;
        for (ImageArchive.Layer layer : archive.layers()) {
            String layerName = "layer " + (layer.index() + 1) + " (" + layer.name() + ")";
            CatalogLimits remaining = new CatalogLimits(limits.maxEntries(), limits.maxUnpackedBytes() - unpacked, limits.maxDepth(), limits.maxPathLength(),
                    limits.maxMetadataFileBytes(), limits.maxArchiveEntryBytes(), limits.readerLimits());
            try (InputStream in = archive.openLayer(layer)) {
                TarStream tar = new TarStream(in, layerName, remaining);
                ParentCache parents = new ParentCache();
                long ordinal = 0;
                for (Optional<TarEntry> next = tar.next(); next.isPresent(); next = tar.next()) {
                    ordinal++;
                    entries++;
                    if (entries > limits.maxEntries()) {
                        throw new InputException(InputException.Reason.TOO_LARGE, FORMAT, layerName,
                                "the layers have more than " + limits.maxEntries() + " entries, the limit");
                    }
                    apply(next.get(), layer.index(), ordinal, layerName, parents);
                }
                unpacked += tar.unpackedBytes();
            }
            catch (IOException e) {
                throw new InputException(InputException.Reason.MALFORMED, FORMAT, layerName, "cannot read the layer: " + e.getMessage(), e);
            }
        }
    }

    private void apply(TarEntry entry, int layer, long ordinal, String layerName, ParentCache parents)
    {
        List<String> segments = memberSegments(entry.name(), layerName);
        if (segments.isEmpty()) {
            return;
        }
        String base = segments.get(segments.size() - 1);
        String parent = parents.resolve(segments, layer);
        String path = parent.equals("/") ? "/" + base : parent + "/" + base;
        if (base.startsWith(".wh.")) {
            if (base.equals(".wh..wh..opq")) {
                tree.removeBelow(parent, layer);
            }
            else if (!base.startsWith(".wh..wh.")) {
                String hidden = parent.equals("/") ? "/" + base.substring(4) : parent + "/" + base.substring(4);
                tree.removeFromLowerLayers(hidden, layer);
            }
            return;
        }
        FileNode node = switch (entry.kind()) {
            case FILE -> new FileNode(FileNode.Kind.FILE, entry.size(), entry.mode(), "", layer, layer, ordinal);
            case DIRECTORY -> new FileNode(FileNode.Kind.DIRECTORY, 0, entry.mode(), "", layer, layer, ordinal);
            case SYMLINK -> new FileNode(FileNode.Kind.SYMLINK, 0, entry.mode(), entry.linkName(), layer, layer, ordinal);
            case HARDLINK -> hardLink(entry, layer, layerName);
            case OTHER -> new FileNode(FileNode.Kind.OTHER, 0, entry.mode(), "", layer, layer, ordinal);
        };
        FileNode existing = tree.node(path);
        if (node.kind() != FileNode.Kind.DIRECTORY && existing != null && existing.kind() == FileNode.Kind.DIRECTORY) {
            tree.removeBelow(path, Integer.MAX_VALUE);
        }
        if (node.kind() == FileNode.Kind.DIRECTORY && existing != null && existing.kind() == FileNode.Kind.DIRECTORY && existing.layer() == layer) {
            return;
        }
        tree.put(path, node);
        // only a link (made or replaced) changes where later members' folders lead
        if (node.kind() == FileNode.Kind.SYMLINK || existing != null && existing.kind() == FileNode.Kind.SYMLINK) {
            parents.invalidate();
        }
    }

    // a hard link shares the content of a member read before it
    private FileNode hardLink(TarEntry entry, int layer, String layerName)
    {
        List<String> targetSegments = memberSegments(entry.linkName(), layerName);
        String targetPath = "/" + String.join("/", targetSegments);
        FileNode target = tree.resolve(targetPath, false).map(tree::node).orElse(null);
        if (target == null || !target.isFile()) {
            // a link to nothing (or to a folder) holds no bytes Runlight could read
            return new FileNode(FileNode.Kind.OTHER, 0, entry.mode(), targetPath, layer, layer, -1);
        }
        return new FileNode(FileNode.Kind.HARDLINK, target.size(), target.mode(), targetPath, layer, target.contentLayer(), target.contentOrdinal());
    }

    private List<String> memberSegments(String name, String layerName)
    {
        if (name.startsWith("/")) {
            throw new InputException(InputException.Reason.INVALID, FORMAT, layerName,
                    "the member '" + TarStream.printable(name) + "' has an absolute name; a layer's names are relative to the image root");
        }
        List<String> segments = FileTree.segments(name);
        if (segments.contains("..")) {
            throw new InputException(InputException.Reason.INVALID, FORMAT, layerName,
                    "the member '" + TarStream.printable(name) + "' has a '..' segment, which would reach outside the image root");
        }
        if (segments.size() > limits.maxDepth()) {
            throw new InputException(InputException.Reason.TOO_LARGE, FORMAT, layerName,
                    "the member '" + TarStream.printable(name) + "' is " + segments.size() + " folders deep, more than the limit of " + limits.maxDepth());
        }
        return segments;
    }

    @Override
    public void readContents(BiPredicate<String, FileNode> wanted, ContentHandler handler)
    {
        // per layer, the members whose content is wanted, and the image paths that share it
        Map<Integer, Map<Long, List<String>>> byLayer = new HashMap<>();
        for (Map.Entry<String, FileNode> file : tree.all().entrySet()) {
            FileNode node = file.getValue();
            if (node.isFile() && wanted.test(file.getKey(), node)) {
                byLayer.computeIfAbsent(node.contentLayer(), layer -> new HashMap<>())
                        .computeIfAbsent(node.contentOrdinal(), ordinal -> new ArrayList<>(1))
                        .add(file.getKey());
            }
        }
        for (ImageArchive.Layer layer : archive.layers()) {
            Map<Long, List<String>> members = byLayer.get(layer.index());
            if (members == null) {
                continue;
            }
            String layerName = "layer " + (layer.index() + 1) + " (" + layer.name() + ")";
            Optional<ChannelRegion> layerRegion = archive.uncompressedRegion(layer);
            try (InputStream in = archive.openLayer(layer)) {
                TarStream tar = new TarStream(in, layerName, limits);
                long ordinal = 0;
                int left = members.size();
                for (Optional<TarEntry> next = tar.next(); next.isPresent() && left > 0; next = tar.next()) {
                    ordinal++;
                    List<String> paths = members.get(ordinal);
                    if (paths == null) {
                        continue;
                    }
                    left--;
                    InputStream content = tar.content();
                    if (layerRegion.isPresent()) {
                        // an uncompressed layer's member is a part of the file: readers may read just the parts they need
                        content = new ChannelRegion.Content(content, layerRegion.get().slice(tar.position(), next.get().size()));
                    }
                    deliver(paths, content, handler);
                }
            }
            catch (IOException e) {
                throw new InputException(InputException.Reason.MALFORMED, FORMAT, layerName, "cannot read the layer: " + e.getMessage(), e);
            }
        }
    }

    private void deliver(List<String> paths, InputStream content, ContentHandler handler)
            throws IOException
    {
        if (paths.size() == 1) {
            handler.accept(paths.get(0), tree.node(paths.get(0)), content);
            return;
        }
        // hard links: one member, several paths; each reader gets its own copy of the stream
        Path copy = scratch.spill(content, paths.get(0));
        try {
            for (String path : paths) {
                try (InputStream in = Files.newInputStream(copy)) {
                    handler.accept(path, tree.node(path), in);
                }
            }
        }
        finally {
            Files.deleteIfExists(copy);
        }
    }

    /**
     * Where a member's folder really is once links are followed; members come folder by
     * folder, so the last answer is kept until a link or folder could change it.
     */
    private final class ParentCache
    {
        private List<String> lastParent = List.of();
        private String lastResolved = "/";

        String resolve(List<String> segments, int layer)
        {
            List<String> parent = segments.subList(0, segments.size() - 1);
            if (parent.isEmpty()) {
                return "/";
            }
            if (parent.equals(lastParent)) {
                return lastResolved;
            }
            String raw = "/" + String.join("/", parent);
            // a link loop in the folders: the member stays where its name puts it
            String resolved = tree.resolve(raw, true).orElse(raw);
            addMissingFolders(resolved, layer);
            lastParent = List.copyOf(parent);
            lastResolved = resolved;
            return resolved;
        }

        // a layer may hold files without members for their folders (tar allows it): the folders exist all the same
        private void addMissingFolders(String folder, int layer)
        {
            String current = folder;
            while (!current.equals("/") && tree.node(current) == null) {
                tree.put(current, new FileNode(FileNode.Kind.DIRECTORY, 0, 0755, "", layer, layer, -1));
                current = current.substring(0, Math.max(current.lastIndexOf('/'), 1));
                if (current.isEmpty()) {
                    break;
                }
            }
        }

        void invalidate()
        {
            lastParent = List.of();
        }
    }
}
