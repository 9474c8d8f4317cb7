package io.runlight.agent.proc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The container named by real nodes' {@code /proc/<pid>/cgroup} (see {@code cgroup/README.md} for where each was captured). */
class TestCgroupFixtures
{
    @ParameterizedTest
    @CsvSource({
            "docker-cgroupfs-v1-ubuntu.txt, DOCKER, 31cb02944da7a12196a193cf0e0f6c226d7c453a1db62e65ba98287593a2ee30",
            "docker-systemd-v1-centos.txt, DOCKER, 9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d",
            "docker-in-docker-rancheros.txt, DOCKER, ec08435e04266c5ba381fccbb829f626d11d8ddf5f8f547263c7a2d79ab4787a",
            "kubernetes-docker-cgroupfs-v1.txt, UNKNOWN, cb1eadb7abe3a6545e9856411207073277838e1bdc003337c2f8685faeedc32c",
            "kubernetes-docker-systemd-v1.txt, DOCKER, b5b6f2da8008be266864f896f93789762b2ce50792114a5c5f2cc3315af0bc70",
            "kubernetes-containerd-cgroupfs-v1.txt, UNKNOWN, 5dd96d5394ca930a854a390ea46f7515a8bc930123eb3251ba20f2708a38fc61",
            "kubernetes-containerd-systemd-v1-colons.txt, CONTAINERD, d3d8ccf5cca91931c6285c1d7472c413dd5a7700fddc0aa9f89a9ac7008b003e",
            "kubernetes-containerd-systemd-hybrid-bottlerocket.txt, CONTAINERD, f45298cd514d1930c4fe3afc4412e59547f7e3148fddd22ca33cefce046eb830",
            "kubernetes-crio-systemd-v1-openshift.txt, CRI_O, d6d725b909f37c3e232aadfbafa950a58bfe7baa579ba8c47a12be88bb921607",
            "kubernetes-kube-proxy-nested.txt, UNKNOWN, c04e0a88a1de067f25bece337d4dbb897396e0b623c2a65330850fc9823f1903"})
    void namesTheContainer(String file, ContainerRuntime runtime, String id)
            throws IOException
    {
        assertThat(CgroupContainers.parse(lines(file))).contains(new ContainerRef(runtime, id));
    }

    @ParameterizedTest
    @CsvSource({"host-process.txt", "host-session.txt"})
    void namesNoContainerForAHostProcess(String file)
            throws IOException
    {
        assertThat(CgroupContainers.parse(lines(file))).isEqualTo(Optional.empty());
    }

    private static List<String> lines(String file)
            throws IOException
    {
        try (InputStream in = TestCgroupFixtures.class.getResourceAsStream("/cgroup/" + file)) {
            assertThat(in).as(file).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
