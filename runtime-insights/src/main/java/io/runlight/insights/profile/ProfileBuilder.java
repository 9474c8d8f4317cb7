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
    private long rejected;

    public ProfileBuilder(ProfileLimits limits)
    {
        this.limits = requireNonNull(limits, "limits is null");
    }

    /** Adds one event. */
    public ProfileBuilder add(RuntimeEvent event)
    {
        requireNonNull(event, "event is null");
        Optional<String> path = PathNormalizer.tryNormalize(event.path());
        if (path.isEmpty()) {
            rejected++;
            return this;
        }
        Optional<String> process = event.process().map(ProfileBuilder::normalizeProcess);
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
            List<FileObservation> files = new ArrayList<>(container.files.values());
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
        // sorted by path then kind, the order RuntimeProfile keeps
        private final Map<FileKey, FileObservation> files = new TreeMap<>();
        private final Set<Sensor> sensors = EnumSet.noneOf(Sensor.class);
        private final Set<LoadKind> observable = EnumSet.noneOf(LoadKind.class);
        private Instant firstSeen;
        private Instant lastSeen;
        private long events;

        void add(String path, EvidenceKind kind, Optional<String> process, Instant time, ProfileLimits limits)
        {
            FileObservation observation = FileObservation.of(path, kind, process, time);
            files.merge(new FileKey(path, kind), observation, (existing, added) -> existing.merge(added, limits.maxProcessesPerFile()));
            firstSeen = firstSeen == null || time.isBefore(firstSeen) ? time : firstSeen;
            lastSeen = lastSeen == null || time.isAfter(lastSeen) ? time : lastSeen;
            events++;
        }
    }

    private record FileKey(String path, EvidenceKind kind) implements Comparable<FileKey>
    {
        @Override
        public int compareTo(FileKey other)
        {
            int order = path.compareTo(other.path);
            return order != 0 ? order : kind.compareTo(other.kind);
        }
    }
}
