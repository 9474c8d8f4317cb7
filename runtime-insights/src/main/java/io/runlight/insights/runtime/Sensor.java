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
 * <li>Snapshots ({@code /proc/<pid>/maps}, Runlight's {@code files} snapshot form, the
 *     collector's {@code /proc/<pid>} reading): a mapping reveals shared libraries and, as
 *     the program is mapped too, executables; an exec (the {@code exe} link) reveals
 *     executables. An open descriptor at sampling time reveals nothing in general: files read
 *     and closed before the sample (every {@code .py}, every {@code .js}, the JVM's jars) are
 *     never seen.</li>
 * <li>Kubescape profiles: {@code execs} reveal executables; {@code opens} reveal shared
 *     libraries (the loader's opens are recorded) but not interpreted code, because Kubescape
 *     collapses a folder with many opened files into one wildcard entry (the {@code ⋯}
 *     segment), so the files of a package folder cannot be told apart.</li>
 * </ul>
 */
public enum Sensor
{
    RUNLIGHT_EVENTS("Runlight events", true),
    RUNLIGHT_SNAPSHOT("Runlight snapshots", false),
    PROC_MAPS("/proc/<pid>/maps snapshots", false),
    FALCO("Falco", true),
    TETRAGON("Tetragon", true),
    TRACEE("Tracee", true),
    KUBESCAPE("Kubescape profiles", false);

    private final String displayName;
    private final boolean stream;

    Sensor(String displayName, boolean stream)
    {
        this.displayName = displayName;
        this.stream = stream;
    }

    /** For a person: "/proc/<pid>/maps snapshots". */
    public String displayName()
    {
        return displayName;
    }

    /** The kinds of load that an observation of {@code kind} from this source shows it can see. */
    public Set<LoadKind> reveals(EvidenceKind kind)
    {
        requireNonNull(kind, "kind is null");
        if (stream) {
            return switch (kind) {
                case EXEC -> Set.of(LoadKind.EXECUTABLE);
                case MMAP -> Set.of(LoadKind.NATIVE_LIBRARY);
                case OPEN -> Set.of(LoadKind.NATIVE_LIBRARY, LoadKind.INTERPRETED_CODE);
            };
        }
        if (this == KUBESCAPE) {
            return switch (kind) {
                case EXEC -> Set.of(LoadKind.EXECUTABLE);
                case MMAP, OPEN -> Set.of(LoadKind.NATIVE_LIBRARY);
            };
        }
        return switch (kind) {
            case EXEC -> Set.of(LoadKind.EXECUTABLE);
            case MMAP -> Set.of(LoadKind.NATIVE_LIBRARY, LoadKind.EXECUTABLE);
            case OPEN -> Set.of();
        };
    }
}
