package io.runlight.connector.scout;

import java.util.Optional;

import io.runlight.plugin.api.Workload;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The left side of an {@code environments} entry: a cluster, or a cluster and a namespace
 * written {@code cluster/namespace}.
 *
 * @param cluster the cluster name
 * @param namespace the namespace, if the entry names one
 */
record EnvironmentScope(String cluster, Optional<String> namespace)
{
    EnvironmentScope
    {
        requireNonNull(cluster, "cluster is null");
        requireNonNull(namespace, "namespace is null");
    }

    static EnvironmentScope parse(String text)
    {
        checkArgument(isValid(text), "'" + text + "' is not a cluster or cluster/namespace");
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new EnvironmentScope(text.strip(), Optional.empty());
        }
        return new EnvironmentScope(text.substring(0, slash).strip(), Optional.of(text.substring(slash + 1).strip()));
    }

    static boolean isValid(String text)
    {
        if (text == null || text.isBlank() || text.contains("|")) {
            return false;
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            return true;
        }
        return slash > 0 && slash < text.length() - 1 && text.indexOf('/', slash + 1) < 0
                && !text.substring(0, slash).isBlank() && !text.substring(slash + 1).isBlank();
    }

    boolean matches(Workload workload)
    {
        return workload.cluster().equals(cluster) && namespace.map(workload.namespace()::equals).orElse(true);
    }
}
