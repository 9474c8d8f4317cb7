package io.runlight.insights.catalog;

import static java.util.Objects.requireNonNull;

/**
 * One member of a tar archive, after PAX and GNU long-name records are applied.
 *
 * @param name the member name as written (may start with {@code ./})
 * @param kind what the member is
 * @param size the bytes of content that follow the header (0 for links and directories)
 * @param mode the permission bits
 * @param linkName the target of a symbolic or hard link, {@code ""} otherwise
 */
record TarEntry(String name, Kind kind, long size, int mode, String linkName)
{
    enum Kind
    {
        FILE, DIRECTORY, SYMLINK, HARDLINK, OTHER
    }

    TarEntry
    {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(linkName, "linkName is null");
    }
}
