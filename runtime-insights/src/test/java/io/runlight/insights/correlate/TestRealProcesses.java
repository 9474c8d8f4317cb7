package io.runlight.insights.correlate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.runtime.ContainerIdentity;
import io.runlight.insights.runtime.EventBatch;
import io.runlight.insights.runtime.RuntimeEvent;
import io.runlight.insights.runtime.RuntimeEventReader;
import io.runlight.insights.sbom.GivenImage;
import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.insights.sbom.SbomReader;
import io.runlight.insights.vex.VexDocuments;
import io.runlight.insights.vex.VexOptions;
import io.runlight.insights.vuln.Finding;
import io.runlight.insights.vuln.PackageCoordinates;
import io.runlight.insights.vuln.VulnerabilityReport;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Severity;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.Vulnerability;
import io.runlight.plugin.api.connector.VexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real-process acceptance: python3 importing yaml, requests, ssl and sqlite3;
 * node requiring express from a local node_modules (installed from the project's lock file);
 * java loading the Jackson jars from the local Maven repository. Each runs under strace (the
 * full events: exec, mmap, opens) and has its {@code /proc/<pid>/maps} read while it runs (what
 * a maps-only collector sees). With every SBOM real tools wrote (real-tools/README.md), and both
 * sets of events:
 * <ul>
 * <li>no package a process loaded is NOT_IN_USE;</li>
 * <li>every not_affected statement of the OpenVEX and CycloneDX VEX documents names a package no
 *     process loaded;</li>
 * <li>with Trivy's CycloneDX SBOM of this machine, every Debian package whose library a process
 *     mapped is IN_USE;</li>
 * <li>with cyclonedx-npm's SBOM and the full events, every npm package node loaded is IN_USE.</li>
 * </ul>
 * "Loaded" is decided here without Runlight's index: {@code dpkg -S} for Debian packages, the
 * package folder below {@code node_modules} for npm, the jar's file name for Maven, the
 * {@code RECORD} of the installed distribution for Python.
 */
@Tag("package-managers")
class TestRealProcesses
{
    private static final ImageDigest DIGEST = new ImageDigest("sha256:" + "5e".repeat(32));
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ImageAnalyzer ANALYZER = new ImageAnalyzer(AnalysisPolicy.withLearningWindow(Duration.ZERO));

    @TempDir
    static Path work;

    private static Path app;
    private static List<RealProcess> processes;
    private static List<RuntimeEvent> fullEvents;
    private static List<RuntimeEvent> mapsEvents;
    private static Set<String> loadedPaths;
    private static Set<String> mappedPaths;
    private static Set<String> stracedMappedPaths;

    @BeforeAll
    static void runTheProcesses()
            throws Exception
    {
        for (String tool : List.of("strace", "node", "npm", "python3", "java", "dpkg")) {
            assertThat(onPath(tool)).as("'%s' is needed on the PATH (.ci/run installs strace, python3-yaml and python3-requests)", tool).isTrue();
        }
        app = Files.createDirectories(work.resolve("app"));
        for (String file : List.of("package.json", "package-lock.json", "app.js")) {
            Files.write(app.resolve(file), resource("real-tools/app/" + file));
        }
        run(app, List.of("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"));

        Path probe = work.resolve("Probe.java");
        Files.writeString(probe, """
                public class Probe {
                    public static void main(String[] args) throws Exception {
                        Object tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\\"runlight\\": 1}");
                        System.out.println(tree == null ? "failed" : "ready");
                        System.out.flush();
                        while (System.in.read() >= 0) {
                        }
                    }
                }
                """);
        String jackson = String.join(":", jarOf(ObjectMapper.class), jarOf(JsonFactory.class), jarOf(JsonProperty.class));

        Path traces = Files.createDirectories(work.resolve("traces"));
        processes = List.of(
                RealProcess.run("node", app, List.of("node", "app.js"), traces),
                RealProcess.run("python", work, List.of("python3", "-c",
                        "import yaml, requests, ssl, sqlite3, sys; print('ready', flush=True); sys.stdin.read()"), traces),
                RealProcess.run("java", work, List.of("java", "-Xshare:off", "-cp", jackson, probe.toString()), traces));

        fullEvents = new ArrayList<>();
        mapsEvents = new ArrayList<>();
        loadedPaths = new TreeSet<>();
        mappedPaths = new TreeSet<>();
        stracedMappedPaths = new TreeSet<>();
        RuntimeEventReader reader = new RuntimeEventReader(InputLimits.DEFAULT);
        for (RealProcess process : processes) {
            StringBuilder ndjson = new StringBuilder();
            int index = 0;
            for (RealProcess.Observation observation : process.observations()) {
                ObjectNode event = JSON.createObjectNode()
                        .put("time", T0.plusMillis(index++).toString())
                        .put("cluster", "this-machine").put("namespace", "real").put("workloadKind", "Deployment")
                        .put("workloadName", process.name()).put("container", process.name())
                        .put("imageDigest", DIGEST.value())
                        .put("kind", observation.kind().wireName()).put("path", observation.path());
                if (!observation.process().isEmpty()) {
                    event.put("process", observation.process());
                }
                ndjson.append(JSON.writeValueAsString(event)).append('\n');
                if (observation.kind() == EvidenceKind.MMAP) {
                    mappedPaths.add(observation.path());
                    stracedMappedPaths.add(observation.path());
                }
            }
            EventBatch full = reader.read(new ByteArrayInputStream(ndjson.toString().getBytes(StandardCharsets.UTF_8)));
            assertThat(full.rejected()).as(process.name()).isZero();
            fullEvents.addAll(full.events());
            EventBatch maps = reader.readProcMaps(new ByteArrayInputStream(process.maps()), identity(process.name()), T0);
            assertThat(maps.rejected()).as(process.name()).isZero();
            mapsEvents.addAll(maps.events());
            maps.events().forEach(event -> mappedPaths.add(event.path()));
            loadedPaths.addAll(process.loadedPaths());
        }
        assertThat(loadedPaths).anyMatch(path -> path.startsWith(app.toString() + "/node_modules/express/"));
        assertThat(loadedPaths).anyMatch(path -> path.endsWith(".jar") && path.contains("jackson-databind"));
        // python reads the cached bytecode (yaml/__pycache__/__init__.cpython-3XX.pyc) rather than the source
        assertThat(loadedPaths).anyMatch(path -> path.contains("/yaml/") && (path.endsWith(".py") || path.endsWith(".pyc")));
        assertThat(mappedPaths).anyMatch(path -> path.endsWith("/libssl.so.3"));
    }

    @Test
    void trivyRootfsSbomOfThisMachine()
            throws IOException
    {
        Sbom sbom = sbom("real-tools/trivy-rootfs.cdx.json", "/");
        Set<String> debLoaded = dpkgOwners(loadedPaths);
        Set<String> debMapped = dpkgOwners(mappedPaths);
        assertThat(debMapped).contains("libc6", "libssl3");

        for (List<RuntimeEvent> events : List.of(fullEvents, mapsEvents)) {
            ImageInsights image = ANALYZER.analyze(sbom, List.of(reportOf(sbom)), events, T0.plusSeconds(60)).image();
            assertNoLoadedPackageIsNotInUse(image, pkg -> pkg.type() == PackageType.DEB && debLoaded.contains(pkg.name()));
            // what these events show mapped: strace's mmap calls, or the maps files (which also list what the kernel mapped)
            Set<String> mappedHere = events == mapsEvents ? dpkgOwners(mapsPaths()) : dpkgOwners(stracedMappedPaths);
            for (PackageInsight insight : image.packages()) {
                if (insight.pkg().type() == PackageType.DEB && mappedHere.contains(insight.pkg().name())) {
                    assertThat(insight.usage()).as("%s, mapped by a process", insight.pkg().name()).isEqualTo(Usage.IN_USE);
                }
            }
            assertEveryNotAffectedNeverRan(image, pkg -> pkg.type() == PackageType.DEB && debLoaded.contains(pkg.name()));
        }
    }

    @Test
    void npmProjectSboms()
    {
        for (String file : List.of("cyclonedx-npm.cdx.json", "npm-sbom.cdx.json", "npm-sbom.spdx.json", "cdxgen-npm.cdx.json", "cdxgen-npm-evidence.cdx.json")) {
            Sbom sbom = sbom("real-tools/" + file, app.toString());
            for (List<RuntimeEvent> events : List.of(fullEvents, mapsEvents)) {
                ImageInsights image = ANALYZER.analyze(sbom, List.of(reportOf(sbom)), events, T0.plusSeconds(60)).image();
                assertNoLoadedPackageIsNotInUse(image, TestRealProcesses::npmLoaded);
                assertEveryNotAffectedNeverRan(image, TestRealProcesses::npmLoaded);
                if (file.equals("cyclonedx-npm.cdx.json") && events == fullEvents) {
                    assertThat(image.packages()).filteredOn(insight -> npmLoaded(insight.pkg()))
                            .hasSizeGreaterThan(30)
                            .allSatisfy(insight -> assertThat(insight.usage()).as(insight.pkg().name()).isEqualTo(Usage.IN_USE));
                }
                if (events == mapsEvents) {
                    // a maps snapshot never sees a .js being read: nothing of node_modules can be judged
                    assertThat(image.packages()).filteredOn(insight -> insight.pkg().type() == PackageType.NPM)
                            .allSatisfy(insight -> assertThat(insight.usage()).as(file + " " + insight.pkg().name()).isEqualTo(Usage.UNKNOWN));
                }
            }
        }
    }

    @Test
    void sbomsWithoutFileEvidenceJudgeNothing()
    {
        // cdxgen's jar SBOM names temporary extractions, cdxgen's Python SBOM requirements.txt, the Maven plugin no file at all
        for (String file : List.of("cdxgen-jar.cdx.json", "cdxgen-python.cdx.json", "cyclonedx-maven.cdx.json")) {
            Sbom sbom = sbom("real-tools/" + file, "/");
            assertThat(sbom.packages()).as(file).isNotEmpty();
            for (List<RuntimeEvent> events : List.of(fullEvents, mapsEvents)) {
                ImageInsights image = ANALYZER.analyze(sbom, List.of(reportOf(sbom)), events, T0.plusSeconds(60)).image();
                assertNoLoadedPackageIsNotInUse(image, pkg -> true);
                assertThat(image.packages()).filteredOn(insight -> jarLoaded(insight.pkg())).allSatisfy(insight ->
                        assertThat(insight.reason()).contains("the SBOM records no files of this package (only a manifest or nothing), so an event could never be matched to it"));
                assertEveryNotAffectedNeverRan(image, pkg -> true);
            }
        }
    }

    private static void assertNoLoadedPackageIsNotInUse(ImageInsights image, java.util.function.Predicate<InstalledPackage> loaded)
    {
        for (PackageInsight insight : image.packages()) {
            if (loaded.test(insight.pkg())) {
                assertThat(insight.usage()).as("%s was loaded by a process", insight.pkg().purl()).isNotEqualTo(Usage.NOT_IN_USE);
            }
            if (insight.usage() == Usage.UNKNOWN) {
                assertThat(insight.reason()).as("%s is unknown", insight.pkg().purl()).isPresent();
            }
        }
    }

    private static void assertEveryNotAffectedNeverRan(ImageInsights image, java.util.function.Predicate<InstalledPackage> loaded)
    {
        Map<String, InstalledPackage> byPurl = new HashMap<>();
        image.packages().forEach(insight -> byPurl.put(insight.pkg().purl().toString(), insight.pkg()));
        VexDocuments vex = new VexDocuments(VexOptions.DEFAULT);
        try {
            JsonNode openVex = JSON.readTree(vex.toBytes(image, VexFormat.OPENVEX, T0));
            for (JsonNode statement : openVex.path("statements")) {
                if (statement.path("status").asText().equals("not_affected")) {
                    for (JsonNode product : statement.path("products")) {
                        for (JsonNode subcomponent : product.path("subcomponents")) {
                            InstalledPackage pkg = byPurl.get(subcomponent.path("@id").asText());
                            assertThat(pkg).as(subcomponent.toString()).isNotNull();
                            assertThat(loaded.test(pkg)).as("OpenVEX states %s not_affected", pkg.purl()).isFalse();
                        }
                    }
                }
            }
            JsonNode cycloneDx = JSON.readTree(vex.toBytes(image, VexFormat.CYCLONEDX, T0));
            Map<String, String> purlOfRef = new HashMap<>();
            for (JsonNode component : cycloneDx.path("components")) {
                purlOfRef.put(component.path("bom-ref").asText(), component.path("purl").asText());
            }
            for (JsonNode vulnerability : cycloneDx.path("vulnerabilities")) {
                if (vulnerability.path("analysis").path("state").asText().equals("not_affected")) {
                    for (JsonNode affected : vulnerability.path("affects")) {
                        InstalledPackage pkg = byPurl.get(purlOfRef.get(affected.path("ref").asText()));
                        assertThat(pkg).as(affected.toString()).isNotNull();
                        assertThat(loaded.test(pkg)).as("CycloneDX VEX states %s not_affected", pkg.purl()).isFalse();
                    }
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // npm: a loaded file inside the package's own folder, not in a package nested below it
    private static boolean npmLoaded(InstalledPackage pkg)
    {
        if (pkg.type() != PackageType.NPM) {
            return false;
        }
        String name = pkg.purl().namespace().map(namespace -> namespace + "/").orElse("") + pkg.purl().name();
        String folder = app + "/node_modules/" + name + "/";
        return loadedPaths.stream().anyMatch(path -> path.startsWith(folder) && !path.substring(folder.length()).contains("node_modules/"));
    }

    private static boolean jarLoaded(InstalledPackage pkg)
    {
        return pkg.type() == PackageType.MAVEN
                && loadedPaths.stream().anyMatch(path -> path.endsWith("/" + pkg.name() + "-" + pkg.version() + ".jar"));
    }

    private static Set<String> mapsPaths()
    {
        Set<String> paths = new TreeSet<>();
        mapsEvents.forEach(event -> paths.add(event.path()));
        return paths;
    }

    // one vulnerability per package, so that every verdict becomes a VEX statement
    private static VulnerabilityReport reportOf(Sbom sbom)
    {
        List<Finding> findings = new ArrayList<>();
        int number = 1;
        for (SbomPackage sbomPackage : sbom.packages()) {
            InstalledPackage pkg = sbomPackage.pkg();
            findings.add(new Finding(Vulnerability.of(String.format(Locale.ROOT, "CVE-2099-%05d", number++), Severity.HIGH),
                    new PackageCoordinates(Optional.of(pkg.purl()), pkg.name(), pkg.version(), Optional.of(pkg.type()))));
        }
        return new VulnerabilityReport(DocumentFormat.GRYPE_JSON, sbom.image(), findings);
    }

    private static Sbom sbom(String resource, String root)
    {
        try (InputStream in = new ByteArrayInputStream(resource(resource))) {
            return new SbomReader(InputLimits.DEFAULT).read(in, root).withImage(new GivenImage(DIGEST, Optional.empty()));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ContainerIdentity identity(String name)
    {
        return new ContainerIdentity(Optional.of("this-machine"), Optional.of("real"), Optional.of("Deployment"), Optional.of(name), Optional.empty(),
                Optional.of(name), Optional.empty(), Optional.empty(), Optional.of(DIGEST));
    }

    /** The Debian packages that own any of the paths, by {@code dpkg -S} (usrmerge aliases tried too). */
    static Set<String> dpkgOwners(Set<String> paths)
            throws IOException
    {
        List<String> candidates = new ArrayList<>();
        for (String path : paths) {
            candidates.add(path);
            if (path.startsWith("/usr/lib/")) {
                candidates.add(path.substring("/usr".length()));
            }
        }
        Set<String> owners = new TreeSet<>();
        for (int from = 0; from < candidates.size(); from += 200) {
            List<String> command = new ArrayList<>(List.of("dpkg", "-S"));
            command.addAll(candidates.subList(from, Math.min(candidates.size(), from + 200)));
            Process dpkg = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(dpkg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                dpkg.waitFor(60, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while asking dpkg", e);
            }
            for (String line : output.split("\n")) {
                int colon = line.indexOf(": ");
                if (colon > 0 && !line.startsWith("diversion")) {
                    for (String owner : line.substring(0, colon).split(", ")) {
                        owners.add(owner.contains(":") ? owner.substring(0, owner.indexOf(':')) : owner);
                    }
                }
            }
        }
        return owners;
    }

    private static void run(Path directory, List<String> command)
            throws IOException, InterruptedException
    {
        Path log = Files.createTempFile(work, "run", ".log");
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("%s did not finish", command).isTrue();
        assertThat(process.exitValue()).as("%s: %s", command, Files.readString(log)).isZero();
    }

    private static boolean onPath(String tool)
    {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).anyMatch(folder -> Files.isExecutable(Path.of(folder, tool)));
    }

    private static String jarOf(Class<?> type)
            throws Exception
    {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static byte[] resource(String path)
    {
        try (InputStream in = TestRealProcesses.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource '" + path + "'");
            }
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
