package io.runlight.plugin.api;

import java.time.Instant;
import java.util.Optional;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * An observation that a file was used, aggregated over time: one record per
 * (kind, path, process) with the first and last time it was seen and how often.
 *
 * @param kind exec, mmap or open
 * @param path the normalised absolute path in the container's file system
 * @param process the executable of the process that used it, if known
 * @param firstSeen when it was first observed
 * @param lastSeen when it was last observed
 * @param count how many observations were merged into this record (at least 1)
 */
public record Evidence(EvidenceKind kind, String path, Optional<String> process, Instant firstSeen, Instant lastSeen, long count)
{
    public Evidence
    {
        requireNonNull(kind, "kind is null");
        requireNonBlank(path, "path");
        requireNonNull(process, "process is null");
        requireNonNull(firstSeen, "firstSeen is null");
        requireNonNull(lastSeen, "lastSeen is null");
        if (lastSeen.isBefore(firstSeen)) {
            // the messages are made only when thrown: these records are made for every observation and merge
            throw new IllegalArgumentException("lastSeen " + lastSeen + " is before firstSeen " + firstSeen);
        }
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
    }

    /** This record merged with another observation of the same kind, path and process. */
    public Evidence merge(Evidence other)
    {
        requireNonNull(other, "other is null");
        Instant first = firstSeen.isBefore(other.firstSeen) ? firstSeen : other.firstSeen;
        Instant last = lastSeen.isAfter(other.lastSeen) ? lastSeen : other.lastSeen;
        long total = count + other.count < 0 ? Long.MAX_VALUE : count + other.count;
        return new Evidence(kind, path, process, first, last, total);
    }
}
