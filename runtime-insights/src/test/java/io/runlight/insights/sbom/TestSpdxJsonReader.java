package io.runlight.insights.sbom;

import java.util.List;
import java.util.Map;
import java.util.Optional;

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

class TestSpdxJsonReader
{
    private static final String ALPINE = "sbom/alpine-3.17.2.syft.spdx.json";

    private final SpdxJsonReader reader = new SpdxJsonReader(InputLimits.DEFAULT);

    @Test
    void readsSyftStyleSpdxDocument()
    {
        Sbom sbom = reader.read(stream(resource(ALPINE)));

        assertThat(sbom.format()).isEqualTo(DocumentFormat.SPDX_JSON);
        assertThat(sbom.image()).isEqualTo(new ImageIdentity(
                List.of(new ImageDigest("sha256:fd6275a37d2472b9d3be70c3261087b8d65e441c21342ae7313096312bcda2b3"),
                        new ImageDigest("sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501")),
                List.of("index.docker.io/library/alpine@sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501",
                        "alpine",
                        "index.docker.io/library/alpine:3.17.2",
                        "alpine@sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501")));
        // no OPERATING-SYSTEM package: the distro comes from the apk purls
        assertThat(sbom.os()).contains(new OsInfo("alpine", "3.17.2", Optional.empty()));
        assertThat(sbom.packages()).hasSize(15);
        assertThat(sbom.packages().stream().mapToInt(pkg -> pkg.ownedFiles().size()).sum()).isEqualTo(78);

        Map<String, SbomPackage> byName = TestSyftJsonReader.byName(sbom);
        SbomPackage busybox = byName.get("busybox");
        assertThat(busybox.id()).isEqualTo("SPDXRef-Package-apk-busybox-ca8e18476c9977b9");
        assertThat(busybox.pkg()).isEqualTo(new InstalledPackage(PackageType.APK, "busybox", "1.35.0-r29",
                Purl.parse("pkg:apk/alpine/busybox@1.35.0-r29?arch=x86_64&distro=alpine-3.17.2"),
                Optional.of(new OsInfo("alpine", "3.17.2", Optional.of("x86_64")))));
        assertThat(busybox.ownedFiles()).containsExactly("/bin/busybox", "/etc/logrotate.d/acpid", "/etc/network/if-up.d/dad",
                "/etc/securetty", "/etc/udhcpd.conf", "/usr/share/udhcpc/default.script");
        assertThat(busybox.locations()).containsExactly("/lib/apk/db/installed");
        assertThat(byName.get("libcrypto3").ownedFiles()).hasSize(12).contains("/lib/libcrypto.so.3");
        assertThat(byName.get("libc-utils").ownedFiles()).isEmpty();
    }

    @Test
    void readsTheSameWhateverTheOrderOfPackagesFilesAndRelationships()
    {
        byte[] original = resource(ALPINE);
        Sbom expected = reader.read(stream(original));
        for (List<String> order : List.of(
                List.of("relationships", "files", "packages"),
                List.of("files", "relationships", "packages"),
                List.of("relationships", "packages", "files"),
                List.of("packages", "relationships", "files"),
                List.of("files", "packages", "relationships"))) {
            assertThat(reader.read(stream(SbomFixtures.reordered(original, order)))).as("order %s", order).isEqualTo(expected);
        }
    }

