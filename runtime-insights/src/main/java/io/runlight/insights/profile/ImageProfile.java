package io.runlight.insights.profile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.runlight.insights.index.LoadKind;
import io.runlight.insights.runtime.RuntimeEvent;
import io.runlight.insights.runtime.Sensor;
import io.runlight.plugin.api.ProfileSummary;

import static java.util.Objects.requireNonNull;

/**
 * The runtime profiles of every workload container that runs one image. An immutable
 * value: {@link #merge} and {@link #withEvents} return new profiles and are associative,
 * so the hub can fold event batches into its stored profile in any grouping.
 *
 * @param containers one profile per workload container, ordered by workload
 */
public record ImageProfile(List<RuntimeProfile> containers)
{
    /** No container observed. */
    public static final ImageProfile EMPTY = new ImageProfile(List.of());

    private static final Comparator<RuntimeProfile> BY_WORKLOAD = Comparator.comparing(RuntimeProfile::workload);

    public ImageProfile
    {
        List<RuntimeProfile> sorted = new ArrayList<>(requireNonNull(containers, "containers is null"));
        sorted.sort(BY_WORKLOAD);
        containers = List.copyOf(sorted);
        for (int i = 1; i < containers.size(); i++) {
            if (containers.get(i - 1).workload().equals(containers.get(i).workload())) {
                // the messages are made only when thrown: these records are made for every observation and merge
                throw new IllegalArgumentException("workload " + containers.get(i).workload() + " appears twice");
            }
        }
    }

    /** The profile of the given events (their image is not checked: the caller chose them). */
    public static ImageProfile of(List<RuntimeEvent> events, ProfileLimits limits)
    {
        ProfileBuilder builder = new ProfileBuilder(limits);
        builder.addAll(events);
        return builder.build();
    }

    /** This profile with more events merged in. */
    public ImageProfile withEvents(List<RuntimeEvent> events, ProfileLimits limits)
    {
        return merge(of(events, limits), limits);
    }

    /** Both profiles merged, container by container. */
    public ImageProfile merge(ImageProfile other, ProfileLimits limits)
    {
        requireNonNull(other, "other is null");
        requireNonNull(limits, "limits is null");
        List<RuntimeProfile> merged = new ArrayList<>(containers.size() + other.containers.size());
        int left = 0;
        int right = 0;
        while (left < containers.size() || right < other.containers.size()) {
            if (right >= other.containers.size()) {
                merged.add(containers.get(left++));
            }
            else if (left >= containers.size()) {
                merged.add(other.containers.get(right++));
            }
            else {
                int order = BY_WORKLOAD.compare(containers.get(left), other.containers.get(right));
                if (order == 0) {
                    merged.add(containers.get(left++).merge(other.containers.get(right++), limits));
                }
                else if (order < 0) {
                    merged.add(containers.get(left++));
                }
                else {
                    merged.add(other.containers.get(right++));
                }
            }
        }
        return new ImageProfile(merged);
    }

    /** The sources that fed any container of the image, in enum order. */
    public List<Sensor> sensors()
    {
        List<Sensor> all = List.of();
        for (RuntimeProfile container : containers) {
            all = RuntimeProfile.union(all, container.sensors());
        }
        return all;
    }

    /**
     * The kinds of load some source of the image showed it can see, in enum order: a package
     * whose files need another kind to be seen cannot be judged not in use.
     */
    public List<LoadKind> observable()
    {
        List<LoadKind> all = List.of();
        for (RuntimeProfile container : containers) {
            all = RuntimeProfile.union(all, container.observable());
        }
        return all;
    }

    /** The first event in any container. */
    public Optional<Instant> firstSeen()
    {
        Optional<Instant> first = Optional.empty();
        for (RuntimeProfile container : containers) {
            first = RuntimeProfile.earliest(first, container.firstSeen());
        }
        return first;
    }

    /** The last event in any container. */
    public Optional<Instant> lastSeen()
    {
        Optional<Instant> last = Optional.empty();
        for (RuntimeProfile container : containers) {
            last = RuntimeProfile.latest(last, container.lastSeen());
        }
        return last;
    }

    /** How far observation of the image has got at {@code asOf}: measured from its first event in any container. */
    public ProfileSummary summary(Instant asOf, Duration learningWindow)
    {
        return ProfileSummaries.summarize(firstSeen(), lastSeen(), containers.size(), asOf, learningWindow);
    }
}
