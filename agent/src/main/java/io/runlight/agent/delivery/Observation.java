package io.runlight.agent.delivery;

import java.time.Instant;
import java.util.Optional;

import io.runlight.agent.attribution.Workload;
import io.runlight.agent.proc.FileUse;

import static java.util.Objects.requireNonNull;

/**
 * A file one workload was seen using, waiting to reach the hub.
 *
 * @param workload whose
 * @param use which file, and how
 * @param process the executable of the process it was first seen in
 * @param firstSeen the first sample that showed it since it was last delivered
 * @param lastSeen the latest sample that showed it
 * @param refresh whether the hub has had it before, so this delivery only says it is still in use
 */
public record Observation(Workload workload, FileUse use, Optional<String> process, Instant firstSeen, Instant lastSeen, boolean refresh)
{
    public Observation
    {
        requireNonNull(workload, "workload is null");
        requireNonNull(use, "use is null");
        requireNonNull(process, "process is null");
        requireNonNull(firstSeen, "firstSeen is null");
        requireNonNull(lastSeen, "lastSeen is null");
    }

    /** When the hub is told it happened: first seen for news, last seen for a refresh. */
    public Instant reportedTime()
    {
        return refresh ? lastSeen : firstSeen;
    }

    Observation seenAgain(Instant time)
    {
        return time.isAfter(lastSeen) ? new Observation(workload, use, process, firstSeen, time, refresh) : this;
    }
}
