package io.runlight.hub.insights;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.runlight.insights.index.LoadKind;
import io.runlight.insights.profile.ImageProfile;
import io.runlight.insights.profile.ProfileLimits;
import io.runlight.insights.profile.RuntimeProfile;
import io.runlight.insights.runtime.ContainerIdentity;
import io.runlight.insights.runtime.RuntimeEvent;
import io.runlight.insights.runtime.Sensor;
import io.runlight.plugin.api.EvidenceKind;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Profiles live in a Hazelcast map written through to the database as JSON: the sources that
 * fed a profile, and what they can see, must survive that round trip, and a profile stored
 * before they were recorded must still decode (as "no source known", so nothing it holds can
 * become not in use until new events say what their source sees).
 */
class TestStoredProfiles
{
    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    void sourcesAndWhatTheySeeSurviveTheStore()
    {
        ImageProfile profile = ImageProfile.of(List.of(
                new RuntimeEvent(ContainerIdentity.UNKNOWN, EvidenceKind.MMAP, "/usr/lib/x86_64-linux-gnu/libssl.so.3", Optional.of("/usr/bin/python3"), T0, Sensor.PROC_MAPS),
                new RuntimeEvent(ContainerIdentity.UNKNOWN, EvidenceKind.OPEN, "/app/app.jar", Optional.of("/usr/bin/java"), T0, Sensor.FALCO)), ProfileLimits.DEFAULT);

        ImageProfile stored = HubCodecs.PROFILE.decode(HubCodecs.PROFILE.encode(profile));

        assertThat(stored).isEqualTo(profile);
        assertThat(stored.sensors()).containsExactly(Sensor.PROC_MAPS, Sensor.FALCO);
        // the maps snapshot reveals nothing (it misses what ran between snapshots); Falco's open reveals libraries and code
        assertThat(stored.observable()).containsExactly(LoadKind.NATIVE_LIBRARY, LoadKind.INTERPRETED_CODE);
    }

    @Test
    void aProfileStoredBeforeSourcesWereRecordedDecodesWithNone()
    {
        String before = "{\"containers\":[{\"workload\":{\"cluster\":\"prod\",\"namespace\":\"shop\",\"kind\":\"Deployment\",\"name\":\"cart\",\"container\":\"cart\"},"
                + "\"firstSeen\":\"2026-11-28T12:00:00Z\",\"lastSeen\":\"2026-11-28T12:00:00Z\",\"events\":1,"
                + "\"files\":[{\"path\":\"/usr/lib/libssl.so.3\",\"kind\":\"MMAP\",\"firstSeen\":\"2026-11-28T12:00:00Z\",\"lastSeen\":\"2026-11-28T12:00:00Z\",\"count\":1,"
                + "\"processes\":[{\"kind\":\"MMAP\",\"path\":\"/usr/lib/libssl.so.3\",\"process\":\"/usr/bin/python3\",\"firstSeen\":\"2026-11-28T12:00:00Z\",\"lastSeen\":\"2026-11-28T12:00:00Z\",\"count\":1}]}],"
                + "\"truncated\":false}]}";

        ImageProfile stored = HubCodecs.PROFILE.decode(before);

        RuntimeProfile container = stored.containers().get(0);
        assertThat(container.files()).hasSize(1);
        assertThat(container.sensors()).isEmpty();
        assertThat(container.observable()).isEmpty();
        // new events of a source that shows what it sees restore the coverage
        ImageProfile merged = stored.withEvents(List.of(new RuntimeEvent(
                new ContainerIdentity(Optional.of("prod"), Optional.of("shop"), Optional.of("Deployment"), Optional.of("cart"), Optional.empty(), Optional.of("cart"),
                        Optional.empty(), Optional.empty(), Optional.empty()),
                EvidenceKind.EXEC, "/usr/bin/python3", Optional.of("/usr/bin/python3"), T0.plusSeconds(60), Sensor.RUNLIGHT_EVENTS)), ProfileLimits.DEFAULT);
        assertThat(merged.containers()).hasSize(1);
        assertThat(merged.sensors()).containsExactly(Sensor.RUNLIGHT_EVENTS);
        assertThat(merged.observable()).containsExactly(LoadKind.EXECUTABLE);
    }
}
