package io.runlight.agent.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.insights.input.InputLimits;
import io.runlight.plugin.api.EvidenceKind;

import static org.assertj.core.api.Assertions.assertThat;

class TestProcSampler
{
    private static final String ID = "4f2a9c1be0d34a7c8e5b6f70819a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c";

    @TempDir
    Path proc;

    @Test
    void readsEachProcessWithItsContainerAndSkipsKernelThreadsAndItself()
            throws IOException
    {
        process(101, "/usr/bin/python3.11 (deleted)", "0::/kubepods.slice/kubepods-pod1.slice/cri-containerd-" + ID + ".scope\n",
                "7f0000000000-7f0000001000 r-xp 00000000 08:01 42 /usr/lib/x86_64-linux-gnu/libssl.so.3\n"
                        + "7f0000001000-7f0000002000 r--p 00001000 08:01 42 /usr/lib/x86_64-linux-gnu/libssl.so.3\n"
                        + "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0 [stack]\n",
                "/srv/app/main.py", "socket:[123]", "/dev/null");
        process(102, "/usr/bin/dash", "0::/user.slice/session-1.scope\n", "", "/var/tmp/wait.sh");
        // a kernel thread: no command line, no executable
        Files.createDirectories(proc.resolve("2"));
        Files.write(proc.resolve("2/cmdline"), new byte[0]);
        process(103, "/usr/bin/java", "0::/\n", "");
        Files.createDirectories(proc.resolve("self"));

        ProcSampler.Sample sample = new ProcSampler(proc, InputLimits.DEFAULT, Set.of(103L)).sample();

        assertThat(sample.processes()).extracting(ProcessSample::pid).containsExactly(101L, 102L);
        ProcessSample python = sample.processes().get(0);
        assertThat(python.container()).contains(new ContainerRef(ContainerRuntime.CONTAINERD, ID));
        assertThat(python.executable()).contains("/usr/bin/python3.11");
        assertThat(python.root()).isEqualTo(proc.resolve("101/root"));
        assertThat(python.files()).containsExactly(
                new FileUse(EvidenceKind.EXEC, "/usr/bin/python3.11"),
                new FileUse(EvidenceKind.MMAP, "/usr/lib/x86_64-linux-gnu/libssl.so.3"),
                new FileUse(EvidenceKind.OPEN, "/srv/app/main.py"));
        ProcessSample shell = sample.processes().get(1);
        assertThat(shell.container()).isEqualTo(Optional.empty());
        assertThat(shell.files()).containsExactly(new FileUse(EvidenceKind.EXEC, "/usr/bin/dash"), new FileUse(EvidenceKind.OPEN, "/var/tmp/wait.sh"));
    }

    @Test
    void seesARealChildProcessOfThisMachine()
            throws Exception
    {
        Path script = proc.resolve("wait.sh");
        Files.writeString(script, "#!/bin/sh\necho ready\nread line\n");
        Process child = new ProcessBuilder("/bin/sh", script.toString()).start();
        try {
            assertThat(new String(child.getInputStream().readNBytes(6), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("ready\n");
            ProcSampler.Sample sample = new ProcSampler(Path.of("/proc"), InputLimits.DEFAULT, Set.of(ProcessHandle.current().pid())).sample();
            ProcessSample shell = sample.processes().stream().filter(process -> process.pid() == child.pid()).findFirst().orElseThrow();
            assertThat(shell.files()).contains(new FileUse(EvidenceKind.OPEN, script.toString()));
            assertThat(shell.files()).anyMatch(use -> use.kind() == EvidenceKind.EXEC && use.path().endsWith("dash") || use.path().endsWith("/sh"));
            assertThat(sample.processes()).noneMatch(process -> process.pid() == ProcessHandle.current().pid());
        }
        finally {
            child.destroyForcibly();
            child.waitFor();
        }
    }

    private void process(long pid, String exe, String cgroup, String maps, String... descriptors)
            throws IOException
    {
        Path directory = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.createSymbolicLink(directory.resolve("exe"), Path.of(exe));
        Files.writeString(directory.resolve("cgroup"), cgroup);
        Files.writeString(directory.resolve("maps"), maps);
        Files.writeString(directory.resolve("cmdline"), exe + "\0");
        Path fd = Files.createDirectories(directory.resolve("fd"));
        for (int i = 0; i < descriptors.length; i++) {
            Files.createSymbolicLink(fd.resolve(Integer.toString(i + 3)), Path.of(descriptors[i]));
        }
    }
}
