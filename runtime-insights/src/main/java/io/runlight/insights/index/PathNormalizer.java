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

    /** What {@link #canonicalView} answers when the path needs the general algorithm. */
    static final long NO_VIEW = -1L;
    // the texts a view puts before its range of the path, by prefix kind
    private static final String[] VIEW_PREFIXES = {"", "/", "/usr", "/usr/"};
    /** How many prefix kinds a view can have. */
    static final int VIEW_PREFIX_KINDS = VIEW_PREFIXES.length;

    private static final int VIEW_AS_IS = 0;
    private static final int VIEW_SLASH = 1;
    private static final int VIEW_USR = 2;
    private static final int VIEW_USR_SLASH = 3;

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
     * No allocation; the scans for {@code NUL}, {@code //} and dot segments use the JDK's
     * vectorised {@link String#indexOf}.
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
        if (startsWithAlias(path, 1, length) || procRootEnd(path, 0, length) >= 0) {
            return false;
        }
        return isClean(path, 0, length);
    }

    /**
     * The canonical form of {@code path} described without copying it, for the common raw forms
     * events carry: the canonical path is {@link #viewPrefixText} followed by
     * {@code path.substring(viewStart(view), viewEnd(view))}. Handles canonical paths, a
     * {@code " (deleted)"} suffix, {@code /proc/<pid>/root} prefixes, usrmerge aliases and a
     * missing leading {@code /}; returns {@link #NO_VIEW} for anything else (dot segments,
     * {@code //}, rejected paths), which {@link #tryNormalize} then handles. Never allocates.
     */
    static long canonicalView(String path)
    {
        long view = candidateView(path);
        if (view == NO_VIEW || !isClean(path, viewStart(view), viewEnd(view))) {
            return NO_VIEW;
        }
        return view;
    }

    /**
     * {@link #canonicalView} without its scan of the range for {@code NUL}, {@code //} and dot
     * segments: constant time but for the {@code /proc/<pid>/root} prefixes. The view is the
     * canonical form when {@link #isClean} holds for its range. A caller that only compares the
     * view with canonical paths may skip that scan until the comparison fails: a range that
     * equals a canonical path is clean.
     */
    static long candidateView(String path)
    {
        int length = path.length();
        if (length == 0 || length > MAX_LENGTH) {
            return NO_VIEW;
        }
        // the last character rules out the suffix for nearly every path without comparing ten
        int end = path.charAt(length - 1) == ')' && path.endsWith(DELETED_SUFFIX) ? length - DELETED_SUFFIX.length() : length;
        if (end == 0) {
            return NO_VIEW;
        }
        int start = 0;
        int prefix;
        if (path.charAt(0) == '/') {
            if (end == 1) {
                // the root itself is canonical; "/ (deleted)" goes the general way
                return end == length ? view(VIEW_AS_IS, 0, 1) : NO_VIEW;
            }
            int rootEnd;
            while ((rootEnd = procRootEnd(path, start, end)) >= 0) {
                start = rootEnd;
            }
            if (end - start < 2) {
                return NO_VIEW;
            }
            prefix = startsWithAlias(path, start + 1, end) ? VIEW_USR : VIEW_AS_IS;
        }
        else {
            // relative (Trivy, Tetragon); whitespace first could be a blank path, "proc/<pid>/root" is a container root
            char first = path.charAt(0);
            if (first <= ' ' || Character.isWhitespace(first) || (path.startsWith("proc/") && rootEnd(path, 5, end) >= 0)) {
                return NO_VIEW;
            }
            prefix = startsWithAlias(path, 0, end) ? VIEW_USR_SLASH : VIEW_SLASH;
        }
        if (path.charAt(end - 1) == '/') {
            return NO_VIEW;
        }
        return view(prefix, start, end);
    }

    /** The text the view puts before its range: {@code ""}, {@code "/"}, {@code "/usr"} or {@code "/usr/"}. */
    static String viewPrefixText(long view)
    {
        return VIEW_PREFIXES[(int) (view >>> 32)];
    }

    /** A view of nothing but the given prefix kind, for {@link #viewPrefixText}. */
    static long prefixOnlyView(int kind)
    {
        return view(kind, 0, 0);
    }

    static int viewStart(long view)
    {
        return (int) view & 0xffff;
    }

    static int viewEnd(long view)
    {
        return (int) (view >>> 16) & 0xffff;
    }

    private static long view(int prefix, int start, int end)
    {
        return (long) prefix << 32 | (long) end << 16 | start;
    }

    /** No NUL, no {@code //}, no {@code .} or {@code ..} segment in path[from, to); a relative range counts as if a '/' preceded it. */
    static boolean isClean(String path, int from, int to)
    {
        int nul = path.indexOf('\0', from);
        if (nul >= 0 && nul < to) {
            return false;
        }
        int doubleSlash = path.indexOf("//", from);
        if (doubleSlash >= 0 && doubleSlash + 1 < to) {
            return false;
        }
        if (path.charAt(from) == '.' && isDotSegment(path, from, to)) {
            return false;
        }
        for (int dot = path.indexOf("/.", from); dot >= 0 && dot + 1 < to; dot = path.indexOf("/.", dot + 2)) {
            if (isDotSegment(path, dot + 1, to)) {
                return false;
            }
        }
        return true;
    }

    // whether the segment starting with the '.' at index dot is "." or ".."
    private static boolean isDotSegment(String path, int dot, int to)
    {
        int end = dot + 1;
        if (end < to && path.charAt(end) == '.') {
            end++;
        }
        return end == to || path.charAt(end) == '/';
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
        if (end < 0 || end > length) {
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

    // the index after "/proc/<pid|self|thread-self>/root" at path[from..], which ends there or continues with '/'; -1 if none
    private static int procRootEnd(String path, int from, int to)
    {
        if (from + 1 >= to || path.charAt(from + 1) != 'p' || !path.startsWith("/proc/", from)) {
            return -1;
        }
        return rootEnd(path, from + 6, to);
    }

    // the index after "<pid|self|thread-self>/root" at path[process..], which ends there or continues with '/'; -1 if none
    private static int rootEnd(String path, int process, int to)
    {
        int slash = path.indexOf('/', process);
        if (slash < 0 || slash + 5 > to) {
            return -1;
        }
        int processLength = slash - process;
        boolean processLike = (processLength == 4 && path.startsWith("self", process))
                || (processLength == 11 && path.startsWith("thread-self", process))
                || isDigits(path, process, slash);
        if (processLike && path.startsWith("root", slash + 1) && (slash + 5 == to || path.charAt(slash + 5) == '/')) {
            return slash + 5;
        }
        return -1;
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
