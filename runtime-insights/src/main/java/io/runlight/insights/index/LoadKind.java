package io.runlight.insights.index;

import java.util.Locale;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The ways a package's file can be loaded, told apart because sensors see them differently
 * (DESIGN.md decision 8): a sensor that only sees memory maps sees shared libraries being
 * loaded but never sees a {@code .py} or a jar being read.
 */
public enum LoadKind
{
    /** A program started with execve: any file that is not a library or interpreted code may be one. */
    EXECUTABLE("executables", "exec"),
    /** A shared object, Node add-on or native assembly: the loader opens it, then maps it. */
    NATIVE_LIBRARY("shared libraries", "mmap or code opens"),
    /** A jar, class, {@code .py}, {@code .pyc}, {@code .js}, {@code .rb}, {@code .php}: read through a file descriptor and closed, never mapped. */
    INTERPRETED_CODE("interpreted code (jar, .py, .js, .rb, .php)", "code opens");

    private static final Set<String> NATIVE_EXTENSIONS = Set.of("node", "pyd", "dll", "exe", "wasm");

    private final String description;
    private final String seenThrough;

    LoadKind(String description, String seenThrough)
    {
        this.description = description;
        this.seenThrough = seenThrough;
    }

    /** What such files are, for a person: "shared libraries". */
    public String description()
    {
        return description;
    }

    /** The observations that reveal such a load: "mmap or code opens". */
    public String seenThrough()
    {
        return seenThrough;
    }

    /**
     * How the file at {@code path} would be loaded if it ran: a code file
     * ({@link CodeFileClassifier}) is a native library or interpreted code by its name;
     * anything else could only run by being executed. Documentation
     * ({@code /usr/share/doc/}, {@code /usr/share/man/}) never runs: Debian policy keeps
     * example scripts there, which count as executables, not as code.
     */
    public static LoadKind ofFile(String path)
    {
        requireNonNull(path, "path is null");
        if (!CodeFileClassifier.isCode(path) || path.startsWith("/usr/share/doc/") || path.startsWith("/usr/share/man/")) {
            return EXECUTABLE;
        }
        if (CodeFileClassifier.isSharedObject(path.substring(path.lastIndexOf('/') + 1))) {
            return NATIVE_LIBRARY;
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return NATIVE_EXTENSIONS.contains(extension) ? NATIVE_LIBRARY : INTERPRETED_CODE;
    }
}
