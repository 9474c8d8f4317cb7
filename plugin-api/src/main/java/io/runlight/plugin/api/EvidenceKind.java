package io.runlight.plugin.api;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * How a file was seen to be used at run time.
 */
public enum EvidenceKind
{
    /** The file was executed (execve). */
    EXEC,
    /** The file was memory-mapped, as the dynamic loader maps shared objects. */
    MMAP,
    /** The file was opened. Code files count as loaded; other files only as accessed. */
    OPEN;

    /** The lower-case name used on the wire: {@code exec}, {@code mmap}, {@code open}. */
    public String wireName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind for a wire name, case-insensitively.
     *
     * @throws IllegalArgumentException for anything but exec, mmap or open
     */
    public static EvidenceKind fromWireName(String text)
    {
        requireNonNull(text, "text is null");
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "exec" -> EXEC;
            case "mmap" -> MMAP;
            case "open" -> OPEN;
            default -> throw new IllegalArgumentException("unknown evidence kind '" + text + "': expected exec, mmap or open");
        };
    }
}
