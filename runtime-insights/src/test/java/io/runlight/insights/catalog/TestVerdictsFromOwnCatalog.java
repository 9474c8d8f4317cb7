package io.runlight.insights.catalog;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.insights.correlate.AnalysisPolicy;
import io.runlight.insights.correlate.ImageAnalyzer;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.runtime.EventBatch;
import io.runlight.insights.runtime.RuntimeEventReader;
import io.runlight.insights.sbom.CycloneDxJsonReader;
import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.insights.sbom.Sbom;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.Usage;

import static io.runlight.insights.catalog.ImageArchiveBuilder.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end: real processes (python importing packages of a venv, node requiring packages of a
 * node_modules tree, java loading a jar) traced by strace; their opens and execs below the image
 * root become Runlight's native events, as a container's would; Runlight's own SBOM of the tree,
 * written as CycloneDX and read back, gives the ownership. With a learning window of zero, every
 * package they loaded is in use and every package they never touched is not.
 */
@Tag("package-managers")
class TestVerdictsFromOwnCatalog
{
    private static final ImageDigest IMAGE = new ImageDigest("sha256:" + "ab".repeat(32));
    private static final Pattern SYSCALL = Pattern.compile("^\\d+\\s+(openat|open|execve)\\((?:AT_FDCWD, )?\"([^\"]+)\".*\\) = (\\d+)");

    @TempDir
    Path work;

