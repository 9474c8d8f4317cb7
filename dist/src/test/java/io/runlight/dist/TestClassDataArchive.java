package io.runlight.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/runlight cds} on an unpacked tarball of its own: it records the classes a hub start
 * loads in {@code lib/runlight.jsa}, every later run of the launcher maps them from there, and an
 * archive the JVM cannot use (another Java, a changed lib/, a damaged file) is ignored without a word.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestClassDataArchive
{
    private static final String MAIN_FROM_ARCHIVE = "io.runlight.hub.cli.Main source: shared objects file (top)";

    private Path folder;
    private Path home;
    private Path archive;
    private Output made;

    @BeforeAll
    void makeTheArchive(@TempDir Path folder)
            throws IOException, InterruptedException
    {
        this.folder = folder;
        home = Distribution.unpack(folder);
        archive = home.resolve("lib/runlight.jsa");
        // this machine's settings stay out of the training start: this database does not exist
        made = run(List.of("cds"), Map.of("RUNLIGHT_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/nowhere", "RUNLIGHT_CLUSTER_JOIN", "tcp"));
    }

    @Test
    void cdsWritesTheArchiveBesideTheJarsAndSaysSo()
    {
        assertThat(made.exit()).as(made.text()).isZero();
        assertThat(made.text()).isEqualTo("runlight: wrote the class-data archive " + archive
                + "; hub starts on this Java use it (run runlight cds again after changing Java or lib/)\n");
        assertThat(archive).isNotEmptyFile();
        assertThat(home.resolve("lib")).isDirectoryNotContaining("glob:**.partial.*");
    }

    @Test
    void theLauncherLoadsTheHubsClassesFromTheArchive()
            throws IOException, InterruptedException
    {
        Output version = run(List.of("--version"), Map.of("RUNLIGHT_JAVA_OPTS", "-Xlog:class+load=info"));

        assertThat(version.exit()).isZero();
        assertThat(version.text()).contains(MAIN_FROM_ARCHIVE);
    }

    @Test
    void cdsOffLeavesTheArchiveUnused()
            throws IOException, InterruptedException
    {
        Output version = run(List.of("--version"), Map.of("RUNLIGHT_JAVA_OPTS", "-Xlog:class+load=info", "RUNLIGHT_CDS", "off"));

        assertThat(version.exit()).isZero();
        assertThat(version.text()).contains("io.runlight.hub.cli.Main source: file:").doesNotContain(MAIN_FROM_ARCHIVE);
    }

    @Test
    void anArchiveTheJvmCannotUseIsIgnoredSilently()
            throws IOException, InterruptedException
    {
        Path damaged = folder.resolve("damaged.jsa");
        Files.write(damaged, "not a class-data archive".getBytes(StandardCharsets.US_ASCII));

        Output version = run(List.of("--version"), Map.of("RUNLIGHT_CDS_ARCHIVE", damaged.toString()));

        assertThat(version.exit()).isZero();
        assertThat(version.text()).startsWith("runlight ").doesNotContainIgnoringCase("warning").doesNotContain("archive");
    }

    @Test
    void cdsTakesNoArguments()
            throws IOException, InterruptedException
    {
        Output refused = run(List.of("cds", "--now"), Map.of());

        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.text()).isEqualTo("runlight cds: takes no arguments (set RUNLIGHT_CDS_ARCHIVE to write the archive elsewhere than " + archive + ")\n");
    }

    private Output run(List<String> arguments, Map<String, String> environment)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/runlight").toString()));
        command.addAll(arguments);
        ProcessBuilder builder = DistributionHub.launcher(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("'bin/runlight " + String.join(" ", arguments) + "' did not finish within 120 s");
        }
        return new Output(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private record Output(int exit, String text) {}
}
