package io.runlight.insights.correlate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.runlight.plugin.api.EvidenceKind;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A process of this machine run under {@code strace -f -y -e trace=execve,openat,mmap}: what
 * it executed, mapped and opened (the full events), and its {@code /proc/<pid>/maps} taken
 * while it ran (what a maps-only collector sees). The command must print {@code ready} once
 * it has loaded what it loads, then wait for its standard input to close.
 *
 * @param name a short name for messages
 * @param observations every successful exec, mmap of a file, and open, in trace order
 * @param maps the process's maps file as read while it waited
 */
record RealProcess(String name, List<Observation> observations, byte[] maps)
{
    /** One traced system call that touched a file. */
    record Observation(EvidenceKind kind, String path, String process) {}

    // "123 openat(AT_FDCWD</x>, "a.js", O_RDONLY|O_CLOEXEC) = 21</x/a.js>", or its "<... openat resumed>" half
    private static final Pattern CALL = Pattern.compile("^(\\d+) +(?:<\\.\\.\\. (\\w+) resumed>|(\\w+)\\()(.*)$");
    private static final Pattern RESULT_PATH = Pattern.compile("= \\d+<([^>]+)>$");
    private static final Pattern MAPPED_FD = Pattern.compile(", \\d+<([^>]+)>, 0x[0-9a-f]+\\)|, \\d+<([^>]+)>, 0\\)");
    private static final Pattern EXEC_PATH = Pattern.compile("^\"([^\"]+)\"");

    static RealProcess run(String name, Path workingDirectory, List<String> command, Path traceFolder)
            throws IOException, InterruptedException
    {
        Path trace = traceFolder.resolve(name + ".strace");
        List<String> traced = new ArrayList<>(List.of("strace", "-f", "-y", "-qq", "-e", "trace=execve,openat,mmap", "-o", trace.toString(), "--"));
        traced.addAll(command);
        Process strace = new ProcessBuilder(traced)
                .directory(workingDirectory.toFile())
                .redirectError(traceFolder.resolve(name + ".stderr").toFile())
                .start();
        byte[] maps;
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(strace.getInputStream(), StandardCharsets.UTF_8));
            String line = output.readLine();
            assertThat(line).as("%s printed no 'ready'; stderr: %s", name, Files.readString(traceFolder.resolve(name + ".stderr"))).isEqualTo("ready");
            long child = tracedChild(strace.pid());
            maps = Files.readAllBytes(Path.of("/proc", Long.toString(child), "maps"));
        }
        finally {
            strace.getOutputStream().close();
            if (!strace.waitFor(60, TimeUnit.SECONDS)) {
                strace.destroyForcibly();
            }
        }
        return new RealProcess(name, parse(Files.readAllLines(trace, StandardCharsets.UTF_8)), maps);
    }

    /** The files loaded as DESIGN.md decision 7 counts loads: executed, mapped, or opened code. */
    Set<String> loadedPaths()
    {
        Set<String> loaded = new LinkedHashSet<>();
        for (Observation observation : observations) {
            if (observation.kind() != EvidenceKind.OPEN || io.runlight.insights.index.CodeFileClassifier.isCode(observation.path())) {
                loaded.add(observation.path());
            }
        }
        return loaded;
    }

    private static long tracedChild(long stracePid)
            throws IOException
    {
        String children = Files.readString(Path.of("/proc", Long.toString(stracePid), "task", Long.toString(stracePid), "children")).strip();
        assertThat(children).as("strace %s has no child", stracePid).isNotEmpty();
        return Long.parseLong(children.split(" ")[0]);
    }

    static List<Observation> parse(List<String> lines)
    {
        Map<String, String> executables = new HashMap<>();
        Map<String, String> pendingExec = new HashMap<>();
        List<Observation> observations = new ArrayList<>();
        for (String line : lines) {
            Matcher call = CALL.matcher(line);
            if (!call.matches()) {
                continue;
            }
            String pid = call.group(1);
            boolean resumed = call.group(2) != null;
            String syscall = resumed ? call.group(2) : call.group(3);
            String rest = call.group(4);
            boolean unfinished = rest.endsWith("<unfinished ...>");
            switch (syscall) {
                case "execve" -> {
                    if (!resumed) {
                        Matcher path = EXEC_PATH.matcher(rest);
                        if (path.find()) {
                            pendingExec.put(pid, path.group(1));
                        }
                    }
                    if (!unfinished && rest.endsWith("= 0") && pendingExec.containsKey(pid)) {
                        String executable = pendingExec.remove(pid);
                        executables.put(pid, executable);
                        observations.add(new Observation(EvidenceKind.EXEC, executable, executable));
                    }
                }
                case "openat" -> {
                    Matcher result = RESULT_PATH.matcher(rest);
                    if (!unfinished && result.find() && result.group(1).startsWith("/")) {
                        observations.add(new Observation(EvidenceKind.OPEN, result.group(1), executables.getOrDefault(pid, "")));
                    }
                }
                case "mmap" -> {
                    Matcher mapped = MAPPED_FD.matcher(rest);
                    if (!unfinished && mapped.find()) {
                        String path = mapped.group(1) != null ? mapped.group(1) : mapped.group(2);
                        if (path.startsWith("/")) {
                            observations.add(new Observation(EvidenceKind.MMAP, path, executables.getOrDefault(pid, "")));
                        }
                    }
                }
                default -> {
                    // traced for nothing else
                }
            }
        }
        return observations;
    }
}
