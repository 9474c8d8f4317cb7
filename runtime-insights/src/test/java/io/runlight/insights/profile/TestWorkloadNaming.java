package io.runlight.insights.profile;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.runlight.insights.runtime.ContainerIdentity;
import io.runlight.plugin.api.Workload;

import static org.assertj.core.api.Assertions.assertThat;

class TestWorkloadNaming
{
    @Test
    void kubernetesIdentityMapsAsGiven()
    {
        assertThat(WorkloadNaming.workloadOf(identity("prod-eu", "shop", "Deployment", "cart", "cart-7d9f", "cart", "containerd://4f2a")))
                .isEqualTo(new Workload("prod-eu", "shop", "Deployment", "cart", "cart"));
    }

    @Test
    void kindsAreWrittenAsKubernetesWritesThem()
    {
        assertThat(WorkloadNaming.kubernetesKind("deployment")).isEqualTo("Deployment");
        assertThat(WorkloadNaming.kubernetesKind("STATEFULSET")).isEqualTo("StatefulSet");
        assertThat(WorkloadNaming.kubernetesKind("daemonset")).isEqualTo("DaemonSet");
        assertThat(WorkloadNaming.kubernetesKind("replicaset")).isEqualTo("ReplicaSet");
        assertThat(WorkloadNaming.kubernetesKind("replicationcontroller")).isEqualTo("ReplicationController");
        assertThat(WorkloadNaming.kubernetesKind("job")).isEqualTo("Job");
        assertThat(WorkloadNaming.kubernetesKind("cronjob")).isEqualTo("CronJob");
        assertThat(WorkloadNaming.kubernetesKind("pod")).isEqualTo("Pod");
        assertThat(WorkloadNaming.kubernetesKind(" rollout ")).isEqualTo("Rollout");
        // a kind already written as Kubernetes writes it is kept as it is
        for (String kind : List.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob", "Pod")) {
            assertThat(WorkloadNaming.kubernetesKind(kind)).isEqualTo(kind);
            assertThat(WorkloadNaming.kubernetesKind(" " + kind + " ")).isEqualTo(kind);
            assertThat(WorkloadNaming.kubernetesKind(kind.toLowerCase(Locale.ROOT))).isEqualTo(kind);
        }
        assertThat(WorkloadNaming.kubernetesKind("DEPLOYMENT")).isEqualTo("Deployment");
        assertThat(WorkloadNaming.kubernetesKind("deploymentS")).isEqualTo("DeploymentS");
    }

    @Test
    void missingFieldsFallBack()
    {
        assertThat(WorkloadNaming.workloadOf(identity(null, null, null, null, "cart-7d9f", null, null)))
                .isEqualTo(new Workload("default", "", "Pod", "cart-7d9f", "main"));
        assertThat(WorkloadNaming.workloadOf(identity(null, "shop", null, "cart", null, null, null)))
                .isEqualTo(new Workload("default", "shop", "Workload", "cart", "main"));
        assertThat(WorkloadNaming.workloadOf(identity(null, null, null, null, null, "nginx", "docker://4f2a9c1b7e3d5f6a8b9c")))
                .isEqualTo(new Workload("default", "", "Container", "4f2a9c1b7e3d", "nginx"));
        assertThat(WorkloadNaming.workloadOf(ContainerIdentity.UNKNOWN))
                .isEqualTo(new Workload("default", "", "Container", "unknown", "main"));
    }

    private static ContainerIdentity identity(String cluster, String namespace, String kind, String name, String pod, String container, String containerId)
    {
        return new ContainerIdentity(Optional.ofNullable(cluster), Optional.ofNullable(namespace), Optional.ofNullable(kind), Optional.ofNullable(name),
                Optional.ofNullable(pod), Optional.ofNullable(container), Optional.ofNullable(containerId), Optional.empty(), Optional.empty());
    }
}
