package io.runlight.insights.sbom;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.OsInfo;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Purl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TestDpkgDatabaseReader
{
    private static final String STATUS = """
            Package: libc6
            Status: install ok installed
            Priority: optional
            Section: libs
            Installed-Size: 12986
            Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
            Architecture: amd64
            Multi-Arch: same
            Source: glibc
            Version: 2.36-9+deb12u4
            Depends: libgcc-s1
            Description: GNU C Library: Shared libraries
             Contains the standard libraries that are used by nearly all programs on
             the system.
            Homepage: https://www.gnu.org/software/libc/libc.html

            Package: libc6
            Status: install ok installed
            Architecture: i386
            Multi-Arch: same
            Source: glibc
            Version: 2.36-9+deb12u4
            Description: GNU C Library: Shared libraries (i386)

            Package: bash
            Essential: yes
            Status: install ok installed
            Priority: required
            Architecture: amd64
            Multi-Arch: foreign
            Version: 5.2.15-2+b2
            Description: GNU Bourne Again SHell

            Package: vim-tiny
            Status: deinstall ok config-files
            Architecture: amd64
            Version: 2:9.0.1378-2
            Description: Vi IMproved - enhanced vi editor - compact version
            """;

    private final DpkgDatabaseReader reader = new DpkgDatabaseReader(InputLimits.DEFAULT);

    @Test
    void readsMultiArchDatabase(@TempDir Path root)
            throws IOException
    {
        write(root, "var/lib/dpkg/status", STATUS);
        write(root, "var/lib/dpkg/info/libc6:amd64.list", "/.\n/lib\n/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu/libc.so.6\n/usr/lib/x86_64-linux-gnu/gconv/UTF-16.so\n");
        write(root, "var/lib/dpkg/info/libc6:i386.list", "/.\n/lib/i386-linux-gnu/libc.so.6\n");
        write(root, "var/lib/dpkg/info/bash.list", "/.\n/bin\n/bin/bash\n/etc/bash.bashrc\n");
        write(root, "var/lib/dpkg/info/vim-tiny.list", "/usr/bin/vim.tiny\n");
        write(root, "usr/lib/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n");
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc/os-release"), Path.of("../usr/lib/os-release"));

        Sbom sbom = reader.read(root);

        assertThat(sbom.format()).isEqualTo(DocumentFormat.DPKG_DATABASE);
        assertThat(sbom.image()).isEqualTo(ImageIdentity.UNKNOWN);
        assertThat(sbom.os()).contains(new OsInfo("debian", "12", Optional.empty()));
        assertThat(sbom.packages()).containsExactly(
                new SbomPackage("libc6:amd64", new InstalledPackage(PackageType.DEB, "libc6", "2.36-9+deb12u4",
                        Purl.parse("pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64&distro=debian-12"), Optional.of(new OsInfo("debian", "12", Optional.of("amd64")))),
                        List.of("/lib", "/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/gconv/UTF-16.so"),
                        List.of("/var/lib/dpkg/status"), Optional.empty()),
                new SbomPackage("libc6:i386", new InstalledPackage(PackageType.DEB, "libc6", "2.36-9+deb12u4",
                        Purl.parse("pkg:deb/debian/libc6@2.36-9+deb12u4?arch=i386&distro=debian-12"), Optional.of(new OsInfo("debian", "12", Optional.of("i386")))),
                        List.of("/lib/i386-linux-gnu/libc.so.6"), List.of("/var/lib/dpkg/status"), Optional.empty()),
                new SbomPackage("bash:amd64", new InstalledPackage(PackageType.DEB, "bash", "5.2.15-2+b2",
                        Purl.parse("pkg:deb/debian/bash@5.2.15-2+b2?arch=amd64&distro=debian-12"), Optional.of(new OsInfo("debian", "12", Optional.of("amd64")))),
                        List.of("/bin", "/bin/bash", "/etc/bash.bashrc"), List.of("/var/lib/dpkg/status"), Optional.empty()));
    }

    @Test
    void neverFollowsLinksOutOfTheRoot(@TempDir Path root)
            throws IOException
    {
        Path image = root.resolve("image");
        write(image, "var/lib/dpkg/status", "Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2\n");
        write(root, "outside/secret.list", "/host/secret\n");
        write(root, "outside/os-release", "ID=hostos\nVERSION_ID=99\n");
        Files.createDirectories(image.resolve("var/lib/dpkg/info"));
        // absolute and relative links that would leave the image if followed naively
        Files.createSymbolicLink(image.resolve("var/lib/dpkg/info/bash.list"), root.resolve("outside/secret.list").toAbsolutePath());
        Files.createDirectories(image.resolve("etc"));
        Files.createSymbolicLink(image.resolve("etc/os-release"), Path.of("../../../../../outside/os-release"));

        Sbom sbom = reader.read(image);

        assertThat(sbom.os()).isEmpty();
        assertThat(sbom.packages()).hasSize(1);
        assertThat(sbom.packages().get(0).ownedFiles()).isEmpty();
        assertThat(sbom.packages().get(0).pkg().purl().toString()).isEqualTo("pkg:deb/bash@5.2?arch=amd64");
    }

    @Test
    void readsDistrolessStatusDirectory(@TempDir Path root)
            throws IOException
    {
        write(root, "var/lib/dpkg/status.d/libssl3", "Package: libssl3\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64\nSource: openssl\n");
        write(root, "var/lib/dpkg/status.d/libssl3.md5sums",
                "0c2c3a1e8b6f1c6a2a6b7d1d9f0e2b3c  usr/lib/x86_64-linux-gnu/libssl.so.3\n1d2c3a1e8b6f1c6a2a6b7d1d9f0e2b3c  usr/share/doc/libssl3/copyright\n");
        write(root, "var/lib/dpkg/status.d/base", "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n");
        write(root, "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");

        Sbom sbom = reader.read(root);

        assertThat(sbom.packages()).extracting(SbomPackage::id).containsExactly("base-files:amd64", "libssl3:amd64");
        assertThat(sbom.packages().get(1).ownedFiles()).containsExactly("/usr/lib/x86_64-linux-gnu/libssl.so.3", "/usr/share/doc/libssl3/copyright");
        assertThat(sbom.packages().get(1).locations()).containsExactly("/var/lib/dpkg/status.d/libssl3");
    }

    @Test
    void refusesMissingMalformedAndOversizedDatabases(@TempDir Path root)
            throws IOException
    {
        assertThatThrownBy(() -> reader.read(root))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.INVALID))
                .hasMessage("dpkg database at var/lib/dpkg/status: expected the dpkg status file (or var/lib/dpkg/status.d/) below '" + root.toAbsolutePath()
                        + "', found neither: not a Debian-family file system");

        write(root, "var/lib/dpkg/status", "Package: bash\nStatus: install ok installed\ngarbage line\n");
        assertThatThrownBy(() -> reader.read(root))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.MALFORMED))
                .hasMessage("dpkg database at var/lib/dpkg/status line 3: expected 'Field: value', found 'garbage line'");

        write(root, "var/lib/dpkg/status", "Status: install ok installed\nVersion: 1\n\nPackage: ../../etc\nVersion: 1\n");
        assertThatThrownBy(() -> reader.read(root))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.MALFORMED))
                .hasMessage("dpkg database at var/lib/dpkg/status line 1: expected a 'Package' field in the paragraph, found none");

        write(root, "var/lib/dpkg/status", "Package: ../../etc\nVersion: 1\n");
        assertThatThrownBy(() -> reader.read(root))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.INVALID))
                .hasMessage("dpkg database at var/lib/dpkg/status line 1: expected a Debian package name, found '../../etc'");

        write(root, "var/lib/dpkg/status", STATUS);
        assertThatThrownBy(() -> new DpkgDatabaseReader(new InputLimits(100, 64, 1024, 1000)).read(root))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.TOO_LARGE))
                .hasMessage("dpkg database at var/lib/dpkg/status: the file has " + STATUS.getBytes(StandardCharsets.UTF_8).length + " bytes, more than the limit of 100");

        write(root, "var/lib/dpkg/info/libc6:amd64.list", "/a\n/b\n/c\n");
        assertThatThrownBy(() -> new DpkgDatabaseReader(new InputLimits(1 << 20, 64, 1024, 3)).read(root))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.TOO_LARGE))
                .hasMessage("dpkg database at var/lib/dpkg/info/libc6:amd64.list: the document has more than 3 items (packages, files, relationships), the limit");

        write(root, "var/lib/dpkg/status", "Package: " + "a".repeat(2000) + "\n");
        assertThatThrownBy(() -> new DpkgDatabaseReader(new InputLimits(1 << 20, 64, 1024, 1000)).read(root))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.TOO_LARGE))
                .hasMessage("dpkg database at var/lib/dpkg/status line 1: the line is longer than the limit of 1024 characters");
    }

    @Test
    void agreesWithDpkgOnThisMachine()
            throws IOException, InterruptedException
    {
        assumeTrue(Files.isRegularFile(Path.of("/var/lib/dpkg/status")), "this machine has no dpkg database");
        Path libc = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
        assumeTrue(Files.exists(libc), "this machine has no x86_64 libc");
        String owner = dpkgSearch(libc.toString());
        assumeTrue(!owner.isEmpty(), "dpkg -S is not available");

        Sbom sbom = reader.read(Path.of("/"));

        // "libc6:amd64: /lib/x86_64-linux-gnu/libc.so.6"
        String ownerId = owner.substring(0, owner.indexOf(": "));
        assertThat(ownerId).startsWith("libc6");
        Map<String, SbomPackage> byId = sbom.packages().stream().collect(Collectors.toMap(SbomPackage::id, pkg -> pkg));
        SbomPackage libc6 = byId.get(ownerId.contains(":") ? ownerId : ownerId + ":amd64");
        assertThat(libc6).isNotNull();
        assertThat(libc6.ownedFiles()).containsAnyOf("/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6");
        assertThat(libc6.pkg().purl().type()).isEqualTo("deb");
        assertThat(libc6.pkg().purl().qualifier("arch")).contains("amd64");
        assertThat(sbom.os()).isPresent();

        // every file dpkg lists for the package, the reader lists too
        String listed = dpkgList(libc6.pkg().name() + ":" + libc6.pkg().purl().qualifier("arch").orElseThrow());
        List<String> dpkgFiles = listed.lines().filter(line -> line.startsWith("/") && !line.equals("/.")).sorted().distinct().toList();
        assertThat(libc6.ownedFiles()).containsExactlyElementsOf(dpkgFiles);
    }

    private static String dpkgSearch(String path)
            throws IOException, InterruptedException
    {
        return run("dpkg", "-S", path).lines().filter(line -> line.endsWith(": " + path)).findFirst().orElse("");
    }

    private static String dpkgList(String pkg)
            throws IOException, InterruptedException
    {
        return run("dpkg", "-L", pkg);
    }

    private static String run(String... command)
            throws IOException, InterruptedException
    {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(false).start();
        }
        catch (IOException e) {
            // no dpkg binary: the caller skips the comparison
            return "";
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return output;
    }

    static void write(Path root, String relative, String content)
            throws IOException
    {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
