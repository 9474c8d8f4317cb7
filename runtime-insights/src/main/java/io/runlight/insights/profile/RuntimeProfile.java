package io.runlight.insights.profile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import io.runlight.insights.index.LoadKind;
import io.runlight.insights.runtime.Sensor;
import io.runlight.plugin.api.ProfileSummary;
import io.runlight.plugin.api.Workload;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * What one workload container was seen doing with files: an immutable value the hub can
 * store and merge batch by batch. {@link #merge} is associative and commutative (for
 * profiles built with the same {@link ProfileLimits}), so batches may be merged in any
 * grouping and order, as Hazelcast entry processors do.
 *
 * @param workload the workload container
 * @param firstSeen the first event, if any
 * @param lastSeen the last event, if any
 * @param events how many events were merged in
 * @param files one observation per (path, kind), ordered by path then kind
 * @param truncated whether accessed-file entries were dropped to stay within {@link ProfileLimits#maxAccessedFiles()}
 * @param sensors the sources that reported events, in enum order (a profile stored before
 *        sources were recorded reads as none)
 * @param observable the kinds of load some source of this profile showed it can see
 *        ({@link Sensor#reveals}), in enum order; a kind missing here cannot be judged
 *        not in use (a profile stored before this was recorded reads as none)
 */
public record RuntimeProfile(Workload workload, Optional<Instant> firstSeen, Optional<Instant> lastSeen, long events, List<FileObservation> files, boolean truncated,
        List<Sensor> sensors, List<LoadKind> observable)
{
    public RuntimeProfile
    {
        sensors = sensors == null ? List.of() : sortedDistinct(sensors);
        observable = observable == null ? List.of() : sortedDistinct(observable);
        requireNonNull(workload, "workload is null");
        requireNonNull(firstSeen, "firstSeen is null");
        requireNonNull(lastSeen, "lastSeen is null");
        checkArgument(firstSeen.isPresent() == lastSeen.isPresent(), "firstSeen and lastSeen are given together");
        if (events < 0) {
            // the messages are made only when thrown: these records are made for every observation and merge
            throw new IllegalArgumentException("events must not be negative: " + events);
        }
        List<FileObservation> sorted = new ArrayList<>(requireNonNull(files, "files is null"));
        sorted.sort(FileObservation.ORDER);
        files = List.copyOf(sorted);
        for (int i = 1; i < files.size(); i++) {
            if (FileObservation.ORDER.compare(files.get(i - 1), files.get(i)) == 0) {
                throw new IllegalArgumentException("file " + files.get(i).kind().wireName() + " '" + files.get(i).path() + "' appears twice");
            }
        }
    }

    /** A container with nothing observed yet. */
    public static RuntimeProfile empty(Workload workload)
    {
        return new RuntimeProfile(workload, Optional.empty(), Optional.empty(), 0, List.of(), false, List.of(), List.of());
    }

    // a stored profile may come with nulls (written before the field existed), never with null elements
    private static <E extends Enum<E>> List<E> sortedDistinct(List<E> values)
    {
        List<E> sorted = new ArrayList<>(new TreeSet<>(values));
        return List.copyOf(sorted);
    }

    static <E extends Enum<E>> List<E> union(List<E> left, List<E> right)
    {
        TreeSet<E> all = new TreeSet<>(left);
        all.addAll(right);
        return List.copyOf(all);
    }

    /** This profile and another of the same workload container, merged. */
    public RuntimeProfile merge(RuntimeProfile other, ProfileLimits limits)
    {
        requireNonNull(other, "other is null");
        requireNonNull(limits, "limits is null");
        if (!workload.equals(other.workload)) {
            throw new IllegalArgumentException("cannot merge the profile of " + other.workload + " into that of " + workload);
        }
        List<FileObservation> merged = new ArrayList<>(files.size() + other.files.size());
        int left = 0;
        int right = 0;
        while (left < files.size() || right < other.files.size()) {
            if (right >= other.files.size()) {
                merged.add(files.get(left++));
            }
            else if (left >= files.size()) {
                merged.add(other.files.get(right++));
            }
            else {
                int order = FileObservation.ORDER.compare(files.get(left), other.files.get(right));
                if (order == 0) {
                    merged.add(files.get(left++).merge(other.files.get(right++), limits.maxProcessesPerFile()));
                }
                else if (order < 0) {
                    merged.add(files.get(left++));
                }
                else {
                    merged.add(other.files.get(right++));
                }
            }
        }
        boolean dropped = truncated || other.truncated;
        List<FileObservation> bounded = bound(merged, limits);
        dropped |= bounded.size() < merged.size();
        long total = events + other.events < 0 ? Long.MAX_VALUE : events + other.events;
        return new RuntimeProfile(workload, earliest(firstSeen, other.firstSeen), latest(lastSeen, other.lastSeen), total, bounded, dropped,
                union(sensors, other.sensors), union(observable, other.observable));
    }

    /** How far observation of this container has got at {@code asOf}. */
    public ProfileSummary summary(Instant asOf, Duration learningWindow)
    {
        return ProfileSummaries.summarize(firstSeen, lastSeen, 1, asOf, learningWindow);
    }

    // keeps every load, and the accessed-file entries with the smallest paths (files are ordered by path)
    static List<FileObservation> bound(List<FileObservation> files, ProfileLimits limits)
    {
        int accessed = 0;
        for (FileObservation file : files) {
            if (!file.isLoad()) {
                accessed++;
            }
        }
        if (accessed <= limits.maxAccessedFiles()) {
            return files;
        }
        List<FileObservation> kept = new ArrayList<>(files.size());
        int keptAccessed = 0;
        for (FileObservation file : files) {
            if (file.isLoad()) {
                kept.add(file);
            }
            else if (keptAccessed < limits.maxAccessedFiles()) {
                kept.add(file);
                keptAccessed++;
            }
        }
        return kept;
    }

    static Optional<Instant> earliest(Optional<Instant> left, Optional<Instant> right)
    {
        if (left.isEmpty()) {
            return right;
        }
        if (right.isEmpty()) {
            return left;
        }
        return left.get().isBefore(right.get()) ? left : right;
    }

    static Optional<Instant> latest(Optional<Instant> left, Optional<Instant> right)
    {
        if (left.isEmpty()) {
            return right;
        }
        if (right.isEmpty()) {
            return left;
        }
        return left.get().isAfter(right.get()) ? left : right;
    }
}
