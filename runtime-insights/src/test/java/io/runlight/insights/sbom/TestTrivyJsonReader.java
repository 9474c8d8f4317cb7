package io.runlight.insights.sbom;

import java.util.List;
import java.util.Map;
import java.util.Optional;
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

class TestTrivyJsonReader
{
    private final TrivyJsonReader reader = new TrivyJsonReader(InputLimits.DEFAULT);

    @Test
    void readsVulnerablePackagesOfAlpineReportWithoutPackageList()
    {
        Sbom sbom = reader.read(stream(resource("fixtures/sbom/alpine-3.10.trivy.json")));

        assertThat(sbom.format()).isEqualTo(DocumentFormat.TRIVY_JSON);
        assertThat(sbom.image()).isEqualTo(new ImageIdentity(
                List.of(new ImageDigest("sha256:961769676411f082461f9ef46626dd7a2d1e2b2a38e6a44364bcbecf51e66dd4")),
                List.of("testdata/fixtures/images/alpine-310.tar.gz", "ghcr.io/aquasecurity/trivy-test-images:alpine-310")));
        assertThat(sbom.os()).contains(new OsInfo("alpine", "3.10.2", Optional.empty()));
        // four vulnerabilities in two packages: each package once
        assertThat(sbom.packages()).containsExactly(
                new SbomPackage("libcrypto1.1@1.1.1c-r0", new InstalledPackage(PackageType.APK, "libcrypto1.1", "1.1.1c-r0",
                        Purl.parse("pkg:apk/alpine/libcrypto1.1@1.1.1c-r0?arch=x86_64&distro=3.10.2"),
                        Optional.of(new OsInfo("alpine", "3.10.2", Optional.of("x86_64")))), List.of(), List.of(), Optional.empty()),
                new SbomPackage("libssl1.1@1.1.1c-r0", new InstalledPackage(PackageType.APK, "libssl1.1", "1.1.1c-r0",
                        Purl.parse("pkg:apk/alpine/libssl1.1@1.1.1c-r0?arch=x86_64&distro=3.10.2"),
                        Optional.of(new OsInfo("alpine", "3.10.2", Optional.of("x86_64")))), List.of(), List.of(), Optional.empty()));
    }

    @Test
    void readsDebianBusterReport()
    {
        Sbom sbom = reader.read(stream(resource("fixtures/sbom/debian-buster.trivy.json")));

        assertThat(sbom.image()).isEqualTo(new ImageIdentity(
                List.of(new ImageDigest("sha256:c2c03a296d2329a4f3ab72a7bf38b78a8a80108204d326b0139d6af700e152d1")),
                List.of("testdata/fixtures/images/debian-buster.tar.gz", "ghcr.io/aquasecurity/trivy-test-images:debian-buster")));
        assertThat(sbom.os()).contains(new OsInfo("debian", "10.1", Optional.empty()));
        assertThat(sbom.packages()).extracting(pkg -> pkg.pkg().purl().toString()).containsExactly(
                "pkg:deb/debian/bash@5.0-4?arch=amd64&distro=debian-10.1",
                "pkg:deb/debian/libidn2-0@2.0.5-1?arch=amd64&distro=debian-10.1");
        assertThat(sbom.packages()).extracting(SbomPackage::id).containsExactly("bash@5.0-4", "libidn2-0@2.0.5-1");
    }

