package io.runlight.benchmarks;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.runlight.insights.index.Ownership;
import io.runlight.insights.index.OwnershipIndex;

/**
 * Issue 3 benchmark (a): matching one observed path to its owning packages, as every
 * runtime event needs. {@link #ours} asks the {@link OwnershipIndex} of the 20,000-package,
 * 1,000,000-file image with the raw path as events carry it (so normalisation is included);
 * {@link #baseline} asks a plain {@code HashMap<String, Integer>} of the same owned paths with
 * the already-canonical path. Both walk the same shuffled 64 Ki observed paths (70% owned).
 * Target: ours / baseline throughput at least 0.5.
 *
 * <p>Not final: JMH generates subclasses of benchmark classes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class EventMatchingBenchmark
{
    private OwnershipIndex index;
    private Map<String, Integer> baseline;
    private String[] raw;
    private String[] canonical;
    private int mask;
    private int cursor;

    @Setup(Level.Trial)
    public void setUp()
            throws IOException
    {
        SyntheticImage image = SyntheticImages.image(SyntheticSbomGenerator.Options.DEFAULT);
        index = OwnershipIndex.of(SyntheticImages.readSbom(image));
        Map<String, Integer> paths = new HashMap<>();
        image.forEachOwnedPath(paths::put);
        baseline = paths;
        List<ObservedPath> observed = image.readObservedPaths();
        if (Integer.bitCount(observed.size()) != 1) {
            throw new IllegalStateException("the number of observed paths must be a power of two: " + observed.size());
        }
        raw = new String[observed.size()];
        canonical = new String[observed.size()];
        for (int i = 0; i < observed.size(); i++) {
            raw[i] = observed.get(i).raw();
            canonical[i] = observed.get(i).canonical();
        }
        mask = observed.size() - 1;
    }

    @Benchmark
    public List<Ownership> ours()
    {
        return index.lookup(raw[cursor++ & mask]);
    }

    @Benchmark
    public Integer baseline()
    {
        return baseline.get(canonical[cursor++ & mask]);
    }
}
