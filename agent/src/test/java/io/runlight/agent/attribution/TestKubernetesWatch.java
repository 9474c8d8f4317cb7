package io.runlight.agent.attribution;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import io.runlight.agent.proc.CgroupContainers;
import io.runlight.agent.proc.ContainerRef;
import io.runlight.plugin.api.ImageDigest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent asks the API server for exactly its node's pods ({@code fieldSelector=spec.nodeName=worker-1}),
 * then watches them: a pod that starts later is attributed from the watch event alone, and the
 * Job that owns it is read once, however many times its container is asked about. fabric8's mock
 * server in expectation mode answers only the requests below, each once.
 */
@EnableKubernetesMockClient(https = false)
class TestKubernetesWatch
{
    private static final String NODE = "worker-1";
    private static final String DIGEST = "sha256:" + "5".repeat(64);

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void aPodThatStartsLaterArrivesByTheWatchAndItsJobIsReadOnce()
            throws Exception
    {
        ContainerRef crio = container("kubernetes-crio-systemd-v1-openshift.txt");
        server.expect().get().withPath("/api/v1/pods?fieldSelector=spec.nodeName%3Dworker-1&resourceVersion=0")
                .andReturn(200, new PodListBuilder().withNewMetadata().withResourceVersion("7").endMetadata().build()).once();
        Pod late = new PodBuilder().withNewMetadata().withNamespace("batch").withName("reindex-29012345-q8x7z").withResourceVersion("8")
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job").withName("reindex-29012345").withUid("j1")
                        .withController(true).build()).endMetadata()
                .withNewSpec().withNodeName(NODE).addNewContainer().withName("reindex").withImage("quay.io/acme/reindex:2").endContainer().endSpec()
                .withNewStatus().withContainerStatuses(new ContainerStatusBuilder().withName("reindex").withContainerID("cri-o://" + crio.id())
                        .withImage("quay.io/acme/reindex:2").withImageID("quay.io/acme/reindex@" + DIGEST).build()).endStatus()
                .build();
        server.expect().get().withPath("/api/v1/pods?allowWatchBookmarks=true&fieldSelector=spec.nodeName%3Dworker-1&resourceVersion=7&timeoutSeconds=600&watch=true")
                .andUpgradeToWebSocket().open().waitFor(500).andEmit(new WatchEvent(late, "ADDED")).done().once();
        server.expect().get().withPath("/apis/batch/v1/namespaces/batch/jobs/reindex-29012345")
                .andReturn(200, new JobBuilder().withNewMetadata().withNamespace("batch").withName("reindex-29012345")
                        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("CronJob").withName("reindex").withUid("c1")
                                .withController(true).build()).endMetadata().build()).once();

        try (KubernetesAttribution kubernetes = new KubernetesAttribution(client, NODE)) {
            assertThat(kubernetes.workload(crio)).isEmpty();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (kubernetes.workload(crio).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Workload expected = new Workload(Optional.of("batch"), Optional.of("CronJob"), Optional.of("reindex"), Optional.of("reindex-29012345-q8x7z"),
                    Optional.of("reindex"), "cri-o://" + crio.id(), Optional.of("quay.io/acme/reindex:2"), new ImageDigest(DIGEST));
            assertThat(kubernetes.workload(crio)).contains(expected);
            // asked again and again: the Job was read once (a second read would find no expectation and give no CronJob)
            for (int i = 0; i < 3; i++) {
                assertThat(kubernetes.workload(crio)).contains(expected);
            }
        }
    }

    private static ContainerRef container(String fixture)
            throws IOException
    {
        try (InputStream in = TestKubernetesWatch.class.getResourceAsStream("/cgroup/" + fixture)) {
            assertThat(in).as(fixture).isNotNull();
            return CgroupContainers.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()).orElseThrow();
        }
    }
}
