package io.runlight.insights.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.OsInfo;
import io.runlight.plugin.api.PackageType;

import static org.assertj.core.api.Assertions.assertThat;

class TestOwnershipIndex
{
    private static final OsInfo DEBIAN = new OsInfo("debian", "12", Optional.of("amd64"));

    @Test
    void osPackagesOwnTheirFilesAcrossUsrmerge()
    {
        OwnershipIndex index = index(
                os("libc6", List.of("/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"), List.of("/var/lib/dpkg/status")),
                os("bash", List.of("/bin/bash"), List.of()),
                os("libssl3", List.of("usr/lib/x86_64-linux-gnu/libssl.so.3"), List.of()));

        assertThat(owners(index, "/usr/lib/x86_64-linux-gnu/libc.so.6")).containsExactly("libc6 FILE");
        assertThat(owners(index, "/lib/x86_64-linux-gnu/libc.so.6")).containsExactly("libc6 FILE");
        assertThat(owners(index, "/usr/lib64/ld-linux-x86-64.so.2")).containsExactly("libc6 FILE");
        assertThat(owners(index, "/usr/bin/bash")).containsExactly("bash FILE");
        assertThat(owners(index, "bin/bash")).containsExactly("bash FILE");
        assertThat(owners(index, "/proc/4242/root/bin/bash (deleted)")).containsExactly("bash FILE");
        assertThat(owners(index, "/lib/x86_64-linux-gnu/libssl.so.3")).containsExactly("libssl3 FILE");
        assertThat(owners(index, "/usr/lib/x86_64-linux-gnu/../x86_64-linux-gnu/./libssl.so.3")).containsExactly("libssl3 FILE");
        // an OS package's location is its database, not a file it owns
        assertThat(owners(index, "/var/lib/dpkg/status")).isEmpty();
        assertThat(owners(index, "/usr/bin/zsh")).isEmpty();
        assertThat(owners(index, "/usr/lib/x86_64-linux-gnu/libc.so")).isEmpty();
        assertThat(owners(index, "/")).isEmpty();
        assertThat(owners(index, "/bad\0path")).isEmpty();
        assertThat(index.size()).isEqualTo(4);
        assertThat(index.packageCount()).isEqualTo(3);
    }

    @Test
    void fileOwnedBySeveralPackagesReturnsAllAndDirectoriesAreDropped()
    {
        OwnershipIndex index = index(
                os("busybox", List.of("/bin", "/bin/busybox", "/etc", "/etc/securetty"), List.of()),
                os("busybox-binsh", List.of("/bin", "/bin/sh", "/bin/busybox"), List.of()),
                os("alpine-baselayout", List.of("/etc", "/etc/motd", "/tmp"), List.of()));

        // ordered by confidence, then purl
        assertThat(owners(index, "/bin/busybox")).containsExactly("busybox-binsh FILE", "busybox FILE");
        assertThat(owners(index, "/usr/bin/sh")).containsExactly("busybox-binsh FILE");
        // "/bin" and "/etc" are directories of other owned files: no package is in use by opening them
        assertThat(owners(index, "/bin")).isEmpty();
        assertThat(owners(index, "/usr/bin")).isEmpty();
        assertThat(owners(index, "/etc")).isEmpty();
        // an owned directory that holds no owned file stays (it cannot be told from a file)
        assertThat(owners(index, "/tmp")).containsExactly("alpine-baselayout FILE");
    }

    @Test
    void pythonRecordFilesAreOwnedFiles()
    {
        OwnershipIndex index = index(app("requests", PackageType.PYPI, null, "requests", "2.31.0",
                List.of("/usr/lib/python3/dist-packages/requests/__init__.py", "/usr/lib/python3/dist-packages/requests/__pycache__/api.cpython-311.pyc"),
                List.of("/usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA"), Optional.empty()));

        assertThat(owners(index, "/usr/lib/python3/dist-packages/requests/__init__.py")).containsExactly("requests FILE");
        assertThat(owners(index, "/usr/lib/python3/dist-packages/requests/__pycache__/api.cpython-311.pyc")).containsExactly("requests FILE");
        assertThat(owners(index, "/usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA")).containsExactly("requests FILE");
        assertThat(owners(index, "/usr/lib/python3/dist-packages/requests/models.py")).isEmpty();
    }

