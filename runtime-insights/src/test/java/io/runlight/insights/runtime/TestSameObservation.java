package io.runlight.insights.runtime;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.ImageDigest;
import org.junit.jupiter.api.Test;

import static io.runlight.insights.runtime.TestRuntimeEventReader.read;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One exec of /bin/busybox and one open and one mmap of /lib/libcrypto.so.3, reported by
 * four sources, must read as the same observations; identity fields agree where the
 * source knows them.
 */
class TestSameObservation
{
    private static final List<Observation> EXPECTED = List.of(
            new Observation(EvidenceKind.EXEC, "/bin/busybox", Optional.of("/bin/busybox"), Instant.parse("2026-11-28T12:00:01.100000001Z")),
            new Observation(EvidenceKind.OPEN, "/lib/libcrypto.so.3", Optional.of("/bin/busybox"), Instant.parse("2026-11-28T12:00:01.200000002Z")),
            new Observation(EvidenceKind.MMAP, "/lib/libcrypto.so.3", Optional.of("/bin/busybox"), Instant.parse("2026-11-28T12:00:01.300000003Z")));
    private static final ImageDigest ALPINE = new ImageDigest("sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501");
    private static final String CONTAINER_ID = "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";

    @Test
    void allSourcesAgree()
            throws IOException
    {
        EventBatch runlight = read("/events/same-observation/runlight.ndjson");
        EventBatch falco = read("/events/same-observation/falco.ndjson");
        EventBatch tetragon = read("/events/same-observation/tetragon.json");
        EventBatch tracee = read("/events/same-observation/tracee.jsonl");

        assertThat(List.of(runlight.format(), falco.format(), tetragon.format(), tracee.format()))
                .containsExactly(DocumentFormat.RUNLIGHT_EVENTS, DocumentFormat.FALCO_JSON, DocumentFormat.TETRAGON_JSON, DocumentFormat.TRACEE_JSON);
        for (EventBatch batch : List.of(runlight, falco, tetragon, tracee)) {
            assertThat(batch.rejected()).as(batch.format().displayName()).isZero();
            assertThat(batch.events().stream().map(TestSameObservation::observation).toList()).as(batch.format().displayName()).isEqualTo(EXPECTED);
            for (RuntimeEvent event : batch.events()) {
                ContainerIdentity identity = event.container();
                assertThat(identity.namespace()).contains("shop");
                assertThat(identity.pod()).contains("web-5d8f7c9b4-h2x7q");
                assertThat(identity.container()).contains("web");
                assertThat(identity.image()).contains("docker.io/library/alpine:3.17.2");
                assertThat(identity.imageDigest()).contains(ALPINE);
                // Falco knows the short id only
                assertThat(CONTAINER_ID).startsWith(identity.bareContainerId().orElseThrow());
            }
        }
        // what only some sources know
        assertThat(runlight.events().get(0).container().workloadName()).contains("web");
        assertThat(tetragon.events().get(0).container().workloadName()).contains("web");
        assertThat(tetragon.events().get(0).container().cluster()).contains("prod-eu");
        assertThat(falco.events().get(0).container().workloadName()).isEmpty();
        assertThat(tracee.events().get(0).container().cluster()).isEmpty();
        // Tetragon reports file paths without the leading '/': kept as given for the index
        assertThat(tetragon.events().get(1).path()).isEqualTo("lib/libcrypto.so.3");
    }

    // What every source must agree on. The leading '/' Tetragon drops is restored here
    // exactly as the ownership index's path normalisation does.
    private static Observation observation(RuntimeEvent event)
    {
        String path = event.path().startsWith("/") ? event.path() : "/" + event.path();
        return new Observation(event.kind(), path, event.process(), event.time());
    }

    private record Observation(EvidenceKind kind, String path, Optional<String> process, Instant time) {}
}
