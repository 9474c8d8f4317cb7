package io.runlight.insights.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.ImageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.runlight.insights.runtime.TestRuntimeEventReader.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestProcMaps
{
    private static final Instant TIME = Instant.parse("2026-11-28T12:00:00Z");
    private static final ContainerIdentity PYTHON = new ContainerIdentity(
            Optional.of("prod-eu"), Optional.of("shop"), Optional.of("Deployment"), Optional.of("cart"), Optional.of("cart-7d9f8b6c5-x2k4p"), Optional.of("cart"),
            Optional.of("containerd://4f2a9c1be0d34a7c8e5b6f70819a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c"), Optional.of("python:3.11-slim"),
            Optional.of(new ImageDigest("sha256:9b3f7e1c2d4a5b6c7d8e9f00112233445566778899aabbccddeeff0011223344")));

    private final RuntimeEventReader reader = new RuntimeEventReader(InputLimits.DEFAULT);

    @Test
    void readsPythonMaps()
            throws IOException
    {
        EventBatch batch;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/events/proc-maps-python3.txt")) {
            batch = reader.readProcMaps(in, PYTHON, TIME);
        }

        assertThat(batch.format()).isEqualTo(DocumentFormat.PROC_MAPS);
        assertThat(batch.errors()).isEmpty();
        assertThat(batch.events()).hasSize(26);
        assertThat(batch.events()).allSatisfy(event -> {
            assertThat(event.kind()).isEqualTo(EvidenceKind.MMAP);
            assertThat(event.container()).isEqualTo(PYTHON);
            assertThat(event.time()).isEqualTo(TIME);
            assertThat(event.process()).contains("/usr/local/bin/python3.11");
        });
        assertThat(batch.events()).extracting(RuntimeEvent::path).startsWith(
                "/usr/local/bin/python3.11",
                "/usr/lib/x86_64-linux-gnu/libcrypto.so.3",
                "/usr/local/lib/python3.11/lib-dynload/array.cpython-311-x86_64-linux-gnu.so");
        assertThat(batch.events()).extracting(RuntimeEvent::path)
                .contains("/usr/lib/x86_64-linux-gnu/libssl.so.3", "/usr/local/lib/libpython3.11.so.1.0", "/usr/lib/locale/C.utf8/LC_CTYPE")
                .endsWith("/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache", "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
                .noneMatch(path -> path.startsWith("["))
                .doesNotHaveDuplicates();
    }

    @Test
    void readsCatMaps()
            throws IOException
    {
        EventBatch batch;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/events/proc-maps-cat.txt")) {
            batch = reader.readProcMaps(in, ContainerIdentity.UNKNOWN, TIME);
        }

        assertThat(batch.events()).hasSize(16);
        assertThat(batch.events().get(0)).isEqualTo(new RuntimeEvent(ContainerIdentity.UNKNOWN, EvidenceKind.MMAP, "/usr/bin/cat", Optional.of("/usr/bin/cat"), TIME, Sensor.PROC_MAPS));
        assertThat(batch.events().get(11).path()).isEqualTo("/usr/lib/x86_64-linux-gnu/libc.so.6");
        assertThat(batch.events().get(15).path()).isEqualTo("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
    }

    @Test
    void skipsPseudoMappingsAndStripsDeleted()
    {
        String maps = """
                00400000-00452000 r-xp 00000000 08:02 173521      /usr/bin/my app
                00651000-00652000 rw-p 00051000 08:02 173521      /usr/bin/my app
                7f2c4e000000-7f2c4e021000 rw-p 00000000 00:00 0
                7f2c4e100000-7f2c4e200000 r-xp 00000000 08:02 1311        /usr/lib/libssl.so.3 (deleted)
                7f2c4e300000-7f2c4e301000 rw-s 00000000 00:0e 7011        anon_inode:[perf_event]
                7f2c4e400000-7f2c4e401000 rw-s 00000000 00:05 4         /dev/zero (deleted)
                7f2c4e500000-7f2c4e501000 rw-s 00000000 00:01 1025      /memfd:wayland-shm (deleted)
                7f2c4e600000-7f2c4e601000 rw-s 00000000 00:01 2         /SYSV00000000 (deleted)
                7f2c4e700000-7f2c4e701000 r--p 00000000 08:02 1311        /usr/lib/libssl.so.3
                this is not a maps line
                7ffd1c3e6000-7ffd1c407000 rw-p 00000000 00:00 0           [stack]
                7ffd1c5e2000-7ffd1c5e4000 r-xp 00000000 00:00 0           [vdso]
                """;
        EventBatch batch = reader.readProcMaps(stream(maps), ContainerIdentity.UNKNOWN, TIME);

        assertThat(batch.events()).extracting(RuntimeEvent::path).containsExactly("/usr/bin/my app", "/usr/lib/libssl.so.3");
        assertThat(batch.events()).allSatisfy(event -> assertThat(event.process()).contains("/usr/bin/my app"));
        assertThat(batch.rejected()).isEqualTo(1);
        assertThat(batch.errors()).containsExactly(new EventError("line 10", "not a maps line (start-end perms offset dev inode path): 'this is not a maps line'"));
    }

    @Test
    void hostileMaps()
    {
        assertThat(reader.readProcMaps(stream(""), ContainerIdentity.UNKNOWN, TIME).events()).isEmpty();
        assertThatThrownBy(() -> reader.readProcMaps(stream("{\"kind\": \"exec\"}\n\u0001\u0002garbage\n"), ContainerIdentity.UNKNOWN, TIME))
                .isInstanceOf(InputException.class)
                .hasMessage("/proc/<pid>/maps at line 1: not a maps line (start-end perms offset dev inode path): '{\"kind\": \"exec\"}'");
        RuntimeEventReader limited = new RuntimeEventReader(new InputLimits(2048, 16, 1024, 2));
        String line = "7f2c4e100000-7f2c4e200000 r-xp 00000000 08:02 1311 /usr/lib/lib%d.so\n";
        assertThatThrownBy(() -> limited.readProcMaps(stream(line.formatted(1) + line.formatted(2) + line.formatted(3)), ContainerIdentity.UNKNOWN, TIME))
                .isInstanceOf(InputException.class)
                .hasMessage("/proc/<pid>/maps at line 3: more than 2 events, the limit");
        assertThatThrownBy(() -> limited.readProcMaps(stream(line.formatted(1).repeat(40)), ContainerIdentity.UNKNOWN, TIME))
                .isInstanceOf(InputException.class)
                .hasMessage("/proc/<pid>/maps at line 1: the document is larger than the limit of 2048 bytes");
        EventBatch longLine = limited.readProcMaps(stream(line.formatted(1) + "7f2c4e100000-7f2c4e200000 r-xp 00000000 08:02 1311 /" + "x".repeat(1100) + "\n"), ContainerIdentity.UNKNOWN, TIME);
        assertThat(longLine.events()).hasSize(1);
        assertThat(longLine.errors()).containsExactly(new EventError("line 2", "the line is longer than 1024 bytes, the limit"));
    }

    @Test
    void snapshotsThisLiveProcess()
            throws IOException
    {
        Path self = Path.of("/proc", String.valueOf(ProcessHandle.current().pid()));
        String java = Files.readSymbolicLink(self.resolve("exe")).toString();

        EventBatch batch = new ProcessSnapshot(InputLimits.DEFAULT).read(self, PYTHON, TIME);

        assertThat(batch.format()).isEqualTo(DocumentFormat.PROC_MAPS);
        assertThat(batch.errors()).isEmpty();
        assertThat(batch.events().get(0)).isEqualTo(new RuntimeEvent(PYTHON, EvidenceKind.EXEC, java, Optional.of(java), TIME, Sensor.PROC_MAPS));
        assertThat(java).endsWith("/java");
        assertThat(batch.events()).allSatisfy(event -> assertThat(event.process()).contains(java));
        // the JVM maps itself and libjvm.so, and holds the jars of its class path open
        assertThat(batch.events()).filteredOn(event -> event.kind() == EvidenceKind.MMAP).extracting(RuntimeEvent::path)
                .contains(java)
                .anyMatch(path -> path.endsWith("/libjvm.so"));
        assertThat(batch.events()).filteredOn(event -> event.kind() == EvidenceKind.OPEN).extracting(RuntimeEvent::path)
                .anyMatch(path -> path.endsWith(".jar"))
                .allMatch(path -> path.startsWith("/") && !path.startsWith("/dev/") && !path.startsWith("/proc/"));
    }

    @Test
    void snapshotOfAMissingOrPartialProcess(@TempDir Path directory)
            throws IOException
    {
        assertThatThrownBy(() -> new ProcessSnapshot(InputLimits.DEFAULT).read(directory.resolve("4242"), ContainerIdentity.UNKNOWN, TIME))
                .isInstanceOf(InputException.class)
                .hasMessage("/proc/<pid>/maps at " + directory.resolve("4242") + ": no such process directory");

        // a copy of a process directory where only maps and one fd link survive
        Path process = Files.createDirectory(directory.resolve("77"));
        Files.writeString(process.resolve("maps"), "00400000-00452000 r-xp 00000000 08:02 173521 /usr/bin/app\n");
        Path fd = Files.createDirectory(process.resolve("fd"));
        Files.createSymbolicLink(fd.resolve("3"), Path.of("/var/lib/app/data.db (deleted)"));
        Files.createSymbolicLink(fd.resolve("4"), Path.of("socket:[12345]"));

        EventBatch batch = new ProcessSnapshot(InputLimits.DEFAULT).read(process, ContainerIdentity.UNKNOWN, TIME);

        assertThat(batch.events()).containsExactly(
                new RuntimeEvent(ContainerIdentity.UNKNOWN, EvidenceKind.MMAP, "/usr/bin/app", Optional.of("/usr/bin/app"), TIME, Sensor.PROC_MAPS),
                new RuntimeEvent(ContainerIdentity.UNKNOWN, EvidenceKind.OPEN, "/var/lib/app/data.db", Optional.of("/usr/bin/app"), TIME, Sensor.PROC_MAPS));
        assertThat(batch.rejected()).isEqualTo(1);
        assertThat(batch.errors()).hasSize(1);
        assertThat(batch.errors().get(0).location()).isEqualTo("exe");
        assertThat(batch.errors().get(0).message()).startsWith("cannot read the link: NoSuchFileException ");
    }
}
