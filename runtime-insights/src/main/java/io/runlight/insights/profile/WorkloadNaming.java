package io.runlight.insights.profile;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.runlight.insights.runtime.ContainerIdentity;
import io.runlight.plugin.api.Workload;

import static java.util.Objects.requireNonNull;

/**
 * Names the workload container an event comes from, from whatever its source knew.
 *
 * <ul>
 * <li>cluster: as given, else {@value #DEFAULT_CLUSTER};</li>
 * <li>namespace: as given, else {@code ""} (outside Kubernetes);</li>
 * <li>kind: the source's kind written as Kubernetes writes it ({@code deployment} and
 *     {@code DEPLOYMENT} become {@code Deployment}; likewise StatefulSet, DaemonSet,
 *     ReplicaSet, ReplicationController, Job, CronJob, Pod); an unknown kind keeps its
 *     spelling with the first letter upper-cased. Without a kind: {@code Workload} if a
 *     workload name is given, else {@code Pod} if a pod is, else {@code Container};</li>
 * <li>name: the workload name, else the pod name, else the container id without its
 *     runtime prefix, shortened to 12 characters as {@code docker ps} shows it, else
 *     {@value #UNKNOWN_NAME};</li>
 * <li>container: the container name, else {@value #DEFAULT_CONTAINER}.</li>
 * </ul>
 *
 * <p>Pods of one workload therefore share one workload container: that is the unit
 * Runlight (and Snyk's runtime format) reports on.
 */
public final class WorkloadNaming
{
    /** The cluster of events that name none. */
    public static final String DEFAULT_CLUSTER = "default";
    /** The container name of events that name none. */
    public static final String DEFAULT_CONTAINER = "main";
    /** The workload name of events that name nothing at all. */
    public static final String UNKNOWN_NAME = "unknown";

    private static final Map<String, String> KINDS = Map.of(
            "deployment", "Deployment",
            "statefulset", "StatefulSet",
            "daemonset", "DaemonSet",
            "replicaset", "ReplicaSet",
            "replicationcontroller", "ReplicationController",
            "job", "Job",
            "cronjob", "CronJob",
            "pod", "Pod");

    private static final Set<String> WRITTEN_AS_KUBERNETES_DOES = Set.copyOf(KINDS.values());

    private WorkloadNaming() {}

    /** The workload container of an event's identity. */
    public static Workload workloadOf(ContainerIdentity identity)
    {
        requireNonNull(identity, "identity is null");
        String cluster = identity.cluster().orElse(DEFAULT_CLUSTER);
        String namespace = identity.namespace().orElse("");
        String kind = identity.workloadKind().map(WorkloadNaming::kubernetesKind).orElseGet(() -> impliedKind(identity));
        String name = identity.workloadName()
                .or(identity::pod)
                .or(() -> identity.bareContainerId().filter(id -> !id.isBlank()).map(WorkloadNaming::shortId))
                .orElse(UNKNOWN_NAME);
        String container = identity.container().orElse(DEFAULT_CONTAINER);
        return new Workload(cluster, namespace, kind, name, container);
    }

    /** A kind as Kubernetes writes it, for example {@code Deployment} for {@code deployment}. */
    public static String kubernetesKind(String kind)
    {
        requireNonNull(kind, "kind is null");
        String stripped = kind.strip();
        if (WRITTEN_AS_KUBERNETES_DOES.contains(stripped)) {
            // already so (as nearly every event has it): no lower-cased copy per event
            return stripped;
        }
        String known = KINDS.get(stripped.toLowerCase(Locale.ROOT));
        if (known != null) {
            return known;
        }
        return stripped.substring(0, 1).toUpperCase(Locale.ROOT) + stripped.substring(1);
    }

    private static String impliedKind(ContainerIdentity identity)
    {
        if (identity.workloadName().isPresent()) {
            return "Workload";
        }
        if (identity.pod().isPresent()) {
            return "Pod";
        }
        return "Container";
    }

    private static String shortId(String id)
    {
        return id.length() <= 12 ? id : id.substring(0, 12);
    }
}
