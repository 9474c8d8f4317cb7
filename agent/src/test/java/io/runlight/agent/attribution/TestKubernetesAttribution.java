package io.runlight.agent.attribution;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import io.runlight.agent.proc.CgroupContainers;
import io.runlight.agent.proc.ContainerRef;
import io.runlight.plugin.api.ImageDigest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Kubernetes attribution against fabric8's mock API server, which answers exactly the requests
 * expected here, each once: the list of this node's pods, their watch, and one read of each
 * ReplicaSet and Job that owns a pod. The pods' container ids are those of the real cgroup lines
 * in {@code cgroup/} (containerd, CRI-O and Docker nodes). The watch itself: {@link TestKubernetesWatch}.
 */
@EnableKubernetesMockClient(https = false)
class TestKubernetesAttribution
{
    private static final String NODE = "worker-1";
    private static final String CART_DIGEST = "sha256:" + "1".repeat(64);
    private static final String REINDEX_DIGEST = "sha256:" + "2".repeat(64);
    private static final String POSTGRES_DIGEST = "sha256:" + "3".repeat(64);
    private static final String FLUENT_DIGEST = "sha256:" + "4".repeat(64);

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void namesEachWorkloadByItsControllerAndTheDigestTheKubeletReports()
            throws Exception
    {
        ContainerRef containerd = container("kubernetes-containerd-systemd-hybrid-bottlerocket.txt");
        ContainerRef crio = container("kubernetes-crio-systemd-v1-openshift.txt");
        ContainerRef docker = container("kubernetes-docker-systemd-v1.txt");
        ContainerRef cgroupfs = container("kubernetes-containerd-cgroupfs-v1.txt");
        server.expect().get().withPath("/apis/apps/v1/namespaces/shop/replicasets/cart-7d9f8b6c5")
                .andReturn(200, new ReplicaSetBuilder().withNewMetadata().withName("cart-7d9f8b6c5").withNamespace("shop")
                        .withOwnerReferences(controller("apps/v1", "Deployment", "cart")).endMetadata().build()).once();
        server.expect().get().withPath("/apis/batch/v1/namespaces/shop/jobs/reindex-29012345")
                .andReturn(200, new JobBuilder().withNewMetadata().withName("reindex-29012345").withNamespace("shop")
                        .withOwnerReferences(controller("batch/v1", "CronJob", "reindex")).endMetadata().build()).once();
        ContainerRef elsewhere = new ContainerRef(io.runlight.agent.proc.ContainerRuntime.CONTAINERD, "e".repeat(64));
        ContainerRef pulling = new ContainerRef(io.runlight.agent.proc.ContainerRuntime.CRI_O, "f".repeat(64));
        nodePods(
                pod("shop", "cart-7d9f8b6c5-x2k4p", NODE, controller("apps/v1", "ReplicaSet", "cart-7d9f8b6c5"),
                        status("cart", "containerd://" + containerd.id(), "docker.io/acme/cart:1.4", "docker.io/acme/cart@" + CART_DIGEST)),
                pod("shop", "reindex-29012345-abcde", NODE, controller("batch/v1", "Job", "reindex-29012345"),
                        status("reindex", "cri-o://" + crio.id(), "quay.io/acme/reindex:2", "quay.io/acme/reindex@" + REINDEX_DIGEST)),
                pod("data", "postgres-0", NODE, controller("apps/v1", "StatefulSet", "postgres"),
                        status("postgres", "docker://" + docker.id(), "postgres:16", "docker-pullable://postgres@" + POSTGRES_DIGEST)),
                pod("logging", "fluent-bit-8xk2w", NODE, controller("apps/v1", "DaemonSet", "fluent-bit"),
                        status("fluent-bit", "containerd://" + cgroupfs.id(), "fluent/fluent-bit:3.1", FLUENT_DIGEST)),
                // an API server that ignored the field selector: another node's pod is not indexed
                pod("shop", "elsewhere", "worker-2", null, status("cart", "containerd://" + elsewhere.id(), "acme/cart:1.4", "acme/cart@" + CART_DIGEST)),
                // the kubelet has not reported the image yet
                pod("shop", "pulling", NODE, null, status("cart", "cri-o://" + pulling.id(), "acme/cart:1.4", "")));

        try (KubernetesAttribution kubernetes = new KubernetesAttribution(client, NODE)) {
            assertThat(kubernetes.workload(containerd)).contains(new Workload(Optional.of("shop"), Optional.of("Deployment"), Optional.of("cart"),
                    Optional.of("cart-7d9f8b6c5-x2k4p"), Optional.of("cart"), "containerd://" + containerd.id(), Optional.of("docker.io/acme/cart:1.4"),
                    new ImageDigest(CART_DIGEST)));
            assertThat(kubernetes.workload(crio)).contains(new Workload(Optional.of("shop"), Optional.of("CronJob"), Optional.of("reindex"),
                    Optional.of("reindex-29012345-abcde"), Optional.of("reindex"), "cri-o://" + crio.id(), Optional.of("quay.io/acme/reindex:2"),
                    new ImageDigest(REINDEX_DIGEST)));
            assertThat(kubernetes.workload(docker).map(Workload::workloadKind)).contains(Optional.of("StatefulSet"));
            assertThat(kubernetes.workload(docker).map(Workload::imageDigest)).contains(new ImageDigest(POSTGRES_DIGEST));
            // the cgroupfs driver names no runtime; the pod's status does
            assertThat(kubernetes.workload(cgroupfs).map(Workload::containerId)).contains("containerd://" + cgroupfs.id());
            assertThat(kubernetes.workload(cgroupfs).map(Workload::workloadName)).contains(Optional.of("fluent-bit"));
            assertThat(kubernetes.workload(elsewhere)).isEmpty();
            assertThat(kubernetes.workload(pulling)).isEmpty();
            // asked again: answered from the cache (the ReplicaSet and the Job could be read once only)
            assertThat(kubernetes.workload(containerd).flatMap(Workload::workloadName)).contains("cart");
            assertThat(kubernetes.workload(crio).flatMap(Workload::workloadName)).contains("reindex");
        }
    }

