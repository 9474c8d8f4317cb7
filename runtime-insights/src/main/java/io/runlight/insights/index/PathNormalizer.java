package io.runlight.insights.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Turns any path an SBOM or a runtime source writes into the one canonical absolute
 * path the ownership index is keyed on, so that {@code usr/lib/libssl.so.3} (Trivy),
 * {@code /proc/4242/root/lib/libssl.so.3 (deleted)} (a /proc snapshot) and
 * {@code /usr/lib/libssl.so.3} (dpkg) meet.
 *
 * <p>Rules, in order:
 * <ol>
 * <li>a trailing {@code " (deleted)"} (how {@code /proc/<pid>/maps} marks a replaced file) is removed;</li>
 * <li>the path is made absolute (Trivy and Tetragon write paths without the leading {@code /});</li>
 * <li>{@code //} and {@code .} segments are dropped and {@code ..} removes the previous segment,
 *     never going above the root;</li>
 * <li>a container-root prefix {@code /proc/<pid>/root}, {@code /proc/self/root} or
 *     {@code /proc/thread-self/root} makes the rest relative to that root (nested prefixes too);</li>
 * <li>usrmerge: {@code /bin}, {@code /sbin}, {@code /lib}, {@code /lib32}, {@code /lib64} and
 *     {@code /libx32} are written in their {@code /usr/...} form, so the aliases of a merged-/usr
 *     system (Debian 12, Fedora) and the split layout of older images (Alpine) meet on one side;</li>
 * <li>a trailing {@code /} is dropped (except for the root itself).</li>
 * </ol>
 *
 * <p>Paths with a NUL character, blank paths and paths longer than {@link #MAX_LENGTH}
 * characters are rejected: {@link #normalize} throws {@link IllegalArgumentException},
 * {@link #tryNormalize} returns empty. A path that is already canonical is returned as
 * the same instance, without copying: that is the hot path of every lookup.
 */
public final class PathNormalizer
{
    /** The longest path accepted, as Linux's {@code PATH_MAX}. */
    public static final int MAX_LENGTH = 4096;

    private static final String DELETED_SUFFIX = " (deleted)";
    private static final String[] ALIASES = {"bin", "sbin", "lib", "lib32", "lib64", "libx32"};

    private PathNormalizer() {}

    /**
     * The canonical form of {@code path}.
     *
     * @throws IllegalArgumentException if the path is blank, contains NUL or is longer than {@link #MAX_LENGTH}
     */
    public static String normalize(String path)
    {
        requireNonNull(path, "path is null");
        if (isCanonical(path)) {
            return path;
        }
        return normalizeSlowly(path);
    }

    /** The canonical form of {@code path}, or empty if it is not an acceptable path. */
    public static Optional<String> tryNormalize(String path)
    {
        if (path == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(normalize(path));
        }
        catch (IllegalArgumentException e) {
            // a rejected path is an expected answer here, not a failure: the caller asked to try
            return Optional.empty();
        }
    }

    /**
     * Whether {@code path} is already in canonical form (then {@link #normalize} returns it as is).
     * One pass over the characters, no allocation.
     */
    public static boolean isCanonical(String path)
    {
        int length = path.length();
        if (length == 0 || length > MAX_LENGTH || path.charAt(0) != '/') {
            return false;
        }
        if (length == 1) {
            return true;
        }
        if (path.charAt(length - 1) == '/' || path.endsWith(DELETED_SUFFIX)) {
            return false;
        }
        if (startsWithAlias(path, 1, length) || startsWithProcRoot(path)) {
            return false;
        }
        char previous = '/';
        for (int i = 1; i < length; i++) {
            char c = path.charAt(i);
            if (c == 0) {
                return false;
            }
            if (c == '/' && previous == '/') {
                return false;
            }
            if (c == '.' && previous == '/') {
                // "." or ".." as a whole segment
                int end = i + 1;
                if (end < length && path.charAt(end) == '.') {
                    end++;
                }
                if (end == length || path.charAt(end) == '/') {
                    return false;
                }
            }
            previous = c;
        }
        return true;
    }

    private static String normalizeSlowly(String path)
    {
        if (path.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("invalid path '" + abbreviate(path) + "': longer than " + MAX_LENGTH + " characters");
        }
        if (path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("invalid path '" + abbreviate(path.replace('\0', '?')) + "': it contains a NUL character");
        }
        String text = path;
        if (text.endsWith(DELETED_SUFFIX)) {
            text = text.substring(0, text.length() - DELETED_SUFFIX.length());
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException("invalid path '" + path + "': it is blank");
        }
        List<String> segments = new ArrayList<>();
        int start = 0;
        int length = text.length();
        while (start <= length) {
            int slash = text.indexOf('/', start);
            int end = slash < 0 ? length : slash;
            String segment = text.substring(start, end);
            if (segment.equals("..")) {
                if (!segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
            }
            else if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
                if (isProcRoot(segments)) {
                    segments.clear();
                }
            }
            start = end + 1;
        }
        if (!segments.isEmpty() && isAlias(segments.get(0))) {
            segments.add(0, "usr");
        }
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder(length + 4);
        for (String segment : segments) {
            out.append('/').append(segment);
        }
        return out.toString();
    }

    private static boolean isProcRoot(List<String> segments)
    {
        if (segments.size() != 3 || !segments.get(0).equals("proc") || !segments.get(2).equals("root")) {
            return false;
        }
        String process = segments.get(1);
        return process.equals("self") || process.equals("thread-self") || isDigits(process, 0, process.length());
    }

    private static boolean isAlias(String segment)
    {
        for (String alias : ALIASES) {
            if (alias.equals(segment)) {
                return true;
            }
        }
        return false;
    }

    // whether path[from..] starts with one of the usrmerge alias directories as a whole segment
    private static boolean startsWithAlias(String path, int from, int length)
    {
        char first = path.charAt(from);
        if (first != 'b' && first != 's' && first != 'l') {
            return false;
        }
        int end = path.indexOf('/', from);
        if (end < 0) {
            end = length;
        }
        int segmentLength = end - from;
        for (String alias : ALIASES) {
            if (alias.length() == segmentLength && path.startsWith(alias, from)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWithProcRoot(String path)
    {
        if (!path.startsWith("/proc/")) {
            return false;
        }
        int second = path.indexOf('/', 6);
        if (second < 0) {
            return false;
        }
        String process = path.substring(6, second);
        boolean processLike = process.equals("self") || process.equals("thread-self") || isDigits(process, 0, process.length());
        return processLike && path.startsWith("root", second + 1)
                && (path.length() == second + 5 || path.charAt(second + 5) == '/');
    }

    private static boolean isDigits(String text, int from, int to)
    {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String text)
    {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
