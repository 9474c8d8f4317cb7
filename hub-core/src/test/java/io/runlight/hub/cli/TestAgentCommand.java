package io.runlight.hub.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code runlight agent}'s usage errors and its answer when the hub is away, without a hub. */
class TestAgentCommand
{
    @TempDir
    Path folder;

    @Test
    void wrongSettingsAreBadUsageNamingEachProblem()
            throws Exception
    {
        Path settings = folder.resolve("agent.yaml");
        Files.writeString(settings, "buffer:\n  capacity: none\n");

        CliHub.Result result = CliHub.run("agent", "--once", "--hub", "http://127.0.0.1:9", "--token", "rlt_x", "--config", settings.toString(),
                "--interval", "soon", "--host-name", "n", "--proc", folder.resolve("absent").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith(String.join("\n",
                "Invalid agent settings:",
                "  interval: duration 'soon' is not valid: use ISO-8601 (PT15M, P14D) or a number with a unit (30s, 15m, 12h, 14d)",
                "  buffer.capacity is 'none': give a whole number of at least 1",
                "  proc '" + folder.resolve("absent") + "' is not a folder: the agent needs the host's /proc (run it on the host, or with hostPID in Kubernetes)"));
    }

    @Test
    void aTokenIsRequiredAndADockerSocketMustExist()
    {
        CliHub.Result noToken = CliHub.run("agent", "--once", "--hub", "http://127.0.0.1:9", "--token", " ", "--host-name", "n");
        assertThat(noToken.exitCode()).isEqualTo(2);
        assertThat(noToken.err()).startsWith("No token for the hub: give --token T or set RUNLIGHT_TOKEN");

        CliHub.Result noSocket = CliHub.run("agent", "--once", "--hub", "http://127.0.0.1:9", "--token", "rlt_x", "--host-name", "n",
                "--docker-socket", folder.resolve("docker.sock").toString());
        assertThat(noSocket.exitCode()).isEqualTo(1);
        assertThat(noSocket.err()).isEqualTo("runlight: docker.socket '" + folder.resolve("docker.sock")
                + "' does not exist: give the Docker Engine's socket, such as /var/run/docker.sock\n");
    }

    @Test
    void withTheHubAwayOneRoundKeepsWhatItSawAndExitsWithOne()
            throws Exception
    {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "no /proc");

        CliHub.Result result = CliHub.run("agent", "--once", "--hub", "http://127.0.0.1:" + CliHub.freePort(), "--token", "rlt_x", "--host-name", "n",
                "--no-catalog", "--output", "json");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        JsonNode round = new ObjectMapper().readTree(result.out());
        assertThat(round.path("hubReachable").asBoolean()).isFalse();
        assertThat(round.path("sent").asInt()).isZero();
        assertThat(round.path("pending").asInt()).isPositive();
        assertThat(round.path("processes").asInt()).isPositive();
    }
}