    @Test
    void readsTheDigestOfEveryImageIdForm()
    {
        assertThat(KubernetesAttribution.digest("docker-pullable://nginx@" + CART_DIGEST)).contains(new ImageDigest(CART_DIGEST));
        assertThat(KubernetesAttribution.digest("docker.io/library/nginx@" + CART_DIGEST)).contains(new ImageDigest(CART_DIGEST));
        assertThat(KubernetesAttribution.digest(CART_DIGEST)).contains(new ImageDigest(CART_DIGEST));
        assertThat(KubernetesAttribution.digest("nginx:1.27")).isEmpty();
        assertThat(KubernetesAttribution.digest("")).isEmpty();
        assertThat(KubernetesAttribution.digest(null)).isEmpty();
    }

    @Test
    void anUnreachableApiServerIsAClearError()
    {
        server.destroy();
        // the informer retries a refused list until the wait for the first list is up: the test's wait is short
        assertThatThrownBy(() -> new KubernetesAttribution(client, NODE, java.time.Duration.ofMillis(200)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot list the pods of node 'worker-1' from the Kubernetes API at ")
                .hasMessageContaining("(the agent's service account needs get, list and watch on pods)");
    }

    // the list the informer starts from, and its watch, which reports nothing new here
    private void nodePods(Pod... pods)
    {
        server.expect().get().withPath("/api/v1/pods?fieldSelector=spec.nodeName%3Dworker-1&resourceVersion=0")
                .andReturn(200, new PodListBuilder().withNewMetadata().withResourceVersion("11").endMetadata().withItems(pods).build()).once();
        server.expect().get().withPath("/api/v1/pods?allowWatchBookmarks=true&fieldSelector=spec.nodeName%3Dworker-1&resourceVersion=11&timeoutSeconds=600&watch=true")
                .andUpgradeToWebSocket().open().done().once();
    }

    private static Pod pod(String namespace, String name, String node, OwnerReference owner, ContainerStatus status)
    {
        PodBuilder builder = new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata();
        if (owner != null) {
            builder.editMetadata().withOwnerReferences(owner).endMetadata();
        }
        return builder.withNewSpec().withNodeName(node).addNewContainer().withName(status.getName()).withImage(status.getImage()).endContainer().endSpec()
                .withNewStatus().withPhase("Running").withContainerStatuses(status).endStatus()
                .build();
    }

    private static ContainerStatus status(String name, String containerId, String image, String imageId)
    {
        return new ContainerStatusBuilder().withName(name).withContainerID(containerId).withImage(image).withImageID(imageId).withReady(true).build();
    }

    private static OwnerReference controller(String apiVersion, String kind, String name)
    {
        return new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind).withName(name).withUid(kind + "-" + name).withController(true).build();
    }

    private static ContainerRef container(String fixture)
            throws IOException
    {
        try (InputStream in = TestKubernetesAttribution.class.getResourceAsStream("/cgroup/" + fixture)) {
            assertThat(in).as(fixture).isNotNull();
            return CgroupContainers.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()).orElseThrow();
        }
    }
}