    @Test
    void javaJarIsFileAndNestedJarIsNested()
    {
        OwnershipIndex index = index(
                app("app", PackageType.MAVEN, "com.acme", "app", "1.0", List.of(), List.of("/app/app.jar"), Optional.empty()),
                app("jackson", PackageType.MAVEN, "com.fasterxml.jackson.core", "jackson-databind", "2.15.0", List.of(),
                        List.of("/app/app.jar:BOOT-INF/lib/jackson-databind-2.15.0.jar"), Optional.of("/app/app.jar")),
                app("log4j", PackageType.MAVEN, "org.apache.logging.log4j", "log4j-core", "2.14.1", List.of(),
                        List.of("/opt/lib/log4j-core-2.14.1.jar"), Optional.empty()));

        assertThat(owners(index, "/app/app.jar")).containsExactly("app FILE", "jackson-databind NESTED");
        assertThat(owners(index, "/opt/lib/log4j-core-2.14.1.jar")).containsExactly("log4j-core FILE");
        assertThat(owners(index, "/app/BOOT-INF/lib/jackson-databind-2.15.0.jar")).isEmpty();
    }

    @Test
    void goAndCargoModulesAreInTheirBinary()
    {
        OwnershipIndex index = index(
                app("stdlib", PackageType.GOLANG, null, "stdlib", "go1.21.5", List.of(), List.of("/usr/local/bin/kubectl"), Optional.empty()),
                app("cobra", PackageType.GOLANG, "github.com/spf13", "cobra", "v1.8.0", List.of(), List.of("/usr/local/bin/kubectl"), Optional.empty()),
                app("gomod", PackageType.GOLANG, "github.com/acme", "tool", "v0.1.0", List.of(), List.of("/src/go.mod"), Optional.empty()),
                app("serde", PackageType.CARGO, null, "serde", "1.0.190", List.of(), List.of("/usr/bin/rg"), Optional.empty()));

        assertThat(owners(index, "/usr/local/bin/kubectl")).containsExactly("cobra BINARY", "stdlib BINARY");
        assertThat(owners(index, "/usr/bin/rg")).containsExactly("serde BINARY");
        assertThat(owners(index, "/bin/rg")).containsExactly("serde BINARY");
        assertThat(owners(index, "/src/go.mod")).containsExactly("tool FILE");
    }

    @Test
    void npmDirectoriesInnermostWinsScopedToo()
    {
        OwnershipIndex index = index(
                app("express", PackageType.NPM, null, "express", "4.18.2", List.of(), List.of("/app/node_modules/express/package.json"), Optional.empty()),
                app("debug-nested", PackageType.NPM, null, "debug", "2.6.9", List.of(),
                        List.of("/app/node_modules/express/node_modules/debug/package.json"), Optional.empty()),
                app("types", PackageType.NPM, "@types", "node", "20.1.0", List.of(), List.of("/app/node_modules/@types/node/package.json"), Optional.empty()),
                app("lodash", PackageType.NPM, null, "lodash", "4.17.21", List.of(), List.of("/srv/web/package-lock.json"), Optional.empty()),
                app("babel", PackageType.NPM, "@babel", "core", "7.23.0", List.of(), List.of("/srv/web/package-lock.json"), Optional.empty()));

        assertThat(owners(index, "/app/node_modules/express/index.js")).containsExactly("express DIRECTORY");
        assertThat(owners(index, "/app/node_modules/express/lib/router/index.js")).containsExactly("express DIRECTORY");
        assertThat(owners(index, "/app/node_modules/express/node_modules/debug/src/index.js")).containsExactly("debug DIRECTORY");
        assertThat(owners(index, "/app/node_modules/@types/node/fs.d.ts")).containsExactly("node DIRECTORY");
        assertThat(owners(index, "/app/node_modules/express/package.json")).containsExactly("express FILE");
        assertThat(owners(index, "/srv/web/node_modules/lodash/lodash.js")).containsExactly("lodash DIRECTORY");
        assertThat(owners(index, "/srv/web/node_modules/@babel/core/lib/index.js")).containsExactly("core DIRECTORY");
        // the lock file is not a directory rule for the whole project
        assertThat(owners(index, "/srv/web/server.js")).isEmpty();
        assertThat(owners(index, "/app/node_modules/expressive/index.js")).isEmpty();
        assertThat(owners(index, "/app/node_modules/express")).isEmpty();
    }

