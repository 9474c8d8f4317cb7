package io.runlight.insights.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.runlight.insights.input.InputLimits;
import io.runlight.insights.profile.WorkloadNaming;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.Workload;
import org.junit.jupiter.api.Test;

import static io.runlight.insights.runtime.TestRuntimeEventReader.stream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Falco alerts whose rule output adds the k8smeta plugin's fields name the pod's
 * controller as the workload; without them the pod stays the workload. The field names
 * are those of falcosecurity/plugins plugins/k8smeta (deployment, rs, rc, ns, pod).
 */
class TestFalcoWorkloads
{
    private static final String DIGEST = "sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d";

    private final RuntimeEventReader reader = new RuntimeEventReader(InputLimits.DEFAULT);

    @Test
    void aDeploymentNameMakesTheDeploymentTheWorkload()
    {
        EventBatch batch = reader.read(stream(alert("\"k8s.ns.name\": \"shop\", \"k8s.pod.name\": \"cart-5d9f8b6c5-x2x7q\","
                + " \"k8smeta.deployment.name\": \"cart\", \"k8smeta.rs.name\": \"cart-5d9f8b6c5\", \"k8smeta.pod.name\": \"cart-5d9f8b6c5-x2x7q\"")));

        assertThat(batch.errors()).isEmpty();
        assertThat(batch.events()).containsExactly(new RuntimeEvent(
                new ContainerIdentity(Optional.empty(), Optional.of("shop"), Optional.of("Deployment"), Optional.of("cart"),
                        Optional.of("cart-5d9f8b6c5-x2x7q"), Optional.of("cart"), Optional.of("4f2a9c0d1e12"),
                        Optional.of("docker.io/library/alpine:3.17"), Optional.of(new ImageDigest(DIGEST))),
                EvidenceKind.EXEC, "/bin/busybox", Optional.of("/bin/busybox"), Instant.parse("2026-11-28T12:10:00Z"), Sensor.FALCO));
        assertThat(WorkloadNaming.workloadOf(batch.events().get(0).container()))
                .isEqualTo(new Workload("default", "shop", "Deployment", "cart", "cart"));
    }

    @Test
    void aReplicaSetOrReplicationControllerWithoutADeploymentIsTheWorkloadAsNamed()
    {
        EventBatch batch = reader.read(stream(
                alert("\"k8s.ns.name\": \"shop\", \"k8s.pod.name\": \"cart-5d9f8b6c5-x2x7q\", \"k8smeta.deployment.name\": \"<NA>\", \"k8smeta.rs.name\": \"cart-5d9f8b6c5\"")
                        + "\n" + alert("\"k8s.ns.name\": \"shop\", \"k8s.pod.name\": \"legacy-abcde\", \"k8smeta.deployment.name\": null,"
                        + " \"k8smeta.rs.name\": \"  \", \"k8smeta.rc.name\": \"legacy\"")));

        assertThat(batch.errors()).isEmpty();
        // a ReplicaSet's name is not cut back to a Deployment's: k8smeta names the Deployment when there is one
        assertThat(batch.events()).extracting(event -> WorkloadNaming.workloadOf(event.container())).containsExactly(
                new Workload("default", "shop", "ReplicaSet", "cart-5d9f8b6c5", "cart"),
                new Workload("default", "shop", "ReplicationController", "legacy", "cart"));
    }

    @Test
    void k8smetaNamespaceAndPodStandInForFalcosOwn()
    {
        EventBatch batch = reader.read(stream(alert("\"k8s.ns.name\": \"<NA>\", \"k8smeta.ns.name\": \"jobs\", \"k8smeta.pod.name\": \"reindex-28312345-abcde\"")));

        assertThat(batch.events()).hasSize(1);
        ContainerIdentity identity = batch.events().get(0).container();
        assertThat(identity.namespace()).contains("jobs");
        assertThat(identity.pod()).contains("reindex-28312345-abcde");
        assertThat(WorkloadNaming.workloadOf(identity)).isEqualTo(new Workload("default", "jobs", "Pod", "reindex-28312345-abcde", "cart"));
    }

    @Test
    void withoutK8smetaThePodIsTheWorkloadAsBefore()
    {
        EventBatch batch = reader.read(stream(alert("\"k8s.ns.name\": \"shop\", \"k8s.pod.name\": \"cart-5d9f8b6c5-x2x7q\"")));

        assertThat(batch.events()).hasSize(1);
        ContainerIdentity identity = batch.events().get(0).container();
        assertThat(identity.workloadKind()).isEmpty();
        assertThat(identity.workloadName()).isEmpty();
        assertThat(WorkloadNaming.workloadOf(identity)).isEqualTo(new Workload("default", "shop", "Pod", "cart-5d9f8b6c5-x2x7q", "cart"));
    }

