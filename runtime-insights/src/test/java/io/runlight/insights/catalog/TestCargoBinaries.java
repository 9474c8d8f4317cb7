package io.runlight.insights.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.Deflater;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.PackageType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rust crates from the {@code .dep-v0} section {@code cargo auditable} links into a binary:
 * a real ELF executable of this machine with the section put in by binutils' {@code objcopy},
 * as the linker would have, from a root folder and from image archives.
 */
class TestCargoBinaries
{
    // what cargo auditable 0.6 writes for a binary crate with a registry, a build-only and a path dependency
    private static final String DEPENDENCIES = """
            {"packages":[\
            {"name":"adler","version":"1.0.2","source":"crates.io"},\
            {"name":"cc","version":"1.0.83","source":"crates.io","kind":"build"},\
            {"name":"hello","version":"0.1.0","source":"local","dependencies":[0,1,3,4],"root":true},\
            {"name":"helper","version":"0.2.0","source":"local"},\
            {"name":"serde","version":"1.0.193","source":"crates.io","dependencies":[]}]}""";

    @TempDir
    static Path work;
    static Path root;
    static Catalog catalog;

    @BeforeAll
    static void buildTree()
            throws IOException
    {
        root = Files.createDirectories(work.resolve("root"));
        Files.createDirectories(root.resolve("usr/local/bin"));
        byte[] json = DEPENDENCIES.getBytes(StandardCharsets.UTF_8);
        // a small binary (only the Rust reader wants it) and one past Go's size threshold (both read it)
        auditable(root.resolve("usr/local/bin/hello"), zlib(json), 0);
        auditable(root.resolve("usr/local/bin/hello-big"), zlib(json), 300 * 1024);
        // hostile sections
        auditable(root.resolve("usr/local/bin/notzlib"), "{\"packages\":[]}".getBytes(StandardCharsets.UTF_8), 0);
        auditable(root.resolve("usr/local/bin/notjson"), zlib("#!/bin/sh\nrm -rf /\n".getBytes(StandardCharsets.UTF_8)), 0);
        byte[] full = zlib(json);
        auditable(root.resolve("usr/local/bin/truncated"), Arrays.copyOf(full, full.length / 2), 0);
        byte[] spaces = new byte[20 << 20];
        Arrays.fill(spaces, (byte) ' ');
        auditable(root.resolve("usr/local/bin/bomb"), zlib(spaces), 0);
        auditable(root.resolve("usr/local/bin/wrongtype"), zlib("{\"packages\":{\"name\":\"x\"}}".getBytes(StandardCharsets.UTF_8)), 0);
        auditable(root.resolve("usr/local/bin/nameless"), zlib("{\"packages\":[{\"version\":\"1.0.0\"},{\"name\":\"ok\",\"version\":\"1.0.0\"}]}".getBytes(StandardCharsets.UTF_8)), 0);
        // an ELF binary without the section: no crates, no warning
        Files.copy(Path.of("/usr/bin/true"), root.resolve("usr/local/bin/plain"));
        catalog = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogRootFolder(root, ImageIdentity.UNKNOWN);
    }

    @Test
    void everyRuntimeCrateIsOwnedThroughTheBinary()
    {
        assertThat(cargo(catalog)).containsExactly(
                "pkg:cargo/adler@1.0.2 owns [] at [/usr/local/bin/hello]",
                "pkg:cargo/adler@1.0.2 owns [] at [/usr/local/bin/hello-big]",
                "pkg:cargo/hello@0.1.0 owns [] at [/usr/local/bin/hello]",
                "pkg:cargo/hello@0.1.0 owns [] at [/usr/local/bin/hello-big]",
                "pkg:cargo/ok@1.0.0 owns [] at [/usr/local/bin/nameless]",
                "pkg:cargo/serde@1.0.193 owns [] at [/usr/local/bin/hello]",
                "pkg:cargo/serde@1.0.193 owns [] at [/usr/local/bin/hello-big]");
        assertThat(catalog.packages()).allMatch(sbomPackage -> sbomPackage.pkg().type() == PackageType.CARGO);
    }

