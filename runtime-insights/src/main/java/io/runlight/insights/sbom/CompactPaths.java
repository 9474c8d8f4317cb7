package io.runlight.insights.sbom;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

import static java.util.Objects.requireNonNull;

/**
 * A package's owned files as an immutable list of strings held as one array of their
 * characters: the ASCII paths (nearly all of them) one byte per character back to back, any
 * other path as the string it is. A 1,000,000-file SBOM held its paths as 2,000,000 objects
 * (a {@code String} and its array each) that the collector copied while the document was
 * still being read and kept in the parsed-document cache after; this is 40,000 arrays for
 * its 20,000 packages, about half the bytes. {@link #get} makes the string again, equal to
 * the one added.
 */
final class CompactPaths
        extends AbstractList<String>
        implements RandomAccess
{
    private final byte[] ascii;
    // ends[i]: where path i's characters end in ascii; a path kept as a string has none there
    private final int[] ends;
    // null when every path is ASCII
    private final String[] others;

    private CompactPaths(byte[] ascii, int[] ends, String[] others)
    {
        this.ascii = ascii;
        this.ends = ends;
        this.others = others;
    }

    /** The paths as a compact list, in the same order. */
    static List<String> of(List<String> paths)
    {
        Builder builder = new Builder();
        paths.forEach(builder::add);
        return builder.build();
    }

    @Override
    public String get(int index)
    {
        Objects.checkIndex(index, ends.length);
        if (others != null && others[index] != null) {
            return others[index];
        }
        int start = index == 0 ? 0 : ends[index - 1];
        // the bytes are ASCII: ISO-8859-1 makes each the character it was
        return new String(ascii, start, ends[index] - start, StandardCharsets.ISO_8859_1);
    }

    @Override
    public int size()
    {
        return ends.length;
    }

    /** Paths added one at a time; whether they came in strictly ascending order is known at the end without comparing again. */
    static final class Builder
    {
        private byte[] ascii = new byte[0];
        private int[] ends = new int[0];
        private String[] others;
        private int size;
        private int length;
        private String last;
        private boolean strictlyAscending = true;

        /**
         * Makes room for this many more paths of about this many characters in all, so that a
         * package's paths are copied once: grown step by step, a package of tens of thousands of
         * files left arrays of megabytes behind at each step, which G1 allocates outside the
         * young generation and only reclaims by marking.
         */
        void expect(int paths, long characters)
        {
            if (ends.length - size < paths) {
                ends = Arrays.copyOf(ends, size + paths);
                if (others != null) {
                    others = Arrays.copyOf(others, ends.length);
                }
            }
            if (ascii.length - length < characters) {
                ascii = Arrays.copyOf(ascii, (int) Math.min(Integer.MAX_VALUE - 8, length + characters));
            }
        }

        void add(String path)
        {
            requireNonNull(path, "path is null");
            if (last != null && strictlyAscending && last.compareTo(path) >= 0) {
                strictlyAscending = false;
            }
            last = path;
            if (size == ends.length) {
                ends = Arrays.copyOf(ends, Math.max(8, size * 2));
                if (others != null) {
                    others = Arrays.copyOf(others, ends.length);
                }
            }
            int characters = path.length();
            if (ascii.length - length < characters) {
                ascii = Arrays.copyOf(ascii, Math.max(ascii.length * 2, length + characters));
            }
            int at = length;
            for (int i = 0; i < characters; i++) {
                char c = path.charAt(i);
                if (c >= 0x80) {
                    // kept as it is: no byte per character would give this string back exactly
                    if (others == null) {
                        others = new String[ends.length];
                    }
                    others[size] = path;
                    at = length;
                    break;
                }
                ascii[at++] = (byte) c;
            }
            length = at;
            ends[size++] = length;
        }

        /** Whether each path added sorts after the one before (so they are also distinct). */
        boolean strictlyAscending()
        {
            return strictlyAscending;
        }

        /** The paths added, as strings. */
        List<String> strings()
        {
            List<String> strings = new ArrayList<>(size);
            strings.addAll(build());
            return strings;
        }

        List<String> build()
        {
            if (size == 0) {
                return List.of();
            }
            // a little room left over is kept rather than copied away (expect() sizes for a "/" that a path may not need)
            byte[] characters = ascii.length - length > ascii.length / 8 ? Arrays.copyOf(ascii, length) : ascii;
            int[] pathEnds = ends.length == size ? ends : Arrays.copyOf(ends, size);
            return new CompactPaths(characters, pathEnds, others == null ? null : Arrays.copyOf(others, size));
        }
    }
}
