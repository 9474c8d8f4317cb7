package io.runlight.agent.proc;

import io.runlight.plugin.api.EvidenceKind;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * One file a process was seen using.
 *
 * @param kind exec (its executable), mmap (a mapped file) or open (an open descriptor)
 * @param path the path as the process's own mount namespace names it
 */
public record FileUse(EvidenceKind kind, String path)
{
    public FileUse
    {
        requireNonNull(kind, "kind is null");
        requireNonBlank(path, "path");
    }
}
