package io.runlight.insights.sbom;

import java.util.ArrayDeque;
import java.util.Deque;

import static java.util.Objects.requireNonNull;

/**
 * File paths as SBOMs write them, made comparable: absolute, single slashes, no
 * {@code .} or {@code ..} segments (a {@code ..} above the root stays at the root, as the
 * kernel resolves it), no trailing slash. Already clean paths are returned as they are, so
 * the common case allocates nothing.
 */
final class SbomPaths
{
    private SbomPaths() {}

    /**
     * The folder that paths relative to a scanned folder are resolved against, normalised:
     * where that folder is in the running container ({@code /app}), {@code /} by default.
     *
     * @throws IllegalArgumentException if it is not an absolute path
     */
    static String root(String root)
    {
        requireNonNull(root, "root is null");
        if (!root.startsWith("/") || root.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("root '" + root + "' is not an absolute path: give the folder where the scanned project is in the container, such as /app");
        }
        return absolute(root);
    }

    /** The path made absolute and normalised: {@code usr/lib/x.so} and {@code ./usr/lib/x.so} become {@code /usr/lib/x.so}. */
    static String absolute(String path)
    {
        if (path.startsWith("/") && isClean(path)) {
            return path;
        }
        return normalize("/" + path);
    }

    /**
     * {@code relative} resolved against the directory {@code root} (Python RECORD entries
     * against {@code sitePackagesRootPath}); an absolute {@code relative} is only normalised.
     */
    static String join(String root, String relative)
    {
        if (relative.startsWith("/")) {
            return absolute(relative);
        }
        return absolute(root + "/" + relative);
    }

    // two scans: no "//", and no "." or ".." segment after any "/."
    private static boolean isClean(String path)
    {
        int length = path.length();
        if (length > 1 && path.charAt(length - 1) == '/') {
            return false;
        }
        if (path.contains("//")) {
            return false;
        }
        for (int dot = path.indexOf("/."); dot >= 0; dot = path.indexOf("/.", dot + 2)) {
            int end = dot + 2;
            if (end < length && path.charAt(end) == '.') {
                end++;
            }
            if (end == length || path.charAt(end) == '/') {
                return false;
            }
        }
        return true;
    }

    private static String normalize(String path)
    {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            }
            else {
                segments.addLast(segment);
            }
        }
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder(path.length());
        for (String segment : segments) {
            out.append('/').append(segment);
        }
        return out.toString();
    }
}
