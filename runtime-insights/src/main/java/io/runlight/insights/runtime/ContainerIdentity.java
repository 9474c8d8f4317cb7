package io.runlight.insights.runtime;

import java.util.Optional;

import io.runlight.plugin.api.ImageDigest;

import static java.util.Objects.requireNonNull;

/**
 * Who an event comes from, as far as its source says. Sources differ in what they
 * know: Falco may lack the digest, Tracee's legacy form has no Kubernetes fields,
 * a /proc snapshot has only what the collector adds.
 *
 * @param cluster the cluster name
 * @param namespace the Kubernetes namespace
 * @param workloadKind for example {@code Deployment}
 * @param workloadName the workload name
 * @param pod the pod name
 * @param container the container name
 * @param containerId the runtime's container id, with or without a {@code containerd://} prefix
 * @param image the image reference as the runtime reports it
 * @param imageDigest the image digest, if the source knows it
 */
public record ContainerIdentity(
        Optional<String> cluster,
        Optional<String> namespace,
        Optional<String> workloadKind,
        Optional<String> workloadName,
        Optional<String> pod,
        Optional<String> container,
        Optional<String> containerId,
        Optional<String> image,
        Optional<ImageDigest> imageDigest)
{
    /** An event source that says nothing about where it ran. */
    public static final ContainerIdentity UNKNOWN = new ContainerIdentity(
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public ContainerIdentity
    {
        cluster = blankToEmpty(requireNonNull(cluster, "cluster is null"));
        namespace = blankToEmpty(requireNonNull(namespace, "namespace is null"));
        workloadKind = blankToEmpty(requireNonNull(workloadKind, "workloadKind is null"));
        workloadName = blankToEmpty(requireNonNull(workloadName, "workloadName is null"));
        pod = blankToEmpty(requireNonNull(pod, "pod is null"));
        container = blankToEmpty(requireNonNull(container, "container is null"));
        containerId = blankToEmpty(requireNonNull(containerId, "containerId is null"));
        image = blankToEmpty(requireNonNull(image, "image is null"));
        requireNonNull(imageDigest, "imageDigest is null");
    }

    /** The container id without runtime prefix ({@code containerd://}, {@code docker://}, {@code cri-o://}). */
    public Optional<String> bareContainerId()
    {
        return containerId.map(id -> {
            int scheme = id.indexOf("://");
            return scheme >= 0 ? id.substring(scheme + 3) : id;
        });
    }

    /** A copy with the image digest set. */
    public ContainerIdentity withImageDigest(ImageDigest digest)
    {
        return new ContainerIdentity(cluster, namespace, workloadKind, workloadName, pod, container, containerId, image, Optional.of(digest));
    }

    /**
     * This identity in the given cluster unless it names one already: for sources that
     * cannot tell their cluster (Falco), whose sender can.
     */
    public ContainerIdentity withDefaultCluster(String defaultCluster)
    {
        requireNonNull(defaultCluster, "defaultCluster is null");
        if (cluster.isPresent()) {
            return this;
        }
        return new ContainerIdentity(Optional.of(defaultCluster), namespace, workloadKind, workloadName, pod, container, containerId, image, imageDigest);
    }

    private static Optional<String> blankToEmpty(Optional<String> value)
    {
        return value.map(String::strip).filter(text -> !text.isEmpty());
    }
}
