package io.runlight.insights.sbom;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.OsInfo;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Purl;

import static io.runlight.insights.sbom.TestDpkgDatabaseReader.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestApkDatabaseReader
{
    // lib/apk/db/installed as apk 2.12 writes it on Alpine 3.17 (checksums shortened)
    private static final String INSTALLED = """
            C:Q1Jy2qTGK7RTUj4ZzZhVBp2LvWzHA=
            P:musl
            V:1.2.3-r4
            A:x86_64
            S:383152
            I:622592
            T:the musl c library (libc) implementation
            U:https://musl.libc.org/
            L:MIT
            o:musl
            m:Timo Teräs <timo.teras@iki.fi>
            t:1669995600
            c:f93af038c3de3ab1e65086b9bd2b1f0bcbaa4f0e
            p:so:libc.musl-x86_64.so.1=1
            F:lib
            R:ld-musl-x86_64.so.1
            a:0:0:755
            Z:Q1N2AT2jMGkwQ5aDd2ld1bhXFwCjE=
            R:libc.musl-x86_64.so.1
            a:0:0:777
            Z:Q17yJ3JFNypA4mxhJJr0ou6CzsJVI=

            C:Q1yQqEUZb9S2VxF6UotCSSDsG86tg=
            P:busybox-binsh
            V:1.35.0-r29
            A:x86_64
            o:busybox
            D:busybox=1.35.0-r29
            F:bin
            R:sh
            a:0:0:777
            Z:Q1pcfTfDNEbNKQc2s1tia7da05M8Q=

            """;

    private final ApkDatabaseReader reader = new ApkDatabaseReader(InputLimits.DEFAULT);

    @Test
    void readsInstalledDatabase(@TempDir Path root)
            throws IOException
    {
        write(root, "lib/apk/db/installed", INSTALLED);
        write(root, "etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.17.2\nPRETTY_NAME=\"Alpine Linux v3.17\"\n");

        Sbom sbom = reader.read(root);

        assertThat(sbom.format()).isEqualTo(DocumentFormat.APK_DATABASE);
        assertThat(sbom.os()).contains(new OsInfo("alpine", "3.17.2", Optional.empty()));
        OsInfo x86 = new OsInfo("alpine", "3.17.2", Optional.of("x86_64"));
        assertThat(sbom.packages()).containsExactly(
                new SbomPackage("musl", new InstalledPackage(PackageType.APK, "musl", "1.2.3-r4",
                        Purl.parse("pkg:apk/alpine/musl@1.2.3-r4?arch=x86_64&distro=alpine-3.17.2"), Optional.of(x86)),
                        List.of("/lib", "/lib/ld-musl-x86_64.so.1", "/lib/libc.musl-x86_64.so.1"), List.of("/lib/apk/db/installed"), Optional.empty()),
                new SbomPackage("busybox-binsh", new InstalledPackage(PackageType.APK, "busybox-binsh", "1.35.0-r29",
                        Purl.parse("pkg:apk/alpine/busybox-binsh@1.35.0-r29?arch=x86_64&distro=alpine-3.17.2"), Optional.of(x86)),
                        List.of("/bin", "/bin/sh"), List.of("/lib/apk/db/installed"), Optional.empty()));
    }

    @Test
    void refusesMissingMalformedAndOversizedDatabases(@TempDir Path root)
            throws IOException
    {
        assertThatThrownBy(() -> reader.read(root))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.INVALID))
                .hasMessage("apk database at lib/apk/db/installed: expected the apk database below '" + root.toAbsolutePath() + "', found none: not an Alpine file system");

        write(root, "lib/apk/db/installed", "P:musl\nV:1.2.3-r4\nthis is not apk\n");
        assertThatThrownBy(() -> reader.read(root))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.MALFORMED))
                .hasMessage("apk database at lib/apk/db/installed line 3: expected 'X:value' (a one-letter field), found 'this is not apk'");

        write(root, "lib/apk/db/installed", "P:musl\nV:1\n\nV:2\nF:lib\n");
        assertThatThrownBy(() -> reader.read(root))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.MALFORMED))
                .hasMessage("apk database at lib/apk/db/installed line 4: expected a 'P:' (package name) line in the paragraph, found none");

        write(root, "lib/apk/db/installed", INSTALLED);
        assertThatThrownBy(() -> new ApkDatabaseReader(new InputLimits(1 << 20, 64, 1024, 2)).read(root))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.TOO_LARGE))
                .hasMessage("apk database at lib/apk/db/installed line 19: the document has more than 2 items (packages, files, relationships), the limit");
    }
}
