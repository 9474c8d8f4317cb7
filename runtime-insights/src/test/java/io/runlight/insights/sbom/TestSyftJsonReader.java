package io.runlight.insights.sbom;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.OsInfo;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Purl;

import static io.runlight.insights.sbom.SbomFixtures.resource;
import static io.runlight.insights.sbom.SbomFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestSyftJsonReader
{
    private static final String ALPINE = "fixtures/sbom/alpine-3.17.2.syft.json";
    private static final String GOLDEN = "fixtures/sbom/syft-encoder-golden.syft.json";

    private final SyftJsonReader reader = new SyftJsonReader(InputLimits.DEFAULT);

    @Test
    void readsAlpineImage()
    {
        Sbom sbom = reader.read(stream(resource(ALPINE)));

        assertThat(sbom.format()).isEqualTo(DocumentFormat.SYFT_JSON);
        assertThat(sbom.image().digests()).containsExactly(
                new ImageDigest("sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d"),
                new ImageDigest("sha256:fd6275a37d2472b9d3be70c3261087b8d65e441c21342ae7313096312bcda2b3"),
                new ImageDigest("sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501"));
        assertThat(sbom.image().names()).containsExactly("alpine@sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501");
        assertThat(sbom.os()).contains(new OsInfo("alpine", "3.17.2", Optional.empty()));
        assertThat(sbom.packages()).hasSize(15);
        assertThat(sbom.packages()).extracting(pkg -> pkg.pkg().name()).containsExactly(
                "alpine-baselayout", "alpine-baselayout-data", "alpine-keys", "apk-tools", "busybox", "busybox-binsh",
                "ca-certificates-bundle", "libc-utils", "libcrypto3", "libssl3", "musl", "musl-utils", "scanelf", "ssl_client", "zlib");
        assertThat(sbom.packages().stream().mapToInt(pkg -> pkg.ownedFiles().size()).sum()).isEqualTo(255);

        Map<String, SbomPackage> byName = byName(sbom);
        SbomPackage libcrypto = byName.get("libcrypto3");
        assertThat(libcrypto.id()).isEqualTo("cc0aece1ff98a6a5");
        assertThat(libcrypto.pkg()).isEqualTo(new InstalledPackage(PackageType.APK, "libcrypto3", "3.0.8-r0",
                Purl.parse("pkg:apk/alpine/libcrypto3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2&upstream=openssl"),
                Optional.of(new OsInfo("alpine", "3.17.2", Optional.of("x86_64")))));
        assertThat(libcrypto.ownedFiles()).hasSize(24).contains("/lib/libcrypto.so.3", "/usr/lib/engines-3/afalg.so");
        assertThat(libcrypto.locations()).containsExactly("/lib/apk/db/installed");
        assertThat(libcrypto.nestedIn()).isEmpty();

        assertThat(byName.get("busybox").pkg().purl().toString()).isEqualTo("pkg:apk/alpine/busybox@1.35.0-r29?arch=x86_64&distro=alpine-3.17.2");
        assertThat(byName.get("busybox").ownedFiles()).hasSize(27).contains("/bin/busybox");
        assertThat(byName.get("musl").ownedFiles()).containsExactly("/lib", "/lib/ld-musl-x86_64.so.1", "/lib/libc.musl-x86_64.so.1");
        assertThat(byName.get("libc-utils").ownedFiles()).isEmpty();
        // metadata.files has /bin and /bin/sh; the contains relationship adds the /bin/busybox file entry
        assertThat(byName.get("busybox-binsh").ownedFiles()).containsExactly("/bin", "/bin/busybox", "/bin/sh");
    }

    @Test
    void readsSyftEncoderGoldenFile()
    {
        Sbom sbom = reader.read(stream(resource(GOLDEN)));

        assertThat(sbom.image()).isEqualTo(new ImageIdentity(
                List.of(new ImageDigest("sha256:35a6658e24fab92eae9ec6fc252dec58986c4c007891758d4d37c7e43fbbe0c5"),
                        new ImageDigest("sha256:2731251dc34951c0e50fcc643b4c5f74922dad1a5d98f302b504cf46cd5d9368")),
                List.of("user-image-input", "stereoscope-fixture-image-simple:85066c51088bdd274f7a89e99e00490f666c49e72ffc955707cd6e18f0e22c5b")));
        assertThat(sbom.os()).contains(new OsInfo("debian", "1.2.3", Optional.empty()));
        assertThat(sbom.packages()).containsExactly(
                new SbomPackage("2f52f617f1548337",
                        // the golden file's purl is "a-purl-1", not a purl: one is built from type, name and version
                        new InstalledPackage(PackageType.PYPI, "package-1", "1.0.1", Purl.parse("pkg:pypi/package-1@1.0.1"), Optional.empty()),
                        List.of(), List.of("/somefile-1.txt"), Optional.empty()),
                new SbomPackage("4b756c6f6fb127a3",
                        new InstalledPackage(PackageType.DEB, "package-2", "2.0.1", Purl.parse("pkg:deb/debian/package-2@2.0.1"),
                                Optional.of(new OsInfo("debian", "1.2.3", Optional.empty()))),
                        List.of(), List.of("/somefile-2.txt"), Optional.empty()));
    }

    @Test
    void readsTheSameWhateverTheOrderOfArtifactsRelationshipsAndFiles()
    {
        byte[] original = resource(ALPINE);
        Sbom expected = reader.read(stream(original));
        List<List<String>> orders = List.of(
                List.of("files", "artifactRelationships", "artifacts"),
                List.of("artifactRelationships", "files", "artifacts"),
                List.of("artifactRelationships", "artifacts", "files"),
                List.of("files", "artifacts", "artifactRelationships"),
                List.of("artifacts", "files", "artifactRelationships"),
                List.of("distro", "source", "files", "artifacts", "artifactRelationships"));
        for (List<String> order : orders) {
            assertThat(reader.read(stream(SbomFixtures.reordered(original, order)))).as("order %s", order).isEqualTo(expected);
        }
    }

    @Test
    void readsOldSchemaShapes()
    {
        String document = """
                {
                 "artifacts": [
                  {"id": "bash-id", "name": "bash", "version": "5.0-4", "type": "deb", "foundBy": "dpkgdb-cataloger",
                   "locations": [{"path": "/var/lib/dpkg/status", "layerID": "sha256:aaaa"}],
                   "licenses": ["GPL-3.0"], "language": "", "cpes": [],
                   "purl": "pkg:deb/debian/bash@5.0-4?arch=amd64",
                   "metadataType": "DpkgMetadata",
                   "metadata": {"package": "bash", "source": "", "version": "5.0-4", "architecture": "amd64", "maintainer": "Matthias Klose",
                                "installedSize": 6439,
                                "files": [{"path": "/bin/bash", "md5": "b1a8fd0c3c2a4c2a1d9c1b6a0d1f3e5c", "isConfigFile": false},
                                          {"path": "/etc/bash.bashrc", "md5": "89269e1298235f1b12b4c16e4065ad0d", "isConfigFile": true}]}},
                  {"id": "musl-id", "name": "musl", "version": "1.1.22-r3", "type": "apk", "foundBy": "apkdb-cataloger",
                   "locations": [{"path": "/lib/apk/db/installed"}], "purl": "",
                   "metadataType": "ApkMetadata",
                   "metadata": {"package": "musl", "version": "1.1.22-r3", "architecture": "x86_64",
                                "files": [{"path": "/lib"}, {"path": "/lib/libc.musl-x86_64.so.1"}]}},
                  {"id": "flask-id", "name": "Flask", "version": "2.0.1", "type": "python", "foundBy": "python-package-cataloger",
                   "locations": [{"path": "/usr/local/lib/python3.9/site-packages/Flask-2.0.1.dist-info/METADATA"}],
                   "purl": "pkg:pypi/Flask@2.0.1", "metadataType": "PythonPackageMetadata",
                   "metadata": {"name": "Flask", "version": "2.0.1",
                                "files": [{"path": "flask/__init__.py"}, {"path": "../../../bin/flask"}, {"path": "flask/./app.py"}]}},
                  {"id": "log4j-id", "name": "log4j-core", "version": "2.14.1", "type": "java-archive", "foundBy": "java-cataloger",
                   "locations": [{"path": "/app/app.jar"}], "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                   "metadataType": "JavaMetadata",
                   "metadata": {"virtualPath": "/app/app.jar:BOOT-INF/lib/log4j-core-2.14.1.jar",
                                "pomProperties": {"groupId": "org.apache.logging.log4j", "artifactId": "log4j-core", "version": "2.14.1"}}},
                  {"id": "spring-id", "name": "spring-core", "version": "5.3.9", "type": "java-archive",
                   "locations": [{"path": "/app/app.jar"}], "metadataType": "JavaMetadata",
                   "metadata": {"virtualPath": "/app/app.jar:BOOT-INF/lib/spring-core-5.3.9.jar",
                                "pomProperties": {"groupId": "org.springframework", "artifactId": "spring-core"}}},
                  {"id": "cobra-id", "name": "github.com/spf13/cobra", "version": "v1.2.1", "type": "go-module",
                   "locations": [{"path": "/usr/local/bin/app"}], "metadataType": "GolangBinMetadata", "metadata": {}}
                 ],
                 "artifactRelationships": [],
                 "source": {"type": "image",
                            "target": {"userInput": "acme/app:1.0", "imageID": "sha256:1111111111111111111111111111111111111111111111111111111111111111",
                                       "manifestDigest": "sha256:2222222222222222222222222222222222222222222222222222222222222222",
                                       "tags": ["acme/app:1.0"], "repoDigests": ["acme/app@sha256:3333333333333333333333333333333333333333333333333333333333333333"]}},
                 "distro": {"name": "debian", "version": "10", "idLike": "debian"},
                 "descriptor": {"name": "syft", "version": "0.20.0"},
                 "schema": {"version": "1.1.0", "url": "https://raw.githubusercontent.com/anchore/syft/main/schema/json/schema-1.1.0.json"}
                }
                """;

        Sbom sbom = reader.read(stream(document));

        assertThat(sbom.image()).isEqualTo(new ImageIdentity(
                List.of(new ImageDigest("sha256:1111111111111111111111111111111111111111111111111111111111111111"),
                        new ImageDigest("sha256:2222222222222222222222222222222222222222222222222222222222222222"),
                        new ImageDigest("sha256:3333333333333333333333333333333333333333333333333333333333333333")),
                List.of("acme/app:1.0", "acme/app@sha256:3333333333333333333333333333333333333333333333333333333333333333")));
        assertThat(sbom.os()).contains(new OsInfo("debian", "10", Optional.empty()));
        Map<String, SbomPackage> byName = byName(sbom);

        assertThat(byName.get("bash").ownedFiles()).containsExactly("/bin/bash", "/etc/bash.bashrc");
        assertThat(byName.get("bash").pkg().os()).contains(new OsInfo("debian", "10", Optional.of("amd64")));
        assertThat(byName.get("bash").pkg().purl().toString()).isEqualTo("pkg:deb/debian/bash@5.0-4?arch=amd64");

        // no purl: built from the distro and the package's architecture
        assertThat(byName.get("musl").pkg().purl().toString()).isEqualTo("pkg:apk/debian/musl@1.1.22-r3?arch=x86_64&distro=debian-10");
        assertThat(byName.get("musl").ownedFiles()).containsExactly("/lib", "/lib/libc.musl-x86_64.so.1");

        // RECORD paths joined to the site-packages directory found from the dist-info location
        assertThat(byName.get("Flask").ownedFiles()).containsExactly(
                "/usr/local/bin/flask", "/usr/local/lib/python3.9/site-packages/flask/__init__.py", "/usr/local/lib/python3.9/site-packages/flask/app.py");

        assertThat(byName.get("log4j-core").nestedIn()).contains("/app/app.jar");
        assertThat(byName.get("log4j-core").locations()).containsExactly("/app/app.jar");
        assertThat(byName.get("spring-core").pkg().purl().toString()).isEqualTo("pkg:maven/org.springframework/spring-core@5.3.9");
        assertThat(byName.get("github.com/spf13/cobra").pkg().purl().toString()).isEqualTo("pkg:golang/github.com/spf13/cobra@v1.2.1");
        assertThat(byName.get("github.com/spf13/cobra").pkg().type()).isEqualTo(PackageType.GOLANG);
    }

    @Test
    void joinsPythonRecordPathsToSitePackagesRoot()
    {
        String document = """
                {"artifacts": [{"id": "p1", "name": "requests", "version": "2.31.0", "type": "python",
                  "purl": "pkg:pypi/requests@2.31.0", "metadataType": "python-package",
                  "locations": [{"path": "/usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA"}],
                  "metadata": {"sitePackagesRootPath": "/usr/lib/python3/dist-packages",
                               "files": [{"path": "requests/__init__.py"}, {"path": "requests/__pycache__/api.cpython-311.pyc"},
                                         {"path": "../../../bin/normalizer"}, {"path": "/etc/requests.conf"}]}}],
                 "source": {"type": "directory", "metadata": {"path": "/"}}}
                """;

        Sbom sbom = reader.read(stream(document));

        assertThat(sbom.image()).isEqualTo(ImageIdentity.UNKNOWN);
        assertThat(sbom.packages().get(0).ownedFiles()).containsExactly(
                "/etc/requests.conf",
                "/usr/bin/normalizer",
                "/usr/lib/python3/dist-packages/requests/__init__.py",
                "/usr/lib/python3/dist-packages/requests/__pycache__/api.cpython-311.pyc");
    }

    @Test
    void keepsPackagesWithoutFileEvidence()
    {
        Sbom sbom = reader.read(stream("{\"artifacts\": [{\"id\": \"x\", \"name\": \"left-pad\", \"version\": \"1.3.0\", \"type\": \"npm\"}]}"));

        assertThat(sbom.packages()).containsExactly(new SbomPackage("x",
                new InstalledPackage(PackageType.NPM, "left-pad", "1.3.0", Purl.parse("pkg:npm/left-pad@1.3.0"), Optional.empty()),
                List.of(), List.of(), Optional.empty()));
        assertThat(sbom.os()).isEmpty();
    }

    @Test
    void refusesWrongTypes()
    {
        assertInvalid("{\"artifacts\": {}}", "Syft JSON at /artifacts: expected an array of packages, found an object");
        assertInvalid("{\"artifacts\": 3}", "Syft JSON at /artifacts: expected an array of packages, found a number");
        assertInvalid("{\"artifacts\": [], \"files\": \"none\"}", "Syft JSON at /files: expected an array of files, found a string");
        assertInvalid("{\"artifacts\": [7]}", "Syft JSON at /artifacts/0: expected a package object, found a number");
        assertInvalid("{\"artifacts\": [{\"name\": \"a\", \"metadata\": {\"files\": {\"path\": \"/x\"}}}]}",
                "Syft JSON at /artifacts/0/metadata/files: expected an array, found an object");
        assertInvalid("{\"artifacts\": [{\"name\": [\"a\"]}]}", "Syft JSON at /artifacts/0/name: expected a string, found an array");
        assertInvalid("{\"artifacts\": [{\"id\": \"a\", \"version\": \"1\"}]}",
                "Syft JSON at /artifacts/0/name: expected the package name (a non-empty string), found nothing");
        assertInvalid("{\"artifacts\": [], \"artifactRelationships\": [{\"parent\": {}, \"child\": \"b\", \"type\": \"contains\"}]}",
                "Syft JSON at /artifactRelationships/0/parent: expected a package or file id, found an object");
        assertInvalid("{\"artifacts\": [], \"files\": [{\"id\": \"f\", \"location\": \"/bin/sh\"}]}",
                "Syft JSON at /files/0/location: expected a location object, found a string");
        assertInvalid("{\"source\": {\"type\": \"image\"}}", "Syft JSON at /artifacts: expected an array of packages, found nothing: not a Syft JSON document");
        assertInvalid("[1, 2]", "Syft JSON at /: expected a JSON object, found an array");
    }

    @Test
    void streamsMetadataFilesKeepingOnlyPaths()
    {
        String document = """
                {"artifacts": [
                  {"cpes": [{"cpe": "cpe:2.3:a:zlib:zlib:1.2.13:*:*:*:*:*:*:*", "source": "syft-generated"}], "id": "z", "name": "zlib1g",
                   "licenses": [{"value": "Zlib", "locations": []}], "version": "1.2.13", "type": "deb",
                   "metadata": {"package": "zlib1g", "depends": ["libc6"], "architecture": "amd64",
                                "files": [{"path": "/usr/lib/x86_64-linux-gnu/libz.so.1.2.13", "digest": {"algorithm": "md5", "value": "0123"}},
                                          {"digest": {"algorithm": "md5", "value": "4567"}, "path": "/lib/x86_64-linux-gnu/libz.so.1", "isConfigFile": false},
                                          {"path": ""}, {"path": null}, {"isConfigFile": true}, {"path": "/usr/share/doc/zlib1g/copyright"},
                                          {"path": "/usr/lib/x86_64-linux-gnu/libz.so.1.2.13"}]}},
                  {"id": "e", "name": "empty", "type": "deb", "metadata": {"files": null}},
                  {"id": "r", "name": "repeated", "type": "deb", "metadata": {"files": [{"path": "/a"}], "files": [{"path": "/b"}]}}
                ]}
                """;

        Map<String, SbomPackage> packages = byName(reader.read(stream(document)));

        assertThat(packages.get("zlib1g").ownedFiles()).containsExactly("/lib/x86_64-linux-gnu/libz.so.1",
                "/usr/lib/x86_64-linux-gnu/libz.so.1.2.13", "/usr/share/doc/zlib1g/copyright");
        assertThat(packages.get("empty").ownedFiles()).isEmpty();
        assertThat(packages.get("repeated").ownedFiles()).containsExactly("/b");
    }

    @Test
    void refusesWrongTypesInsideMetadataFilesInTreeOrder()
    {
        assertInvalid("{\"artifacts\": [{\"name\": \"a\", \"metadata\": {\"files\": [{\"path\": \"/x\"}, 7, {\"path\": []}]}}]}",
                "Syft JSON at /artifacts/0/metadata/files/1: expected a file object, found a number");
        assertInvalid("{\"artifacts\": [{\"name\": \"a\", \"metadata\": {\"files\": [{\"path\": {\"p\": 1}, \"digest\": {}}]}}]}",
                "Syft JSON at /artifacts/0/metadata/files/0/path: expected a string, found an object");
        // the package's own fields are checked first, whatever the field order
        assertInvalid("{\"artifacts\": [{\"metadata\": {\"files\": [7]}, \"id\": \"a\"}]}",
                "Syft JSON at /artifacts/0/name: expected the package name (a non-empty string), found nothing");
        assertInvalid("{\"artifacts\": [{\"name\": \"a\", \"metadata\": {\"files\": [7]}, \"locations\": [\"/x\"]}]}",
                "Syft JSON at /artifacts/0/locations/0: expected a location object, found a string");
        assertInvalid("{\"artifacts\": [{\"name\": \"a\", \"metadata\": [{\"files\": []}]}]}",
                "Syft JSON at /artifacts/0/metadata: expected an object, found an array");
        assertThatThrownBy(() -> reader.read(stream("{\"artifacts\": [{\"name\": \"a\", \"metadata\": {\"files\": [{\"path\": \"/x\"}, {\"pa")))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.reason()).isEqualTo(InputException.Reason.MALFORMED);
                    assertThat(e.problem()).startsWith("the document ends early (truncated?)");
                });
    }

    @Test
    void countsMetadataFilesAgainstTheItemLimit()
    {
        SyftJsonReader limited = new SyftJsonReader(new InputLimits(1024 * 1024, 64, 1024 * 1024, 3));
        String document = "{\"artifacts\": [{\"name\": \"a\", \"metadata\": {\"files\": [{\"path\": \"/x\"}, {\"path\": \"/y\"}, {\"path\": \"/z\"}]}}]}";

        assertThatThrownBy(() -> limited.read(stream(document)))
                .isInstanceOf(InputException.class)
                .hasMessage("Syft JSON at /artifacts/0/metadata/files: the document has more than 3 items (packages, files, relationships), the limit");
    }

    @Test
    void returnsNothingWhenTheLastFieldIsBroken()
    {
        byte[] original = resource(ALPINE);
        String document = new String(SbomFixtures.reordered(original, List.of("artifacts", "artifactRelationships", "files", "source", "distro")),
                StandardCharsets.UTF_8);
        String broken = document.substring(0, document.lastIndexOf('}')) + ",\"distro\": [\"alpine\"]}";

        assertThatThrownBy(() -> reader.read(stream(broken)))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.reason()).isEqualTo(InputException.Reason.INVALID);
                    assertThat(e.getMessage()).isEqualTo("Syft JSON at /distro: expected the distro object, found an array");
                });
    }

    private void assertInvalid(String document, String message)
    {
        assertThatThrownBy(() -> reader.read(stream(document)))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.reason()).isEqualTo(InputException.Reason.INVALID);
                    assertThat(e.format()).isEqualTo("Syft JSON");
                })
                .hasMessage(message);
    }

    static Map<String, SbomPackage> byName(Sbom sbom)
    {
        return sbom.packages().stream().collect(Collectors.toMap(pkg -> pkg.pkg().name(), Function.identity()));
    }
}
