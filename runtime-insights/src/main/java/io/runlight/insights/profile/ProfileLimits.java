package io.runlight.insights.profile;

import static io.runlight.plugin.api.Preconditions.checkArgument;

/**
 * How much a runtime profile keeps, so that one noisy container cannot grow it without
 * bound. Loads (exec, mmap, opens of code files) are always kept: dropping one could
 * turn into a false "not in use". What is bounded is the process examples per file and
 * the number of files only opened (data files, {@code /proc}, temporary files), which
 * are evidence of access only.
 *
 * <p>Both bounds keep the smallest keys (process path; file path), never the first seen,
 * so that merging profiles stays associative whatever the order of the batches.
 *
 * @param maxProcessesPerFile process examples kept per (path, kind), at least 1
 * @param maxAccessedFiles data-file open entries kept per container, at least 0
 */
public record ProfileLimits(int maxProcessesPerFile, int maxAccessedFiles)
{
    /** 3 processes per file, 10 000 accessed files per container. */
    public static final ProfileLimits DEFAULT = new ProfileLimits(3, 10_000);

    public ProfileLimits
    {
        checkArgument(maxProcessesPerFile >= 1, "maxProcessesPerFile must be at least 1: " + maxProcessesPerFile);
        checkArgument(maxAccessedFiles >= 0, "maxAccessedFiles must not be negative: " + maxAccessedFiles);
    }
}