    @Test
    void readsContainedByHasFilesAndOperatingSystemPackage()
    {
        String document = """
                {
                 "spdxVersion": "SPDX-2.3",
                 "dataLicense": "CC0-1.0",
                 "SPDXID": "SPDXRef-DOCUMENT",
                 "name": "debian:12",
                 "documentNamespace": "https://example.com/spdx/debian-12",
                 "documentDescribes": ["SPDXRef-Image"],
                 "relationships": [
                  {"spdxElementId": "SPDXRef-File-libc", "relatedSpdxElement": "SPDXRef-Package-libc6", "relationshipType": "CONTAINED_BY"},
                  {"spdxElementId": "SPDXRef-Package-libc6", "relatedSpdxElement": "SPDXRef-File-ld", "relationshipType": "CONTAINS"},
                  {"spdxElementId": "SPDXRef-Package-libc6", "relatedSpdxElement": "SPDXRef-Package-libgcc", "relationshipType": "DEPENDS_ON"}
                 ],
                 "files": [
                  {"fileName": "./usr/lib/x86_64-linux-gnu/libc.so.6", "SPDXID": "SPDXRef-File-libc", "checksums": [{"algorithm": "SHA1", "checksumValue": "0"}]},
                  {"fileName": "usr/lib64/ld-linux-x86-64.so.2", "SPDXID": "SPDXRef-File-ld"},
                  {"fileName": "/usr/bin/bash", "SPDXID": "SPDXRef-File-bash"}
                 ],
                 "packages": [
                  {"name": "debian", "SPDXID": "SPDXRef-OperatingSystem", "versionInfo": "12", "primaryPackagePurpose": "OPERATING-SYSTEM", "downloadLocation": "NONE"},
                  {"name": "docker.io/library/debian:12", "SPDXID": "SPDXRef-Image", "versionInfo": "sha256:4444444444444444444444444444444444444444444444444444444444444444",
                   "primaryPackagePurpose": "CONTAINER", "downloadLocation": "NONE"},
                  {"name": "libc6", "SPDXID": "SPDXRef-Package-libc6", "versionInfo": "2.36-9+deb12u4", "downloadLocation": "NONE",
                   "externalRefs": [{"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl",
                                     "referenceLocator": "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12"}]},
                  {"name": "bash", "SPDXID": "SPDXRef-Package-bash", "versionInfo": "5.2.15-2+b2", "downloadLocation": "NONE",
                   "hasFiles": ["SPDXRef-File-bash"],
                   "externalRefs": [{"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl", "referenceLocator": "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64"}]},
                  {"name": "some-tool", "SPDXID": "SPDXRef-Package-tool", "versionInfo": "1.0", "downloadLocation": "NONE"}
                 ]
                }
                """;

        Sbom sbom = reader.read(stream(document));

        assertThat(sbom.image()).isEqualTo(new ImageIdentity(
                List.of(new ImageDigest("sha256:4444444444444444444444444444444444444444444444444444444444444444")),
                List.of("docker.io/library/debian:12", "debian:12")));
        assertThat(sbom.os()).contains(new OsInfo("debian", "12", Optional.empty()));
        assertThat(sbom.packages()).extracting(SbomPackage::id).containsExactly("SPDXRef-Package-libc6", "SPDXRef-Package-bash", "SPDXRef-Package-tool");
        Map<String, SbomPackage> byName = TestSyftJsonReader.byName(sbom);
        assertThat(byName.get("libc6").ownedFiles()).containsExactly("/usr/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib64/ld-linux-x86-64.so.2");
        assertThat(byName.get("libc6").pkg().os()).contains(new OsInfo("debian", "12", Optional.of("amd64")));
        assertThat(byName.get("bash").ownedFiles()).containsExactly("/usr/bin/bash");
        assertThat(byName.get("bash").pkg().purl().toString()).isEqualTo("pkg:deb/debian/bash@5.2.15-2+b2?arch=amd64");
        assertThat(byName.get("some-tool").pkg()).isEqualTo(new InstalledPackage(PackageType.OTHER, "some-tool", "1.0",
                Purl.parse("pkg:generic/some-tool@1.0"), Optional.empty()));
    }

    @Test
    void refusesOtherSpdxVersionsAndWrongTypes()
    {
        assertRefused("{\"spdxVersion\": \"SPDX-3.0\", \"packages\": []}", InputException.Reason.INVALID,
                "SPDX JSON at /spdxVersion: expected \"SPDX-2.3\" (or another SPDX 2.x version), found \"SPDX-3.0\"");
        assertRefused("{\"packages\": []}", InputException.Reason.INVALID,
                "SPDX JSON at /spdxVersion: expected \"SPDX-2.3\" (or another SPDX 2.x version), found nothing");
        assertRefused("{\"spdxVersion\": \"SPDX-2.3\", \"packages\": [{\"name\": \"a\"}]}", InputException.Reason.INVALID,
                "SPDX JSON at /packages/0/SPDXID: expected the package's SPDX id (a non-empty string), found nothing");
        assertRefused("{\"spdxVersion\": \"SPDX-2.3\", \"packages\": [{\"SPDXID\": \"SPDXRef-a\", \"name\": \"a\", \"externalRefs\": {}}]}", InputException.Reason.INVALID,
                "SPDX JSON at /packages/0/externalRefs: expected an array, found an object");
        assertRefused("{\"spdxVersion\": \"SPDX-2.3\", \"relationships\": [[]]}", InputException.Reason.INVALID,
                "SPDX JSON at /relationships/0: expected a relationship object, found an array");
        assertRefused("{\"spdxVersion\": \"SPDX-2.3\", \"files\": [{\"SPDXID\": \"f\", \"fileName\": [\"/a\"]}]}", InputException.Reason.INVALID,
                "SPDX JSON at /files/0/fileName: expected a file name, found an array");
    }

    private void assertRefused(String document, InputException.Reason reason, String message)
    {
        assertThatThrownBy(() -> reader.read(stream(document)))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessage(message);
    }
}
