package io.runlight.hub.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import io.runlight.plugin.api.Confidence;
import io.runlight.plugin.api.Evidence;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.ExploitSignals;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.InsightsSummary;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.ProfileSummary;
import io.runlight.plugin.api.Severity;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.Vulnerability;
import io.runlight.plugin.api.VulnerabilityInsight;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.report.InsightsJsonReader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestTableReport
{
    // the engine's alpine sample as its JSON writer writes it
    private static final ImageInsights ALPINE = alpine();
    private static final ImageDigest DIGEST = ALPINE.digest();
    private static final PackageInsight LIBSSL3 = ALPINE.packages().stream().filter(insight -> insight.pkg().name().equals("libssl3")).findFirst().orElseThrow();
    private static final Vulnerability CVE_2023_5363 = ALPINE.vulnerabilities().stream().map(VulnerabilityInsight::vulnerability)
            .filter(vulnerability -> vulnerability.id().equals("CVE-2023-5363")).findFirst().orElseThrow();

    private static final String ALPINE_TABLE = """
            docker.io/library/alpine:3.17.2  sha256:e2e16842c9b5
            Profile: complete, 3 containers observed for 14 days, last event 2026-11-28 12:00 UTC
            5 vulnerabilities → 3 in use (40% less to fix first)
            5 packages → 3 in use, 2 not in use

            RANK  ID             SEVERITY  CVSS  PACKAGE     VERSION   FIXED IN   USAGE
               1  CVE-2023-5363  HIGH       7.5  libcrypto3  3.0.8-r0  3.0.12-r0  in use
               2  CVE-2023-0464  HIGH       7.5  libcrypto3  3.0.8-r0  3.0.8-r1   in use
               3  CVE-2023-2650  MEDIUM     6.5  libcrypto3  3.0.8-r0  3.0.9-r0   in use
               4  CVE-2023-5363  HIGH       7.5  libssl3     3.0.8-r0  3.0.12-r0  not in use
               5  CVE-2023-0464  HIGH       7.5  libssl3     3.0.8-r0  3.0.8-r1   not in use

            PACKAGE     VERSION     TYPE  USAGE       EVIDENCE
            busybox     1.35.0-r29  apk   in use      exec /bin/busybox (1250×)
            libcrypto3  3.0.8-r0    apk   in use      mmap /lib/libcrypto.so.3 by /usr/local/bin/app (42×) +1 more
            musl        1.2.3-r4    apk   in use      mmap /lib/ld-musl-x86_64.so.1 by /bin/busybox (1292×)
            libssl3     3.0.8-r0    apk   not in use  -
            zlib        1.2.13-r0   apk   not in use  -
            """;

    @Test
    void rendersAnImage()
    {
        assertThat(TableReport.plain().render(ALPINE)).isEqualTo(ALPINE_TABLE);
    }

    @Test
    void separatesImagesByABlankLine()
            throws IOException
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        TableReport.plain().write(List.of(ALPINE, ALPINE), out);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(ALPINE_TABLE + "\n" + ALPINE_TABLE);
        assertThat(TableReport.plain().render(List.of())).isEqualTo("No images.\n");
    }

    @Test
    void coloursSeverityAndUsageOnlyWhenAsked()
    {
        String coloured = TableReport.coloured().render(ALPINE);

        assertThat(coloured.lines().toList().get(6))
                .isEqualTo("   1  CVE-2023-5363  \u001b[31mHIGH\u001b[0m       7.5  libcrypto3  3.0.8-r0  3.0.12-r0  \u001b[1;31min use\u001b[0m");
        assertThat(coloured.lines().toList().get(9))
                .isEqualTo("   4  CVE-2023-5363  \u001b[31mHIGH\u001b[0m       7.5  libssl3     3.0.8-r0  3.0.12-r0  \u001b[32mnot in use\u001b[0m");
        assertThat(coloured.replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(ALPINE_TABLE);
        assertThat(TableReport.plain().render(ALPINE)).doesNotContain("\u001b");
    }

    @Test
    void describesALearningProfileAndCutsLongValues()
    {
        InstalledPackage jar = InstalledPackage.applicationPackage(PackageType.MAVEN, "com.example.very.long.group", "an-extraordinarily-long-artifact-name", "1.0.0-SNAPSHOT-20261128.120000-17");
        InstalledPackage npm = InstalledPackage.applicationPackage(PackageType.NPM, null, "left-pad", "1.3.0");
        Vulnerability critical = new Vulnerability("GHSA-aaaa-bbbb-cccc-dddd-eeee", Severity.CRITICAL, OptionalDouble.of(9.8), Optional.empty(),
                List.of("1.0.1", "1.1.0", "2.0.0-final-release"), ExploitSignals.NONE, List.of(), Optional.empty());
        ImageInsights image = new ImageInsights(DIGEST, List.of(), List.of("ghcr.io/acme/app:1.0", "ghcr.io/acme/app:latest"), Optional.empty(),
                new ProfileSummary(ProfileState.LEARNING, 1, Duration.ofHours(5).plusMinutes(30), Optional.of(Instant.parse("2026-11-28T06:30:00Z")), Optional.of(Instant.parse("2026-11-28T12:00:00Z"))),
                new InsightsSummary(2, 1, 0, 1, 3, 1),
                List.of(
                        new PackageInsight(jar, Usage.UNKNOWN, Optional.empty(), List.of(
                                new Evidence(EvidenceKind.OPEN, "/app/config/application-production.properties", Optional.of("/usr/bin/java"), Instant.parse("2026-11-28T06:30:00Z"), Instant.parse("2026-11-28T06:30:00Z"), 1))),
                        new PackageInsight(npm, Usage.IN_USE, Optional.of(Confidence.DIRECTORY), List.of(
                                new Evidence(EvidenceKind.OPEN, "/app/node_modules/left-pad/index.js", Optional.of("/usr/local/bin/node"), Instant.parse("2026-11-28T06:30:00Z"), Instant.parse("2026-11-28T06:30:00Z"), 1)))),
                List.of(
                        new VulnerabilityInsight(Vulnerability.of("CVE-2026-0001", Severity.LOW), npm.purl(), Usage.IN_USE, 1),
                        new VulnerabilityInsight(critical, jar.purl(), Usage.UNKNOWN, 2),
                        new VulnerabilityInsight(Vulnerability.of("CVE-2026-0002", Severity.UNKNOWN), jar.purl(), Usage.UNKNOWN, 3)));

        assertThat(TableReport.plain().render(image)).isEqualTo("""
                ghcr.io/acme/app:1.0, ghcr.io/acme/app:latest  sha256:e2e16842c9b5
                Profile: learning, 1 container observed for 5 hours and 30 minutes so far, last event 2026-11-28 12:00 UTC
                3 vulnerabilities → 1 in use, 2 not known yet
                2 packages → 1 in use, 1 unknown

                RANK  ID                        SEVERITY  CVSS  PACKAGE                       VERSION                   FIXED IN                  USAGE
                   1  CVE-2026-0001             LOW          -  left-pad                      1.3.0                     -                         in use
                   2  GHSA-aaaa-bbbb-cccc-ddd…  CRITICAL   9.8  an-extraordinarily-long-art…  1.0.0-SNAPSHOT-20261128…  1.0.1, 1.1.0, 2.0.0-fin…  unknown
                   3  CVE-2026-0002             UNKNOWN      -  an-extraordinarily-long-art…  1.0.0-SNAPSHOT-20261128…  -                         unknown

                PACKAGE                       VERSION                   TYPE   USAGE    EVIDENCE
                left-pad                      1.3.0                     npm    in use   open /app/node_modules/left-pad/index.js by /usr/local/bin/node
                an-extraordinarily-long-art…  1.0.0-SNAPSHOT-20261128…  maven  unknown  open /app/config/application-production.properties by /usr/bin/java
                """);
    }

    @Test
    void explainsImagesWithoutObservationOrVulnerabilities()
    {
        ImageInsights unobserved = new ImageInsights(DIGEST, List.of(), List.of(), Optional.empty(), ProfileSummary.NONE,
                new InsightsSummary(1, 0, 0, 1, 1, 0),
                List.of(new PackageInsight(LIBSSL3.pkg(), Usage.UNKNOWN, Optional.empty(), List.of())),
                List.of(new VulnerabilityInsight(CVE_2023_5363, LIBSSL3.pkg().purl(), Usage.UNKNOWN, 1)));
        ImageInsights clean = new ImageInsights(DIGEST, List.of(), List.of("alpine:3.17.2"), Optional.empty(), ALPINE.profile(),
                new InsightsSummary(0, 0, 0, 0, 0, 0), List.of(), List.of());

        assertThat(TableReport.plain().render(List.of(unobserved, clean))).isEqualTo("""
                (unnamed image)  sha256:e2e16842c9b5
                Profile: none (no runtime observation yet)
                1 vulnerability, usage not known yet (no runtime observation)
                1 package → 1 unknown

                RANK  ID             SEVERITY  CVSS  PACKAGE  VERSION   FIXED IN   USAGE
                   1  CVE-2023-5363  HIGH       7.5  libssl3  3.0.8-r0  3.0.12-r0  unknown

                PACKAGE  VERSION   TYPE  USAGE    EVIDENCE
                libssl3  3.0.8-r0  apk   unknown  -

                alpine:3.17.2  sha256:e2e16842c9b5
                Profile: complete, 3 containers observed for 14 days, last event 2026-11-28 12:00 UTC
                No known vulnerabilities
                No packages
                """);
    }

    @Test
    void neverRoundsTheReductionUp()
    {
        List<VulnerabilityInsight> vulnerabilities = new java.util.ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            Usage usage = i == 200 ? Usage.NOT_IN_USE : Usage.IN_USE;
            vulnerabilities.add(new VulnerabilityInsight(Vulnerability.of(String.format("CVE-2026-%04d", i), Severity.LOW), LIBSSL3.pkg().purl(), usage, i));
        }
        ImageInsights image = new ImageInsights(DIGEST, List.of(), List.of(), Optional.empty(), ALPINE.profile(),
                new InsightsSummary(0, 0, 0, 0, 200, 199), List.of(), vulnerabilities);

        assertThat(TableReport.plain().render(image).lines().toList().get(2)).isEqualTo("200 vulnerabilities → 199 in use (<1% less to fix first)");
    }

    @Test
    void claimsNoReductionWhileAnyVerdictIsUnknown()
    {
        ProfileSummary learning = new ProfileSummary(ProfileState.LEARNING, 1, java.time.Duration.ofHours(8), Optional.of(java.time.Instant.parse("2026-11-28T01:30:00Z")),
                Optional.of(java.time.Instant.parse("2026-11-28T09:30:00Z")));
        List<VulnerabilityInsight> vulnerabilities = new java.util.ArrayList<>();
        for (int i = 1; i <= 24; i++) {
            Usage usage = i <= 10 ? Usage.IN_USE : i <= 20 ? Usage.NOT_IN_USE : Usage.UNKNOWN;
            vulnerabilities.add(new VulnerabilityInsight(Vulnerability.of(String.format("CVE-2026-%04d", i), Severity.LOW), LIBSSL3.pkg().purl(), usage, i));
        }
        ImageInsights image = new ImageInsights(DIGEST, List.of(), List.of(), Optional.empty(), learning,
                new InsightsSummary(0, 0, 0, 0, 24, 10), List.of(), vulnerabilities);

        assertThat(TableReport.plain().render(image).lines().toList().get(2)).isEqualTo("24 vulnerabilities → 10 in use, 10 not in use, 4 not known yet");
        assertThat(TableReport.plain().withLearningWindow(java.time.Duration.ofHours(24)).render(image).lines().toList().get(2))
                .isEqualTo("24 vulnerabilities → 10 in use, 10 not in use, 4 not known yet; final after 16 h more observation");
    }

    @Test
    void neutralisesControlCharacters()
    {
        ImageInsights image = new ImageInsights(DIGEST, List.of(), List.of("evil\u001b[2Jname"), Optional.empty(), ProfileSummary.NONE,
                new InsightsSummary(0, 0, 0, 0, 0, 0), List.of(), List.of());

        assertThat(TableReport.plain().render(image).lines().findFirst()).contains("evil?[2Jname  sha256:e2e16842c9b5");
    }

    private static ImageInsights alpine()
    {
        try (InputStream in = TestTableReport.class.getResourceAsStream("/cli/alpine-insights.json")) {
            return new InsightsJsonReader(InputLimits.DEFAULT).readImage(in.readAllBytes());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
