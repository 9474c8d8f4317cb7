package io.runlight.hub.insights;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.runlight.insights.index.LoadKind;
import io.runlight.insights.profile.FileObservation;
import io.runlight.insights.profile.ImageProfile;
import io.runlight.insights.profile.ProfileLimits;
import io.runlight.insights.profile.RuntimeProfile;
import io.runlight.insights.runtime.ContainerIdentity;
import io.runlight.insights.runtime.RuntimeEvent;
import io.runlight.insights.runtime.Sensor;
import io.runlight.plugin.api.Evidence;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.Workload;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stored profile is written by hand ({@link ProfileJson}); it must be, to the character,
 * what the codec that reads it writes ({@link HubCodecs#PROFILE}), for any profile: text that
 * needs escapes or is not ASCII, absent processes and times, times of any year and precision,
 * and every enum value. And the codec must read it back as the same profile.
 */
class TestProfileJson
{
    private static final String TRICKY = "aZ09/._-:@ \"\\\u0000\u001f\u007f\u00e9\u2028\u202e\ud83d\ude00\ud800\t\n";

    @Test
    void aProfileIsWrittenAsTheCodecWritesIt()
    {
        Random random = new Random(14);
        assertSame(ImageProfile.EMPTY);
        assertSame(new ImageProfile(List.of(RuntimeProfile.empty(new Workload("c", "", "Pod", "p", "main")))));
        for (int i = 0; i < 500; i++) {
            int containers = random.nextInt(4);
            Map<Workload, RuntimeProfile> profiles = new LinkedHashMap<>();
            for (int c = 0; c < containers; c++) {
                Workload workload = new Workload(text(random), random.nextBoolean() ? "" : text(random), text(random), text(random), text(random));
                profiles.put(workload, container(random, workload));
            }
            assertSame(new ImageProfile(new ArrayList<>(profiles.values())));
        }
    }

    @Test
    void aMergedProfileWrittenWithTheTextsOfTheObservationsItKeptIsWrittenAsTheCodecWritesIt()
    {
        // a merge keeps the observations no batch touched (the same objects): their texts are taken from the last write
        Random random = new Random(19);
        ProfileLimits limits = new ProfileLimits(2, 6);
        ImageProfile profile = ImageProfile.EMPTY;
        ProfileJson.Written written = ProfileJson.encode(profile, Map.of());
        int reused = 0;
        for (int batch = 0; batch < 300; batch++) {
            List<RuntimeEvent> events = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(20); i++) {
                String workload = "w" + random.nextInt(4);
                ContainerIdentity container = new ContainerIdentity(Optional.of("prod"), Optional.of("shop"), Optional.empty(), Optional.of(workload), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
                events.add(new RuntimeEvent(container, EvidenceKind.values()[random.nextInt(3)], "/usr/lib/f" + random.nextInt(12) + (random.nextBoolean() ? ".py" : "\u00e9"),
                        random.nextBoolean() ? Optional.empty() : Optional.of("/bin/p" + random.nextInt(4)), Instant.EPOCH.plusMillis(random.nextInt(1_000_000)),
                        Sensor.values()[random.nextInt(Sensor.values().length)]));
            }
            ImageProfile merged = profile.merge(ImageProfile.of(events, limits), limits);
            ProfileJson.Written next = ProfileJson.encode(merged, written.files());
            assertThat(next.json()).isEqualTo(HubCodecs.PROFILE.encode(merged));
            assertThat(next.files()).hasSize(merged.containers().stream().mapToInt(container -> container.files().size()).sum());
            for (FileObservation file : next.files().keySet()) {
                if (written.files().containsKey(file)) {
                    reused++;
                }
            }
            profile = merged;
            written = next;
        }
        assertThat(reused).isGreaterThan(1000);
    }

    @Test
    void timesAreWrittenAsInstantWritesThem()
    {
        Random random = new Random(3339);
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.MIN, Instant.MAX, Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59Z"), Instant.parse("1969-12-31T23:59:59.5Z")));
        for (int i = 0; i < 100_000; i++) {
            instants.add(instant(random));
        }
        for (Instant instant : instants) {
            assertThat(ProfileJson.text(instant)).isEqualTo(instant.toString());
        }
    }

    private static void assertSame(ImageProfile profile)
    {
        String written = ProfileJson.encode(profile);
        assertThat(written).isEqualTo(HubCodecs.PROFILE.encode(profile));
        assertThat(HubCodecs.PROFILE.decode(written)).isEqualTo(profile);
    }

    private static RuntimeProfile container(Random random, Workload workload)
    {
        Map<String, FileObservation> files = new LinkedHashMap<>();
        int count = random.nextInt(6);
        for (int f = 0; f < count; f++) {
            // an open of a code file is a load, of anything else an access
            String path = "/" + text(random) + (random.nextBoolean() ? ".py" : "");
            EvidenceKind kind = EvidenceKind.values()[random.nextInt(EvidenceKind.values().length)];
            Instant first = instant(random);
            Instant last = first.plusNanos(random.nextInt(3) == 0 ? 0 : Math.abs(random.nextLong() % 1_000_000_000_000L));
            List<Evidence> processes = new ArrayList<>();
            Map<Optional<String>, Boolean> seen = new LinkedHashMap<>();
            for (int p = 0; p < 1 + random.nextInt(3); p++) {
                Optional<String> process = random.nextInt(3) == 0 ? Optional.empty() : Optional.of(text(random));
                if (seen.put(process.map(String::strip).filter(text -> !text.isEmpty()), true) == null) {
                    processes.add(new Evidence(kind, path, process, first, last, 1 + random.nextInt(1000)));
                }
            }
            files.put(path + " " + kind, new FileObservation(path, kind, first, last, random.nextBoolean() ? Long.MAX_VALUE : 1 + random.nextInt(5), processes));
        }
        boolean seen = random.nextInt(4) != 0;
        Optional<Instant> first = seen ? Optional.of(instant(random)) : Optional.empty();
        Optional<Instant> last = first.map(time -> time.plusSeconds(random.nextInt(100)));
        List<Sensor> sensors = new ArrayList<>();
        for (Sensor sensor : Sensor.values()) {
            if (random.nextBoolean()) {
                sensors.add(sensor);
            }
        }
        List<LoadKind> observable = new ArrayList<>();
        for (LoadKind kind : LoadKind.values()) {
            if (random.nextBoolean()) {
                observable.add(kind);
            }
        }
        return new RuntimeProfile(workload, first, last, random.nextInt(1_000_000), new ArrayList<>(files.values()), random.nextBoolean(), sensors, observable);
    }

    private static String text(Random random)
    {
        StringBuilder text = new StringBuilder("x");
        int length = random.nextInt(8);
        for (int i = 0; i < length; i++) {
            text.append(TRICKY.charAt(random.nextInt(TRICKY.length())));
        }
        return text.toString();
    }

    // any year from -2000 to 12000, and a fraction that is none, milli, micro or nano exact
    private static Instant instant(Random random)
    {
        long seconds = Instant.parse("-2000-01-01T00:00:00Z").getEpochSecond()
                + (long) (random.nextDouble() * (Instant.parse("+12000-01-01T00:00:00Z").getEpochSecond() - Instant.parse("-2000-01-01T00:00:00Z").getEpochSecond()));
        int nanos = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
        return Instant.ofEpochSecond(seconds, nanos);
    }
}