    @Test
    void packagesTheProcessesLoadedAreInUseAndTheOthersAreNot()
            throws IOException
    {
        Path root = Files.createDirectories(work.resolve("root"));
        Path venv = RealPackageTrees.python(root);
        pipInstall(venv, "usedpkg");
        pipInstall(venv, "idlepkg");
        Path app = RealPackageTrees.npm(root, work);
        Path jar = root.resolve("app/lib/jackson-core-2.21.0.jar");
        RealPackageTrees.copy(RealPackageTrees.mavenJar("com.fasterxml.jackson.core", "jackson-core", "2.21.0"), jar);
        RealPackageTrees.fatJar(root.resolve("app/shop.jar"), RealPackageTrees.mavenJar("com.fasterxml.jackson.core", "jackson-databind", "2.21.0"));

        ImageIdentity identity = new ImageIdentity(List.of(IMAGE), List.of("example/app:1"));
        Catalog catalog = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogRootFolder(root, identity);
        ByteArrayOutputStream bom = new ByteArrayOutputStream();
        new CycloneDxCatalogWriter("0.1.0").write(catalog, bom);
        Sbom sbom = new CycloneDxJsonReader(InputLimits.DEFAULT).read(new ByteArrayInputStream(bom.toByteArray()));

        List<String> events = new ArrayList<>();
        events.addAll(traced(root, root, List.of("env", "-u", "PYTHONDONTWRITEBYTECODE", venv.resolve("bin/python").toString(), "-c", "import pip, usedpkg")));
        events.addAll(traced(root, app, List.of("node", "-e", "require('pad'); require('@acme/util')")));
        Path main = work.resolve("Main.java");
        Files.writeString(main, "public class Main { public static void main(String[] args) { System.out.println(new com.fasterxml.jackson.core.JsonFactory().getFormatName()); } }\n");
        events.addAll(traced(root, work, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", jar.toString(), main.toString())));
        EventBatch batch = new RuntimeEventReader(InputLimits.DEFAULT).read(new ByteArrayInputStream(String.join("\n", events).getBytes(StandardCharsets.UTF_8)));
        assertThat(batch.rejected()).isZero();

        ImageInsights image = new ImageAnalyzer(AnalysisPolicy.withLearningWindow(Duration.ZERO))
                .analyze(sbom, List.of(), batch.events(), Instant.parse("2026-11-28T12:00:00Z"))
                .image();

        assertThat(image.profile().state()).isEqualTo(ProfileState.COMPLETE);
        Map<String, Usage> usage = new TreeMap<>();
        for (PackageInsight insight : image.packages()) {
            usage.put(insight.pkg().purl().toString(), insight.usage());
        }
        String pip = sbom.packages().stream().filter(sbomPackage -> sbomPackage.pkg().name().equals("pip")).findFirst().orElseThrow().pkg().purl().toString();
        String setuptools = sbom.packages().stream().filter(sbomPackage -> sbomPackage.pkg().name().equals("setuptools")).findFirst().orElseThrow().pkg().purl().toString();
        Map<String, Usage> expected = new TreeMap<>();
        expected.put(pip, Usage.IN_USE);
        expected.put("pkg:pypi/usedpkg@1.0", Usage.IN_USE);
        // the venv's distutils-precedence.pth imports setuptools' _distutils_hack at every start: really loaded
        expected.put(setuptools, Usage.IN_USE);
        expected.put("pkg:pypi/idlepkg@1.0", Usage.NOT_IN_USE);
        expected.put("pkg:npm/pad@1.0.0", Usage.IN_USE);
        expected.put("pkg:npm/%40acme/util@2.1.0", Usage.IN_USE);
        expected.put("pkg:npm/dep@2.0.0", Usage.NOT_IN_USE);
        expected.put("pkg:npm/dep@1.0.0", Usage.NOT_IN_USE);
        expected.put("pkg:npm/withbundle@1.0.0", Usage.NOT_IN_USE);
        expected.put("pkg:maven/com.fasterxml.jackson.core/jackson-core@2.21.0", Usage.IN_USE);
        expected.put("pkg:maven/com.example/shop@1.4.0", Usage.NOT_IN_USE);
        expected.put("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.21.0", Usage.NOT_IN_USE);
        assertThat(usage).isEqualTo(expected);
    }

    private static void pipInstall(Path venv, String name)
            throws IOException
    {
        Path source = Files.createDirectories(venv.getParent().getParent().getParent().resolve("sources/" + name));
        write(source, "setup.py", "from setuptools import setup\nsetup(name='" + name + "', version='1.0', py_modules=['" + name + "'])\n");
        write(source, name + ".py", "VALUE = '" + name + "'\n");
        ImageArchiveBuilder.run(List.of(venv.resolve("bin/python").toString(), "-m", "pip", "install", "--no-index", "--no-build-isolation",
                "--disable-pip-version-check", "--quiet", source.toString()));
    }

    // the process's successful opens and execs below the root, as events of a container of the image
    private List<String> traced(Path root, Path directory, List<String> command)
            throws IOException
    {
        Path trace = Files.createTempFile(work, "strace-", ".txt");
        List<String> strace = new ArrayList<>(List.of("strace", "-f", "-qq", "-e", "trace=open,openat,execve", "-o", trace.toString()));
        strace.addAll(command);
        ImageArchiveBuilder.run(directory, strace);
        String prefix = root.toRealPath().toString();
        List<String> events = new ArrayList<>();
        for (String line : Files.readAllLines(trace)) {
            Matcher matcher = SYSCALL.matcher(line);
            if (!matcher.find()) {
                continue;
            }
            String path = Path.of(matcher.group(2)).isAbsolute() ? matcher.group(2) : directory.resolve(matcher.group(2)).toString();
            if (!path.startsWith(prefix + "/")) {
                continue;
            }
            String kind = matcher.group(1).equals("execve") ? "exec" : "open";
            events.add("{\"time\":\"2026-11-28T12:00:00Z\",\"cluster\":\"test\",\"namespace\":\"shop\",\"workloadKind\":\"Deployment\",\"workloadName\":\"app\","
                    + "\"pod\":\"app-1\",\"container\":\"app\",\"containerId\":\"containerd://" + "c".repeat(64) + "\",\"image\":\"example/app:1\","
                    + "\"imageDigest\":\"" + IMAGE + "\",\"kind\":\"" + kind + "\",\"path\":\"" + path.substring(prefix.length()) + "\",\"process\":\"" + command.get(0) + "\"}");
        }
        assertThat(events).as("events of %s", command).isNotEmpty();
        return events;
    }
}
