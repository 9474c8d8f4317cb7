package io.runlight.agent.proc;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the container of a process in its {@code /proc/<pid>/cgroup}. Each runtime names the
 * cgroup it makes for a container after the container id, differently under the systemd and
 * the cgroupfs drivers, and cgroup v1 lists one line per hierarchy where v2 has one
 * {@code 0::} line:
 *
 * <ul>
 * <li>systemd driver: a scope named {@code docker-<id>.scope}, {@code cri-containerd-<id>.scope},
 *     {@code crio-<id>.scope}, {@code libpod-<id>.scope} or {@code nerdctl-<id>.scope}, or (containerd
 *     1.4 under cgroup v1) systemd's notation {@code <slice>:cri-containerd:<id>} as the last segment;</li>
 * <li>cgroupfs driver: a folder named by the id, below {@code /docker/}, {@code /kubepods/...}
 *     (any runtime), or a containerd namespace such as {@code /default/} or {@code /k8s.io/}.</li>
 * </ul>
 *
 * Fixtures of real nodes' lines, and where each comes from: {@code cgroup/README.md} of the tests.
 * The runtimes' monitor processes ({@code crio-conmon-<id>.scope}, {@code libpod-conmon-<id>.scope})
 * are not in the container. A path may start with {@code /..} when the reader sits in another
 * cgroup namespace; only the container's own segment matters. A line that names no container
 * (a host process, a systemd service) gives nothing.
 */
public final class CgroupContainers
{
    private static final Pattern SCOPE = Pattern.compile("(docker|cri-containerd|crio|libpod|nerdctl)-([0-9a-f]{64})\\.scope");
    // systemd's own notation of the unit, <slice>:<prefix>:<id>, written as the path by containerd 1.4 under cgroup v1
    private static final Pattern SYSTEMD_NOTATION = Pattern.compile(".*:(docker|cri-containerd|crio):([0-9a-f]{64})");
    private static final Pattern BARE_ID = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_LINES = 64;

    private CgroupContainers() {}

    /** The container named by the lines of a {@code /proc/<pid>/cgroup} file, if any. */
    public static Optional<ContainerRef> parse(List<String> lines)
    {
        Optional<ContainerRef> found = Optional.empty();
        for (String line : lines.subList(0, Math.min(lines.size(), MAX_LINES))) {
            // hierarchy-ID:controller-list:cgroup-path; the path may itself contain ':'
            int first = line.indexOf(':');
            int second = first < 0 ? -1 : line.indexOf(':', first + 1);
            if (second < 0) {
                continue;
            }
            Optional<ContainerRef> container = fromPath(line.substring(second + 1));
            if (container.isPresent() && (found.isEmpty() || found.get().runtime() == ContainerRuntime.UNKNOWN)) {
                found = container;
            }
        }
        return found;
    }

    /** The container a cgroup path names: its last segment that is a container's. */
    static Optional<ContainerRef> fromPath(String path)
    {
        String[] segments = path.split("/");
        for (int i = segments.length - 1; i >= 0; i--) {
            String segment = segments[i];
            Matcher scope = SCOPE.matcher(segment);
            if (scope.matches()) {
                return Optional.of(new ContainerRef(runtime(scope.group(1)), scope.group(2)));
            }
            Matcher notation = SYSTEMD_NOTATION.matcher(segment);
            if (notation.matches()) {
                return Optional.of(new ContainerRef(runtime(notation.group(1)), notation.group(2)));
            }
            if (BARE_ID.matcher(segment).matches()) {
                return Optional.of(new ContainerRef(bareRuntime(segments, i), segment));
            }
        }
        return Optional.empty();
    }

    private static ContainerRuntime runtime(String prefix)
    {
        return switch (prefix) {
            case "docker" -> ContainerRuntime.DOCKER;
            case "cri-containerd", "nerdctl" -> ContainerRuntime.CONTAINERD;
            case "crio" -> ContainerRuntime.CRI_O;
            case "libpod" -> ContainerRuntime.PODMAN;
            default -> throw new IllegalStateException("no runtime for the scope prefix '" + prefix + "'");
        };
    }

    // cgroupfs: /docker/<id> is Docker's; below /kubepods any CRI runtime may have made it
    private static ContainerRuntime bareRuntime(String[] segments, int index)
    {
        for (int i = 0; i < index; i++) {
            if (segments[i].equals("docker")) {
                return ContainerRuntime.DOCKER;
            }
            if (segments[i].startsWith("kubepods")) {
                return ContainerRuntime.UNKNOWN;
            }
        }
        return index > 0 && (segments[index - 1].equals("default") || segments[index - 1].equals("k8s.io"))
                ? ContainerRuntime.CONTAINERD
                : ContainerRuntime.UNKNOWN;
    }
}
