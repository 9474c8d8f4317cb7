package io.runlight.insights.runtime;

import java.time.Instant;
import java.util.Optional;

import io.runlight.plugin.api.EvidenceKind;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * One observation of a file being used in a container, from any source, in one shape.
 *
 * @param container who
 * @param kind exec, mmap or open
 * @param path the path as the source reported it (normalised later, by the index)
 * @param process the executable of the process, if known
 * @param time when
 * @param sensor the source that reported it, which says what it could have seen
 */
public record RuntimeEvent(ContainerIdentity container, EvidenceKind kind, String path, Optional<String> process, Instant time, Sensor sensor)
{
    public RuntimeEvent
    {
        requireNonNull(container, "container is null");
        requireNonNull(kind, "kind is null");
        requireNonBlank(path, "path");
        requireNonNull(process, "process is null");
        process = process.map(String::strip).filter(text -> !text.isEmpty());
        requireNonNull(time, "time is null");
        requireNonNull(sensor, "sensor is null");
    }

    /** This event in the given cluster unless its container names one already (see {@link ContainerIdentity#withDefaultCluster}). */
    public RuntimeEvent withDefaultCluster(String defaultCluster)
    {
        ContainerIdentity placed = container.withDefaultCluster(defaultCluster);
        return placed == container ? this : new RuntimeEvent(placed, kind, path, process, time, sensor);
    }
}
