package io.runlight.insights.correlate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.runlight.insights.input.InputLimits;
import io.runlight.insights.runtime.EventBatch;
import io.runlight.insights.runtime.RuntimeEvent;
import io.runlight.insights.runtime.RuntimeEventReader;
import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomReader;
import io.runlight.insights.vuln.VulnerabilityReport;
import io.runlight.insights.vuln.VulnerabilityReportReader;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.VulnerabilityInsight;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 3's acceptance line "the same events delivered in Falco, Tetragon, Tracee and
 * native form give the same verdicts": the four hand-written files under
 * {@code events/same-observation/} describe one busybox exec and libcrypto loads in
 * each source's own format; analysed against the real alpine 3.17.2 SBOM and Grype
 * report, every package and every vulnerability gets the same verdict from each.
 */
class TestVerdictsAcrossSources
{
    private static final List<String> SOURCES = List.of("runlight.ndjson", "falco.ndjson", "tetragon.json", "tracee.jsonl");

    @Test
    void everySourceGivesTheSameVerdicts()
    {
        Sbom sbom = read("fixtures/sbom/alpine-3.17.2.syft.json", in -> new SbomReader(InputLimits.DEFAULT).read(in));
        VulnerabilityReport report = read("fixtures/vulns/alpine-3.17.2.grype.json", in -> new VulnerabilityReportReader(InputLimits.DEFAULT).read(in));
        ImageAnalyzer analyzer = new ImageAnalyzer(AnalysisPolicy.withLearningWindow(Duration.ZERO));

        Map<String, Map<String, Usage>> packageVerdicts = new LinkedHashMap<>();
        Map<String, Map<String, Usage>> vulnerabilityVerdicts = new LinkedHashMap<>();
        for (String source : SOURCES) {
            EventBatch batch = read("events/same-observation/" + source, in -> new RuntimeEventReader(InputLimits.DEFAULT).read(in));
            assertThat(batch.rejected()).as(source).isZero();
            Instant asOf = batch.events().stream().map(RuntimeEvent::time).max(Instant::compareTo).orElseThrow();
            ImageInsights image = analyzer.analyze(sbom, List.of(report), batch.events(), asOf).image();

            Map<String, Usage> packages = new TreeMap<>();
            for (PackageInsight insight : image.packages()) {
                packages.put(insight.pkg().purl().toString(), insight.usage());
            }
            Map<String, Usage> vulnerabilities = new TreeMap<>();
            for (VulnerabilityInsight insight : image.vulnerabilities()) {
                vulnerabilities.put(insight.vulnerability().id() + " " + insight.packagePurl(), insight.usage());
            }
            packageVerdicts.put(source, packages);
            vulnerabilityVerdicts.put(source, vulnerabilities);
        }

        Map<String, Usage> nativeVerdicts = packageVerdicts.get("runlight.ndjson");
        assertThat(nativeVerdicts).containsEntry("pkg:apk/alpine/busybox@1.35.0-r29?arch=x86_64&distro=alpine-3.17.2", Usage.IN_USE);
        assertThat(nativeVerdicts).containsEntry("pkg:apk/alpine/libcrypto3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2&upstream=openssl", Usage.IN_USE);
        assertThat(nativeVerdicts).containsEntry("pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2&upstream=openssl", Usage.NOT_IN_USE);
        for (String source : SOURCES) {
            assertThat(packageVerdicts.get(source)).as(source).isEqualTo(nativeVerdicts);
            assertThat(vulnerabilityVerdicts.get(source)).as(source).isEqualTo(vulnerabilityVerdicts.get("runlight.ndjson"));
        }
    }

    private interface Reader<T>
    {
        T read(InputStream in);
    }

    private static <T> T read(String resource, Reader<T> reader)
    {
        try (InputStream in = TestVerdictsAcrossSources.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return reader.read(in);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
