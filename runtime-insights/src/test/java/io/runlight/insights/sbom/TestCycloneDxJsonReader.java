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

class TestCycloneDxJsonReader
{
    private final CycloneDxJsonReader reader = new CycloneDxJsonReader(InputLimits.DEFAULT);

    @Test
    void readsSyftGoldenCycloneDx()
    {
        Sbom sbom = reader.read(stream(resource("fixtures/sbom/syft-encoder-golden.cdx.json")));

        assertThat(sbom.format()).isEqualTo(DocumentFormat.CYCLONEDX_JSON);
        // the golden file redacts the digest ("sha256:redacted"): only the name is left
        assertThat(sbom.image()).isEqualTo(new ImageIdentity(List.of(), List.of("user-image-input")));
        assertThat(sbom.os()).contains(new OsInfo("debian", "1.2.3", Optional.empty()));
        assertThat(sbom.packages()).containsExactly(
                new SbomPackage("2f52f617f1548337",
                        new InstalledPackage(PackageType.PYPI, "package-1", "1.0.1", Purl.parse("pkg:pypi/package-1@1.0.1"), Optional.empty()),
                        List.of(), List.of("/somefile-1.txt"), Optional.empty()),
                new SbomPackage("pkg:deb/debian/package-2@2.0.1?package-id=4b756c6f6fb127a3",
                        new InstalledPackage(PackageType.DEB, "package-2", "2.0.1", Purl.parse("pkg:deb/debian/package-2@2.0.1"),
                                Optional.of(new OsInfo("debian", "1.2.3", Optional.empty()))),
                        List.of(), List.of("/somefile-2.txt"), Optional.empty()));
    }

    @Test
    void readsCycloneDx16BomWithVulnerabilitiesAsSbom()
    {
        Sbom sbom = reader.read(stream(resource("fixtures/vulns/cyclonedx-1.6-vulnerability.cdx.json")));

        assertThat(sbom.image()).isEqualTo(ImageIdentity.UNKNOWN);
        assertThat(sbom.os()).isEmpty();
        assertThat(sbom.packages()).containsExactly(new SbomPackage("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.4",
                new InstalledPackage(PackageType.MAVEN, "jackson-databind", "2.9.4",
                        Purl.parse("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.4"), Optional.empty()),
                List.of(), List.of(), Optional.empty()));
    }