    @Test
    void composerGemAndNugetDirectories()
    {
        OwnershipIndex index = index(
                app("monolog", PackageType.COMPOSER, "monolog", "monolog", "3.5.0", List.of(),
                        List.of("/var/www/vendor/monolog/monolog/composer.json"), Optional.empty()),
                app("guzzle", PackageType.COMPOSER, "guzzlehttp", "guzzle", "7.8.0", List.of(),
                        List.of("/var/www/vendor/composer/installed.json"), Optional.empty()),
                app("symfony", PackageType.COMPOSER, "symfony", "console", "6.4.0", List.of(), List.of("/srv/app/composer.lock"), Optional.empty()),
                app("rack", PackageType.GEM, null, "rack", "3.0.8", List.of(),
                        List.of("/usr/local/bundle/specifications/rack-3.0.8.gemspec"), Optional.empty()),
                app("puma", PackageType.GEM, null, "puma", "6.4.0", List.of(),
                        List.of("/usr/local/lib/ruby/gems/3.2.0/gems/puma-6.4.0/puma.gemspec"), Optional.empty()),
                app("newtonsoft", PackageType.NUGET, null, "Newtonsoft.Json", "13.0.3", List.of(),
                        List.of("/root/.nuget/packages/newtonsoft.json/13.0.3/newtonsoft.json.nuspec"), Optional.empty()),
                app("serilog", PackageType.NUGET, null, "Serilog", "3.1.1", List.of("/app/runtimes/linux/Serilog.Native.so"),
                        List.of("/app/MyApp.deps.json"), Optional.empty()));

        assertThat(owners(index, "/var/www/vendor/monolog/monolog/src/Monolog/Logger.php")).containsExactly("monolog DIRECTORY");
        assertThat(owners(index, "/var/www/vendor/guzzlehttp/guzzle/src/Client.php")).containsExactly("guzzle DIRECTORY");
        assertThat(owners(index, "/srv/app/vendor/symfony/console/Application.php")).containsExactly("console DIRECTORY");
        assertThat(owners(index, "/usr/local/bundle/gems/rack-3.0.8/lib/rack.rb")).containsExactly("rack DIRECTORY");
        assertThat(owners(index, "/usr/local/lib/ruby/gems/3.2.0/gems/puma-6.4.0/lib/puma.rb")).containsExactly("puma DIRECTORY");
        assertThat(owners(index, "/root/.nuget/packages/newtonsoft.json/13.0.3/lib/net6.0/Newtonsoft.Json.dll")).containsExactly("Newtonsoft.Json DIRECTORY");
        assertThat(owners(index, "/app/Serilog.dll")).containsExactly("Serilog FILE");
        assertThat(owners(index, "/app/runtimes/linux/Serilog.Native.so")).containsExactly("Serilog FILE");
        assertThat(owners(index, "/var/www/vendor/autoload.php")).isEmpty();
        assertThat(owners(index, "/usr/local/bundle/gems/rack-3.0.9/lib/rack.rb")).isEmpty();
    }

    @Test
    void exactOwnershipAndDirectoryRuleCombine()
    {
        OwnershipIndex index = index(
                app("express", PackageType.NPM, null, "express", "4.18.2", List.of(), List.of("/app/node_modules/express/package.json"), Optional.empty()),
                os("nodejs-bundled", List.of("/app/node_modules/express/index.js"), List.of()));

        assertThat(owners(index, "/app/node_modules/express/index.js")).containsExactly("nodejs-bundled FILE", "express DIRECTORY");
    }

