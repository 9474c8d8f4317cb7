package io.runlight.hub.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import io.runlight.insights.correlate.AnalysisPolicy;
import io.runlight.insights.correlate.ImageAnalysis;
import io.runlight.insights.correlate.ImageAnalyzer;
import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.FormatDetector;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.report.InsightsJsonWriter;
import io.runlight.insights.runtime.ContainerIdentity;
import io.runlight.insights.runtime.EventBatch;
import io.runlight.insights.runtime.RuntimeEvent;
import io.runlight.insights.runtime.RuntimeEventReader;
import io.runlight.insights.sbom.GivenImage;
import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomReader;
import io.runlight.insights.vex.VexDocuments;
import io.runlight.insights.vex.VexOptions;
import io.runlight.insights.vuln.VulnerabilityReport;
import io.runlight.insights.vuln.VulnerabilityReportReader;
import io.runlight.plugin.api.connector.VexFormat;

/**
 * {@code runlight analyze}: offline analysis of files, no server. Verdicts are given as
 * of the last event, so the same files always give the same output.
 */
@Command(
        name = "analyze",
        mixinStandardHelpOptions = true,
        description = {
                "Which packages and vulnerabilities of an image are in use, from an SBOM, scan reports and runtime events.",
                "Works offline on files; formats are detected from the content."},
        footer = {
                "",
                "Example:",
                "  runlight analyze --sbom alpine.syft.json --vulns alpine.grype.json --events falco.json --learning-window 0"})