    @Test
    void hostileOrWrongTypedControllerNamesRejectTheAlert()
    {
        String longest = "a".repeat(253);
        String tooLong = "a".repeat(254);
        EventBatch batch = reader.read(stream(String.join("\n", List.of(
                alert("\"k8smeta.deployment.name\": 42"),
                alert("\"k8smeta.rs.name\": {\"name\": \"cart\"}"),
                alert("\"k8smeta.deployment.name\": [\"cart\"]"),
                alert("\"k8smeta.deployment.name\": \"Cart\""),
                alert("\"k8smeta.deployment.name\": \"../../etc\""),
                alert("\"k8smeta.rc.name\": \"cart\\u0000\\u001b[31m\""),
                alert("\"k8smeta.deployment.name\": \"cart web\""),
                alert("\"k8smeta.deployment.name\": \"" + tooLong + "\""),
                alert("\"k8smeta.deployment.name\": \"" + longest + "\"")))));

        assertThat(batch.errors()).containsExactly(
                new EventError("line 1", "'/output_fields/k8smeta.deployment.name' must be a string, found a number"),
                new EventError("line 2", "'/output_fields/k8smeta.rs.name' must be a string, found an object"),
                new EventError("line 3", "'/output_fields/k8smeta.deployment.name' must be a string, found an array"),
                new EventError("line 4", "'/output_fields/k8smeta.deployment.name' is not a Kubernetes object name: 'Cart'; "
                        + "expected at most 253 lower-case letters, digits, '-' and '.'"),
                new EventError("line 5", "'/output_fields/k8smeta.deployment.name' is not a Kubernetes object name: '../../etc'; "
                        + "expected at most 253 lower-case letters, digits, '-' and '.'"),
                new EventError("line 6", "'/output_fields/k8smeta.rc.name' holds a NUL character at character 5; expected text without NUL"),
                new EventError("line 7", "'/output_fields/k8smeta.deployment.name' is not a Kubernetes object name: 'cart web'; "
                        + "expected at most 253 lower-case letters, digits, '-' and '.'"),
                new EventError("line 8", "'/output_fields/k8smeta.deployment.name' is not a Kubernetes object name: '" + "a".repeat(80) + "...'; "
                        + "expected at most 253 lower-case letters, digits, '-' and '.'"));
        assertThat(batch.rejected()).isEqualTo(8);
        assertThat(batch.events()).extracting(event -> event.container().workloadName()).containsExactly(Optional.of(longest));
    }

    @Test
    void aDefaultClusterFillsOnlyWhereNoneIsNamed()
    {
        RuntimeEvent falco = reader.read(stream(alert("\"k8s.ns.name\": \"shop\", \"k8smeta.deployment.name\": \"cart\""))).events().get(0);
        RuntimeEvent tagged = new RuntimeEvent(falco.container().withDefaultCluster("staging"), falco.kind(), falco.path(), falco.process(), falco.time(), Sensor.FALCO);

        assertThat(falco.withDefaultCluster("prod-eu").container().cluster()).contains("prod-eu");
        assertThat(WorkloadNaming.workloadOf(falco.withDefaultCluster("prod-eu").container()))
                .isEqualTo(new Workload("prod-eu", "shop", "Deployment", "cart", "cart"));
        assertThat(falco.withDefaultCluster("prod-eu")).isEqualTo(new RuntimeEvent(
                new ContainerIdentity(Optional.of("prod-eu"), Optional.of("shop"), Optional.of("Deployment"), Optional.of("cart"), Optional.empty(),
                        Optional.of("cart"), Optional.of("4f2a9c0d1e12"), Optional.of("docker.io/library/alpine:3.17"), Optional.of(new ImageDigest(DIGEST))),
                EvidenceKind.EXEC, "/bin/busybox", Optional.of("/bin/busybox"), Instant.parse("2026-11-28T12:10:00Z"), Sensor.FALCO));
        assertThat(tagged.withDefaultCluster("prod-eu")).isSameAs(tagged);
        assertThat(tagged.container().cluster()).contains("staging");
    }

    /** An exec alert of the alpine image's busybox in container "cart", with these extra output fields. */
    private static String alert(String extraFields)
    {
        return "{\"time\": \"2026-11-28T12:10:00Z\", \"rule\": \"Runlight exec\", \"priority\": \"Informational\", \"source\": \"syscall\","
                + " \"output\": \"exec\", \"output_fields\": {\"evt.type\": \"execve\", \"proc.exepath\": \"/bin/busybox\", \"proc.name\": \"busybox\","
                + " \"container.id\": \"4f2a9c0d1e12\", \"container.name\": \"cart\", \"container.image.repository\": \"docker.io/library/alpine\","
                + " \"container.image.tag\": \"3.17\", \"container.image.digest\": \"" + DIGEST + "\", " + extraFields + "}}";
    }
}
