package io.runlight.insights.catalog;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.PackageType;

import static io.runlight.insights.catalog.TestEcosystemCatalogers.output;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Go 1.13 to 1.17 build information: the {@code .go.buildinfo} header holds two pointers to Go
 * string headers ({data, length}) instead of the strings. The binary is a real one built by Go
 * 1.17.1: esbuild 0.12.29 as published on the npm registry ({@code esbuild-linux-64}, the same
 * registry the npm tests use), checked against what the Go toolchain's own {@code go version -m}
 * reads from it; the hostile variants are that binary with one number changed.
 */
@Tag("package-managers")
class TestGoBuildInfoBefore118
{
    private static final String PACKAGE = "esbuild-linux-64@0.12.29";

    @TempDir
    static Path work;
    static Path binary;
    static long buildInfoOffset;

    @BeforeAll
    static void fetchRealBinary()
            throws IOException
    {
        Path packed = Files.createDirectories(work.resolve("packed"));
        // npm's own cache: after the first run this reads no network
        output(List.of("npm", "pack", "--prefer-offline", PACKAGE, "--pack-destination", packed.toString()));
        output(List.of("tar", "-xzf", packed.resolve("esbuild-linux-64-0.12.29.tgz").toString(), "-C", packed.toString()));
        binary = packed.resolve("package/bin/esbuild");
        try (FileChannel channel = FileChannel.open(binary, StandardOpenOption.READ)) {
            ElfSections.Found section = (ElfSections.Found) ElfSections.find(new ChannelRegion(channel, 0, channel.size()), ".go.buildinfo");
            buildInfoOffset = section.offset();
        }
    }

    @Test
    void realGo117BinaryGivesWhatGoItselfReads()
            throws IOException
    {
        // flags byte 15 without bit 1: the strings are not inline, the pointer format
        assertThat(bytesAt(binary, buildInfoOffset + 15, 1)[0] & 2).isZero();
        GoBuildInfo.Info info = GoBuildInfo.read(binary).orElseThrow();
        assertThat(info.goVersion()).isEqualTo("go1.17.1");
        assertThat(info.modules()).containsExactly(
                new GoBuildInfo.Module("github.com/evanw/esbuild", "(devel)", true),
                new GoBuildInfo.Module("golang.org/x/sys", "v0.0.0-20210908233432-aa78b53d3365", false));
        // what the Go toolchain reads from the same file: "\tmod\t<path>\t<version>..." and "\tdep\t..." lines
        List<GoBuildInfo.Module> fromGo = new ArrayList<>();
        String goVersion = "";
        for (String line : output(List.of("go", "version", "-m", binary.toString())).split("\n")) {
            String[] fields = line.strip().split("\t");
            if (line.startsWith(binary + ": ")) {
                goVersion = line.substring(binary.toString().length() + 2).strip();
            }
            else if (fields[0].equals("mod") || fields[0].equals("dep")) {
                fromGo.add(new GoBuildInfo.Module(fields[1], fields[2], fields[0].equals("mod")));
            }
        }
        assertThat(info.goVersion()).isEqualTo(goVersion);
        assertThat(info.modules()).isEqualTo(fromGo);
    }

    @Test
    void catalogOfAFolderAndOfArchivesOwnsTheModulesThroughTheBinary()
            throws IOException
    {
        Path root = Files.createDirectories(work.resolve("root/usr/local/bin")).getParent().getParent().getParent();
        Files.copy(binary, root.resolve("usr/local/bin/esbuild"));
        Catalog catalog = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogRootFolder(root, ImageIdentity.UNKNOWN);
        assertThat(golang(catalog)).containsExactly(
                "pkg:golang/github.com/evanw/esbuild@%28devel%29 at [/usr/local/bin/esbuild]",
                "pkg:golang/golang.org/x/sys@v0.0.0-20210908233432-aa78b53d3365 at [/usr/local/bin/esbuild]",
                "pkg:golang/stdlib@1.17.1 at [/usr/local/bin/esbuild]");
        assertThat(catalog.warnings()).isEmpty();
        // gzip: the stream finds the pointer format, the binary is read again at random; uncompressed: read in place
        for (boolean gzip : List.of(true, false)) {
            Path archive = new ImageArchiveBuilder(Files.createDirectories(work.resolve("archive-" + gzip))).layer(root, gzip).dockerSave("example/esbuild:0.12");
            Catalog fromArchive = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogArchive(archive);
            assertThat(golang(fromArchive)).isEqualTo(golang(catalog));
            assertThat(fromArchive.warnings()).isEmpty();
        }
    }