    @Test
    void readsTrivyStyleBomWithEvidenceAndNestedComponents()
    {
        String document = """
                {
                  "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
                  "bomFormat": "CycloneDX",
                  "specVersion": "1.6",
                  "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
                  "version": 1,
                  "components": [
                    {"bom-ref": "pkg:apk/alpine/musl@1.2.3-r4?arch=x86_64&distro=3.17.2", "type": "library", "name": "musl", "version": "1.2.3-r4",
                     "purl": "pkg:apk/alpine/musl@1.2.3-r4?arch=x86_64&distro=3.17.2",
                     "evidence": {"occurrences": [{"location": "/lib/ld-musl-x86_64.so.1"}, {"location": "lib/libc.musl-x86_64.so.1"}]},
                     "properties": [{"name": "aquasecurity:trivy:PkgID", "value": "musl@1.2.3-r4"}, {"name": "aquasecurity:trivy:PkgType", "value": "alpine"}]},
                    {"bom-ref": "app-jar", "type": "application", "name": "app", "version": "1.0.0",
                     "purl": "pkg:maven/com.acme/app@1.0.0", "group": "com.acme",
                     "properties": [{"name": "aquasecurity:trivy:PkgPath", "value": "app/app.jar"}],
                     "components": [
                       {"bom-ref": "log4j", "type": "library", "group": "org.apache.logging.log4j", "name": "log4j-core", "version": "2.14.1",
                        "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                        "properties": [{"name": "syft:location:0:path", "value": "/app/app.jar"},
                                       {"name": "syft:metadata:virtualPath", "value": "/app/app.jar:BOOT-INF/lib/log4j-core-2.14.1.jar"}]}
                     ]},
                    {"bom-ref": "lockfile", "type": "application", "name": "app/package-lock.json",
                     "properties": [{"name": "aquasecurity:trivy:Class", "value": "lang-pkgs"}]},
                    {"bom-ref": "scoped", "type": "library", "group": "@babel", "name": "core", "version": "7.22.0",
                     "evidence": {"occurrences": [{"location": "/usr/lib/node_modules/@babel/core/package.json"}]}}
                  ],
                  "metadata": {
                    "timestamp": "2025-01-01T00:00:00Z",
                    "component": {
                      "bom-ref": "pkg:oci/alpine@sha256%3Ae2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501?arch=amd64&repository_url=index.docker.io%2Flibrary%2Falpine",
                      "type": "container",
                      "name": "alpine:3.17.2",
                      "purl": "pkg:oci/alpine@sha256%3Ae2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501?arch=amd64&repository_url=index.docker.io%2Flibrary%2Falpine",
                      "properties": [
                        {"name": "aquasecurity:trivy:ImageID", "value": "sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d"},
                        {"name": "aquasecurity:trivy:RepoDigest", "value": "alpine@sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501"},
                        {"name": "aquasecurity:trivy:RepoTag", "value": "alpine:3.17.2"},
                        {"name": "aquasecurity:trivy:SchemaVersion", "value": "2"}
                      ]
                    }
                  },
                  "vulnerabilities": [{"id": "CVE-2021-44228", "affects": [{"ref": "log4j"}]}]
                }
                """;

        Sbom sbom = reader.read(stream(document));

        assertThat(sbom.image()).isEqualTo(new ImageIdentity(
                List.of(new ImageDigest("sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d"),
                        new ImageDigest("sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501")),
                List.of("alpine@sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501",
                        "alpine:3.17.2",
                        "index.docker.io/library/alpine@sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501")));
        // no operating-system component: the distro comes from the first OS package's purl (Trivy writes distro=3.17.2)
        assertThat(sbom.os()).contains(new OsInfo("alpine", "3.17.2", Optional.empty()));
        assertThat(sbom.packages()).extracting(SbomPackage::id).containsExactly(
                "pkg:apk/alpine/musl@1.2.3-r4?arch=x86_64&distro=3.17.2", "app-jar", "log4j", "scoped");
        Map<String, SbomPackage> byName = TestSyftJsonReader.byName(sbom);
        assertThat(byName.get("musl").ownedFiles()).containsExactly("/lib/ld-musl-x86_64.so.1", "/lib/libc.musl-x86_64.so.1");
        assertThat(byName.get("musl").pkg().os()).contains(new OsInfo("alpine", "3.17.2", Optional.of("x86_64")));
        assertThat(byName.get("app").locations()).containsExactly("/app/app.jar");
        assertThat(byName.get("log4j-core").locations()).containsExactly("/app/app.jar");
        assertThat(byName.get("log4j-core").nestedIn()).contains("/app/app.jar");
        assertThat(byName.get("core").pkg()).isEqualTo(new InstalledPackage(PackageType.OTHER, "core", "7.22.0",
                Purl.parse("pkg:generic/@babel/core@7.22.0"), Optional.empty()));
        assertThat(byName.get("core").locations()).containsExactly("/usr/lib/node_modules/@babel/core/package.json");
    }

    @Test
    void refusesWhatIsNotCycloneDx()
    {
        assertRefused("{\"components\": []}", "CycloneDX JSON at /bomFormat: expected \"CycloneDX\", found nothing");
        assertRefused("{\"bomFormat\": \"SPDX\", \"components\": []}", "CycloneDX JSON at /bomFormat: expected \"CycloneDX\", found \"SPDX\"");
        assertRefused("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"2.0\"}",
                "CycloneDX JSON at /specVersion: expected a CycloneDX 1.x version (1.4 to 1.6 are supported), found \"2.0\"");
        assertRefused("{\"bomFormat\": \"CycloneDX\", \"components\": [{\"type\": \"library\", \"name\": \"a\", \"components\": [{\"type\": \"library\"}]}]}",
                "CycloneDX JSON at /components/0/components/0/name: expected the component name (a non-empty string), found nothing");
        assertRefused("{\"bomFormat\": \"CycloneDX\", \"components\": [{\"type\": \"library\", \"name\": \"a\", \"evidence\": {\"occurrences\": [\"/x\"]}}]}",
                "CycloneDX JSON at /components/0/evidence/occurrences/0: expected an occurrence object, found a string");
        assertRefused("{\"bomFormat\": \"CycloneDX\", \"metadata\": []}", "CycloneDX JSON at /metadata: expected the metadata object, found an array");
    }

    private void assertRefused(String document, String message)
    {
        assertThatThrownBy(() -> reader.read(stream(document)))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.INVALID))
                .hasMessage(message);
    }
}
