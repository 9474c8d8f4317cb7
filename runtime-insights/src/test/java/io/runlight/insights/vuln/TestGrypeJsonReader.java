package io.runlight.insights.vuln;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.FormatDetector;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.plugin.api.ExploitSignals;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Purl;
import io.runlight.plugin.api.Severity;
import io.runlight.plugin.api.Vulnerability;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestGrypeJsonReader
{
    private final VulnerabilityReportReader reader = new VulnerabilityReportReader(InputLimits.DEFAULT);

    @Test
    void readsAlpineReport()
            throws IOException
    {
        VulnerabilityReport report = read("/fixtures/vulns/alpine-3.17.2.grype.json");

        assertThat(report.format()).isEqualTo(DocumentFormat.GRYPE_JSON);
        assertThat(report.image().digests()).containsExactly(
                new ImageDigest("sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d"),
                new ImageDigest("sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501"));
        assertThat(report.image().names()).containsExactly(
                "index.docker.io/library/alpine@sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501",
                "alpine@sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501");
        assertThat(report.findings()).hasSize(20);
        assertThat(report.findings().stream().map(finding -> finding.pkg().name()).distinct().toList()).containsExactly("libcrypto3", "libssl3");

        Finding first = report.findings().get(0);
        // the distro record has no CVSS; the NVD score comes from relatedVulnerabilities
        assertThat(first.vulnerability()).isEqualTo(new Vulnerability(
                "CVE-2023-5363",
                Severity.HIGH,
                OptionalDouble.of(7.5),
                Optional.of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"),
                List.of("3.0.12-r0"),
                ExploitSignals.NONE,
                List.of(),
                Optional.of("http://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2023-5363")));
        assertThat(first.pkg()).isEqualTo(new PackageCoordinates(
                Optional.of(Purl.parse("pkg:apk/alpine/libcrypto3@3.0.8-r0?arch=x86_64&upstream=openssl&distro=alpine-3.17.2")),
                "libcrypto3",
                "3.0.8-r0",
                Optional.of(PackageType.APK)));
        assertThat(first.pkg().purl().orElseThrow()).hasToString("pkg:apk/alpine/libcrypto3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2&upstream=openssl");

        Finding last = report.findings().get(19);
        assertThat(last.vulnerability().id()).isEqualTo("CVE-2023-0465");
        assertThat(last.vulnerability().severity()).isEqualTo(Severity.MEDIUM);
        assertThat(last.vulnerability().cvssScore()).isEqualTo(OptionalDouble.of(5.3));
        assertThat(last.vulnerability().fixedIn()).containsExactly("3.0.8-r2");
        assertThat(last.pkg().name()).isEqualTo("libssl3");
        assertThat(report.findings().stream().filter(finding -> finding.vulnerability().id().equals("CVE-2023-2650")).map(finding -> finding.vulnerability().cvssScore()))
                .containsExactly(OptionalDouble.of(6.5), OptionalDouble.of(6.5));
    }

    @Test
    void readsGrypePresenterGolden()
            throws IOException
    {
        VulnerabilityReport report = read("/fixtures/vulns/grype-presenter-golden.grype.json");

        assertThat(report.image().digests()).containsExactly(
                new ImageDigest("sha256:ab5608d634db2716a297adbfa6a5dd5d8f8f5a7d0cab73649ea7fbb8c8da544f"),
                new ImageDigest("sha256:ca738abb87a8d58f112d3400ebb079b61ceae7dc290beb34bda735be4b1941d5"));
        assertThat(report.image().names()).containsExactly("user-input");
        assertThat(report.findings()).hasSize(2);

        Finding first = report.findings().get(0);
        assertThat(first.vulnerability()).isEqualTo(new Vulnerability(
                "CVE-1999-0001",
                Severity.LOW,
                OptionalDouble.of(8.2),
                Optional.of("CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:H"),
                List.of("1.2.1", "2.1.3", "3.4.0"),
                new ExploitSignals(false, OptionalDouble.of(0.03), OptionalDouble.of(0.42)),
                List.of(),
                Optional.empty()));
        // "purl": "" records no purl; the type comes from Grype's own "rpm"
        assertThat(first.pkg()).isEqualTo(new PackageCoordinates(Optional.empty(), "package-1", "1.1.1", Optional.of(PackageType.RPM)));

        Finding second = report.findings().get(1);
        assertThat(second.vulnerability().severity()).isEqualTo(Severity.CRITICAL);
        assertThat(second.vulnerability().cvssScore()).isEqualTo(OptionalDouble.of(8.5));
        assertThat(second.vulnerability().fixedIn()).isEmpty();
        assertThat(second.vulnerability().exploit()).isEqualTo(new ExploitSignals(true, OptionalDouble.of(0.08), OptionalDouble.of(0.53)));
        assertThat(second.pkg()).isEqualTo(new PackageCoordinates(Optional.of(Purl.parse("pkg:deb/package-2@2.2.2")), "package-2", "2.2.2", Optional.of(PackageType.DEB)));
    }

    @Test
    void ghsaTakesRelatedCveAsAliasAndHighestV3Score()
    {
        String json = """
                {"descriptor": {"name": "grype"},
                 "matches": [{
                   "vulnerability": {"id": "GHSA-jfh8-c2jp-5v3q", "severity": "Critical",
                     "cvss": [{"version": "3.1", "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:L", "metrics": {"baseScore": 9.4}}],
                     "fix": {"versions": ["2.15.0"], "state": "fixed"}},
                   "relatedVulnerabilities": [
                     {"id": "CVE-2021-44228", "cvss": [
                        {"version": "2.0", "vector": "AV:N/AC:M/Au:N/C:C/I:C/A:C", "metrics": {"baseScore": 9.3}},
                        {"version": "3.1", "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", "metrics": {"baseScore": 10.0}}]},
                     {"id": "CVE-2021-44228"}],
                   "artifact": {"name": "log4j-core", "version": "2.14.1", "type": "java-archive",
                     "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}}],
                 "source": {"type": "image", "target": {"userInput": "acme/app:1.0", "imageID": "not-a-digest",
                   "manifestDigest": "sha256:1111111111111111111111111111111111111111111111111111111111111111", "tags": ["acme/app:1.0"], "repoDigests": []}}}
                """;
        VulnerabilityReport report = reader.read(stream(json));

        Vulnerability vulnerability = report.findings().get(0).vulnerability();
        assertThat(vulnerability.aliases()).containsExactly("CVE-2021-44228");
        assertThat(vulnerability.cvssScore()).isEqualTo(OptionalDouble.of(10.0));
        assertThat(vulnerability.cvssVector()).contains("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H");
        assertThat(report.findings().get(0).pkg().type()).contains(PackageType.MAVEN);
        assertThat(report.image().digests()).containsExactly(new ImageDigest("sha256:1111111111111111111111111111111111111111111111111111111111111111"));
        assertThat(report.image().names()).containsExactly("acme/app:1.0");
    }

    @Test
    void invalidPurlKeepsNameVersionAndType()
    {
        String json = """
                {"descriptor": {"name": "grype"}, "matches": [{"vulnerability": {"id": "CVE-2024-0001"},
                  "artifact": {"name": "libfoo", "version": "1.0", "type": "deb", "purl": "not a purl"}}]}
                """;
        VulnerabilityReport report = reader.read(stream(json));

        assertThat(report.findings().get(0).pkg()).isEqualTo(new PackageCoordinates(Optional.empty(), "libfoo", "1.0", Optional.of(PackageType.DEB)));
        assertThat(report.findings().get(0).vulnerability().severity()).isEqualTo(Severity.UNKNOWN);
        assertThat(report.image()).isEqualTo(ImageIdentity.UNKNOWN);
    }

    @Test
    void refusesWrongTypes()
    {
        assertInvalid("""
                {"descriptor": {"name": "grype"}, "matches": [{"vulnerability": {"id": 5}, "artifact": {"name": "a"}}]}""",
                "Grype JSON at /matches/0/vulnerability/id: expected a string, found a number");
        assertInvalid("""
                {"descriptor": {"name": "grype"}, "matches": {"vulnerability": {}}}""",
                "Grype JSON at /matches: expected an array, found an object");
        assertInvalid("""
                {"descriptor": {"name": "grype"}, "matches": ["CVE-1"]}""",
                "Grype JSON at /matches/0: expected an object, found a string");
        assertInvalid("""
                {"descriptor": {"name": "grype"}, "matches": [{"vulnerability": {"id": "CVE-1"}}]}""",
                "Grype JSON at /matches/0/artifact: missing; expected an object");
        assertInvalid("""
                {"descriptor": {"name": "grype"}, "matches": [{"vulnerability": {"id": "CVE-1"}, "artifact": {"version": "1"}}]}""",
                "Grype JSON at /matches/0/artifact/name: missing; expected a non-empty string (or a valid 'purl')");
        assertInvalid("""
                {"descriptor": {"name": "grype"}, "matches": [{"vulnerability": {"id": "CVE-1", "cvss": [{"version": "3.1", "metrics": {"baseScore": 11}}]}, "artifact": {"name": "a"}}]}""",
                "Grype JSON at /matches/0/vulnerability/cvss/0/metrics/baseScore: expected a number from 0 to 10, found 11.0");
        assertInvalid("""
                {"descriptor": {"name": "grype"}, "matches": [{"vulnerability": {"id": "CVE-1", "epss": [{"epss": "high"}]}, "artifact": {"name": "a"}}]}""",
                "Grype JSON at /matches/0/vulnerability/epss/0/epss: expected a number, found a string");
        assertInvalid("""
                {"descriptor": {"name": "grype"}, "matches": []} {"matches": []}""",
                "Grype JSON at /: found an object after the top-level object; expected one JSON document");
    }

    @Test
    void refusesReportWithoutMatches()
    {
        GrypeJsonReader grype = new GrypeJsonReader(InputLimits.DEFAULT);
        assertThatThrownBy(() -> grype.read(stream("{\"descriptor\": {\"name\": \"grype\"}, \"source\": {\"type\": \"image\", \"target\": {}}}")))
                .isInstanceOf(InputException.class)
                .hasMessage("Grype JSON at /matches: missing; expected an array of matches");
        assertThatThrownBy(() -> grype.read(stream("[]")))
                .isInstanceOf(InputException.class)
                .hasMessage("Grype JSON at /: expected a JSON object with 'matches', found an array");
    }

    @Test
    void readsReportLargerThanTheDetectionPrefix()
            throws IOException
    {
        // Grype writes "matches" first and "source"/"descriptor" last: detection must not need them
        String fixture = new String(bytes("/fixtures/vulns/alpine-3.17.2.grype.json"), StandardCharsets.UTF_8);
        int start = fixture.indexOf('[', fixture.indexOf("\"matches\"")) + 1;
        int end = fixture.indexOf("\n ],\n \"source\"");
        String matches = fixture.substring(start, end);
        String big = fixture.substring(0, start) + String.join(",", Collections.nCopies(5, matches)) + fixture.substring(end);
        assertThat(big.length()).isGreaterThan(FormatDetector.PREFIX_BYTES);

        VulnerabilityReport report = reader.read(stream(big));

        assertThat(report.findings()).hasSize(100);
        assertThat(report.image().primaryDigest()).contains(new ImageDigest("sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d"));
    }

    @Test
    void refusesTruncatedDocument()
            throws IOException
    {
        byte[] whole = bytes("/fixtures/vulns/alpine-3.17.2.grype.json");
        byte[] half = Arrays.copyOf(whole, whole.length / 2);

        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(half)))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.reason()).isEqualTo(InputException.Reason.MALFORMED);
                    assertThat(e.format()).isEqualTo("Grype JSON");
                    assertThat(e.location()).startsWith("/matches/");
                    assertThat(e.problem()).isEqualTo("the document ends early (truncated?)");
                });
    }

    @Test
    void refusesOversizedInput()
            throws IOException
    {
        byte[] fixture = bytes("/fixtures/vulns/alpine-3.17.2.grype.json");
        VulnerabilityReportReader small = new VulnerabilityReportReader(new InputLimits(10_000, 64, 1 << 20, 1000));
        assertThatThrownBy(() -> small.read(new ByteArrayInputStream(fixture)))
                .isInstanceOf(InputException.class)
                .hasMessage("Grype JSON at byte 10000: the document is larger than the limit of 10000 bytes")
                .extracting(e -> ((InputException) e).reason()).isEqualTo(InputException.Reason.TOO_LARGE);

        VulnerabilityReportReader fewItems = new VulnerabilityReportReader(new InputLimits(1 << 20, 64, 1 << 20, 5));
        assertThatThrownBy(() -> fewItems.read(new ByteArrayInputStream(fixture)))
                .isInstanceOf(InputException.class)
                .hasMessage("Grype JSON at /matches/5: more than 5 findings, the limit");

        String longId = "{\"descriptor\": {\"name\": \"grype\"}, \"matches\": [{\"vulnerability\": {\"id\": \"" + "A".repeat(5000) + "\"}}]}";
        VulnerabilityReportReader shortStrings = new VulnerabilityReportReader(new InputLimits(1 << 20, 64, 1024, 1000));
        assertThatThrownBy(() -> shortStrings.read(stream(longId)))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.reason()).isEqualTo(InputException.Reason.TOO_LARGE);
                    assertThat(e.location()).isEqualTo("/matches/0/vulnerability/id");
                    assertThat(e.problem()).isEqualTo("over a limit: a string is longer than 1024 characters, the limit");
                });
    }

    @Test
    void refusesDeepNesting()
    {
        String deep = "{\"descriptor\": {\"name\": \"grype\"}, \"matches\": [{\"vulnerability\": " + "[".repeat(100) + "]".repeat(100) + "}]}";
        assertThatThrownBy(() -> reader.read(stream(deep)))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.reason()).isEqualTo(InputException.Reason.TOO_LARGE);
                    assertThat(e.format()).isEqualTo("Grype JSON");
                    assertThat(e.problem()).startsWith("over a limit: Document nesting depth (65) exceeds the maximum allowed (64");
                });
    }

    private void assertInvalid(String json, String message)
    {
        assertThatThrownBy(() -> reader.read(stream(json)))
                .isInstanceOf(InputException.class)
                .hasMessage(message)
                .extracting(e -> ((InputException) e).reason()).isEqualTo(InputException.Reason.INVALID);
    }

    static VulnerabilityReport read(String resource)
            throws IOException
    {
        try (InputStream in = TestGrypeJsonReader.class.getResourceAsStream(resource)) {
            return new VulnerabilityReportReader(InputLimits.DEFAULT).read(in);
        }
    }

    static byte[] bytes(String resource)
            throws IOException
    {
        try (InputStream in = TestGrypeJsonReader.class.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }

    static InputStream stream(String text)
    {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
