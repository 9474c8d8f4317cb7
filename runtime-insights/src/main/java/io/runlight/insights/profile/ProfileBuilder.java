package io.runlight.insights.profile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.runlight.insights.index.LoadKind;
import io.runlight.insights.index.PathNormalizer;
import io.runlight.insights.runtime.RuntimeEvent;
import io.runlight.insights.runtime.Sensor;
import io.runlight.plugin.api.Evidence;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.Workload;

import static java.util.Objects.requireNonNull;

/**
 * Accumulates runtime events into an {@link ImageProfile}: one {@link RuntimeProfile}
 * per workload container ({@link WorkloadNaming}), one {@link FileObservation} per
 * normalised (path, kind). Paths are normalised with {@link PathNormalizer}; process
 * paths too when they are absolute (a bare name such as {@code python3} stays as it is).
 * An event whose path the normaliser rejects is skipped and counted in {@link #rejected()}.
 *
 * <p>Not thread-safe: one builder per batch; merge the built profiles.
 */
public final class ProfileBuilder
{
    private final ProfileLimits limits;
    private final Map<Workload, Container> containers = new HashMap<>();
    // each distinct path and process of the events is normalised once, however often it is observed
    private final Map<String, Optional<String>> normalisedPaths = new HashMap<>();
    private final Map<String, String> normalisedProcesses = new HashMap<>();
    private long rejected;

    public ProfileBuilder(ProfileLimits limits)
    {
        this.limits = requireNonNull(limits, "limits is null");
    }

    /** Adds one event. */
    public ProfileBuilder add(RuntimeEvent event)
    {
        requireNonNull(event, "event is null");
        Optional<String> path = normalisedPaths.computeIfAbsent(event.path(), PathNormalizer::tryNormalize);
        if (path.isEmpty()) {
            rejected++;
            return this;
        }
        Optional<String> process = event.process().map(text -> normalisedProcesses.computeIfAbsent(text, ProfileBuilder::normalizeProcess));
        Workload workload = WorkloadNaming.workloadOf(event.container());
        Container container = containers.computeIfAbsent(workload, key -> new Container());
        container.add(path.get(), event.kind(), process, event.time(), limits);
        container.sensors.add(event.sensor());
        container.observable.addAll(event.sensor().reveals(event.kind()));
        return this;
    }

    /** Adds every event. */
    public ProfileBuilder addAll(List<RuntimeEvent> events)
    {
        requireNonNull(events, "events is null");
        for (RuntimeEvent event : events) {
            add(event);
        }
        return this;
    }

    /** How many events were skipped because their path was not acceptable. */
    public long rejected()
    {
        return rejected;
    }

    /** The profile of the events added so far. */
    public ImageProfile build()
    {
        List<RuntimeProfile> profiles = new ArrayList<>(containers.size());
        for (Map.Entry<Workload, Container> entry : containers.entrySet()) {
            Container container = entry.getValue();
            List<FileObservation> files = new ArrayList<>(container.files.size());
            for (FileCount file : container.files.values()) {
                files.add(file.observation());
            }
            // bound keeps the accessed files with the smallest paths: it needs them in order
            files.sort(FileObservation.ORDER);
            List<FileObservation> bounded = RuntimeProfile.bound(files, limits);
            profiles.add(new RuntimeProfile(entry.getKey(), Optional.of(container.firstSeen), Optional.of(container.lastSeen),
                    container.events, bounded, bounded.size() < files.size(), List.copyOf(container.sensors), List.copyOf(container.observable)));
        }
        return new ImageProfile(profiles);
    }

    private static String normalizeProcess(String process)
    {
        if (!process.startsWith("/")) {
            return process;
        }
        return PathNormalizer.tryNormalize(process).orElse(process);
    }

    private static final class Container
    {
        private final Map<FileKey, FileCount> files = new HashMap<>();
        private final Set<Sensor> sensors = EnumSet.noneOf(Sensor.class);
        private final Set<LoadKind> observable = EnumSet.noneOf(LoadKind.class);
        private Instant firstSeen;
        private Instant lastSeen;
        private long events;

        void add(String path, EvidenceKind kind, Optional<String> process, Instant time, ProfileLimits limits)
        {
            files.computeIfAbsent(new FileKey(path, kind), FileCount::new).add(process, time, limits.maxProcessesPerFile());
            firstSeen = firstSeen == null || time.isBefore(firstSeen) ? time : firstSeen;
            lastSeen = lastSeen == null || time.isAfter(lastSeen) ? time : lastSeen;
            events++;
        }
    }

    private record FileKey(String path, EvidenceKind kind) {}

    /**
     * What {@link FileObservation#merge} would make of one observation per event, counted in place: the
     * aggregate over every event, and per process only the {@code maxProcesses} smallest (by process,
     * none first). A process dropped here is larger than as many kept ones, which stay, so it could
     * never be among the kept ones at the end: the result is the one the merges give.
     */
    private static final class FileCount
    {
        private final String path;
        private final EvidenceKind kind;
        private final TreeMap<String, ProcessCount> processes = new TreeMap<>();
        private Instant firstSeen;
        private Instant lastSeen;
        private long count;

        FileCount(FileKey key)
        {
            this.path = key.path();
            this.kind = key.kind();
        }

        void add(Optional<String> process, Instant time, int maxProcesses)
        {
            firstSeen = firstSeen == null || time.isBefore(firstSeen) ? time : firstSeen;
            lastSeen = lastSeen == null || time.isAfter(lastSeen) ? time : lastSeen;
            count++;
            // FileObservation orders processes by their text, none first (as the empty text)
            ProcessCount counted = processes.computeIfAbsent(process.orElse(""), ignored -> new ProcessCount(process, time));
            counted.add(time);
            if (processes.size() > maxProcesses) {
                processes.pollLastEntry();
            }
        }

        FileObservation observation()
        {
            List<Evidence> evidence = new ArrayList<>(processes.size());
            for (ProcessCount process : processes.values()) {
                evidence.add(new Evidence(kind, path, process.process, process.firstSeen, process.lastSeen, process.count));
            }
            return new FileObservation(path, kind, firstSeen, lastSeen, count, evidence);
        }
    }

    private static final class ProcessCount
    {
        private final Optional<String> process;
        private Instant firstSeen;
        private Instant lastSeen;
        private long count;

        ProcessCount(Optional<String> process, Instant time)
        {
            this.process = process;
            this.firstSeen = time;
            this.lastSeen = time;
        }

        void add(Instant time)
        {
            firstSeen = time.isBefore(firstSeen) ? time : firstSeen;
            lastSeen = time.isAfter(lastSeen) ? time : lastSeen;
            count++;
        }
    }
}
