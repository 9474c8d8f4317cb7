package io.runlight.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * The agent's settings, validated once ({@link AgentSettingsLoader}); where the hub is and the
 * token are the command line's, as for every command that talks to a hub.
 *
 * @param interval how often every process is sampled
 * @param cluster the cluster name every event carries
 * @param hostName the host's name: workload and container id of its processes' events
 * @param hostRoot where the host's file system is (its {@code /}; {@code /host} in a container)
 * @param hostExcluded folders of the host not cataloged as the host's software (the container runtimes' storage)
 * @param proc the {@code /proc} of the host's processes
 * @param refreshAfter how long after the hub acknowledged a file's use it is sent again as still in use
 * @param bufferCapacity how many observations wait for the hub at most while it is away
 * @param batchSize observations per request
 * @param catalog whether images without an SBOM at the hub are cataloged and uploaded
 * @param dockerSocket a Docker Engine's unix socket, to name plain Docker containers
 * @param kubernetesNode this node's name, to watch its pods through the Kubernetes API
 */
public record AgentSettings(
        Duration interval,
        Optional<String> cluster,
        String hostName,
        Path hostRoot,
        Set<String> hostExcluded,
        Path proc,
        Duration refreshAfter,
        int bufferCapacity,
        int batchSize,
        boolean catalog,
        Optional<Path> dockerSocket,
        Optional<String> kubernetesNode)
{
    public AgentSettings
    {
        requireNonNull(interval, "interval is null");
        requireNonNull(cluster, "cluster is null");
        requireNonBlank(hostName, "hostName");
        requireNonNull(hostRoot, "hostRoot is null");
        hostExcluded = Set.copyOf(requireNonNull(hostExcluded, "hostExcluded is null"));
        requireNonNull(proc, "proc is null");
        requireNonNull(refreshAfter, "refreshAfter is null");
        requireNonNull(dockerSocket, "dockerSocket is null");
        requireNonNull(kubernetesNode, "kubernetesNode is null");
    }
}
