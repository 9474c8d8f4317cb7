package io.runlight.insights.profile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.runlight.insights.runtime.ContainerIdentity;
import io.runlight.insights.runtime.RuntimeEvent;
import io.runlight.insights.runtime.Sensor;
import io.runlight.plugin.api.Evidence;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.ProfileSummary;
import io.runlight.plugin.api.Workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestImageProfile
{
    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    private static final ContainerIdentity CART = identity("Deployment", "cart", "cart");
    private static final ContainerIdentity WORKER = identity("deployment", "cart-worker", null);
    private static final ProfileLimits SMALL = new ProfileLimits(2, 3);

    @Test
    void eventsAccumulatePerWorkloadContainerAndFile()
    {
        ImageProfile profile = ImageProfile.of(List.of(
                event(CART, EvidenceKind.EXEC, "/bin/busybox", "/bin/busybox", 0),
                event(CART, EvidenceKind.EXEC, "/usr/bin/busybox", "/bin/busybox", 60),
                event(CART, EvidenceKind.MMAP, "/proc/77/root/lib/libcrypto.so.3 (deleted)", "/bin/busybox", 30),
                event(WORKER, EvidenceKind.OPEN, "etc/passwd", null, 10)), ProfileLimits.DEFAULT);

        assertThat(profile.containers()).extracting(RuntimeProfile::workload).containsExactly(
                new Workload("prod", "shop", "Deployment", "cart", "cart"),
                new Workload("prod", "shop", "Deployment", "cart-worker", "main"));
        RuntimeProfile cart = profile.containers().get(0);
        assertThat(cart.events()).isEqualTo(3);
        assertThat(cart.firstSeen()).contains(T0);
        assertThat(cart.lastSeen()).contains(T0.plusSeconds(60));
        assertThat(cart.truncated()).isFalse();
        assertThat(cart.files()).containsExactly(
                new FileObservation("/usr/bin/busybox", EvidenceKind.EXEC, T0, T0.plusSeconds(60), 2,
                        List.of(new Evidence(EvidenceKind.EXEC, "/usr/bin/busybox", Optional.of("/usr/bin/busybox"), T0, T0.plusSeconds(60), 2))),
                new FileObservation("/usr/lib/libcrypto.so.3", EvidenceKind.MMAP, T0.plusSeconds(30), T0.plusSeconds(30), 1,
                        List.of(new Evidence(EvidenceKind.MMAP, "/usr/lib/libcrypto.so.3", Optional.of("/usr/bin/busybox"), T0.plusSeconds(30), T0.plusSeconds(30), 1))));
        assertThat(profile.containers().get(1).files()).containsExactly(
                new FileObservation("/etc/passwd", EvidenceKind.OPEN, T0.plusSeconds(10), T0.plusSeconds(10), 1,
                        List.of(new Evidence(EvidenceKind.OPEN, "/etc/passwd", Optional.empty(), T0.plusSeconds(10), T0.plusSeconds(10), 1))));
        assertThat(profile.firstSeen()).contains(T0);
        assertThat(profile.lastSeen()).contains(T0.plusSeconds(60));
    }

    @Test
    void rejectedPathsAreCountedNotKept()
    {
        ProfileBuilder builder = new ProfileBuilder(ProfileLimits.DEFAULT)
                .add(event(CART, EvidenceKind.OPEN, "/etc/\0passwd", null, 0))
                .add(event(CART, EvidenceKind.OPEN, "/" + "x".repeat(5000), null, 0))
                .add(event(CART, EvidenceKind.OPEN, "/etc/hosts", null, 0));

        assertThat(builder.rejected()).isEqualTo(2);
        assertThat(builder.build().containers().get(0).files()).extracting(FileObservation::path).containsExactly("/etc/hosts");
    }

    @Test
    void processExamplesAndAccessedFilesAreBounded()
    {
        List<RuntimeEvent> events = new ArrayList<>();
        for (String process : List.of("/usr/bin/d", "/usr/bin/a", "/usr/bin/c", "/usr/bin/b")) {
            events.add(event(CART, EvidenceKind.MMAP, "/usr/lib/libssl.so.3", process, 5));
        }
        for (String file : List.of("/tmp/e", "/tmp/a", "/tmp/d", "/tmp/b", "/tmp/c", "/app/lib.py", "/usr/lib/libz.so.1")) {
            events.add(event(CART, EvidenceKind.OPEN, file, null, 1));
        }
        RuntimeProfile profile = ImageProfile.of(events, SMALL).containers().get(0);

        FileObservation ssl = profile.files().stream().filter(file -> file.path().equals("/usr/lib/libssl.so.3")).findFirst().orElseThrow();
        assertThat(ssl.count()).isEqualTo(4);
        assertThat(ssl.processes()).extracting(evidence -> evidence.process().orElseThrow()).containsExactly("/usr/bin/a", "/usr/bin/b");
        // loads (the mmap and the code opens) are all kept; of the data opens the 3 smallest paths
        assertThat(profile.files()).extracting(FileObservation::path)
                .containsExactly("/app/lib.py", "/tmp/a", "/tmp/b", "/tmp/c", "/usr/lib/libssl.so.3", "/usr/lib/libz.so.1");
        assertThat(profile.truncated()).isTrue();
        assertThat(profile.events()).isEqualTo(11);
    }

    @Test
    void mergingIsAssociativeAndCommutative()
    {
        List<RuntimeEvent> events = new ArrayList<>();
        String[] processes = {"/usr/bin/python3", "/usr/bin/node", "/usr/bin/java", null};
        String[] files = {"/usr/lib/libssl.so.3", "/tmp/x1", "/tmp/x2", "/tmp/x3", "/tmp/x4", "/etc/hosts", "/app/a.py", "/usr/bin/env"};
        for (int i = 0; i < 120; i++) {
            ContainerIdentity who = i % 3 == 0 ? WORKER : CART;
            EvidenceKind kind = EvidenceKind.values()[(i * 7) % 3];
            events.add(event(who, kind, files[(i * 5) % files.length], processes[(i * 11) % processes.length], (i * 37) % 101));
        }
        ImageProfile a = ImageProfile.of(events.subList(0, 40), SMALL);
        ImageProfile b = ImageProfile.of(events.subList(40, 75), SMALL);
        ImageProfile c = ImageProfile.of(events.subList(75, 120), SMALL);
        ImageProfile all = ImageProfile.of(events, SMALL);

        ImageProfile left = a.merge(b, SMALL).merge(c, SMALL);
        ImageProfile right = a.merge(b.merge(c, SMALL), SMALL);
        ImageProfile reversed = c.merge(b, SMALL).merge(a, SMALL);
        assertThat(left).isEqualTo(right);
        assertThat(left).isEqualTo(reversed);
        assertThat(left).isEqualTo(all);
        assertThat(ImageProfile.EMPTY.merge(a, SMALL)).isEqualTo(a);
        assertThat(a.withEvents(events.subList(40, 120), SMALL)).isEqualTo(all);
        assertThat(all.containers().get(0).truncated()).isTrue();
    }

    @Test
    void stateFollowsTheLearningWindow()
    {
        ImageProfile profile = ImageProfile.of(List.of(
                event(CART, EvidenceKind.EXEC, "/bin/sh", null, 0),
                event(WORKER, EvidenceKind.EXEC, "/bin/sh", null, 3600)), ProfileLimits.DEFAULT);
        Duration day = Duration.ofHours(24);

        assertThat(ImageProfile.EMPTY.summary(T0, day)).isEqualTo(ProfileSummary.NONE);
        assertThat(profile.summary(T0.plusSeconds(3600), day)).isEqualTo(new ProfileSummary(ProfileState.LEARNING, 2, Duration.ofHours(1),
                Optional.of(T0), Optional.of(T0.plusSeconds(3600))));
        assertThat(profile.summary(T0.plus(Duration.ofHours(24)), day).state()).isEqualTo(ProfileState.COMPLETE);
        assertThat(profile.summary(T0.plusSeconds(3600), Duration.ZERO).state()).isEqualTo(ProfileState.COMPLETE);
        // asOf before the first event: observed for zero, still learning
        assertThat(profile.summary(T0.minusSeconds(5), day)).isEqualTo(new ProfileSummary(ProfileState.LEARNING, 2, Duration.ZERO,
                Optional.of(T0), Optional.of(T0.plusSeconds(3600))));
        // a container is measured from its own first event
        assertThat(profile.containers().get(1).summary(T0.plus(Duration.ofHours(24)), day)).isEqualTo(new ProfileSummary(ProfileState.LEARNING, 1,
                Duration.ofHours(23), Optional.of(T0.plusSeconds(3600)), Optional.of(T0.plusSeconds(3600))));
    }

    @Test
    void mergingProfilesOfDifferentWorkloadsIsRefused()
    {
        RuntimeProfile cart = RuntimeProfile.empty(WorkloadNaming.workloadOf(CART));
        RuntimeProfile worker = RuntimeProfile.empty(WorkloadNaming.workloadOf(WORKER));

        assertThatThrownBy(() -> cart.merge(worker, ProfileLimits.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot merge the profile of Workload[cluster=prod, namespace=shop, kind=Deployment, name=cart-worker, container=main]"
                        + " into that of Workload[cluster=prod, namespace=shop, kind=Deployment, name=cart, container=cart]");
    }

    static RuntimeEvent event(ContainerIdentity who, EvidenceKind kind, String path, String process, long seconds)
    {
        return new RuntimeEvent(who, kind, path, Optional.ofNullable(process), T0.plusSeconds(seconds), Sensor.RUNLIGHT_EVENTS);
    }

    private static ContainerIdentity identity(String kind, String name, String container)
    {
        return new ContainerIdentity(Optional.of("prod"), Optional.of("shop"), Optional.of(kind), Optional.of(name), Optional.of(name + "-7d9f"),
                Optional.ofNullable(container), Optional.of("containerd://4f2a"), Optional.empty(), Optional.empty());
    }
}
