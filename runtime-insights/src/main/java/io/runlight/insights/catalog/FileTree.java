package io.runlight.insights.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The files of an image by absolute path ({@code /usr/bin/python3}), sorted, so that what
 * lies below a folder is one contiguous range. Built once by an image source, then only read.
 */
final class FileTree
{
    private static final int MAX_LINK_HOPS = 40;

    private final TreeMap<String, FileNode> nodes = new TreeMap<>();
    // the same nodes by path: a look-up hashes the path once instead of comparing it with a dozen
    // sorted paths that share its long prefix (tens of thousands of look-ups while layers are merged)
    private final java.util.HashMap<String, FileNode> byPath = new java.util.HashMap<>();
    // for a partly walked root folder: paths outside the walk are looked up when asked
    private Function<String, Optional<FileNode>> missing = path -> Optional.empty();
    // the same nodes in path order, made when first asked and kept until the tree changes: catalogers
    // go over every file several times, and an array is much cheaper to go over than the red-black tree
    private List<Entry> sorted;

    /** A file of the tree and its path. */
    record Entry(String path, FileNode node) {}

    void lookupMissing(Function<String, Optional<FileNode>> lookup)
    {
        missing = lookup;
    }

    void put(String path, FileNode node)
    {
        nodes.put(path, node);
        byPath.put(path, node);
        sorted = null;
    }

    /** Puts the node at the path; the node that was there, or null. */
    FileNode replace(String path, FileNode node)
    {
        byPath.put(path, node);
        sorted = null;
        return nodes.put(path, node);
    }

    Optional<FileNode> get(String path)
    {
        return Optional.ofNullable(node(path));
    }

    FileNode node(String path)
    {
        FileNode node = byPath.get(path);
        if (node == null) {
            node = missing.apply(path).orElse(null);
        }
        return node;
    }

    int size()
    {
        return nodes.size();
    }

    /** Every path and node, sorted by path. */
    NavigableMap<String, FileNode> all()
    {
        return Collections.unmodifiableNavigableMap(nodes);
    }

    /** Every file, sorted by path. */
    List<Entry> entries()
    {
        if (sorted == null) {
            List<Entry> entries = new ArrayList<>(nodes.size());
            nodes.forEach((path, node) -> entries.add(new Entry(path, node)));
            sorted = Collections.unmodifiableList(entries);
        }
        return sorted;
    }

    /** What lies strictly below the folder, sorted by path. */
    List<Entry> entriesBelow(String directory)
    {
        List<Entry> entries = entries();
        String prefix = directory.equals("/") ? "/" : directory + "/";
        String end = directory.equals("/") ? "0" : directory + "0";
        return entries.subList(firstNotBefore(entries, prefix), firstNotBefore(entries, end));
    }

    // the index of the first entry whose path is not before the key
    private static int firstNotBefore(List<Entry> entries, String key)
    {
        int low = 0;
        int high = entries.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (entries.get(middle).path().compareTo(key) < 0) {
                low = middle + 1;
            }
            else {
                high = middle;
            }
        }
        return low;
    }

    /** What lies strictly below the folder, sorted by path. */
    NavigableMap<String, FileNode> below(String directory)
    {
        String prefix = directory.equals("/") ? "/" : directory + "/";
        // '0' is the character after '/': the range holds exactly the paths starting with the prefix
        String end = directory.equals("/") ? "0" : directory + "0";
        return Collections.unmodifiableNavigableMap(nodes.subMap(prefix, true, end, false));
    }

    /** Removes the node and what lies below it, if they come from layers below {@code layer}. */
    void removeFromLowerLayers(String path, int layer)
    {
        FileNode node = byPath.get(path);
        if (node != null && node.layer() < layer) {
            nodes.remove(path);
            byPath.remove(path);
            sorted = null;
        }
        removeBelow(path, layer);
    }

    /** Removes what lies below the folder, if it comes from layers below {@code layer}. */
    void removeBelow(String directory, int layer)
    {
        String end = directory.equals("/") ? "0" : directory + "0";
        String prefix = directory.equals("/") ? "/" : directory + "/";
        Iterator<Map.Entry<String, FileNode>> below = nodes.subMap(prefix, true, end, false).entrySet().iterator();
        while (below.hasNext()) {
            Map.Entry<String, FileNode> entry = below.next();
            if (entry.getValue().layer() < layer) {
                byPath.remove(entry.getKey());
                below.remove();
                sorted = null;
            }
        }
    }

    /**
     * The path with its folders' symbolic links resolved inside the image, as a process
     * chrooted to it would see them (an absolute target or a {@code ..} above the root stays
     * inside); the last segment is resolved too when {@code followLast}. Empty for a loop.
     */
    Optional<String> resolve(String path, boolean followLast)
    {
        List<String> pending = new ArrayList<>(segments(path));
        List<String> resolved = new ArrayList<>();
        int hops = 0;
        while (!pending.isEmpty()) {
            String segment = pending.remove(0);
            if (segment.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.remove(resolved.size() - 1);
                }
                continue;
            }
            resolved.add(segment);
            if (!followLast && pending.isEmpty()) {
                break;
            }
            FileNode node = node(join(resolved));
            if (node != null && node.kind() == FileNode.Kind.SYMLINK) {
                hops++;
                if (hops > MAX_LINK_HOPS) {
                    return Optional.empty();
                }
                resolved.remove(resolved.size() - 1);
                if (node.linkTarget().startsWith("/")) {
                    resolved.clear();
                }
                pending.addAll(0, segments(node.linkTarget()));
            }
        }
        return Optional.of(join(resolved));
    }

    static List<String> segments(String path)
    {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return segments;
    }

    private static String join(List<String> segments)
    {
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder();
        for (String segment : segments) {
            out.append('/').append(segment);
        }
        return out.toString();
    }
}
