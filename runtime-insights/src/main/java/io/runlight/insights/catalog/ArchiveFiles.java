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
    // how much of compressed layers' wanted content is kept in memory during the header pass; the rest
    // is read in a second pass over its layer
    private static final long CAPTURE_MAX = 128L * 1024 * 1024;

    private final ImageArchive archive;
    private final CatalogLimits limits;
    private final ExtractionFolder scratch;
    private final FileTree tree = new FileTree();
    // per layer, where each member's content starts in the layer's tar (by ordinal, from 1): an
    // uncompressed layer's wanted files are then read in place, without a second pass over its headers
    private final List<long[]> contentOffsets = new ArrayList<>();
    // per compressed layer, the wanted members' content read during the header pass (by ordinal)
    private final Map<Integer, Map<Long, byte[]>> captured = new HashMap<>();
    private long capturedBytes;

    private ArchiveFiles(ImageArchive archive, CatalogLimits limits, ExtractionFolder scratch)
    {
        this.archive = archive;
        this.limits = limits;
        this.scratch = scratch;
    }

    /** Opens the archive and reads every layer's headers. */
    static ArchiveFiles open(Path path, CatalogLimits limits, ExtractionFolder scratch)
    {
        return open(path, limits, scratch, (file, node) -> false);
    }

    /**
     * Opens the archive and reads every layer's headers; the content of a compressed layer's
     * files that {@code wanted} (the predicate {@link #readContents} will be given) is kept in
     * memory as the headers are read, so that the layer need not be inflated a second time.
     */
    static ArchiveFiles open(Path path, CatalogLimits limits, ExtractionFolder scratch, BiPredicate<String, FileNode> wanted)
    {
        ImageArchive archive = ImageArchive.open(path, limits);
        try {
            ArchiveFiles files = new ArchiveFiles(archive, requireNonNull(limits, "limits is null"), requireNonNull(scratch, "scratch is null"));
            files.merge(requireNonNull(wanted, "wanted is null"));
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

    private void merge(BiPredicate<String, FileNode> wanted)
    {
        long entries = 0;
        long unpacked = 0;
        for (ImageArchive.Layer layer : archive.layers()) {
            String layerName = "layer " + (layer.index() + 1) + " (" + layer.name() + ")";
            CatalogLimits remaining = new CatalogLimits(limits.maxEntries(), limits.maxUnpackedBytes() - unpacked, limits.maxDepth(), limits.maxPathLength(),
                    limits.maxMetadataFileBytes(), limits.maxArchiveEntryBytes(), limits.readerLimits());
            boolean compressed = archive.uncompressedRegion(layer).isEmpty();
            Map<Long, byte[]> layerCaptured = new HashMap<>();
            captured.put(layer.index(), layerCaptured);
            try (InputStream in = archive.openLayer(layer)) {
                TarStream tar = new TarStream(in, layerName, remaining);
                ParentCache parents = new ParentCache();
                long[] offsets = new long[1024];
                int ordinal = 0;
                for (Optional<TarEntry> next = tar.next(); next.isPresent(); next = tar.next()) {
                    ordinal++;
                    entries++;
                    if (entries > limits.maxEntries()) {
                        throw new InputException(InputException.Reason.TOO_LARGE, FORMAT, layerName,
                                "the layers have more than " + limits.maxEntries() + " entries, the limit");
                    }
                    if (ordinal == offsets.length) {
                        offsets = java.util.Arrays.copyOf(offsets, offsets.length * 2);
                    }
                    offsets[ordinal] = tar.position();
                    String path = apply(next.get(), layer.index(), ordinal, layerName, parents);
                    if (compressed && path != null && next.get().kind() == TarEntry.Kind.FILE && capturedBytes + next.get().size() <= CAPTURE_MAX
                            && wanted.test(path, tree.node(path))) {
                        layerCaptured.put((long) ordinal, tar.content().readNBytes((int) next.get().size()));
                        capturedBytes += next.get().size();
                    }
                }
                contentOffsets.add(offsets);
                unpacked += tar.unpackedBytes();
            }
            catch (IOException e) {
                throw new InputException(InputException.Reason.MALFORMED, FORMAT, layerName, "cannot read the layer: " + e.getMessage(), e);
            }
        }
    }

    // the image path of the member, or null if it put nothing there (a whiteout, the root)
    private String apply(TarEntry entry, int layer, long ordinal, String layerName, ParentCache parents)
    {
        String name = memberPath(entry.name(), layerName);
        if (name.isEmpty()) {
            return null;
        }
        int slash = name.lastIndexOf('/');
        String base = name.substring(slash + 1);
        String parent = parents.resolve(slash < 0 ? "" : name.substring(0, slash), layer);
        String path = parent.equals("/") ? "/" + base : parent + "/" + base;
        if (base.startsWith(".wh.")) {
            if (base.equals(".wh..wh..opq")) {
                tree.removeBelow(parent, layer);
                // a removed folder is made again if a later member needs it
                parents.invalidate();
            }
            else if (!base.startsWith(".wh..wh.")) {
                String hidden = parent.equals("/") ? "/" + base.substring(4) : parent + "/" + base.substring(4);
                tree.removeFromLowerLayers(hidden, layer);
                parents.invalidate();
            }
            return null;
        }
        FileNode node = switch (entry.kind()) {
            case FILE -> new FileNode(FileNode.Kind.FILE, entry.size(), entry.mode(), "", layer, layer, ordinal);
            case DIRECTORY -> new FileNode(FileNode.Kind.DIRECTORY, 0, entry.mode(), "", layer, layer, ordinal);
            case SYMLINK -> new FileNode(FileNode.Kind.SYMLINK, 0, entry.mode(), entry.linkName(), layer, layer, ordinal);
            case HARDLINK -> hardLink(entry, layer, layerName);
            case OTHER -> new FileNode(FileNode.Kind.OTHER, 0, entry.mode(), "", layer, layer, ordinal);
        };
        // one look-up: the node goes in, and is taken back out in the rare case it must not replace what was there
        FileNode existing = tree.replace(path, node);
        if (node.kind() == FileNode.Kind.DIRECTORY && existing != null && existing.kind() == FileNode.Kind.DIRECTORY && existing.layer() == layer) {
            tree.replace(path, existing);
            return null;
        }
        if (node.kind() != FileNode.Kind.DIRECTORY && existing != null && existing.kind() == FileNode.Kind.DIRECTORY) {
            tree.removeBelow(path, Integer.MAX_VALUE);
            parents.invalidate();
        }
        // only a link (made or replaced) changes where later members' folders lead
        if (node.kind() == FileNode.Kind.SYMLINK || existing != null && existing.kind() == FileNode.Kind.SYMLINK) {
            parents.invalidate();
        }
        return path;
    }

    // a hard link shares the content of a member read before it
    private FileNode hardLink(TarEntry entry, int layer, String layerName)
    {
        String targetPath = "/" + memberPath(entry.linkName(), layerName);
        FileNode target = tree.resolve(targetPath, false).map(tree::node).orElse(null);
        if (target == null || !target.isFile()) {
            // a link to nothing (or to a folder) holds no bytes Runlight could read
            return new FileNode(FileNode.Kind.OTHER, 0, entry.mode(), targetPath, layer, layer, -1);
        }
        return new FileNode(FileNode.Kind.HARDLINK, target.size(), target.mode(), targetPath, layer, target.contentLayer(), target.contentOrdinal());
    }

    /**
     * The member's name as a clean relative path ({@code usr/lib/x.so}: no {@code ./}, no empty or
     * {@code .} segment, no trailing slash), {@code ""} for the root; refused if it is absolute,
     * has a {@code ..} segment or is too deep. Names as tar tools write them are clean already and
     * are checked in one scan without being split.
     */
    private String memberPath(String name, String layerName)
    {
        if (name.startsWith("/")) {
            throw new InputException(InputException.Reason.INVALID, FORMAT, layerName,
                    "the member '" + TarStream.printable(name) + "' has an absolute name; a layer's names are relative to the image root");
        }
        int end = name.endsWith("/") ? name.length() - 1 : name.length();
        int depth = 1;
        boolean clean = end > 0;
        int segmentStart = 0;
        for (int i = 0; i <= end && clean; i++) {
            if (i == end || name.charAt(i) == '/') {
                int length = i - segmentStart;
                boolean dot = length == 1 && name.charAt(segmentStart) == '.';
                boolean dotDot = length == 2 && name.charAt(segmentStart) == '.' && name.charAt(segmentStart + 1) == '.';
                clean = length > 0 && !dot && !dotDot;
                if (i < end) {
                    depth++;
                }
                segmentStart = i + 1;
            }
        }
        if (clean) {
            checkDepth(name, depth, layerName);
            return end == name.length() ? name : name.substring(0, end);
        }
        List<String> segments = FileTree.segments(name);
        if (segments.contains("..")) {
            throw new InputException(InputException.Reason.INVALID, FORMAT, layerName,
                    "the member '" + TarStream.printable(name) + "' has a '..' segment, which would reach outside the image root");
        }
        checkDepth(name, segments.size(), layerName);
        return String.join("/", segments);
    }

    private void checkDepth(String name, int depth, String layerName)
    {
        if (depth > limits.maxDepth()) {
            throw new InputException(InputException.Reason.TOO_LARGE, FORMAT, layerName,
                    "the member '" + TarStream.printable(name) + "' is " + depth + " folders deep, more than the limit of " + limits.maxDepth());
        }
    }

    @Override
    public void readContents(BiPredicate<String, FileNode> wanted, ContentHandler handler)
    {
        // per layer, the members whose content is wanted, and the image paths that share it
        Map<Integer, Map<Long, List<String>>> byLayer = new HashMap<>();
        for (FileTree.Entry file : tree.entries()) {
            FileNode node = file.node();
            if (node.isFile() && wanted.test(file.path(), node)) {
                byLayer.computeIfAbsent(node.contentLayer(), layer -> new java.util.TreeMap<>())
                        .computeIfAbsent(node.contentOrdinal(), ordinal -> new ArrayList<>(1))
                        .add(file.path());
            }
        }
        for (ImageArchive.Layer layer : archive.layers()) {
            Map<Long, List<String>> members = byLayer.get(layer.index());
            if (members == null) {
                continue;
            }
            String layerName = "layer " + (layer.index() + 1) + " (" + layer.name() + ")";
            Optional<ChannelRegion> layerRegion = archive.uncompressedRegion(layer);
            if (layerRegion.isPresent()) {
                readInPlace(layerRegion.get(), contentOffsets.get(layer.index()), members, layerName, handler);
                continue;
            }
            Map<Long, byte[]> layerCaptured = captured.getOrDefault(layer.index(), Map.of());
            if (layerCaptured.keySet().containsAll(members.keySet())) {
                try {
                    for (Map.Entry<Long, List<String>> member : members.entrySet()) {
                        deliverCaptured(member.getValue(), layerCaptured.get(member.getKey()), handler);
                    }
                }
                catch (IOException e) {
                    throw new InputException(InputException.Reason.MALFORMED, FORMAT, layerName, "cannot read the layer: " + e.getMessage(), e);
                }
                continue;
            }
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
                    byte[] bytes = layerCaptured.get(ordinal);
                    if (bytes != null) {
                        deliverCaptured(paths, bytes, handler);
                    }
                    else {
                        deliver(paths, tar.content(), handler);
                    }
                }
            }
            catch (IOException e) {
                throw new InputException(InputException.Reason.MALFORMED, FORMAT, layerName, "cannot read the layer: " + e.getMessage(), e);
            }
        }
    }

    // an uncompressed layer's member is a part of the archive file: readers read just the parts they need, in file order
    private void readInPlace(ChannelRegion layer, long[] offsets, Map<Long, List<String>> members, String layerName, ContentHandler handler)
    {
        try {
            for (Map.Entry<Long, List<String>> member : members.entrySet()) {
                for (String path : member.getValue()) {
                    FileNode node = tree.node(path);
                    ChannelRegion content = layer.slice(offsets[(int) (long) member.getKey()], node.size());
                    try (InputStream in = content.stream()) {
                        handler.accept(path, node, new ChannelRegion.Content(in, content));
                    }
                }
            }
        }
        catch (IOException e) {
            throw new InputException(InputException.Reason.MALFORMED, FORMAT, layerName, "cannot read the layer: " + e.getMessage(), e);
        }
    }

    // content kept in memory: each path gets its own view of it, read at random
    private void deliverCaptured(List<String> paths, byte[] bytes, ContentHandler handler)
            throws IOException
    {
        for (String path : paths) {
            ChannelRegion region = ChannelRegion.of(bytes);
            try (InputStream in = region.stream()) {
                handler.accept(path, tree.node(path), new ChannelRegion.Content(in, region));
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
     * folder and go back to a folder after its subfolders, so the answers are kept until a link
     * or a removal could change them.
     */
    private final class ParentCache
    {
        private final Map<String, String> resolvedFolders = new HashMap<>();
        private String lastParent;
        private String lastResolved = "/";

        /** The folder {@code parent} (a clean relative path, {@code ""} for the root) leads to. */
        String resolve(String parent, int layer)
        {
            if (parent.isEmpty()) {
                return "/";
            }
            if (parent.equals(lastParent)) {
                return lastResolved;
            }
            String resolved = resolvedFolders.get(parent);
            if (resolved == null) {
                String raw = "/" + parent;
                // a link loop in the folders: the member stays where its name puts it
                resolved = tree.resolve(raw, true).orElse(raw);
                addMissingFolders(resolved, layer);
                resolvedFolders.put(parent, resolved);
            }
            lastParent = parent;
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
            lastParent = null;
            resolvedFolders.clear();
        }
    }
}
