package io.runlight.insights.profile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.runlight.insights.index.PathNormalizer;
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

    @Test
    void pathsThatNormaliseAlikeAndManyProcessesMakeTheSameProfileAsMergedOneByOne()
    {
        // the builder normalises each distinct path once and counts in place: paths spelled
        // differently for one file, paths it refuses, more processes than are kept, every sensor
        String[] paths = {"/usr/lib/libc.so", "/usr/lib/../lib/libc.so", "//usr//lib/libc.so", "/usr/lib/./libc.so", "relative/x", "/etc/hosts", "/etc/../etc/hosts",
                "/tmp/x", "/app/main.py", "/usr/lib/python3/a.py"};
        String[] processes = {"/usr/bin/a", "/usr/bin/../bin/a", "/usr/bin/b", "/usr/bin/c", "/usr/bin/d", "sh", "", "/opt/e"};
        Random random = new Random(19);
        for (ProfileLimits limits : List.of(ProfileLimits.DEFAULT, new ProfileLimits(2, 1), new ProfileLimits(1, 0))) {
            for (int batch = 0; batch < 300; batch++) {
                List<RuntimeEvent> events = new ArrayList<>();
                int size = 1 + random.nextInt(120);
                for (int i = 0; i < size; i++) {
                    String workload = "worker-" + random.nextInt(2);
                    ContainerIdentity container = new ContainerIdentity(Optional.of("prod"), Optional.of("shop"), Optional.empty(), Optional.of(workload), Optional.empty(),
                            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
                    String process = processes[random.nextInt(processes.length)];
                    events.add(new RuntimeEvent(container, KINDS[random.nextInt(KINDS.length)], paths[random.nextInt(paths.length)],
                            process.isEmpty() ? Optional.empty() : Optional.of(process), T0.plusMillis(random.nextInt(5000)),
                            Sensor.values()[random.nextInt(Sensor.values().length)]));
                }
                ImageProfile oneByOne = ImageProfile.EMPTY;
                for (RuntimeEvent event : events) {
                    oneByOne = oneByOne.merge(ImageProfile.of(List.of(event), limits), limits);
                }
                ProfileBuilder builder = new ProfileBuilder(limits).addAll(events);
                assertThat(builder.build()).as("batch %d with %s", batch, limits).isEqualTo(oneByOne);
                long refused = events.stream().filter(event -> PathNormalizer.tryNormalize(event.path()).isEmpty()).count();
                assertThat(builder.rejected()).isEqualTo(refused);
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
