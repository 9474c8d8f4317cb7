package io.runlight.agent.proc;

import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A container a process runs in, as its cgroup names it.
 *
 * @param runtime the runtime whose naming the cgroup follows
 * @param id the container id: 64 lower-case hex digits
 */
public record ContainerRef(ContainerRuntime runtime, String id)
{
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

    public ContainerRef
    {
        requireNonNull(runtime, "runtime is null");
        requireNonNull(id, "id is null");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("container id '" + id + "' is not 64 lower-case hex digits");
        }
    }

    /** The id as Kubernetes reports it ({@code containerd://<id>}), or the bare id when the runtime is unknown. */
    public String qualifiedId()
    {
        return runtime.scheme() + id;
    }
}
