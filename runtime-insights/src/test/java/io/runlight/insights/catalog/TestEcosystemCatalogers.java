package io.runlight.insights.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.PackageType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each language cataloger on output of the real package managers (see {@link RealPackageTrees}),
 * from a root folder and from the same tree saved as an image archive.
 */
@Tag("package-managers")
class TestEcosystemCatalogers
{
    @TempDir
    static Path work;
    static Path root;
    static Catalog catalog;

    @BeforeAll
    static void buildTree()
            throws IOException
    {
        root = Files.createDirectories(work.resolve("root"));
        RealPackageTrees.python(root);
        // bytecode the interpreter writes after the install (optimised, so RECORD cannot list it)
        ImageArchiveBuilder.run(List.of("env", "-u", "PYTHONDONTWRITEBYTECODE", root.resolve(RealPackageTrees.VENV + "/bin/python").toString(), "-OO", "-c", "import pip"));
        RealPackageTrees.npm(root, work);
        RealPackageTrees.copy(RealPackageTrees.mavenJar("com.fasterxml.jackson.core", "jackson-core", "2.21.0"), root.resolve("app/lib/jackson-core-2.21.0.jar"));
        RealPackageTrees.fatJar(root.resolve("app/shop.jar"), RealPackageTrees.mavenJar("com.fasterxml.jackson.core", "jackson-databind", "2.21.0"));
        RealPackageTrees.goBinary(root, work);
        catalog = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogRootFolder(root, ImageIdentity.UNKNOWN);
    }

    @Test
    void pythonDistributionsAreWhatPipListsWithTheirFilesAndBytecode()
            throws IOException
    {
        Path python = root.resolve(RealPackageTrees.VENV + "/bin/python");
        JsonNode pipList = new ObjectMapper().readTree(output(List.of(python.toString(), "-m", "pip", "list", "--format=json", "--disable-pip-version-check")));
        Map<String, String> expected = new TreeMap<>();
        pipList.forEach(entry -> expected.put(entry.path("name").asText(), entry.path("version").asText()));
        Map<String, String> found = new TreeMap<>();
        packages(PackageType.PYPI).forEach(sbomPackage -> found.put(sbomPackage.pkg().name(), sbomPackage.pkg().version()));
        assertThat(found).isEqualTo(expected).containsKey("pip");

        String sitePackages = sitePackages();
        SbomPackage pip = only(PackageType.PYPI, "pip");
        assertThat(pip.pkg().purl().toString()).isEqualTo("pkg:pypi/pip@" + expected.get("pip"));
        assertThat(pip.ownedFiles())
                .contains(sitePackages + "/pip/__init__.py", "/" + RealPackageTrees.VENV + "/bin/pip", sitePackages + "/pip/__pycache__/__init__.cpython-311.pyc")
                .contains(sitePackages + "/pip/__pycache__/__init__.cpython-311.opt-2.pyc")
                .noneMatch(path -> path.contains("/setuptools/"));
        assertThat(pip.locations()).containsExactly(sitePackages + "/pip-" + expected.get("pip") + ".dist-info/METADATA");
    }

