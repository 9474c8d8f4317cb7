package io.runlight.agent.proc;

/** The runtime that created a container, as its cgroup's name tells. */
public enum ContainerRuntime
{
    DOCKER("docker://"),
    CONTAINERD("containerd://"),
    CRI_O("cri-o://"),
    PODMAN("podman://"),
    /** A Kubernetes container under the cgroupfs driver: its cgroup names the id only. */
    UNKNOWN("");

    private final String scheme;

    ContainerRuntime(String scheme)
    {
        this.scheme = scheme;
    }

    /** The prefix Kubernetes puts before the id in {@code status.containerStatuses[].containerID}, empty if unknown. */
    public String scheme()
    {
        return scheme;
    }
}
