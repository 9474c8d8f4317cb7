package io.runlight.agent.attribution;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import static java.util.Objects.requireNonNull;

/**
 * Opens the attribution sources the settings ask for, Kubernetes first (a node's pods name
 * their workloads; a Docker Engine on a Kubernetes node knows only its own containers).
 */
public final class AttributionSources
{
    private AttributionSources() {}

    /**
     * @param dockerSocket a Docker Engine's unix socket
     * @param kubernetesNode this node's name; the client configures itself as fabric8 does
     *        (in a pod: the service account; else {@code KUBECONFIG} or {@code ~/.kube/config})
     * @throws IllegalArgumentException naming a socket that does not exist
     * @throws IllegalStateException when the node's pods cannot be listed
     */
    public static List<ContainerAttribution> open(Optional<Path> dockerSocket, Optional<String> kubernetesNode, Clock clock)
    {
        requireNonNull(dockerSocket, "dockerSocket is null");
        requireNonNull(kubernetesNode, "kubernetesNode is null");
        List<ContainerAttribution> sources = new ArrayList<>();
        if (dockerSocket.isPresent() && !Files.exists(dockerSocket.get())) {
            throw new IllegalArgumentException("docker.socket '" + dockerSocket.get() + "' does not exist: give the Docker Engine's socket, such as /var/run/docker.sock");
        }
        if (kubernetesNode.isPresent()) {
            KubernetesClient client = new KubernetesClientBuilder().build();
            try {
                sources.add(new KubernetesAttribution(client, kubernetesNode.get()));
            }
            catch (RuntimeException e) {
                client.close();
                throw e;
            }
        }
        dockerSocket.ifPresent(socket -> sources.add(new DockerEngineAttribution(socket, clock)));
        return sources;
    }
}
