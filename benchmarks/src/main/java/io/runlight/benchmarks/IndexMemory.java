package io.runlight.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.runlight.insights.index.OwnershipIndex;
import io.runlight.insights.sbom.Sbom;

/**
 * Issue 3 measurement (c): the heap an {@link OwnershipIndex} keeps for the 1,000,000-file
 * image once its {@link Sbom} is gone, per owned path, against a plain
 * {@code HashMap<String, Integer>} of the same canonical paths measured the same way. Heap is
 * read from {@link MemoryMXBean} after several full collections, before and after each
 * structure exists. Target: at most 80 bytes per owned path.
 *
 * <p>Not a JMH benchmark: retained size is one number, not a rate. Run it with a fixed heap
 * and the serial collector for stable figures ({@code run.sh} does):
 * {@code java -Xms6g -Xmx6g -XX:+UseSerialGC -cp benchmarks.jar io.runlight.benchmarks.IndexMemory [out.json]}.
 */
public final class IndexMemory
{
    /** The target, in bytes per owned path. */
    static final double TARGET_BYTES_PER_PATH = 80;

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private IndexMemory() {}

    public static void main(String[] args)
            throws IOException, InterruptedException
    {
        Path out = Path.of(args.length > 0 ? args[0] : "target/index-memory.json");
        SyntheticSbomGenerator.Options options = SyntheticSbomGenerator.Options.DEFAULT;
        SyntheticImage image = SyntheticImages.image(options);

        long empty = usedAfterCollections();
        long[] during = new long[2];
        OwnershipIndex index = buildIndex(image, during);
        long indexOnly = usedAfterCollections();
        int indexPaths = index.size();
        Reference.reachabilityFence(index);
        index = null;

        long beforeMap = usedAfterCollections();
        Map<String, Integer> map = new HashMap<>();
        image.forEachOwnedPath(map::put);
        long withMap = usedAfterCollections();
        int mapPaths = map.size();
        Reference.reachabilityFence(map);

        long indexBytes = indexOnly - empty;
        long mapBytes = withMap - beforeMap;
        double perPath = (double) indexBytes / indexPaths;
        double mapPerPath = (double) mapBytes / mapPaths;
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (OutputStream stream = Files.newOutputStream(out);
                JsonGenerator json = new JsonFactory().createGenerator(stream, JsonEncoding.UTF8).useDefaultPrettyPrinter()) {
            json.writeStartObject();
            json.writeNumberField("packages", options.packages());
            json.writeNumberField("listedFiles", image.listedFiles());
            json.writeNumberField("ownedPaths", image.ownedPathCount());
            json.writeNumberField("indexPaths", indexPaths);
            json.writeNumberField("sbomDocumentBytes", Files.size(image.sbom()));
            json.writeNumberField("sbomHeapBytes", during[0] - empty);
            json.writeNumberField("sbomAndIndexHeapBytes", during[1] - empty);
            json.writeNumberField("indexHeapBytes", indexBytes);
            json.writeNumberField("indexBytesPerPath", round(perPath));
            json.writeNumberField("baselineHeapBytes", mapBytes);
            json.writeNumberField("baselineBytesPerPath", round(mapPerPath));
            json.writeNumberField("targetBytesPerPath", TARGET_BYTES_PER_PATH);
            json.writeEndObject();
        }
        System.out.printf(Locale.ROOT, "Sbom on heap: %,d bytes; Sbom + index: %,d bytes%n", during[0] - empty, during[1] - empty);
        System.out.printf(Locale.ROOT, "OwnershipIndex alone: %,d bytes for %,d paths = %.1f bytes/path (target <= %.0f)%n",
                indexBytes, indexPaths, perPath, TARGET_BYTES_PER_PATH);
        System.out.printf(Locale.ROOT, "HashMap<String,Integer>: %,d bytes for %,d paths = %.1f bytes/path%n", mapBytes, mapPaths, mapPerPath);
        System.out.println("written " + out);
    }

    // the Sbom lives only in this frame, so it is unreachable once the index is returned
    private static OwnershipIndex buildIndex(SyntheticImage image, long[] during)
            throws IOException, InterruptedException
    {
        Sbom sbom = SyntheticImages.readSbom(image);
        during[0] = usedAfterCollections();
        OwnershipIndex index = OwnershipIndex.of(sbom);
        during[1] = usedAfterCollections();
        Reference.reachabilityFence(sbom);
        return index;
    }

    private static long usedAfterCollections()
            throws InterruptedException
    {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static double round(double value)
    {
        return Math.round(value * 10) / 10.0;
    }
}
