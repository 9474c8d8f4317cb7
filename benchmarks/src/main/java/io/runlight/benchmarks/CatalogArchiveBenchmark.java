package io.runlight.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.sun.management.OperatingSystemMXBean;

import io.runlight.insights.catalog.Catalog;
import io.runlight.insights.catalog.CatalogLimits;
import io.runlight.insights.catalog.Cataloger;
import io.runlight.insights.sbom.SbomPackage;

/**
 * Issue 16's measurement: Runlight cataloging a 1.1 GB {@code docker save} archive against
 * GNU {@code tar -t} of the same file, in the same run, the file in the page cache for both.
 * The baseline is {@code tar --no-seek -tf}: tar reading the whole file, as a listing of a
 * stream must. Plain {@code tar -tf} is shown too: on a regular file GNU tar seeks past members,
 * so it only reads the outer archive's dozen headers, not the layers' contents. Target: the
 * catalog in less than 2 times the baseline.
 *
 * <p>Not JMH: one cold run is the figure (a catalog is a one-off job, JIT warm-up included).
 * {@code java -cp target/benchmarks.jar io.runlight.benchmarks.CatalogArchiveBenchmark [archive]}
 * (the archive is generated under {@code target/synthetic} the first time).
 */
public final class CatalogArchiveBenchmark
{
    static final double TARGET_RATIO = 2.0;

    private CatalogArchiveBenchmark() {}

    public static void main(String[] args)
            throws IOException, InterruptedException
    {
        Path archive = SyntheticImageArchive.createIfAbsent(Path.of(args.length > 0 ? args[0] : "target/synthetic/image-1g-v2.tar"));
        long size = Files.size(archive);
        warm(archive);

        double[] tarCpu = new double[1];
        double tarNoSeek = seconds(() -> tarCpu[0] = cpuOfChild(List.of("tar", "--no-seek", "-tf", archive.toString())));
        double tarSeek = seconds(() -> run(List.of("tar", "-tf", archive.toString())));
        Path scratch = Files.createTempDirectory("runlight-bench-");
        Catalog[] catalog = new Catalog[1];
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        double ours = seconds(() -> catalog[0] = new Cataloger(CatalogLimits.DEFAULT, Optional.of(scratch)).catalogArchive(archive));
        double oursCpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
        Files.delete(scratch);

        Map<String, Integer> byType = new TreeMap<>();
        long files = 0;
        for (SbomPackage sbomPackage : catalog[0].packages()) {
            byType.merge(sbomPackage.pkg().type().wireName(), 1, Integer::sum);
            files += sbomPackage.ownedFiles().size();
        }
        double ratio = ours / tarNoSeek;
        double cpuRatio = oursCpu / tarCpu[0];
        System.out.printf(Locale.ROOT, "archive                 %s (%.2f GB; %s)%n", archive, size / 1e9, String.join("; ", SyntheticImageArchive.describe()));
        System.out.printf(Locale.ROOT, "catalog                 %.3f s, %.3f s of CPU (%d packages %s, %d owned files)%n", ours, oursCpu, catalog[0].packages().size(), byType, files);
        System.out.printf(Locale.ROOT, "tar --no-seek -tf       %.3f s, %.3f s of CPU (baseline: reads the whole file)%n", tarNoSeek, tarCpu[0]);
        System.out.printf(Locale.ROOT, "tar -tf                 %.3f s (seeks over the layers: reads the outer headers only)%n", tarSeek);
        System.out.printf(Locale.ROOT, "ratio catalog/baseline  %.2f elapsed, %.2f CPU (target < %.1f): %s%n", ratio, cpuRatio, TARGET_RATIO, ratio < TARGET_RATIO ? "PASS" : "FAIL");
        System.out.printf(Locale.ROOT, "load average            %.2f (a loaded machine stretches the catalog's elapsed time more than tar's)%n", os.getSystemLoadAverage());
        Path out = Path.of("target/catalog-archive.json");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, String.format(Locale.ROOT,
                "{\"archiveBytes\":%d,\"catalogSeconds\":%.3f,\"tarNoSeekSeconds\":%.3f,\"tarSeekSeconds\":%.3f,\"ratio\":%.3f,\"catalogCpuSeconds\":%.3f,\"tarCpuSeconds\":%.3f,\"cpuRatio\":%.3f,\"target\":%.1f,\"packages\":%d,\"ownedFiles\":%d}%n",
                size, ours, tarNoSeek, tarSeek, ratio, oursCpu, tarCpu[0], cpuRatio, TARGET_RATIO, catalog[0].packages().size(), files), StandardCharsets.UTF_8);
    }

    // both sides read from the page cache, not the disk
    private static void warm(Path archive)
            throws IOException
    {
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(archive)) {
            while (in.read(buffer) >= 0) {
                // reading is the point
            }
        }
    }

    // the child's user + system CPU seconds, as bash's times builtin reports them for its children
    private static double cpuOfChild(List<String> command)
            throws IOException, InterruptedException
    {
        String script = String.join(" ", command) + " > /dev/null; times";
        Process process = new ProcessBuilder("bash", "-c", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(script + " failed");
        }
        // second line: "<children user>m<s>s <children system>m<s>s"
        String[] children = out.strip().split("\n")[1].trim().split("\\s+");
        return minutesSeconds(children[0]) + minutesSeconds(children[1]);
    }

    private static double minutesSeconds(String text)
    {
        int m = text.indexOf('m');
        return Integer.parseInt(text.substring(0, m)) * 60 + Double.parseDouble(text.substring(m + 1, text.length() - 1));
    }

    private static void run(List<String> command)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    private interface Timed
    {
        void run()
                throws IOException, InterruptedException;
    }

    private static double seconds(Timed timed)
            throws IOException, InterruptedException
    {
        long start = System.nanoTime();
        timed.run();
        return (System.nanoTime() - start) / 1e9;
    }
}