    @Test
    void npmPackagesAreEveryInstalledFolderAndTheInnermostOwnsAFile()
    {
        String modules = "/" + RealPackageTrees.APP + "/node_modules";
        Map<String, String> found = new TreeMap<>();
        packages(PackageType.NPM).forEach(sbomPackage -> found.put(sbomPackage.locations().get(0), sbomPackage.pkg().purl().toString()));
        assertThat(found).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                modules + "/@acme/util/package.json", "pkg:npm/%40acme/util@2.1.0",
                modules + "/dep/package.json", "pkg:npm/dep@2.0.0",
                modules + "/pad/package.json", "pkg:npm/pad@1.0.0",
                modules + "/withbundle/node_modules/dep/package.json", "pkg:npm/dep@1.0.0",
                modules + "/withbundle/package.json", "pkg:npm/withbundle@1.0.0")));
        SbomPackage withBundle = packages(PackageType.NPM).filter(sbomPackage -> sbomPackage.pkg().name().equals("withbundle")).findFirst().orElseThrow();
        assertThat(withBundle.ownedFiles()).contains(modules + "/withbundle/index.js", modules + "/withbundle/package.json")
                .noneMatch(path -> path.contains("/withbundle/node_modules/"));
        SbomPackage bundled = packages(PackageType.NPM).filter(sbomPackage -> sbomPackage.pkg().version().equals("1.0.0") && sbomPackage.pkg().name().equals("dep")).findFirst().orElseThrow();
        assertThat(bundled.ownedFiles()).containsExactly(modules + "/withbundle/node_modules/dep/index.js", modules + "/withbundle/node_modules/dep/package.json");
        SbomPackage util = packages(PackageType.NPM).filter(sbomPackage -> sbomPackage.pkg().name().equals("@acme/util")).findFirst().orElseThrow();
        assertThat(util.ownedFiles()).containsExactly(modules + "/@acme/util/index.js", modules + "/@acme/util/lib/extra.js", modules + "/@acme/util/package.json");
    }

    @Test
    void excludedFoldersAreNotWalked()
    {
        String modules = "/" + RealPackageTrees.APP + "/node_modules";
        Catalog without = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogRootFolder(root, ImageIdentity.UNKNOWN, Set.of(modules + "/withbundle"));

        assertThat(without.packages().stream().filter(sbomPackage -> sbomPackage.pkg().type() == PackageType.NPM).map(sbomPackage -> sbomPackage.pkg().purl().toString()))
                .containsExactlyInAnyOrder("pkg:npm/%40acme/util@2.1.0", "pkg:npm/dep@2.0.0", "pkg:npm/pad@1.0.0");
        assertThat(without.packages().size()).isEqualTo(catalog.packages().size() - 2);
    }

    @Test
    void jarsHaveTheirCoordinatesAndNestedJarsAreOwnedThroughTheOuterJar()
    {
        assertThat(packages(PackageType.MAVEN).map(TestEcosystemCatalogers::describe)).containsExactly(
                "pkg:maven/com.example/shop@1.4.0 owns [/app/shop.jar] at [/app/shop.jar]",
                "pkg:maven/com.fasterxml.jackson.core/jackson-core@2.21.0 owns [/app/lib/jackson-core-2.21.0.jar] at [/app/lib/jackson-core-2.21.0.jar]",
                "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.21.0 owns [] at [/app/shop.jar] nested in /app/shop.jar");
    }

    @Test
    void goBinaryGivesItsModulesAndTheStandardLibrary()
    {
        String goVersion = output(List.of("go", "env", "GOVERSION")).strip();
        String binary = "/" + RealPackageTrees.GO_BINARY;
        assertThat(packages(PackageType.GOLANG).map(TestEcosystemCatalogers::describe)).containsExactly(
                "pkg:golang/example.com/greet@v1.2.3 owns [] at [" + binary + "]",
                "pkg:golang/example.com/hello@%28devel%29 owns [] at [" + binary + "]",
                "pkg:golang/stdlib@" + goVersion.substring(2) + " owns [] at [" + binary + "]");
    }

    @Test
    void theSameTreeAsAnImageArchiveGivesTheSameCatalog()
            throws IOException
    {
        // gzip: jars and binaries read as streams; uncompressed: read at random inside the archive file
        for (boolean gzip : List.of(true, false)) {
            Path archive = new ImageArchiveBuilder(Files.createDirectories(work.resolve("archive-" + gzip))).layer(root, gzip).dockerSave("example/everything:1");
            Catalog fromArchive = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogArchive(archive);
            assertThat(fromArchive.packages().stream().map(TestEcosystemCatalogers::describe))
                    .containsExactlyElementsOf(catalog.packages().stream().map(TestEcosystemCatalogers::describe).toList());
            assertThat(fromArchive.packages()).isEqualTo(catalog.packages());
            assertThat(fromArchive.warnings()).isEmpty();
        }
    }

    @Test
    void itsCycloneDxIsValidAgainstTheCycloneDx16Schema()
            throws IOException
    {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        new CycloneDxCatalogWriter("0.1.0").write(catalog, out);
        assertThat(new org.cyclonedx.parsers.JsonParser().validate(out.toByteArray(), org.cyclonedx.Version.VERSION_16)).isEmpty();
        // and the engine's reader takes Runlight's occurrences as owned files (binaries and outer jars as locations)
        io.runlight.insights.sbom.Sbom sbom = new io.runlight.insights.sbom.CycloneDxJsonReader(io.runlight.insights.input.InputLimits.DEFAULT)
                .read(new java.io.ByteArrayInputStream(out.toByteArray()));
        Map<String, String> readBack = new TreeMap<>();
        sbom.packages().forEach(sbomPackage -> readBack.put(sbomPackage.pkg().purl().toString(), ownership(sbomPackage)));
        Map<String, String> written = new TreeMap<>();
        catalog.packages().forEach(sbomPackage -> written.put(sbomPackage.pkg().purl().toString(), ownership(sbomPackage)));
        assertThat(readBack).isEqualTo(written);
    }

    @Test
    void jarsOfTheLocalMavenRepositoryAreFoundWithTheirCoordinates()
    {
        Path repository = Path.of(System.getProperty("user.home"), ".m2", "repository");
        Catalog maven = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogRootFolder(repository, ImageIdentity.UNKNOWN);
        Map<String, SbomPackage> ownByJar = new TreeMap<>();
        maven.packages().stream().filter(sbomPackage -> sbomPackage.nestedIn().isEmpty() && sbomPackage.pkg().type() == PackageType.MAVEN)
                .forEach(sbomPackage -> ownByJar.put(sbomPackage.locations().get(0), sbomPackage));
        List<String> checked = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, SbomPackage> entry : ownByJar.entrySet()) {
            // <group path>/<artifact>/<version>/<artifact>-<version>.jar (no classifier)
            String[] segments = entry.getKey().substring(1).split("/");
            if (segments.length < 4) {
                continue;
            }
            String version = segments[segments.length - 2];
            String artifact = segments[segments.length - 3];
            if (!segments[segments.length - 1].equals(artifact + "-" + version + ".jar")) {
                continue;
            }
            String group = String.join(".", List.of(segments).subList(0, segments.length - 3));
            checked.add(entry.getKey());
            String expected = "pkg:maven/" + group + "/" + artifact + "@" + version;
            if (!entry.getValue().pkg().purl().toString().equals(expected)) {
                wrong.add(entry.getKey() + " -> " + entry.getValue().pkg().purl() + " (expected " + expected + ")");
            }
        }
        assertThat(checked).hasSizeGreaterThan(50);
        assertThat(wrong).as("%d of %d jars", wrong.size(), checked.size()).isEmpty();
    }

    private static String sitePackages()
    {
        try (Stream<Path> versions = Files.list(root.resolve(RealPackageTrees.VENV + "/lib"))) {
            return "/" + RealPackageTrees.VENV + "/lib/" + versions.findFirst().orElseThrow().getFileName() + "/site-packages";
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Stream<SbomPackage> packages(PackageType type)
    {
        return catalog.packages().stream().filter(sbomPackage -> sbomPackage.pkg().type() == type);
    }

    private static SbomPackage only(PackageType type, String name)
    {
        List<SbomPackage> matches = packages(type).filter(sbomPackage -> sbomPackage.pkg().name().equals(name)).collect(Collectors.toList());
        assertThat(matches).hasSize(1);
        return matches.get(0);
    }

    // what the ownership index is built from: owned files, else the places (binary, outer jar) a package is found in
    private static String ownership(SbomPackage sbomPackage)
    {
        return sbomPackage.pkg().purl() + " owns " + sbomPackage.ownedFiles()
                + (sbomPackage.ownedFiles().isEmpty() ? " at " + sbomPackage.locations() : "")
                + sbomPackage.nestedIn().map(outer -> " nested in " + outer).orElse("");
    }

    private static String describe(SbomPackage sbomPackage)
    {
        return sbomPackage.pkg().purl() + " owns " + sbomPackage.ownedFiles() + " at " + sbomPackage.locations()
                + sbomPackage.nestedIn().map(outer -> " nested in " + outer).orElse("");
    }

    static String output(List<String> command)
    {
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
            return out;
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
