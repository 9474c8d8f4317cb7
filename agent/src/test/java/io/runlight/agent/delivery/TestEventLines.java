package io.runlight.agent.delivery;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.runlight.agent.attribution.Workload;
import io.runlight.agent.proc.FileUse;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.runtime.EventBatch;
import io.runlight.insights.runtime.RuntimeEventReader;
import io.runlight.insights.runtime.Sensor;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.ImageDigest;

import static org.assertj.core.api.Assertions.assertThat;

class TestEventLines
{
    private static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");
    private static final Workload HOST = new Workload(Optional.empty(), Optional.of("Host"), Optional.of("node-1"), Optional.empty(), Optional.empty(),
            "node-1", Optional.of("host/node-1"), new ImageDigest("sha256:" + "2".repeat(64)));

    @Test
    void writesOneSampledRecordPerWorkloadAndTimeThatTheEngineReadsBack()
    {
        List<Observation> batch = List.of(
                new Observation(HOST, new FileUse(EvidenceKind.EXEC, "/usr/bin/dash"), Optional.of("/usr/bin/dash"), T0, T0, false),
                new Observation(HOST, new FileUse(EvidenceKind.MMAP, "/usr/lib/x86_64-linux-gnu/libc.so.6"), Optional.of("/usr/bin/dash"), T0, T0, false),
                new Observation(HOST, new FileUse(EvidenceKind.OPEN, "/srv/app.jar"), Optional.empty(), T0.plusSeconds(30), T0.plusSeconds(30), false));

        byte[] ndjson = new EventLines(Optional.of("lab")).write(batch);

        assertThat(new String(ndjson, StandardCharsets.UTF_8)).isEqualTo(
                "{\"time\":\"2026-12-07T06:00:00Z\",\"sensor\":\"proc-sampling\",\"cluster\":\"lab\",\"workloadKind\":\"Host\",\"workloadName\":\"node-1\","
                        + "\"containerId\":\"node-1\",\"image\":\"host/node-1\",\"imageDigest\":\"sha256:" + "2".repeat(64) + "\",\"files\":["
                        + "{\"kind\":\"exec\",\"path\":\"/usr/bin/dash\",\"process\":\"/usr/bin/dash\"},"
                        + "{\"kind\":\"mmap\",\"path\":\"/usr/lib/x86_64-linux-gnu/libc.so.6\",\"process\":\"/usr/bin/dash\"}]}\n"
                        + "{\"time\":\"2026-12-07T06:00:30Z\",\"sensor\":\"proc-sampling\",\"cluster\":\"lab\",\"workloadKind\":\"Host\",\"workloadName\":\"node-1\","
                        + "\"containerId\":\"node-1\",\"image\":\"host/node-1\",\"imageDigest\":\"sha256:" + "2".repeat(64) + "\",\"files\":["
                        + "{\"kind\":\"open\",\"path\":\"/srv/app.jar\"}]}\n");
        EventBatch read = new RuntimeEventReader(InputLimits.DEFAULT).read(new ByteArrayInputStream(ndjson));
        assertThat(read.errors()).isEmpty();
        assertThat(read.events()).hasSize(3).allSatisfy(event -> assertThat(event.sensor()).isEqualTo(Sensor.AGENT_SAMPLES));
        assertThat(read.events().get(2).time()).isEqualTo(T0.plusSeconds(30));
    }
}
