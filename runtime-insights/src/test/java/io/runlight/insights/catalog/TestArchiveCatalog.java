package io.runlight.insights.catalog;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.sbom.CycloneDxJsonReader;
import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.OsInfo;

import static io.runlight.insights.catalog.ImageArchiveBuilder.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestArchiveCatalog
{
    private static final String STATUS = """
            Package: hello
            Status: install ok installed
            Architecture: amd64
            Version: 2.10-3
            Description: example package based on GNU hello

            """;
    // regular files and links the two layers leave: the whiteout hides /tmp/gone.txt, the opaque
    // folder hides a.txt and b.txt, lib/added.so lands in /usr/lib through the /lib link
    private static final List<String> EXPECTED_FILES = List.of(
            "/etc/os-release",
            "/lib",
            "/opt/data/c.txt",
            "/usr/bin/hello",
            "/usr/lib/added.so",
            "/usr/lib/x.so",
            "/usr/share/doc/hello/copyright",
            "/var/lib/dpkg/info/hello.list",
            "/var/lib/dpkg/status");

    @TempDir
    Path work;

    @Test
    void dockerSaveWithWhiteoutAndOpaqueFolderGivesExactlyTheFinalFiles()
            throws IOException
    {
        Path archive = twoLayers(false).dockerSave("example/hello:2.10");
        try (ArchiveFiles files = ArchiveFiles.open(archive, CatalogLimits.DEFAULT, ExtractionFolder.create(work, 1 << 20))) {
            assertThat(regularFilesAndLinks(files.tree())).containsExactlyElementsOf(EXPECTED_FILES);
            assertThat(files.tree().node("/usr/bin/hello").layer()).isEqualTo(1);
            assertThat(files.identity().names()).containsExactly("example/hello:2.10");
            assertThat(files.identity().digests()).hasSize(1);
        }
    }

    @Test
    void catalogOfDockerSaveHasTheDebianPackageWithItsFilesAndTheImage()
            throws IOException
    {
        Path archive = twoLayers(true).dockerSave("example/hello:2.10");
        Path scratchParent = Files.createDirectory(work.resolve("scratch"));
        Catalog catalog = new Cataloger(CatalogLimits.DEFAULT, Optional.of(scratchParent)).catalogArchive(archive);

        assertThat(catalog.os()).contains(new OsInfo("debian", "12", Optional.empty()));
        assertThat(catalog.packages()).hasSize(1);
        SbomPackage hello = catalog.packages().get(0);
        assertThat(hello.pkg().purl().toString()).isEqualTo("pkg:deb/debian/hello@2.10-3?arch=amd64&distro=debian-12");
        assertThat(hello.ownedFiles()).containsExactly("/usr/bin/hello", "/usr/share/doc/hello/copyright");
        assertThat(catalog.image().names()).containsExactly("example/hello:2.10");
        assertThat(catalog.warnings()).isEmpty();
        // the temporary folder is gone, and nothing else was left beside it
        try (Stream<Path> left = Files.list(scratchParent)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void ociLayoutFolderAndTarGiveTheSameFilesAndTheManifestDigest()
            throws IOException
    {
        ImageArchiveBuilder builder = twoLayers(true);
        Path folder = builder.ociLayout("registry.example/hello:1.0");
        Path tar = builder.ociTar("registry.example/hello:1.0");
        for (Path archive : List.of(folder, tar)) {
            try (ArchiveFiles files = ArchiveFiles.open(archive, CatalogLimits.DEFAULT, ExtractionFolder.create(work, 1 << 20))) {
                assertThat(regularFilesAndLinks(files.tree())).containsExactlyElementsOf(EXPECTED_FILES);
                assertThat(files.identity().names()).containsExactly("registry.example/hello:1.0");
                // config digest first (Docker's image ID), then the manifest digest
                assertThat(files.identity().digests()).hasSize(2);
            }
        }
    }

    @Test
    void cycloneDxOfTheCatalogReadsBackWithOwnershipImageAndDistro()
            throws IOException
    {
        Path archive = twoLayers(false).dockerSave("example/hello:2.10");
        Catalog catalog = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogArchive(archive);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CycloneDxCatalogWriter("0.1.0").write(catalog, out);

        Sbom sbom = new CycloneDxJsonReader(InputLimits.DEFAULT).read(new ByteArrayInputStream(out.toByteArray()));
        assertThat(sbom.image().digests()).isEqualTo(catalog.image().digests());
        assertThat(sbom.image().names()).containsExactly("example/hello:2.10");
        assertThat(sbom.os()).contains(new OsInfo("debian", "12", Optional.empty()));
        assertThat(sbom.packages()).singleElement().satisfies(hello -> {
            assertThat(hello.pkg().purl().toString()).isEqualTo("pkg:deb/debian/hello@2.10-3?arch=amd64&distro=debian-12");
            assertThat(hello.ownedFiles()).containsExactly("/usr/bin/hello", "/usr/share/doc/hello/copyright");
        });
    }

    @Test
    void memberWithDotDotIsRefused()
            throws IOException
    {
        Path layer = Files.createDirectories(work.resolve("evil/x"));
        Files.writeString(layer.resolve("evil"), "x");
        Path archive = new ImageArchiveBuilder(work).layer(work.resolve("evil"), false, "-P", "--transform", "s,^\\./x/evil,../../evil,").dockerSave("evil:1");
        assertThatThrownBy(() -> new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogArchive(archive))
                .isInstanceOf(InputException.class)
                .hasMessageMatching("image archive at layer 1 \\([0-9a-f]{64}/layer.tar\\): the member '../../evil' has a '..' segment, which would reach outside the image root");
    }

    @Test
    void absoluteMemberNameIsRefused()
            throws IOException
    {
        Path layer = Files.createDirectories(work.resolve("evil/x"));
        Files.writeString(layer.resolve("evil"), "x");
        Path archive = new ImageArchiveBuilder(work).layer(work.resolve("evil"), false, "-P", "--transform", "s,^\\./x/evil,/etc/evil,").dockerSave("evil:1");
        assertThatThrownBy(() -> new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogArchive(archive))
                .isInstanceOf(InputException.class)
                .hasMessageEndingWith(": the member '/etc/evil' has an absolute name; a layer's names are relative to the image root");
    }

    @Test
    void linksLeadingOutsideTheImageStayInsideIt()
            throws IOException
    {
        // the host has /etc/os-release (Debian); the image's link to it must not reach it
        Path base = Files.createDirectories(work.resolve("links"));
        Files.createDirectories(base.resolve("usr/lib"));
        Files.createSymbolicLink(base.resolve("usr/lib/os-release"), Path.of("../../../../../../../../etc/os-release"));
        Files.createSymbolicLink(base.resolve("escape"), Path.of("/tmp/runlight-escape-" + ProcessHandle.current().pid()));
        Path second = Files.createDirectories(work.resolve("through-link/escape/var/lib/dpkg"));
        Files.writeString(second.resolve("status"), STATUS);
        Path archive = new ImageArchiveBuilder(work).layer(base, false).layer(work.resolve("through-link"), false).dockerSave("links:1");

        Catalog catalog = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogArchive(archive);

        assertThat(catalog.os()).isEmpty();
        assertThat(Path.of("/tmp/runlight-escape-" + ProcessHandle.current().pid())).doesNotExist();
        // the status file went where the link leads, inside the image: /tmp/runlight-escape-<pid>/var/lib/dpkg/status
        assertThat(catalog.packages()).isEmpty();
    }

    @Test
    void limitsStopLargeDeepAndCrowdedArchives()
            throws IOException
    {
        Path archive = twoLayers(false).dockerSave("example/hello:2.10");
        CatalogLimits tinyBytes = new CatalogLimits(1000, 100, 128, 4096, 1 << 20, 1 << 20, InputLimits.DEFAULT);
        assertThatThrownBy(() -> new Cataloger(tinyBytes, Optional.of(work)).catalogArchive(archive))
                .isInstanceOf(InputException.class)
                .hasMessageMatching("tar archive at layer 1 \\(.*\\): the layers hold more than 100 bytes unpacked, the limit \\(at '.*'\\)");
        CatalogLimits fewEntries = new CatalogLimits(5, 1 << 30, 128, 4096, 1 << 20, 1 << 20, InputLimits.DEFAULT);
        assertThatThrownBy(() -> new Cataloger(fewEntries, Optional.of(work)).catalogArchive(archive))
                .isInstanceOf(InputException.class)
                .hasMessageMatching("image archive at layer 1 \\(.*\\): the layers have more than 5 entries, the limit");
        CatalogLimits shallow = new CatalogLimits(1000, 1 << 30, 8, 4096, 1 << 20, 1 << 20, InputLimits.DEFAULT);
        Path deep = Files.createDirectories(work.resolve("deep/a/b/c/d/e/f/g/h/i"));
        Files.writeString(deep.resolve("file"), "x");
        Path deepArchive = new ImageArchiveBuilder(Files.createDirectories(work.resolve("deep-work"))).layer(work.resolve("deep"), false).dockerSave("deep:1");
        assertThatThrownBy(() -> new Cataloger(shallow, Optional.of(work)).catalogArchive(deepArchive))
                .isInstanceOf(InputException.class)
                .hasMessageEndingWith(": the member './a/b/c/d/e/f/g/h/i/' is 9 folders deep, more than the limit of 8");
        CatalogLimits smallFiles = new CatalogLimits(1000, 1 << 30, 128, 4096, 10, 1 << 20, InputLimits.DEFAULT);
        assertThatThrownBy(() -> new Cataloger(smallFiles, Optional.of(work)).catalogArchive(archive))
                .isInstanceOf(InputException.class)
                .hasMessage("image archive at /etc/os-release: the file has more than 10 bytes, the limit for a package database or metadata file");
    }

    @Test
    void truncatedCorruptAndForeignArchivesAreRefused()
            throws IOException
    {
        Path archive = twoLayers(false).dockerSave("example/hello:2.10");
        byte[] bytes = Files.readAllBytes(archive);
        Path truncated = work.resolve("truncated.tar");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2 + 100));
        assertThatThrownBy(() -> new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogArchive(truncated))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("truncated");

        Path text = work.resolve("notes.txt");
        Files.writeString(text, "x".repeat(2000));
        assertThatThrownBy(() -> new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogArchive(text))
                .isInstanceOf(InputException.class)
                .hasMessage("tar archive at notes.txt: the header after '' is not a tar header (no valid checksum field)");

        Path plainTar = work.resolve("plain.tar");
        ImageArchiveBuilder.run(List.of("tar", "-C", work.resolve("base").toString(), "-cf", plainTar.toString(), "."));
        assertThatThrownBy(() -> new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogArchive(plainTar))
                .isInstanceOf(InputException.class)
                .hasMessage("image archive at plain.tar: expected a docker save archive (manifest.json) or an OCI image layout (index.json), found neither");

        Path zstd = work.resolve("zstd-layer");
        Files.write(zstd, new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0});
        Path zstdArchive = new ImageArchiveBuilder(Files.createDirectories(work.resolve("zstd-work"))).layerFile(zstd).dockerSave("zstd:1");
        assertThatThrownBy(() -> new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogArchive(zstdArchive))
                .isInstanceOf(InputException.class)
                .hasMessageEndingWith("the layer is compressed with zstd, which Runlight does not read; save the image with gzip or uncompressed layers (docker save does)");
    }

    @Test
    void brokenMetadataLeavesOnePackageOutWithAWarning()
            throws IOException
    {
        Path root = Files.createDirectories(work.resolve("broken"));
        write(root, "app/lib/bad-1.0.jar", "this is not a zip file at all");
        write(root, "srv/node_modules/broken/package.json", "{\"name\": \"broken\", \"version\": ");
        write(root, "srv/node_modules/fine/package.json", "{\"name\": \"fine\", \"version\": \"1.0.0\"}");
        Catalog catalog = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogRootFolder(root, ImageIdentity.UNKNOWN);
        assertThat(catalog.packages()).extracting(sbomPackage -> sbomPackage.pkg().purl().toString()).containsExactly("pkg:npm/fine@1.0.0");
        assertThat(catalog.warnings()).hasSize(2);
        assertThat(catalog.warnings().get(0)).isEqualTo("left out the Java archive '/app/lib/bad-1.0.jar': not a valid zip (no zip entries in '/app/lib/bad-1.0.jar')");
        assertThat(catalog.warnings().get(1)).startsWith("left out the npm package '/srv/node_modules/broken': its package.json is not valid JSON (Unexpected end-of-input");
    }

    private ImageArchiveBuilder twoLayers(boolean gzipSecond)
            throws IOException
    {
        Path base = Files.createDirectories(work.resolve("base"));
        write(base, "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
        write(base, "var/lib/dpkg/status", STATUS);
        write(base, "var/lib/dpkg/info/hello.list", "/.\n/usr\n/usr/bin\n/usr/bin/hello\n/usr/share\n/usr/share/doc\n/usr/share/doc/hello\n/usr/share/doc/hello/copyright\n");
        write(base, "usr/bin/hello", "v1");
        write(base, "usr/share/doc/hello/copyright", "GPL");
        write(base, "opt/data/a.txt", "a");
        write(base, "opt/data/b.txt", "b");
        write(base, "tmp/gone.txt", "gone");
        write(base, "usr/lib/x.so", "x");
        Files.createSymbolicLink(base.resolve("lib"), Path.of("usr/lib"));

        Path top = Files.createDirectories(work.resolve("top"));
        write(top, "tmp/.wh.gone.txt", "");
        write(top, "opt/data/.wh..wh..opq", "");
        write(top, "opt/data/c.txt", "c");
        write(top, "usr/bin/hello", "v2");
        // as a layer diff has it: "lib/added.so" with no "lib/" folder member, so it goes where the link leads
        write(top, "via/added.so", "added");
        return new ImageArchiveBuilder(Files.createDirectories(work.resolve("build"))).layer(base, false)
                .layer(top, gzipSecond, "--transform", "s,^\\./via/,./lib/,");
    }

    private static List<String> regularFilesAndLinks(FileTree tree)
    {
        return tree.all().entrySet().stream()
                .filter(entry -> entry.getValue().kind() != FileNode.Kind.DIRECTORY)
                .map(Map.Entry::getKey)
                .collect(Collectors.toList());
    }
}
