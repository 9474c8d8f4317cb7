package io.runlight.plugin.api;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * One container of a workload, where runtime behaviour is observed.
 *
 * @param cluster the cluster name the observations were tagged with
 * @param namespace the Kubernetes namespace ({@code ""} outside Kubernetes)
 * @param kind the workload kind, for example {@code Deployment}
 * @param name the workload name
 * @param container the container name within the workload
 */
public record Workload(String cluster, String namespace, String kind, String name, String container)
    implements Comparable<Workload>
{
    public Workload
    {
        requireNonBlank(cluster, "cluster");
        requireNonNull(namespace, "namespace is null");
        requireNonBlank(kind, "kind");
        requireNonBlank(name, "name");
        requireNonBlank(container, "container");
    }

    /** Orders by cluster, namespace, kind, name, container: a stable key for paging. */
    @Override
    public int compareTo(Workload other)
    {
        int result = cluster.compareTo(other.cluster);
        if (result == 0) {
            result = namespace.compareTo(other.namespace);
        }
        if (result == 0) {
            result = kind.compareTo(other.kind);
        }
        if (result == 0) {
            result = name.compareTo(other.name);
        }
        if (result == 0) {
            result = container.compareTo(other.container);
        }
        return result;
    }
}
