package io.runlight.insights.runtime;

import java.util.Set;

import io.runlight.insights.index.LoadKind;
import io.runlight.plugin.api.EvidenceKind;

import static java.util.Objects.requireNonNull;

/**
 * Where a runtime event came from, and so what its source can see (DESIGN.md decision 8).
 * A source reveals a kind of load only once it has been seen reporting the observation
 * that shows it: Tetragon without a file hook reports execs only, and a Falco without
 * Runlight's rules no opens, whatever the format could carry. A kind of use a source never
 * reveals leaves the packages that need it unknown, never not in use.
 *
 * <ul>
 * <li>Event streams (Runlight's event form, Falco with Runlight's rules, Tetragon, Tracee):
 *     an exec reveals executables; an mmap, shared libraries; an open, shared libraries
 *     (the loader opens each before mapping it) and interpreted code (jars, {@code .py},
 *     {@code .js}, ... are read and closed, never mapped).</li>
 * <li>Runlight's {@code files} form, a batch of the execs and mappings a Runlight sensor
 *     recorded for one container: an exec reveals executables, an mmap shared libraries and
 *     executables; its opens are the descriptors open when the batch was cut, so they reveal
 *     nothing.</li>
 * <li>Snapshots ({@code /proc/<pid>/maps}, the collector's {@code /proc/<pid>} reading) reveal nothing: they show what the processes
 *     alive at that moment have mapped, never a process that started and ended between two
 *     snapshots. On a real machine {@code python3} started through a pyenv shim runs
 *     {@code bash}, {@code head} and {@code dirname} (coreutils, libtinfo6) before the
 *     interpreter, and no maps snapshot of the interpreter shows them; files read and closed
 *     (every {@code .py}, {@code .js}, the JVM's jars) are never seen either. What a snapshot
 *     shows loaded is in use; what it does not show stays unknown.</li>
 * <li>Runlight's agent sampling {@code /proc} ({@code "sensor": "proc-sampling"} on its records)
 *     is a snapshot source too, however often it samples: a program that started and ended
 *     between two samples, and a file read and closed between them, is never in one. What it
 *     saw is in use; what it did not see stays unknown.</li>
 * <li>Kubescape profiles: {@code execs} reveal executables; {@code opens} reveal shared
 *     libraries (the loader's opens are recorded) but not interpreted code, because Kubescape
 *     collapses a folder with many opened files into one wildcard entry (the {@code ⋯}
 *     segment), so the files of a package folder cannot be told apart.</li>
 * </ul>
 */
public enum Sensor
{
    RUNLIGHT_EVENTS("Runlight events", Kind.STREAM),
    RUNLIGHT_SNAPSHOT("Runlight snapshots", Kind.BATCH),
    PROC_MAPS("/proc/<pid>/maps snapshots", Kind.SNAPSHOT),
    AGENT_SAMPLES("Runlight agent's /proc samples (executables, mappings and open descriptors of the processes alive at each sample)", Kind.SNAPSHOT),
    FALCO("Falco", Kind.STREAM),
    TETRAGON("Tetragon", Kind.STREAM),
    TRACEE("Tracee", Kind.STREAM),
    KUBESCAPE("Kubescape profiles", Kind.PROFILE);

    private enum Kind
    {
        STREAM, BATCH, SNAPSHOT, PROFILE
    }

    private final String displayName;
    private final Kind kind;

    Sensor(String displayName, Kind kind)
    {
        this.displayName = displayName;
        this.kind = kind;
    }

    /** Whether this source samples what is loaded at moments, missing what ran in between. */
    public boolean isSnapshot()
    {
        return kind == Kind.SNAPSHOT;
    }

    /** For a person: "/proc/<pid>/maps snapshots". */
    public String displayName()
    {
        return displayName;
    }

    /** The kinds of load that an observation of {@code kind} from this source shows it can see. */
    public Set<LoadKind> reveals(EvidenceKind observed)
    {
        requireNonNull(observed, "observed is null");
        return switch (kind) {
            case STREAM -> switch (observed) {
                case EXEC -> Set.of(LoadKind.EXECUTABLE);
                case MMAP -> Set.of(LoadKind.NATIVE_LIBRARY);
                case OPEN -> Set.of(LoadKind.NATIVE_LIBRARY, LoadKind.INTERPRETED_CODE);
            };
            case PROFILE -> switch (observed) {
                case EXEC -> Set.of(LoadKind.EXECUTABLE);
                case MMAP, OPEN -> Set.of(LoadKind.NATIVE_LIBRARY);
            };
            case BATCH -> switch (observed) {
                case EXEC -> Set.of(LoadKind.EXECUTABLE);
                case MMAP -> Set.of(LoadKind.NATIVE_LIBRARY, LoadKind.EXECUTABLE);
                case OPEN -> Set.of();
            };
            case SNAPSHOT -> Set.of();
        };
    }
}
