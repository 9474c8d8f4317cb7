package io.runlight.insights.catalog;

import static java.util.Objects.requireNonNull;

/**
 * A file of an image as its merged layers (or a root folder) leave it.
 *
 * @param kind what it is
 * @param size its size in bytes (0 for directories and links)
 * @param mode its permission bits
 * @param linkTarget a symbolic link's target as written, or a hard link's target path (absolute); {@code ""} otherwise
 * @param layer the layer it comes from (0 for a root folder)
 * @param contentLayer the layer whose member holds its bytes: its own, or a hard link target's
 * @param contentOrdinal the position of that member in that layer, so the content pass reads the right copy
 */
record FileNode(Kind kind, long size, int mode, String linkTarget, int layer, int contentLayer, long contentOrdinal)
{
    enum Kind
    {
        FILE, DIRECTORY, SYMLINK, HARDLINK, OTHER
    }

    FileNode
    {
        requireNonNull(kind, "kind is null");
        requireNonNull(linkTarget, "linkTarget is null");
    }

    /** Whether it holds bytes: a regular file or a hard link to one. */
    boolean isFile()
    {
        return kind == Kind.FILE || kind == Kind.HARDLINK;
    }

    boolean isExecutable()
    {
        return (mode & 0111) != 0;
    }
}
