package io.runlight.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.runlight.insights.input.InputLimits;
import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomReader;

/**
 * Issue 3 benchmark (b): reading a Syft JSON document into an {@link Sbom} with the engine's
 * reader ({@link SbomReader}: format detection, streaming parse, limits, package drafts)
 * versus the cheapest possible pass over the same bytes, Jackson's {@code nextToken()} until
 * the end. Both read from the same in-memory {@code byte[]}. The document is the synthetic
 * image at 5,000 packages / 250,000 listed files by default (about a quarter of the 1M-file
 * image, to keep one operation well under the 2 s iteration), selectable with {@code -p}.
 * Target: ours / baseline throughput at least 0.4.
 *
 * <p>Not final: JMH generates subclasses of benchmark classes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class SyftIngestBenchmark
{
    @Param("5000")
    public int packages;

    @Param("250000")
    public int files;

    private byte[] document;
    private SbomReader reader;
    private JsonFactory factory;

    @Setup(Level.Trial)
    public void setUp()
            throws IOException
    {
        SyntheticSbomGenerator.Options defaults = SyntheticSbomGenerator.Options.DEFAULT;
        SyntheticImage image = SyntheticImages.image(
                new SyntheticSbomGenerator.Options(packages, files, defaults.seed(), defaults.flavor(), defaults.observedPaths()));
        document = Files.readAllBytes(image.sbom());
        reader = new SbomReader(InputLimits.DEFAULT);
        factory = new JsonFactory();
    }

    @Benchmark
    public Sbom ours()
    {
        return reader.read(new ByteArrayInputStream(document));
    }

    @Benchmark
    public long baseline()
            throws IOException
    {
        long tokens = 0;
        try (JsonParser parser = factory.createParser(document)) {
            while (parser.nextToken() != null) {
                tokens++;
            }
        }
        return tokens;
    }
}
