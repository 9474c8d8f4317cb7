package io.runlight.insights.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.runlight.insights.runtime.ContainerIdentity;
import io.runlight.insights.runtime.EventBatch;
import io.runlight.insights.runtime.RuntimeEventReader;
import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomReader;
import io.runlight.insights.vuln.VulnerabilityReport;
import io.runlight.insights.vuln.VulnerabilityReportReader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 3: "every fixture in ../shared/fixtures/ parses". Each real sample is read by
 * the reader its detected format belongs to, and yields something: packages, findings
 * or events, none rejected.
 */
class TestEveryFixtureParses
{
    private static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures");

    static Stream<Path> fixtures()
            throws IOException
    {
        try (Stream<Path> files = Files.walk(FIXTURES)) {
            List<Path> list = files.filter(Files::isRegularFile).filter(file -> !file.getFileName().toString().equals("README.md")).sorted().toList();
            assertThat(list).hasSize(14);
            return list.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void fixtureParses(Path file)
            throws IOException
    {
        DocumentFormat format;
        try (InputStream in = Files.newInputStream(file)) {
            format = FormatDetector.detect(FormatDetector.buffered(in));
        }
        try (InputStream in = Files.newInputStream(file)) {
            switch (format) {
                case SYFT_JSON, SPDX_JSON -> assertThat(new SbomReader(InputLimits.DEFAULT).read(in).packages()).as(file.toString()).isNotEmpty();
                case CYCLONEDX_JSON, TRIVY_JSON -> {
                    // these carry packages and vulnerabilities: both readers accept them
                    Sbom sbom = new SbomReader(InputLimits.DEFAULT).read(in);
                    assertThat(sbom.packages()).as(file.toString()).isNotEmpty();
                    try (InputStream again = Files.newInputStream(file)) {
                        VulnerabilityReport report = new VulnerabilityReportReader(InputLimits.DEFAULT).read(again);
                        assertThat(report.format()).isEqualTo(format);
                    }
                }
                case GRYPE_JSON -> assertThat(new VulnerabilityReportReader(InputLimits.DEFAULT).read(in).findings()).as(file.toString()).isNotEmpty();
                case PROC_MAPS -> {
                    EventBatch batch = new RuntimeEventReader(InputLimits.DEFAULT).readProcMaps(in, ContainerIdentity.UNKNOWN, Instant.EPOCH);
                    assertThat(batch.events()).as(file.toString()).isNotEmpty();
                    assertThat(batch.rejected()).isZero();
                }
                case RUNLIGHT_EVENTS, FALCO_JSON, TETRAGON_JSON, TRACEE_JSON, KUBESCAPE_PROFILE -> {
                    EventBatch batch = new RuntimeEventReader(InputLimits.DEFAULT).read(in);
                    assertThat(batch.events()).as(file.toString()).isNotEmpty();
                    assertThat(batch.rejected()).as(file.toString()).isZero();
                }
                case DPKG_DATABASE, APK_DATABASE, RPM_DATABASE, IMAGE_ARCHIVE, RUNLIGHT_CATALOG -> throw new AssertionError("fixture " + file + " detected as a package database");
            }
        }
    }
}