    @Test
    void withoutItsSectionTableTheDataSegmentIsSearched()
            throws IOException
    {
        // as sstrip leaves a binary: no section header table, the program headers only
        byte[] bytes = Files.readAllBytes(binary);
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(0x28, 0).putShort(0x3c, (short) 0).putShort(0x3e, (short) 0);
        Path stripped = Files.write(work.resolve("esbuild-sstripped"), bytes);
        try (FileChannel channel = FileChannel.open(stripped, StandardOpenOption.READ)) {
            assertThat(ElfSections.find(new ChannelRegion(channel, 0, channel.size()), ".go.buildinfo")).isInstanceOf(ElfSections.Unlisted.class);
        }
        assertThat(GoBuildInfo.read(stripped)).isEqualTo(GoBuildInfo.read(binary));
    }

    @Test
    void hostilePointersAndTruncationsAreRefusedWithTheReason()
            throws IOException
    {
        long versionPointer = buildInfoOffset + 16;
        long modulesPointer = buildInfoOffset + 24;
        assertThat(problem(changed(1, buildInfoOffset + 14, 3))).isEqualTo("build information with pointers of 3 bytes (Go writes 4 or 8)");
        assertThat(problem(changed(8, versionPointer, 0x10))).isEqualTo("a string header at address 0x10, outside the file's segments");
        // the version's string header, found through the program headers: its length, then its data pointer
        long stringHeader = stringHeaderOffset(versionPointer);
        assertThat(problem(changed(8, stringHeader + 8, 1L << 40))).isEqualTo("a string of 1099511627776 bytes, more than the 1048576 build information has");
        assertThat(problem(changed(8, stringHeader + 8, -1))).isEqualTo("a string of 18446744073709551615 bytes, more than the 1048576 build information has");
        assertThat(problem(changed(8, stringHeader, 0x7fff_0000_0000L))).isEqualTo("a string at address 0x7fff00000000, outside the file's segments");
        assertThat(problem(changed(8, modulesPointer, 0xffff_ffff_ffff_fff0L))).isEqualTo("a string header at address 0xfffffffffffffff0, outside the file's segments");
        // cut right after the build information header: the section table and the strings are gone
        byte[] truncated = Arrays.copyOf(Files.readAllBytes(binary), (int) buildInfoOffset + 32);
        assertThat(problem(truncated)).matches("bytes \\d+ to \\d+ are outside the " + truncated.length + " bytes of the file");
        // and through the catalog: the binary is left out with a warning, never a guessed module
        Path root = Files.createDirectories(work.resolve("hostile-root/usr/local/bin")).getParent().getParent().getParent();
        Files.write(root.resolve("usr/local/bin/esbuild"), changed(8, versionPointer, 0x10));
        Files.setPosixFilePermissions(root.resolve("usr/local/bin/esbuild"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Catalog catalog = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogRootFolder(root, ImageIdentity.UNKNOWN);
        assertThat(golang(catalog)).isEmpty();
        assertThat(catalog.warnings()).containsExactly(
                "left out the Go build information of '/usr/local/bin/esbuild': a string header at address 0x10, outside the file's segments");
    }

    private static List<String> golang(Catalog catalog)
    {
        return catalog.packages().stream().filter(sbomPackage -> sbomPackage.pkg().type() == PackageType.GOLANG)
                .map(TestGoBuildInfoBefore118::describe).toList();
    }

    private static String describe(SbomPackage sbomPackage)
    {
        return sbomPackage.pkg().purl() + " at " + sbomPackage.locations();
    }

    // the file offset of the string header a pointer of the build information header points to
    private static long stringHeaderOffset(long pointerOffset)
            throws IOException
    {
        long address = ByteBuffer.wrap(bytesAt(binary, pointerOffset, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ByteBuffer elf = ByteBuffer.wrap(Files.readAllBytes(binary)).order(ByteOrder.LITTLE_ENDIAN);
        long programHeaders = elf.getLong(0x20);
        int count = Short.toUnsignedInt(elf.getShort(0x38));
        for (int i = 0; i < count; i++) {
            int base = (int) programHeaders + i * 56;
            long offset = elf.getLong(base + 8);
            long virtual = elf.getLong(base + 16);
            long size = elf.getLong(base + 32);
            if (elf.getInt(base) == 1 && address >= virtual && address < virtual + size) {
                return offset + address - virtual;
            }
        }
        throw new AssertionError("the pointer leads outside the loadable segments");
    }

    private static byte[] bytesAt(Path file, long offset, int length)
            throws IOException
    {
        return Arrays.copyOfRange(Files.readAllBytes(file), (int) offset, (int) offset + length);
    }

    // the real binary with a little-endian number of 1 or 8 bytes changed
    private static byte[] changed(int size, long offset, long value)
            throws IOException
    {
        byte[] bytes = Files.readAllBytes(binary);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (size == 8) {
            buffer.putLong((int) offset, value);
        }
        else {
            buffer.put((int) offset, (byte) value);
        }
        return bytes;
    }

    private static String problem(byte[] elf)
            throws IOException
    {
        Path file = Files.write(Files.createTempFile(work, "go", ".elf"), elf);
        try {
            return GoBuildInfo.read(file).map(info -> "read: " + info).orElse("nothing read");
        }
        catch (EOFException e) {
            return e.getMessage();
        }
    }
}
