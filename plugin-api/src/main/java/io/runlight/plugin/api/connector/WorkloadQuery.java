package io.runlight.plugin.api.connector;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Which workload containers to list.
 *
 * @param cluster only this cluster, if given
 * @param namespace only this namespace, if given
 */
public record WorkloadQuery(Optional<String> cluster, Optional<String> namespace)
{
    /** Every workload. */
    public static final WorkloadQuery ALL = new WorkloadQuery(Optional.empty(), Optional.empty());

    public WorkloadQuery
    {
        requireNonNull(cluster, "cluster is null");
        requireNonNull(namespace, "namespace is null");
    }

    public static WorkloadQuery cluster(String cluster)
    {
        return new WorkloadQuery(Optional.of(cluster), Optional.empty());
    }
}