    @Test
    void readsListedPackagesWithInstalledFiles()
    {
        String document = """
                {
                  "SchemaVersion": 2,
                  "CreatedAt": "2024-05-01T10:00:00Z",
                  "ArtifactName": "registry.example.com/acme/app:1.4",
                  "ArtifactType": "container_image",
                  "Metadata": {
                    "OS": {"Family": "redhat", "Name": "8.9"},
                    "ImageID": "sha256:5555555555555555555555555555555555555555555555555555555555555555",
                    "RepoTags": ["registry.example.com/acme/app:1.4"],
                    "RepoDigests": ["registry.example.com/acme/app@sha256:6666666666666666666666666666666666666666666666666666666666666666"]
                  },
                  "Results": [
                    {
                      "Target": "registry.example.com/acme/app:1.4 (redhat 8.9)",
                      "Class": "os-pkgs",
                      "Type": "redhat",
                      "Vulnerabilities": [{"VulnerabilityID": "CVE-2023-0001", "PkgName": "glibc", "InstalledVersion": "2.28-236.el8"}],
                      "Packages": [
                        {"ID": "glibc@2.28-236.el8.x86_64", "Name": "glibc", "Identifier": {"PURL": "pkg:rpm/redhat/glibc@2.28-236.el8?arch=x86_64&distro=redhat-8.9", "UID": "a1"},
                         "Version": "2.28", "Release": "236.el8", "Arch": "x86_64", "SrcName": "glibc",
                         "InstalledFiles": ["usr/lib64/libc.so.6", "/usr/lib64/ld-linux-x86-64.so.2", "usr/sbin/./ldconfig"]},
                        {"ID": "openssl-libs@1:1.1.1k-9.el8.x86_64", "Name": "openssl-libs", "Version": "1.1.1k", "Release": "9.el8", "Epoch": 1, "Arch": "x86_64"}
                      ]
                    },
                    {
                      "Target": "Java",
                      "Class": "lang-pkgs",
                      "Type": "jar",
                      "Packages": [
                        {"Name": "org.apache.logging.log4j:log4j-core", "Version": "2.14.1", "FilePath": "app/lib/log4j-core-2.14.1.jar",
                         "Identifier": {"PURL": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}},
                        {"Name": "org.apache.logging.log4j:log4j-core", "Version": "2.14.1", "FilePath": "opt/other/log4j-core-2.14.1.jar"},
                        {"Name": "com.google.guava:guava", "Version": "31.1-jre", "FilePath": "app/lib/guava.jar"}
                      ]
                    },
                    {"Target": "app/config.yaml", "Class": "config", "Type": "kubernetes", "Misconfigurations": [{"ID": "KSV001"}]}
                  ]
                }
                """;

        Sbom sbom = reader.read(stream(document));

        assertThat(sbom.image()).isEqualTo(new ImageIdentity(
                List.of(new ImageDigest("sha256:5555555555555555555555555555555555555555555555555555555555555555"),
                        new ImageDigest("sha256:6666666666666666666666666666666666666666666666666666666666666666")),
                List.of("registry.example.com/acme/app:1.4", "registry.example.com/acme/app@sha256:6666666666666666666666666666666666666666666666666666666666666666")));
        assertThat(sbom.os()).contains(new OsInfo("redhat", "8.9", Optional.empty()));
        // the listed packages win over the result's vulnerabilities
        assertThat(sbom.packages()).extracting(SbomPackage::id).containsExactly(
                "glibc@2.28-236.el8.x86_64", "openssl-libs@1:1.1.1k-9.el8.x86_64",
                "org.apache.logging.log4j:log4j-core@2.14.1", "org.apache.logging.log4j:log4j-core@2.14.1#2", "com.google.guava:guava@31.1-jre");
        Map<String, SbomPackage> byId = sbom.packages().stream().collect(Collectors.toMap(SbomPackage::id, pkg -> pkg));

        SbomPackage glibc = byId.get("glibc@2.28-236.el8.x86_64");
        assertThat(glibc.pkg().version()).isEqualTo("2.28-236.el8");
        assertThat(glibc.pkg().os()).contains(new OsInfo("redhat", "8.9", Optional.of("x86_64")));
        assertThat(glibc.ownedFiles()).containsExactly("/usr/lib64/ld-linux-x86-64.so.2", "/usr/lib64/libc.so.6", "/usr/sbin/ldconfig");

        assertThat(byId.get("openssl-libs@1:1.1.1k-9.el8.x86_64").pkg()).isEqualTo(new InstalledPackage(PackageType.RPM, "openssl-libs", "1:1.1.1k-9.el8",
                Purl.parse("pkg:rpm/redhat/openssl-libs@1:1.1.1k-9.el8?arch=x86_64&distro=redhat-8.9"),
                Optional.of(new OsInfo("redhat", "8.9", Optional.of("x86_64")))));

        SbomPackage log4j = byId.get("org.apache.logging.log4j:log4j-core@2.14.1");
        assertThat(log4j.pkg().name()).isEqualTo("log4j-core");
        assertThat(log4j.pkg().purl().toString()).isEqualTo("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
        assertThat(log4j.locations()).containsExactly("/app/lib/log4j-core-2.14.1.jar");
        assertThat(byId.get("org.apache.logging.log4j:log4j-core@2.14.1#2").locations()).containsExactly("/opt/other/log4j-core-2.14.1.jar");
        assertThat(byId.get("com.google.guava:guava@31.1-jre").pkg()).isEqualTo(new InstalledPackage(PackageType.MAVEN, "guava", "31.1-jre",
                Purl.parse("pkg:maven/com.google.guava/guava@31.1-jre"), Optional.empty()));
    }

    @Test
    void refusesOtherSchemaVersionsAndWrongTypes()
    {
        assertRefused("{\"SchemaVersion\": 1, \"Results\": []}", "Trivy JSON at /SchemaVersion: expected 2 (Trivy's JSON schema version), found \"1\"");
        assertRefused("{\"ArtifactName\": \"x\", \"Results\": []}", "Trivy JSON at /SchemaVersion: expected 2 (Trivy's JSON schema version), found nothing");
        assertRefused("{\"SchemaVersion\": 2, \"Results\": [{\"Packages\": {}}]}", "Trivy JSON at /Results/0/Packages: expected an array of packages, found an object");
        assertRefused("{\"SchemaVersion\": 2, \"Results\": [{\"Packages\": [{\"Name\": \"a\", \"InstalledFiles\": \"usr/bin/a\"}]}]}",
                "Trivy JSON at /Results/0/Packages/0/InstalledFiles: expected an array, found a string");
        assertRefused("{\"SchemaVersion\": 2, \"Results\": [{\"Vulnerabilities\": [{\"VulnerabilityID\": \"CVE-1\"}]}]}",
                "Trivy JSON at /Results/0/Vulnerabilities/0/PkgName: expected the vulnerable package's name (a non-empty string), found nothing");
        assertRefused("{\"SchemaVersion\": 2, \"Metadata\": {\"RepoDigests\": [{}]}}", "Trivy JSON at /Metadata/RepoDigests/0: expected a string, found an object");
    }

    private void assertRefused(String document, String message)
    {
        assertThatThrownBy(() -> reader.read(stream(document)))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.INVALID))
                .hasMessage(message);
    }
}
