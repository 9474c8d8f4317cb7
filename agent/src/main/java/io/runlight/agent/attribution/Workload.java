package io.runlight.agent.attribution;

import java.util.Optional;

import io.runlight.plugin.api.ImageDigest;

import static java.util.Objects.requireNonNull;

/**
 * Who a process belongs to, as the agent reports it to the hub: the fields of the native
 * event format's identity (docs/integrations/agent.md).
 *
 * @param namespace the Kubernetes namespace
 * @param workloadKind {@code Deployment}, {@code CronJob}, ... or {@code Host}
 * @param workloadName the workload's name
 * @param pod the pod's name
 * @param container the container's name
 * @param containerId the runtime's id ({@code containerd://…}); the host's name for a host process
 * @param image the image reference the runtime ran
 * @param imageDigest the image's digest: every event names one, so the hub can place it
 */
public record Workload(
        Optional<String> namespace,
        Optional<String> workloadKind,
        Optional<String> workloadName,
        Optional<String> pod,
        Optional<String> container,
        String containerId,
        Optional<String> image,
        ImageDigest imageDigest)
{
    public Workload
    {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(workloadKind, "workloadKind is null");
        requireNonNull(workloadName, "workloadName is null");
        requireNonNull(pod, "pod is null");
        requireNonNull(container, "container is null");
        requireNonNull(containerId, "containerId is null");
        requireNonNull(image, "image is null");
        requireNonNull(imageDigest, "imageDigest is null");
    }
}