    @Test
    void samePackageKeepsItsStrongestClaim()
    {
        OwnershipIndex index = index(app("lib", PackageType.GOLANG, "github.com/acme", "lib", "v1.0.0",
                List.of("/usr/bin/tool"), List.of("/usr/bin/tool"), Optional.empty()));

        assertThat(owners(index, "/usr/bin/tool")).containsExactly("lib FILE");
    }

    @Test
    void nonAsciiNamesAreFound()
    {
        OwnershipIndex index = index(os("fonts", List.of("/usr/share/fonts/dejavu/DéjàVu.ttf", "/usr/share/数据/文件.so"), List.of()));

        assertThat(owners(index, "/usr/share/fonts/dejavu/DéjàVu.ttf")).containsExactly("fonts FILE");
        assertThat(owners(index, "/usr/share/数据/文件.so")).containsExactly("fonts FILE");
        assertThat(owners(index, "/usr/share/fonts/dejavu/DejaVu.ttf")).isEmpty();
    }

    @Test
    void manyPathsAreAllFound()
    {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            files.add("/usr/share/pkg" + (i % 300) + "/dir" + (i % 17) + "/file-" + i + ".dat");
        }
        OwnershipIndex index = index(os("big", files, List.of()));

        assertThat(index.size()).isEqualTo(50_000);
        for (String file : files) {
            assertThat(index.lookup(file)).hasSize(1);
        }
        assertThat(index.lookup("/usr/share/pkg1/dir1/file-50001.dat")).isEmpty();
    }

    @Test
    void everyRawFormAnswersAsItsCanonicalPath()
    {
        OwnershipIndex index = index(
                os("libc6", List.of("/lib/x86_64-linux-gnu/libc.so.6", "/usr/bin/ldd", "/etc/ld.so.conf"), List.of()),
                os("fonts", List.of("/usr/share/fonts/DéjàVu.ttf", "/lib/数据.so"), List.of()),
                os("nodejs-bundled", List.of("/app/node_modules/express/index.js"), List.of()),
                app("express", PackageType.NPM, null, "express", "4.18.2", List.of(), List.of("/app/node_modules/express/package.json"), Optional.empty()),
                app("debug", PackageType.NPM, null, "debug", "2.6.9", List.of(),
                        List.of("/app/node_modules/express/node_modules/debug/package.json"), Optional.empty()));
        List<String> canonical = List.of("/usr/lib/x86_64-linux-gnu/libc.so.6", "/usr/bin/ldd", "/etc/ld.so.conf", "/usr/share/fonts/DéjàVu.ttf",
                "/usr/lib/数据.so", "/app/node_modules/express/index.js", "/app/node_modules/express/package.json",
                "/app/node_modules/express/lib/router.js", "/app/node_modules/express/node_modules/debug/src/index.js",
                "/app/node_modules/express/node_modules/debug", "/app/node_modules/other/index.js", "/app/server.js", "/usr/bin/missing",
                "/usr/lib/x86_64-linux-gnu/libc.so.7", "/tmp/x", "/usr/share/fonts/DejaVu.ttf");
        for (String path : canonical) {
            List<String> expected = owners(index, path);
            String relative = path.substring(1);
            List<String> raw = new ArrayList<>(List.of(relative, path + " (deleted)", "/proc/77/root" + path, "/proc/self/root" + path + " (deleted)",
                    "/proc/1/root/proc/2/root" + path, path.replace("/usr/", "//usr/./"), "./" + relative));
            if (path.startsWith("/usr/lib/") || path.startsWith("/usr/bin/")) {
                String alias = path.substring(4);
                raw.addAll(List.of(alias, alias.substring(1), "/proc/9/root" + alias + " (deleted)", alias.substring(1) + " (deleted)"));
            }
            for (String form : raw) {
                assertThat(owners(index, form)).as(form).isEqualTo(expected);
            }
        }
        assertThat(owners(index, "/app/node_modules/express/index.js")).containsExactly("nodejs-bundled FILE", "express DIRECTORY");
        assertThat(owners(index, "lib/x86_64-linux-gnu/libc.so.6 (deleted)")).containsExactly("libc6 FILE");
        assertThat(owners(index, "/proc/3/root/lib/数据.so")).containsExactly("fonts FILE");
        assertThat(owners(index, "/app/node_modules/express/node_modules/debug/src/index.js")).containsExactly("debug DIRECTORY");
        assertThat(owners(index, "/app/node_modules/express/node_modules/debug")).containsExactly("express DIRECTORY");
    }

    @Test
    void longestPathsAreFoundInEveryForm()
    {
        // a relative name of MAX_LENGTH characters becomes a canonical path one longer; an alias adds "/usr" too
        String longName = "n".repeat(PathNormalizer.MAX_LENGTH);
        String longFile = "/usr/lib/" + "d".repeat(PathNormalizer.MAX_LENGTH - 20) + "/libx.so";
        OwnershipIndex index = index(os("long", List.of(longName, longFile), List.of()));

        assertThat(owners(index, longName)).containsExactly("long FILE");
        assertThat(owners(index, "/" + longName)).isEmpty();
        assertThat(owners(index, longFile.substring(4))).containsExactly("long FILE");
        assertThat(owners(index, longFile.substring(5))).containsExactly("long FILE");
        assertThat(owners(index, longFile.substring(4) + " (deleted)")).isEmpty();
        assertThat(owners(index, "n".repeat(PathNormalizer.MAX_LENGTH + 1))).isEmpty();
        assertThat(owners(index, "/" + "n".repeat(PathNormalizer.MAX_LENGTH - 1) + "m")).isEmpty();
    }

    @Test
    void filesDifferingOnlyInDirectoryOrNameAreTold()
    {
        OwnershipIndex index = index(
                os("a", List.of("/opt/a/lib.so", "/lib.so", "/opt/b/x"), List.of()),
                os("b", List.of("/opt/b/lib.so", "/opt/数/lib.so", "/opt/a/数.so"), List.of()));

        assertThat(owners(index, "/opt/a/lib.so")).containsExactly("a FILE");
        assertThat(owners(index, "/opt/b/lib.so")).containsExactly("b FILE");
        assertThat(owners(index, "/lib.so")).containsExactly("a FILE");
        assertThat(owners(index, "/opt/数/lib.so")).containsExactly("b FILE");
        assertThat(owners(index, "/proc/self/root/opt/a/数.so (deleted)")).containsExactly("b FILE");
        assertThat(owners(index, "/opt/c/lib.so")).isEmpty();
        assertThat(owners(index, "/opt/b/lib.s")).isEmpty();
        assertThat(owners(index, "/opt/b/lib.sox")).isEmpty();
        assertThat(owners(index, "/opt/a/数.s")).isEmpty();
        assertThat(owners(index, "/opt/a/效.so")).isEmpty();
        assertThat(owners(index, "/opt/b")).isEmpty();
        assertThat(owners(index, "/opt")).isEmpty();
    }

    @Test
    void rangeHashIsTheStringHashCode()
    {
        String text = "x/proc/1/root/usr/lib/x86_64-linux-gnu/libssl.so.3 (deleted)é数";
        for (int start = 0; start < text.length(); start++) {
            for (int end = start; end <= text.length(); end++) {
                assertThat(OwnershipIndex.hashOf(text, start, end)).isEqualTo(text.substring(start, end).hashCode());
            }
        }
    }

    private static List<String> owners(OwnershipIndex index, String path)
    {
        return index.lookup(path).stream().map(owner -> owner.pkg().name() + " " + owner.confidence()).toList();
    }

    static OwnershipIndex index(SbomPackage... packages)
    {
        return OwnershipIndex.of(new Sbom(DocumentFormat.SYFT_JSON, ImageIdentity.UNKNOWN, Optional.empty(), List.of(packages)));
    }

    static SbomPackage os(String name, List<String> files, List<String> locations)
    {
        return new SbomPackage(name, InstalledPackage.osPackage(PackageType.DEB, name, "1.0", DEBIAN), files, locations, Optional.empty());
    }

    static SbomPackage app(String id, PackageType type, String namespace, String name, String version, List<String> files, List<String> locations, Optional<String> nestedIn)
    {
        return new SbomPackage(id, InstalledPackage.applicationPackage(type, namespace, name, version), files, locations, nestedIn);
    }
}
