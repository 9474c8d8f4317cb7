package io.runlight.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestAgentSettingsLoader
{
    @TempDir
    Path folder;

    private static Duration duration(String text)
    {
        if (text.endsWith("s") && text.substring(0, text.length() - 1).chars().allMatch(Character::isDigit)) {
            return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        if (text.endsWith("m") && text.substring(0, text.length() - 1).chars().allMatch(Character::isDigit)) {
            return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration");
    }

    @Test
    void defaults()
    {
        AgentSettings settings = new AgentSettingsLoader(Map.of(), TestAgentSettingsLoader::duration).load(Optional.empty(), Map.of("host.name", "node-1"));

        assertThat(settings.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.refreshAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.cluster()).isEmpty();
        assertThat(settings.hostName()).isEqualTo("node-1");
        assertThat(settings.hostRoot()).isEqualTo(Path.of("/"));
        assertThat(settings.proc()).isEqualTo(Path.of("/proc"));
        assertThat(settings.hostExcluded()).contains("/var/lib/docker", "/var/lib/containerd", "/var/lib/kubelet");
        assertThat(settings.bufferCapacity()).isEqualTo(100_000);
        assertThat(settings.batchSize()).isEqualTo(2000);
        assertThat(settings.catalog()).isTrue();
        assertThat(settings.dockerSocket()).isEmpty();
        assertThat(settings.kubernetesNode()).isEmpty();
    }

    @Test
    void yamlThenEnvironmentThenFlags()
            throws Exception
    {
        Path file = folder.resolve("agent.yaml");
        Files.writeString(file, "interval: 60s\ncluster: from-file\nhost:\n  name: file-node\n  exclude: [/srv/cache, /opt/other/]\nbuffer.capacity: 500\n");
        AgentSettings settings = new AgentSettingsLoader(Map.of("RUNLIGHT_AGENT_CLUSTER", "from-env", "RUNLIGHT_AGENT_BATCH_SIZE", "100"),
                TestAgentSettingsLoader::duration)
                .load(Optional.of(file), Map.of("interval", "45s"));

        assertThat(settings.interval()).isEqualTo(Duration.ofSeconds(45));
        assertThat(settings.cluster()).contains("from-env");
        assertThat(settings.hostName()).isEqualTo("file-node");
        assertThat(settings.hostExcluded()).contains("/srv/cache", "/opt/other", "/var/lib/docker");
        assertThat(settings.bufferCapacity()).isEqualTo(500);
        assertThat(settings.batchSize()).isEqualTo(100);
    }

    @Test
    void everyProblemIsReportedAtOnce()
            throws Exception
    {
        Path file = folder.resolve("agent.yaml");
        Files.writeString(file, "intervall: 30s\nhost:\n  exclude: relative/path\n");
        AgentSettingsLoader loader = new AgentSettingsLoader(Map.of("RUNLIGHT_AGENT_BUFFER_CAPACITY", "0"), TestAgentSettingsLoader::duration);

        assertThatThrownBy(() -> loader.load(Optional.of(file), Map.of("interval", "soon", "refresh-after", "5s", "host.name", "n",
                "proc", folder.resolve("no-proc").toString(), "catalog", "maybe")))
                .isInstanceOf(AgentSettingsException.class)
                .hasMessage(String.join("\n",
                        "the settings file '" + file + "' has an unknown setting 'intervall'; known: batch.size, buffer.capacity, catalog, cluster, docker.socket, "
                                + "host.exclude, host.name, host.root, interval, kubernetes.node, proc, refresh-after",
                        "interval: 'soon' is not a duration",
                        "buffer.capacity is '0': give a whole number of at least 1",
                        "host.exclude entry 'relative/path' is not an absolute path: give folders such as /var/lib/docker",
                        "proc '" + folder.resolve("no-proc") + "' is not a folder: the agent needs the host's /proc (run it on the host, or with hostPID in Kubernetes)",
                        "catalog is 'maybe': give true or false"));
    }

    @Test
    void aRefreshShorterThanTheIntervalIsRefused()
    {
        AgentSettingsLoader loader = new AgentSettingsLoader(Map.of(), TestAgentSettingsLoader::duration);
        assertThatThrownBy(() -> loader.load(Optional.empty(), Map.of("interval", "60s", "refresh-after", "30s", "host.name", "n")))
                .hasMessage("refresh-after (30s) is shorter than interval (60s): every sample would send everything again; give at least the interval");
    }

    @Test
    void aYamlThatIsNotAMappingIsRefused()
            throws Exception
    {
        Path file = folder.resolve("agent.yaml");
        Files.writeString(file, "- just\n- a list\n");
        assertThatThrownBy(() -> new AgentSettingsLoader(Map.of(), TestAgentSettingsLoader::duration).load(Optional.of(file), Map.of("host.name", "n")))
                .hasMessage("the settings file '" + file + "' must be a YAML mapping of settings such as 'interval: 30s'");
        Files.writeString(file, "interval: [unclosed\n");
        assertThatThrownBy(() -> new AgentSettingsLoader(Map.of(), TestAgentSettingsLoader::duration).load(Optional.of(file), Map.of("host.name", "n")))
                .hasMessageStartingWith("the settings file '" + file + "' is not valid YAML: ");
    }
}
