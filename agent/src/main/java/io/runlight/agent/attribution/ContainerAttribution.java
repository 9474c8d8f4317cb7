package io.runlight.agent.attribution;

import java.util.Optional;

import io.runlight.agent.proc.ContainerRef;

/**
 * Names the workload and image of a container the agent found in a cgroup: the Kubernetes
 * API (this node's pods, watched and cached) or a Docker Engine. Called for every container
 * of every sample, so an implementation answers from what it already knows and never makes a
 * request per process.
 */
public interface ContainerAttribution
        extends AutoCloseable
{
    /** The container's workload and image digest, or empty while this source does not know it (yet). */
    Optional<Workload> workload(ContainerRef container);

    /** For a person: "Kubernetes API", "Docker Engine at /var/run/docker.sock". */
    String description();

    @Override
    default void close() {}
}
