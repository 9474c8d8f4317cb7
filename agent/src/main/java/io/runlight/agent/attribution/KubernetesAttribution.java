package io.runlight.agent.attribution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.agent.proc.ContainerRef;
import io.runlight.plugin.api.ImageDigest;

import static java.util.Objects.requireNonNull;

/**
 * Names the containers of this node's pods from the Kubernetes API: one informer watches the
 * pods whose {@code spec.nodeName} is this node and keeps them in a cache indexed by container
 * id, so a process is attributed without a request. Each container's image digest is the one
 * the kubelet reports ({@code status.containerStatuses[].imageID}, also of init and ephemeral
 * containers); its workload follows the pod's controller: a ReplicaSet's Deployment, a Job's
 * CronJob, a StatefulSet or DaemonSet itself, or the bare pod. A ReplicaSet or Job is read once
 * and remembered (RBAC: get on replicasets and jobs).
 */
public final class KubernetesAttribution
        implements ContainerAttribution
{
    private static final Logger log = LoggerFactory.getLogger(KubernetesAttribution.class);
    private static final String BY_CONTAINER_ID = "containerId";
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}$");
    private static final Duration FIRST_LIST = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final String node;
    private final SharedIndexInformer<Pod> pods;
    private final Map<String, Optional<OwnerReference>> owners = new ConcurrentHashMap<>();

    /**
     * Starts watching this node's pods; returns once the informer's first list is in its cache.
     *
     * @param node this node's name ({@code spec.nodeName} of its pods; the downward API's {@code spec.nodeName})
     */
    public KubernetesAttribution(KubernetesClient client, String node)
    {
        this(client, node, FIRST_LIST);
    }

    /** As above, waiting at most {@code firstList} for the first list of pods. */
    KubernetesAttribution(KubernetesClient client, String node, Duration firstList)
    {
        this.client = requireNonNull(client, "client is null");
        this.node = requireNonNull(node, "node is null");
        this.pods = client.pods().inAnyNamespace().withField("spec.nodeName", node).runnableInformer(0);
        pods.addIndexers(Map.of(BY_CONTAINER_ID, this::containerIds));
        try {
            pods.start().toCompletableFuture().get(firstList.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pods.close();
            throw new IllegalStateException("interrupted while listing the pods of node '" + node + "'", e);
        }
        catch (ExecutionException | TimeoutException e) {
            pods.close();
            throw new IllegalStateException("cannot list the pods of node '" + node + "' from the Kubernetes API at " + client.getMasterUrl()
                    + " (the agent's service account needs get, list and watch on pods): " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
    }

    @Override
    public Optional<Workload> workload(ContainerRef container)
    {
        List<Pod> matching = pods.getIndexer().byIndex(BY_CONTAINER_ID, container.id());
        for (Pod pod : matching) {
            Optional<Workload> workload = workload(pod, container.id());
            if (workload.isPresent()) {
                return workload;
            }
        }
        return Optional.empty();
    }

    @Override
    public String description()
    {
        return "the Kubernetes API (pods of node '" + node + "')";
    }

    @Override
    public void close()
    {
        pods.close();
        client.close();
    }

    // a pod of another node (an API server that ignores the field selector) is never indexed
    private List<String> containerIds(Pod pod)
    {
        if (pod.getSpec() == null || !node.equals(pod.getSpec().getNodeName())) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        for (ContainerStatus status : statuses(pod.getStatus())) {
            bareId(status.getContainerID()).ifPresent(ids::add);
        }
        return ids;
    }

    private Optional<Workload> workload(Pod pod, String id)
    {
        for (ContainerStatus status : statuses(pod.getStatus())) {
            if (!bareId(status.getContainerID()).map(id::equals).orElse(false)) {
                continue;
            }
            Optional<ImageDigest> digest = digest(status.getImageID());
            if (digest.isEmpty()) {
                // the kubelet has not reported the image yet: the next sample will know
                return Optional.empty();
            }
            String namespace = pod.getMetadata().getNamespace();
            OwnerReference owner = controller(pod).map(reference -> owner(namespace, reference)).orElse(null);
            return Optional.of(new Workload(
                    Optional.ofNullable(namespace),
                    Optional.of(owner == null ? "Pod" : owner.getKind()),
                    Optional.of(owner == null ? pod.getMetadata().getName() : owner.getName()),
                    Optional.ofNullable(pod.getMetadata().getName()),
                    Optional.ofNullable(status.getName()),
                    status.getContainerID(),
                    Optional.ofNullable(status.getImage()),
                    digest.get()));
        }
        return Optional.empty();
    }

    // a ReplicaSet made by a Deployment, a Job made by a CronJob: the workload is the owner's owner
    private OwnerReference owner(String namespace, OwnerReference reference)
    {
        if (!reference.getKind().equals("ReplicaSet") && !reference.getKind().equals("Job")) {
            return reference;
        }
        String key = reference.getKind() + "/" + namespace + "/" + reference.getName();
        Optional<OwnerReference> parent = owners.computeIfAbsent(key, ignored -> parentOf(namespace, reference));
        return parent.orElse(reference);
    }

    private Optional<OwnerReference> parentOf(String namespace, OwnerReference reference)
    {
        try {
            HasMetadata owner = reference.getKind().equals("ReplicaSet")
                    ? client.apps().replicaSets().inNamespace(namespace).withName(reference.getName()).get()
                    : client.batch().v1().jobs().inNamespace(namespace).withName(reference.getName()).get();
            return owner == null ? Optional.empty() : controller(owner);
        }
        catch (KubernetesClientException e) {
            log.warn("Cannot read {} '{}/{}' to find its owner; its pods are reported under it: {}", reference.getKind(), namespace, reference.getName(), e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<OwnerReference> controller(HasMetadata resource)
    {
        if (resource.getMetadata() == null || resource.getMetadata().getOwnerReferences() == null) {
            return Optional.empty();
        }
        return resource.getMetadata().getOwnerReferences().stream()
                .filter(reference -> Boolean.TRUE.equals(reference.getController()))
                .findFirst();
    }

    private static List<ContainerStatus> statuses(PodStatus status)
    {
        List<ContainerStatus> all = new ArrayList<>();
        if (status != null) {
            for (List<ContainerStatus> some : List.of(nonNull(status.getContainerStatuses()), nonNull(status.getInitContainerStatuses()),
                    nonNull(status.getEphemeralContainerStatuses()))) {
                all.addAll(some);
            }
        }
        return all;
    }

    private static List<ContainerStatus> nonNull(List<ContainerStatus> statuses)
    {
        return statuses == null ? List.of() : statuses;
    }

    // containerd://<id>, cri-o://<id>, docker://<id>
    private static Optional<String> bareId(String containerId)
    {
        if (containerId == null || containerId.isBlank()) {
            return Optional.empty();
        }
        int scheme = containerId.indexOf("://");
        return Optional.of(scheme >= 0 ? containerId.substring(scheme + 3) : containerId);
    }

    // docker-pullable://nginx@sha256:..., docker.io/library/nginx@sha256:..., sha256:...
    static Optional<ImageDigest> digest(String imageId)
    {
        if (imageId == null) {
            return Optional.empty();
        }
        Matcher matcher = DIGEST.matcher(imageId.strip());
        return matcher.find() ? Optional.of(new ImageDigest(matcher.group())) : Optional.empty();
    }
}
