package io.runlight.agent.proc;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What one process was seen using at one sample.
 *
 * @param pid the process id, as the agent's {@code /proc} numbers it
 * @param container the container its cgroup names; empty for a host process
 * @param executable the target of {@code /proc/<pid>/exe}, if it could be read
 * @param files its executable, mapped files and open regular files, each once
 * @param root {@code /proc/<pid>/root}: the process's file system, where its paths lead
 */
public record ProcessSample(long pid, Optional<ContainerRef> container, Optional<String> executable, List<FileUse> files, Path root)
{
    public ProcessSample
    {
        requireNonNull(container, "container is null");
        requireNonNull(executable, "executable is null");
        files = List.copyOf(requireNonNull(files, "files is null"));
        requireNonNull(root, "root is null");
    }
}
