package io.runlight.benchmarks.hub;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.runlight.insights.input.InputLimits;
import io.runlight.insights.profile.ImageProfile;
import io.runlight.insights.profile.ProfileBuilder;
import io.runlight.insights.profile.ProfileLimits;
import io.runlight.insights.runtime.EventBatch;
import io.runlight.insights.runtime.RuntimeEventReader;

/**
 * The first two steps of the hub's events ingest alone, per 50-event batch (the hub bench's own
 * 64 bodies, {@link HubBench#eventBatches()}, taken in turn): reading the NDJSON into events
 * ({@code decode}: format detection, lines, records, every check), and that plus making the
 * batch's profile ({@code decodeAndProfile}, as {@code ProfileWrites} does for a group). The
 * baseline is the cheapest pass over the same bytes, Jackson's {@code nextToken()} to the end
 * ({@code tokens}). Times are per batch; the ratio {@code tokens / decode} says how close the
 * event reader is to the parser it runs on.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar 'EventDecodeBenchmark' -f 1 -wi 5 -i 5 -w 2s -r 2s</pre>
 *
 * <p>Not final: JMH generates subclasses of benchmark classes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EventDecodeBenchmark
{
    private byte[][] batches;
    private RuntimeEventReader reader;
    private JsonFactory factory;
    private int next;

    @Setup(Level.Trial)
    public void setUp()
    {
        io.vertx.core.buffer.Buffer[] bodies = HubBench.eventBatches();
        batches = new byte[bodies.length][];
        for (int i = 0; i < bodies.length; i++) {
            batches[i] = bodies[i].getBytes();
        }
        reader = new RuntimeEventReader(InputLimits.DEFAULT);
        factory = new JsonFactory();
    }

    private byte[] nextBatch()
    {
        next = (next + 1) % batches.length;
        return batches[next];
    }

    @Benchmark
    public EventBatch decode()
    {
        return reader.read(new ByteArrayInputStream(nextBatch()));
    }

    @Benchmark
    public ImageProfile decodeAndProfile()
    {
        EventBatch batch = reader.read(new ByteArrayInputStream(nextBatch()));
        return new ProfileBuilder(ProfileLimits.DEFAULT).addAll(batch.events()).build();
    }

    @Benchmark
    public long tokens()
            throws IOException
    {
        long tokens = 0;
        try (JsonParser parser = factory.createParser(nextBatch())) {
            while (parser.nextToken() != null) {
                tokens++;
            }
        }
        return tokens;
    }
}
