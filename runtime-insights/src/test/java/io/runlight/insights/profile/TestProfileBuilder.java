package io.runlight.insights.profile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.runlight.insights.runtime.ContainerIdentity;
import io.runlight.insights.runtime.RuntimeEvent;
import io.runlight.insights.runtime.Sensor;
import io.runlight.plugin.api.EvidenceKind;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A profile built from many events at once must be exactly what merging the events' own
 * profiles one by one gives ({@link ImageProfile#merge}, the rule every stored profile follows),
 * bounds, counts and times included: the hub builds one profile from all the batches of a group
 * write instead of merging the batches' profiles.
 */
class TestProfileBuilder
{
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String[] PATHS = {"/usr/lib/libc.so", "/usr/lib/libz.so", "/etc/passwd", "/etc/hosts", "/tmp/a", "/tmp/b", "/usr/bin/sh"};
    private static final String[] PROCESSES = {"/usr/bin/a", "/usr/bin/b", "/usr/bin/c", "python3", ""};
    private static final EvidenceKind[] KINDS = {EvidenceKind.EXEC, EvidenceKind.MMAP, EvidenceKind.OPEN};

    @Test
    void aBatchMakesTheProfileItsEventsMakeMergedOneByOne()
    {
        Random random = new Random(14);
        for (ProfileLimits limits : List.of(ProfileLimits.DEFAULT, new ProfileLimits(2, 3), new ProfileLimits(1, 0))) {
            for (int batch = 0; batch < 300; batch++) {
                List<RuntimeEvent> events = new ArrayList<>();
                int size = 1 + random.nextInt(80);
                for (int i = 0; i < size; i++) {
                    events.add(randomEvent(random));
                }
                ImageProfile oneByOne = ImageProfile.EMPTY;
                for (RuntimeEvent event : events) {
                    oneByOne = oneByOne.merge(ImageProfile.of(List.of(event), limits), limits);
                }
                assertThat(ImageProfile.of(events, limits)).as("batch %d with %s", batch, limits).isEqualTo(oneByOne);
            }
        }
    }

    private static RuntimeEvent randomEvent(Random random)
    {
        String workload = "worker-" + random.nextInt(3);
        ContainerIdentity container = new ContainerIdentity(Optional.of("prod"), Optional.of("shop"), Optional.of("Deployment"), Optional.of(workload), Optional.empty(),
                Optional.of(workload), Optional.empty(), Optional.empty(), Optional.empty());
        String process = PROCESSES[random.nextInt(PROCESSES.length)];
        return new RuntimeEvent(container, KINDS[random.nextInt(KINDS.length)], PATHS[random.nextInt(PATHS.length)],
                process.isEmpty() ? Optional.empty() : Optional.of(process), T0.plusSeconds(random.nextInt(50)), Sensor.RUNLIGHT_EVENTS);
    }
}
