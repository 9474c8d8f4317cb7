package io.runlight.agent.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.runtime.ContainerIdentity;
import io.runlight.insights.runtime.EventBatch;
import io.runlight.insights.runtime.ProcessSnapshot;
import io.runlight.insights.runtime.RuntimeEvent;
import io.runlight.plugin.api.EvidenceKind;

import static java.util.Objects.requireNonNull;

/**
 * Samples every process of a {@code /proc}: its executable, its memory-mapped files and its
 * open regular files ({@link ProcessSnapshot} reads them), and the container its cgroup names.
 * The kernel writes those paths as the process's own mount namespace sees them, so a path of a
 * container's process is a path inside its image, readable through {@code /proc/<pid>/root}.
 *
 * <p>Kernel threads (no executable, no mappings) give nothing; a process that exits while it is
 * read gives what was read before, or nothing. Processes the agent may not read (another user's,
 * without {@code CAP_SYS_PTRACE}) are counted, so the agent can say what it could not see.
 */
public final class ProcSampler
{
    private final Path proc;
    private final ProcessSnapshot snapshot;
    private final Set<Long> skipped;

    /**
     * @param proc the {@code /proc} to read (a host's, mounted read-only into the agent's container)
     * @param skipped process ids not to report: the agent's own
     */
    public ProcSampler(Path proc, InputLimits limits, Set<Long> skipped)
    {
        this.proc = requireNonNull(proc, "proc is null");
        this.snapshot = new ProcessSnapshot(requireNonNull(limits, "limits is null"));
        this.skipped = Set.copyOf(requireNonNull(skipped, "skipped is null"));
    }

    /** One sample of every process. */
    public Sample sample()
    {
        List<ProcessSample> processes = new ArrayList<>();
        int unreadable = 0;
        for (long pid : pids()) {
            if (skipped.contains(pid)) {
                continue;
            }
            Path directory = proc.resolve(Long.toString(pid));
            Optional<ProcessSample> process;
            try {
                process = read(pid, directory);
            }
            catch (InputException e) {
                // the process exited between the listing and the reading
                continue;
            }
            if (process.isEmpty()) {
                continue;
            }
            if (process.get().files().isEmpty() && Files.exists(directory)) {
                unreadable++;
                continue;
            }
            processes.add(process.get());
        }
        return new Sample(processes, unreadable);
    }

    /**
     * What one sample saw.
     *
     * @param processes each process that showed a file
     * @param unreadable processes with an executable the agent could not read (permissions)
     */
    public record Sample(List<ProcessSample> processes, int unreadable)
    {
        public Sample
        {
            processes = List.copyOf(requireNonNull(processes, "processes is null"));
        }
    }

    private Optional<ProcessSample> read(long pid, Path directory)
    {
        if (isKernelThread(directory)) {
            return Optional.empty();
        }
        Optional<ContainerRef> container = CgroupContainers.parse(lines(directory.resolve("cgroup")));
        // identity and time belong to the agent, not to /proc; the snapshot's events only carry kind and path here
        EventBatch batch = snapshot.read(directory, ContainerIdentity.UNKNOWN, Instant.EPOCH);
        Set<FileUse> files = new LinkedHashSet<>();
        Optional<String> executable = Optional.empty();
        for (RuntimeEvent event : batch.events()) {
            files.add(new FileUse(event.kind(), event.path()));
            if (event.kind() == EvidenceKind.EXEC) {
                executable = Optional.of(event.path());
            }
        }
        return Optional.of(new ProcessSample(pid, container, executable, List.copyOf(files), directory.resolve("root")));
    }

    // a kernel thread (or a zombie) has an empty command line and its exe link leads nowhere
    private static boolean isKernelThread(Path directory)
    {
        try {
            if (Files.readAllBytes(directory.resolve("cmdline")).length > 0) {
                return false;
            }
        }
        catch (IOException e) {
            // unreadable or gone: decided by the exe link below
        }
        try {
            Files.readSymbolicLink(directory.resolve("exe"));
            return false;
        }
        catch (NoSuchFileException e) {
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }

    private static List<String> lines(Path file)
    {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            // gone, or not ours to read: no container named, the process counts as the host's
            return List.of();
        }
    }

    private List<Long> pids()
    {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && name.length() < 19 && name.chars().allMatch(Character::isDigit)) {
                    pids.add(Long.parseLong(name));
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list the processes of '" + proc + "'", e);
        }
        pids.sort(Long::compare);
        return pids;
    }
}
