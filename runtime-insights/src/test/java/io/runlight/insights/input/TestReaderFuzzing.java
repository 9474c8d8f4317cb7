package io.runlight.insights.input;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.Optional;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.runlight.insights.runtime.ContainerIdentity;
import io.runlight.insights.runtime.EventBatch;
import io.runlight.insights.runtime.RuntimeEventReader;
import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomReader;
import io.runlight.insights.vuln.VulnerabilityReport;
import io.runlight.insights.vuln.VulnerabilityReportReader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of every reader of outside input (docs/reliability.md). Each
 * reader must either read a document or refuse it with an {@link InputException}: any
 * other exception or error fails the test, and so does a refusal without a message.
 *
 * <p>In a normal build each method replays its seed corpus and every crash found before
 * ({@code src/test/resources/io/runlight/insights/input/TestReaderFuzzingInputs/<method>/}):
 * real documents of each format, which the fuzzer mutates. {@code mvn -Pfuzz} fuzzes
 * the method named with {@code -Dtest}; a crash it finds is written beside the seeds
 * and stays a regression test.
 */
class TestReaderFuzzing
{
    // small limits, so that the fuzzer also reaches the limit checks
    private static final InputLimits LIMITS = new InputLimits(1024 * 1024, 32, 16 * 1024, 2_000);

    private final SbomReader sboms = new SbomReader(LIMITS);
    private final VulnerabilityReportReader reports = new VulnerabilityReportReader(LIMITS);
    private final RuntimeEventReader events = new RuntimeEventReader(LIMITS);

    @FuzzTest(maxDuration = "5m")
    void sboms(byte[] document)
    {
        try {
            Sbom sbom = sboms.read(new ByteArrayInputStream(document));
            assertThat(sbom.packages().size()).isLessThanOrEqualTo(LIMITS.maxItems());
        }
        catch (InputException e) {
            assertExplained(e);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void reports(byte[] document)
    {
        try {
            VulnerabilityReport report = reports.read(new ByteArrayInputStream(document));
            assertThat(report.findings().size()).isLessThanOrEqualTo(LIMITS.maxItems());
        }
        catch (InputException e) {
            assertExplained(e);
        }
    }

    /** Runlight NDJSON, Falco, Tetragon, Tracee and Kubescape: the reader recognises the format from the content. */
    @FuzzTest(maxDuration = "5m")
    void events(byte[] document)
    {
        try {
            EventBatch batch = events.read(new ByteArrayInputStream(document));
            assertThat(batch.events().size()).isLessThanOrEqualTo(LIMITS.maxItems());
            batch.errors().forEach(error -> assertThat(error.message()).isNotBlank());
        }
        catch (InputException e) {
            assertExplained(e);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void procMaps(byte[] document)
    {
        try {
            EventBatch batch = events.readProcMaps(new ByteArrayInputStream(document),
                    new ContainerIdentity(Optional.of("prod"), Optional.of("shop"), Optional.of("Deployment"), Optional.of("cart"), Optional.empty(),
                            Optional.of("cart"), Optional.empty(), Optional.empty(), Optional.empty()),
                    Instant.parse("2026-11-28T12:00:00Z"));
            assertThat(batch.events().size()).isLessThanOrEqualTo(LIMITS.maxItems());
        }
        catch (InputException e) {
            assertExplained(e);
        }
    }

    private static void assertExplained(InputException e)
    {
        assertThat(e.getMessage()).isNotBlank();
        assertThat(e.problem()).isNotBlank();
    }
}
