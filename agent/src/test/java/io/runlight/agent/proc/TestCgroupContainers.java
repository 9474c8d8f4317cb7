package io.runlight.agent.proc;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestCgroupContainers
{
    private static final String ID = "8d2f6c0a4e1b3c5d7e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d";

    @Test
    void dockerUnderBothDriversAndBothCgroupVersions()
    {
        assertThat(CgroupContainers.parse(List.of("12:memory:/docker/" + ID, "11:cpu,cpuacct:/docker/" + ID)))
                .contains(new ContainerRef(ContainerRuntime.DOCKER, ID));
        assertThat(CgroupContainers.parse(List.of("0::/system.slice/docker-" + ID + ".scope")))
                .contains(new ContainerRef(ContainerRuntime.DOCKER, ID));
        assertThat(CgroupContainers.parse(List.of("0::/docker/" + ID))).contains(new ContainerRef(ContainerRuntime.DOCKER, ID));
    }

    @Test
    void kubernetesRuntimes()
    {
        assertThat(CgroupContainers.parse(List.of("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod3f1c2a44_9b1e_4a8f_9d55_3a7d1c2b9e10.slice/cri-containerd-"
                + ID + ".scope"))).contains(new ContainerRef(ContainerRuntime.CONTAINERD, ID));
        assertThat(CgroupContainers.parse(List.of("0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod3f1c2a44_9b1e_4a8f_9d55_3a7d1c2b9e10.slice/crio-"
                + ID + ".scope"))).contains(new ContainerRef(ContainerRuntime.CRI_O, ID));
        // cgroupfs driver: only the id; the pod cache knows the runtime
        assertThat(CgroupContainers.parse(List.of("4:memory:/kubepods/burstable/pod3f1c2a44-9b1e-4a8f-9d55-3a7d1c2b9e10/" + ID)))
                .contains(new ContainerRef(ContainerRuntime.UNKNOWN, ID));
        // read from another cgroup namespace
        assertThat(CgroupContainers.parse(List.of("0::/../../kubepods-besteffort-pod1.slice/cri-containerd-" + ID + ".scope")))
                .contains(new ContainerRef(ContainerRuntime.CONTAINERD, ID));
    }

    @Test
    void monitorsHostProcessesAndNonsenseNameNoContainer()
    {
        assertThat(CgroupContainers.parse(List.of("0::/machine.slice/libpod-conmon-" + ID + ".scope"))).isEmpty();
        assertThat(CgroupContainers.parse(List.of("0::/system.slice/crio-conmon-" + ID + ".scope"))).isEmpty();
        assertThat(CgroupContainers.parse(List.of("0::/user.slice/user-1000.slice/session-2.scope", "1:name=systemd:/"))).isEmpty();
        assertThat(CgroupContainers.parse(List.of("4:memory:/process_api/02a758c854a84b70f52c174f0249a22e"))).isEmpty();
        assertThat(CgroupContainers.parse(List.of("", "garbage", "0::/docker/" + ID.toUpperCase(java.util.Locale.ROOT)))).isEmpty();
        assertThat(CgroupContainers.parse(List.of("0::/docker/" + ID.substring(1)))).isEqualTo(Optional.empty());
    }

    @Test
    void aRefNeedsAFullId()
    {
        assertThatThrownBy(() -> new ContainerRef(ContainerRuntime.DOCKER, "abc")).hasMessage("container id 'abc' is not 64 lower-case hex digits");
        assertThat(new ContainerRef(ContainerRuntime.CRI_O, ID).qualifiedId()).isEqualTo("cri-o://" + ID);
        assertThat(new ContainerRef(ContainerRuntime.UNKNOWN, ID).qualifiedId()).isEqualTo(ID);
    }
}
