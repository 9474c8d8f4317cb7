package io.runlight.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.runlight.insights.input.InputLimits;
import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomReader;

/**
 * Where the benchmarks keep generated images (system property {@code runlight.bench.dir},
 * default {@code target/synthetic} under the working directory), so that every JMH fork and
 * the memory measurement reuse one generation instead of writing 150 MB again.
 */
final class SyntheticImages
{
    private SyntheticImages() {}

    static SyntheticImage image(SyntheticSbomGenerator.Options options)
            throws IOException
    {
        return SyntheticSbomGenerator.cached(Path.of(System.getProperty("runlight.bench.dir", "target/synthetic")), options);
    }

    /** Reads the image's SBOM with the engine's reader, as the hub does. */
    static Sbom readSbom(SyntheticImage image)
            throws IOException
    {
        try (InputStream in = Files.newInputStream(image.sbom())) {
            return new SbomReader(InputLimits.DEFAULT).read(in);
        }
    }
}
