package io.runlight.insights.correlate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.runlight.insights.input.InputLimits;
import io.runlight.insights.runtime.ContainerIdentity;
import io.runlight.insights.runtime.EventBatch;
import io.runlight.insights.runtime.RuntimeEvent;
import io.runlight.insights.runtime.RuntimeEventReader;
import io.runlight.insights.sbom.DpkgDatabaseReader;
import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.insights.sbom.Sbom;
import io.runlight.plugin.api.Confidence;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.Usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real-machine acceptance: a live python3 that imported ssl and sqlite3, its
 * {@code /proc/<pid>/maps}, and this machine's dpkg database. Every Debian package that
 * owns a mapped file ({@code dpkg -S} says which) is in use; an installed package that
 * python never maps (git) stays unknown: a snapshot cannot have seen what ran and ended
 * before it was taken.
 */
@Tag("package-managers")
class TestImageAnalyzerOnThisMachine
{
    private static final ImageDigest THIS_MACHINE = new ImageDigest("sha256:" + "1".repeat(64));

    @Test
    void pythonWithSslAndSqliteLoadsItsDebianLibraries()
            throws Exception
    {
        assumeTrue(Files.isRegularFile(Path.of("/var/lib/dpkg/status")), "not a Debian-family machine");
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "no /proc");
        assumeTrue(!dpkgOwners(List.of("/usr/bin/git")).isEmpty(), "git is not installed from a Debian package");

        Process python = new ProcessBuilder("python3", "-c", "import ssl, sqlite3, sys; print('ready', flush=True); sys.stdin.read()")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
            assertThat(output.readLine()).isEqualTo("ready");
            Instant now = Instant.parse("2026-11-28T12:00:00Z");
            EventBatch batch;
            try (InputStream maps = Files.newInputStream(Path.of("/proc", Long.toString(python.pid()), "maps"))) {
                batch = new RuntimeEventReader(InputLimits.DEFAULT).readProcMaps(maps, ContainerIdentity.UNKNOWN, now);
            }
            assertThat(batch.rejected()).isZero();
            List<String> mapped = batch.events().stream().map(RuntimeEvent::path).distinct().toList();
            assertThat(mapped).anyMatch(path -> path.endsWith("/libssl.so.3"));
            assertThat(mapped).anyMatch(path -> path.contains("/libsqlite3.so"));

            Sbom machine = new DpkgDatabaseReader(InputLimits.DEFAULT).read(Path.of("/"));
            Sbom sbom = new Sbom(machine.format(), new ImageIdentity(List.of(THIS_MACHINE), List.of("localhost/this-machine")), machine.os(), machine.packages());
            ImageInsights image = new ImageAnalyzer(AnalysisPolicy.withLearningWindow(Duration.ZERO))
                    .analyze(sbom, List.of(), batch.events(), now)
                    .image();

            assertThat(image.profile().state()).isEqualTo(ProfileState.COMPLETE);
            TreeSet<String> owners = new TreeSet<>();
            for (String path : mapped) {
                owners.addAll(dpkgOwners(aliases(path)));
            }
            // python itself is a pyenv build under /root/.pyenv, but its libraries come from Debian
            assertThat(owners).contains("libc6", "libssl3", "libsqlite3-0");
            for (String owner : owners) {
                PackageInsight insight = byName(image, owner);
                assertThat(insight.usage()).as(owner).isEqualTo(Usage.IN_USE);
                assertThat(insight.confidence()).as(owner).contains(Confidence.FILE);
                assertThat(insight.evidence()).as(owner).allMatch(evidence -> evidence.kind() == EvidenceKind.MMAP);
            }
            assertThat(byName(image, "libssl3").evidence()).anyMatch(evidence -> evidence.path().equals("/usr/lib/x86_64-linux-gnu/libssl.so.3")
                    || evidence.path().endsWith("/libssl.so.3"));
            // a maps snapshot shows what the live process mapped, never what ran before it: nothing else can be judged
            PackageInsight git = byName(image, "git");
            assertThat(git.usage()).isEqualTo(Usage.UNKNOWN);
            assertThat(git.reason()).contains("no source that observed this image sees exec (seen: /proc/<pid>/maps snapshots, "
                    + "which only show the processes alive when they were taken): its executables cannot be judged");
            assertThat(image.summary().packagesInUse()).isEqualTo(owners.size());
            assertThat(image.summary().packagesNotInUse()).isZero();
            assertThat(image.packages()).filteredOn(insight -> insight.usage() == Usage.UNKNOWN)
                    .allSatisfy(insight -> assertThat(insight.reason()).isPresent());
        }
        finally {
            python.getOutputStream().close();
            if (!python.waitFor(10, TimeUnit.SECONDS)) {
                python.destroyForcibly();
            }
        }
    }

    private static PackageInsight byName(ImageInsights image, String name)
    {
        return image.packages().stream()
                .filter(insight -> insight.pkg().name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no package '" + name + "' in this machine's dpkg database"));
    }

    // dpkg records the path as the package ships it; on a merged-/usr system the mapped /usr/lib/... may be /lib/... there
    private static List<String> aliases(String path)
    {
        List<String> forms = new ArrayList<>(List.of(path));
        for (String alias : List.of("/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/")) {
            if (path.startsWith("/usr" + alias)) {
                forms.add(path.substring(4));
            }
            if (path.startsWith(alias)) {
                forms.add("/usr" + path);
            }
        }
        return forms;
    }

    // package names (without ":arch") that "dpkg -S" says own any of the paths
    private static List<String> dpkgOwners(List<String> paths)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of("dpkg", "-S"));
        command.addAll(paths);
        Process dpkg = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> owners = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(dpkg.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                int separator = line.indexOf(": ");
                if (line.startsWith("diversion ") || separator < 0) {
                    continue;
                }
                for (String owner : line.substring(0, separator).split(", ")) {
                    int colon = owner.indexOf(':');
                    owners.add(colon < 0 ? owner.strip() : owner.substring(0, colon).strip());
                }
            }
        }
        dpkg.waitFor(30, TimeUnit.SECONDS);
        return owners;
    }
}