    @Test
    void itsCycloneDxIsValidAndNamesTheBinaries()
            throws IOException
    {
        CycloneDxRoundTrip.assertValidAndReadBack(catalog);
    }

    @Test
    void hostileSectionsAreLeftOutWithAWarning()
    {
        assertThat(catalog.warnings()).containsExactlyInAnyOrder(
                "left out the Rust crates of '/usr/local/bin/bomb': its .dep-v0 section inflates to more than 16777216 bytes, the limit",
                "left out a Rust crate of '/usr/local/bin/nameless': it has no name and version ({\"version\":\"1.0.0\"})",
                "left out the Rust crates of '/usr/local/bin/notjson': its .dep-v0 section is not cargo auditable JSON (Unexpected character ('#' (code 35)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false'))",
                "left out the Rust crates of '/usr/local/bin/notzlib': its .dep-v0 section is not zlib data (incorrect header check)",
                "left out the Rust crates of '/usr/local/bin/truncated': its .dep-v0 section ends before its zlib data does",
                "left out the Rust crates of '/usr/local/bin/wrongtype': its .dep-v0 section has no \"packages\" array");
    }

    @Test
    void imageArchivesGiveTheSameCrates()
            throws IOException
    {
        // gzip: each binary is read into memory, where the Go and the Rust readers read it at random;
        // uncompressed: both read it at random inside the archive file. Neither copies a binary to the
        // temporary folder: a limit of 64 KiB on the files written there (hello-big has over 300 KiB) stops nothing
        CatalogLimits smallTemporaryFiles = new CatalogLimits(CatalogLimits.DEFAULT.maxEntries(), CatalogLimits.DEFAULT.maxUnpackedBytes(),
                CatalogLimits.DEFAULT.maxDepth(), CatalogLimits.DEFAULT.maxPathLength(), 64 * 1024, CatalogLimits.DEFAULT.maxArchiveEntryBytes(),
                CatalogLimits.DEFAULT.readerLimits());
        assertThat(Files.size(root.resolve("usr/local/bin/hello-big"))).isGreaterThan(300 * 1024);
        for (boolean gzip : List.of(true, false)) {
            Path archive = new ImageArchiveBuilder(Files.createDirectories(work.resolve("archive-" + gzip))).layer(root, gzip).dockerSave("example/rust:1");
            Catalog fromArchive = new Cataloger(smallTemporaryFiles, Optional.of(work)).catalogArchive(archive);
            assertThat(fromArchive.packages()).isEqualTo(catalog.packages());
            assertThat(fromArchive.warnings()).containsExactlyInAnyOrderElementsOf(catalog.warnings());
        }
    }

    // a copy of this machine's /usr/bin/true with the section added, as objcopy adds it
    private static void auditable(Path binary, byte[] section, int padding)
            throws IOException
    {
        Path data = Files.write(work.resolve(binary.getFileName() + ".dep-v0"), section);
        List<String> command = new java.util.ArrayList<>(List.of("objcopy", "--add-section", CargoBinaries.SECTION + "=" + data));
        if (padding > 0) {
            Path pad = Files.write(work.resolve(binary.getFileName() + ".pad"), new byte[padding]);
            command.addAll(List.of("--add-section", ".pad=" + pad));
        }
        command.addAll(List.of("/usr/bin/true", binary.toString()));
        ImageArchiveBuilder.run(command);
        assertThat(Files.isExecutable(binary)).isTrue();
    }

    private static byte[] zlib(byte[] bytes)
    {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(bytes);
        deflater.finish();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    private static List<String> cargo(Catalog catalog)
    {
        return catalog.packages().stream().filter(sbomPackage -> sbomPackage.pkg().type() == PackageType.CARGO).map(TestCargoBinaries::describe).toList();
    }

    private static String describe(SbomPackage sbomPackage)
    {
        return sbomPackage.pkg().purl() + " owns " + sbomPackage.ownedFiles() + " at " + sbomPackage.locations();
    }
}
