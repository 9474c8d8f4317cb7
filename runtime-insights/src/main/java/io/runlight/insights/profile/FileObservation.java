package io.runlight.insights.profile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.runlight.insights.index.CodeFileClassifier;
import io.runlight.plugin.api.Evidence;
import io.runlight.plugin.api.EvidenceKind;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * Everything a container did with one file in one way: the aggregate (first, last, how
 * often) and a bounded sample of the processes that did it, one {@link Evidence} each.
 *
 * @param path the normalised path
 * @param kind exec, mmap or open
 * @param firstSeen the first observation, over all processes
 * @param lastSeen the last observation, over all processes
 * @param count how many observations, over all processes
 * @param processes one record per process, ordered by process (none first), at most
 *        {@link ProfileLimits#maxProcessesPerFile()} of them: the smallest process paths are kept
 */
public record FileObservation(String path, EvidenceKind kind, Instant firstSeen, Instant lastSeen, long count, List<Evidence> processes)
{
    /** Orders observations by path, then kind. */
    public static final Comparator<FileObservation> ORDER = Comparator.comparing(FileObservation::path).thenComparing(FileObservation::kind);

    private static final Comparator<Evidence> BY_PROCESS = Comparator.comparing((Evidence evidence) -> evidence.process().orElse(""));

    public FileObservation
    {
        requireNonBlank(path, "path");
        requireNonNull(kind, "kind is null");
        requireNonNull(firstSeen, "firstSeen is null");
        requireNonNull(lastSeen, "lastSeen is null");
        if (lastSeen.isBefore(firstSeen)) {
            // the messages are made only when thrown: these records are made for every observation and merge
            throw new IllegalArgumentException("lastSeen " + lastSeen + " is before firstSeen " + firstSeen);
        }
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        List<Evidence> sorted = new ArrayList<>(requireNonNull(processes, "processes is null"));
        sorted.sort(BY_PROCESS);
        processes = List.copyOf(sorted);
        checkArgument(!processes.isEmpty(), "processes is empty");
        for (int i = 1; i < processes.size(); i++) {
            if (processes.get(i - 1).process().equals(processes.get(i).process())) {
                throw new IllegalArgumentException("process '" + processes.get(i).process().orElse("") + "' appears twice for '" + path + "'");
            }
        }
        for (Evidence evidence : processes) {
            if (!(evidence.kind() == kind && evidence.path().equals(path))) {
                throw new IllegalArgumentException("evidence for " + evidence.kind().wireName() + " '" + evidence.path() + "' does not belong to " + kind.wireName() + " '" + path + "'");
            }
        }
    }

    /** One observation by one process (absent if unknown). */
    public static FileObservation of(String path, EvidenceKind kind, Optional<String> process, Instant time)
    {
        return new FileObservation(path, kind, time, time, 1, List.of(new Evidence(kind, path, process, time, time, 1)));
    }

    /**
     * Whether this is a load: an exec, an mmap, or an open of a code file
     * ({@link CodeFileClassifier}). Anything else is an access.
     */
    public boolean isLoad()
    {
        return kind != EvidenceKind.OPEN || CodeFileClassifier.isCode(path);
    }

    /**
     * This observation merged with another of the same path and kind; associative and
     * commutative. Process examples are merged by process and the smallest
     * {@code maxProcesses} kept.
     */
    public FileObservation merge(FileObservation other, int maxProcesses)
    {
        requireNonNull(other, "other is null");
        if (!(other.kind == kind && other.path.equals(path))) {
            throw new IllegalArgumentException("cannot merge " + other.kind.wireName() + " '" + other.path + "' into " + kind.wireName() + " '" + path + "'");
        }
        if (maxProcesses < 1) {
            throw new IllegalArgumentException("maxProcesses must be at least 1: " + maxProcesses);
        }
        List<Evidence> merged = new ArrayList<>(processes.size() + other.processes.size());
        int left = 0;
        int right = 0;
        while ((left < processes.size() || right < other.processes.size()) && merged.size() < maxProcesses) {
            if (right >= other.processes.size()) {
                merged.add(processes.get(left++));
            }
            else if (left >= processes.size()) {
                merged.add(other.processes.get(right++));
            }
            else {
                int order = BY_PROCESS.compare(processes.get(left), other.processes.get(right));
                if (order == 0) {
                    merged.add(processes.get(left++).merge(other.processes.get(right++)));
                }
                else if (order < 0) {
                    merged.add(processes.get(left++));
                }
                else {
                    merged.add(other.processes.get(right++));
                }
            }
        }
        Instant first = firstSeen.isBefore(other.firstSeen) ? firstSeen : other.firstSeen;
        Instant last = lastSeen.isAfter(other.lastSeen) ? lastSeen : other.lastSeen;
        long total = count + other.count < 0 ? Long.MAX_VALUE : count + other.count;
        return new FileObservation(path, kind, first, last, total, merged);
    }
}