public final class AnalyzeCommand
        implements Callable<Integer>
{
    /** Output forms. */
    public enum OutputFormat
    {
        table, json, openvex, cyclonedx
    }

    @Spec
    private CommandSpec spec;

    @Option(names = "--sbom", required = true, paramLabel = "FILE", description = "SBOM: Syft JSON, CycloneDX JSON, SPDX 2.3 JSON or Trivy JSON.")
    private Path sbomFile;

    @Option(names = "--image", paramLabel = "REF",
            description = "The image the SBOM and reports describe, when they name none (cdxgen, cyclonedx-npm, npm sbom, trivy rootfs): sha256:<digest> or name@sha256:<digest>. Refused if a document names another digest.")
    private String image;

    @Option(names = "--root", paramLabel = "PATH", defaultValue = "/",
            description = "Where the scanned folder is in the container (default ${DEFAULT-VALUE}): paths the SBOM writes relative to it (node_modules/express) are resolved against it.")
    private String root;

    @Option(names = "--vulns", paramLabel = "FILE", description = "Scan report (Grype, Trivy or CycloneDX JSON); repeat for several.")
    private List<Path> reportFiles = new ArrayList<>();

    @Option(names = "--events", paramLabel = "FILE", description = "Runtime events (Runlight NDJSON, Falco, Tetragon, Tracee, Kubescape, /proc/<pid>/maps); repeat for several.")
    private List<Path> eventFiles = new ArrayList<>();

    @Option(names = "--learning-window", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Observation needed before a package can be called not in use (default ${DEFAULT-VALUE}); 0 makes any observed profile complete.",
            defaultValue = "PT24H")
    private Duration learningWindow;

    @Option(names = "--data-opens-count", description = "Count opening a package's data files as use, not only code.")
    private boolean dataOpensCount;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table (default), json, openvex or cyclonedx.")
    private OutputFormat format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to this file instead of standard output.")
    private Path out;

    @Override
    public Integer call()
            throws IOException
    {
        InputLimits limits = InputLimits.DEFAULT;
        Optional<GivenImage> given = givenImage();
        SbomReader sbomReader = new SbomReader(limits);
        Sbom sbom = read(sbomFile, in -> sbomReader.read(in, root));
        if (given.isPresent()) {
            sbom = named(sbomFile, sbom::withImage, given.get());
        }
        List<VulnerabilityReport> reports = new ArrayList<>();
        for (Path file : reportFiles) {
            VulnerabilityReport report = read(file, new VulnerabilityReportReader(limits)::read);
            reports.add(given.isPresent() ? named(file, report::withImage, given.get()) : report);
        }
        RuntimeEventReader eventReader = new RuntimeEventReader(limits);
        List<RuntimeEvent> events = new ArrayList<>();
        for (Path file : eventFiles) {
            EventBatch batch = read(file, in -> readEvents(eventReader, file, in));
            if (batch.rejected() > 0) {
                spec.commandLine().getErr().println("runlight: " + file + ": " + batch.rejected() + " record(s) skipped; first: "
                        + batch.errors().get(0).location() + ": " + batch.errors().get(0).message());
            }
            events.addAll(batch.events());
        }
        Instant asOf = events.stream().map(RuntimeEvent::time).max(Instant::compareTo).orElse(Clock.systemUTC().instant());
        AnalysisPolicy policy = new AnalysisPolicy(learningWindow, dataOpensCount, AnalysisPolicy.DEFAULT.maxEvidencePerPackage(), AnalysisPolicy.DEFAULT.maxProcessesPerEvidence());
        ImageAnalysis analysis = new ImageAnalyzer(policy).analyze(sbom, reports, events, asOf);

        if (out == null) {
            PrintStream stdout = System.out;
            write(analysis, asOf, stdout);
            stdout.flush();
        }
        else {
            try (OutputStream file = Files.newOutputStream(out)) {
                write(analysis, asOf, file);
            }
        }
        return 0;
    }

    private Optional<GivenImage> givenImage()
    {
        if (image == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(GivenImage.parse(image));
        }
        catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--image': " + e.getMessage());
        }
    }

    private static <T> T named(Path file, Function<GivenImage, T> naming, GivenImage given)
    {
        try {
            return naming.apply(given);
        }
        catch (GivenImage.ImageMismatchException e) {
            throw new IllegalArgumentException("'" + file + "': " + e.getMessage(), e);
        }
    }

    private void write(ImageAnalysis analysis, Instant asOf, OutputStream target)
            throws IOException
    {
        switch (format) {
            case table -> TableReport.plain().withLearningWindow(learningWindow).write(List.of(analysis.image()), target);
            case json -> {
                InsightsJsonWriter.indented().writeImages(List.of(analysis.image()), target);
                target.write('\n');
            }
            case openvex -> target.write(new VexDocuments(VexOptions.DEFAULT).toBytes(analysis.image(), VexFormat.OPENVEX, asOf));
            case cyclonedx -> target.write(new VexDocuments(VexOptions.DEFAULT).toBytes(analysis.image(), VexFormat.CYCLONEDX, asOf));
        }
    }

    private static EventBatch readEvents(RuntimeEventReader reader, Path file, InputStream in)
    {
        BufferedInputStream buffered = FormatDetector.buffered(in);
        if (FormatDetector.detect(buffered) == DocumentFormat.PROC_MAPS) {
            // a maps snapshot has no identity or time of its own: one local container, at the file's time
            try {
                Instant time = Files.getLastModifiedTime(file).toInstant();
                return reader.readProcMaps(buffered, ContainerIdentity.UNKNOWN, time);
            }
            catch (IOException e) {
                throw new IllegalStateException("cannot read the time of '" + file + "': " + e.getMessage(), e);
            }
        }
        return reader.read(buffered);
    }

    private static <T> T read(Path file, Function<InputStream, T> reader)
    {
        try (InputStream in = Files.newInputStream(file)) {
            return reader.apply(in);
        }
        catch (NoSuchFileException e) {
            throw new IllegalArgumentException("file '" + file + "' does not exist");
        }
        catch (IOException e) {
            throw new IllegalArgumentException("cannot read '" + file + "': " + e.getMessage(), e);
        }
        catch (InputException e) {
            throw new IllegalArgumentException("'" + file + "' cannot be read: " + e.getMessage(), e);
        }
    }
}
