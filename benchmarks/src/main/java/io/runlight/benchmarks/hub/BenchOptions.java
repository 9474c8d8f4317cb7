package io.runlight.benchmarks.hub;

import java.nio.file.Path;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The bench's command line: {@code --plugins DIR} (required: a folder with the snyk and
 * webhook plugin jars), and optional {@code --seconds N} (measured time per load run, 15),
 * {@code --warmup N} (5), {@code --connections N} (16), {@code --trials N} (100),
 * {@code --images N} (images listed, 1000), {@code --huge-packages N} (packages of one more image among
 * those listed, a CycloneDX SBOM of components without files, 1000000; 0 leaves it out), {@code --cold-images N} (images for the second
 * cold start, 10000; 0 skips it), {@code --sbom-runs N} (3), {@code --soak-minutes N} (minutes of
 * mixed events and Snyk-serve load, the heap used after a full GC noted every 30 s; 0 skips it,
 * the default), {@code --work DIR}
 * (benchmarks/target/hub-bench), {@code --json FILE} ({@code <work>/hub-bench.json}) and
 * {@code --skip a,b} (any of trials, events, serve, listing, sbom, members, coldstart).
 */
record BenchOptions(Path plugins, int seconds, int warmUp, int connections, int trials, int images, int hugePackages, int coldImages, int sbomRuns, int soakMinutes, Path work, Path json, Set<String> skip)
{
    static final Set<String> PARTS = Set.of("trials", "events", "serve", "listing", "sbom", "members", "coldstart");

    /** What {@code --help} prints (benchmarks/run-hub.sh gives {@code --plugins} itself). */
    static final String USAGE = """
            usage: benchmarks/run-hub.sh [options]    (SKIP_BUILD=1 reuses the built jars; BENCH_JAVA_OPTS go to the JVM)
              --seconds N        measured time per load run (15)
              --warmup N         warm-up seconds before each load run (5)
              --connections N    connections of each load run (16)
              --trials N         exec -> served and exec -> webhook trials (100)
              --images N         images in the admin listing (1000)
              --huge-packages N  packages of one more image among those listed (1000000; 0 leaves it out)
              --cold-images N    images for the second cold start (10000; 0 skips it)
              --sbom-runs N      SBOM ingests measured, the median reported (3)
              --soak-minutes N   minutes of mixed load, the heap noted every 30 s (0: none)
              --work DIR         working folder (benchmarks/target/hub-bench)
              --json FILE        where the JSON report goes (<work>/hub-bench.json)
              --skip a,b         parts left out: trials, events, serve, listing, sbom, members, coldstart
              --plugins DIR      a folder with the snyk and webhook plugin jars (run-hub.sh makes one)
            """;

    BenchOptions
    {
        requireNonNull(plugins, "plugins is null");
        skip = Set.copyOf(skip);
    }

    static BenchOptions parse(String[] args)
    {
        Path plugins = null;
        int seconds = 15;
        int warmUp = 5;
        int connections = 16;
        int trials = 100;
        int images = 1000;
        int hugePackages = 1_000_000;
        int coldImages = 10_000;
        int sbomRuns = 3;
        int soakMinutes = 0;
        Path work = Path.of("benchmarks", "target", "hub-bench");
        Path json = null;
        Set<String> skip = Set.of();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option '" + name + "' needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--plugins" -> plugins = Path.of(value);
                case "--seconds" -> seconds = positive(name, value);
                case "--warmup" -> warmUp = positive(name, value);
                case "--connections" -> connections = positive(name, value);
                case "--trials" -> trials = positive(name, value);
                case "--images" -> images = positive(name, value);
                case "--huge-packages" -> hugePackages = Integer.parseInt(value);
                case "--cold-images" -> coldImages = Integer.parseInt(value);
                case "--sbom-runs" -> sbomRuns = positive(name, value);
                case "--soak-minutes" -> soakMinutes = Integer.parseInt(value);
                case "--work" -> work = Path.of(value);
                case "--json" -> json = Path.of(value);
                case "--skip" -> {
                    skip = Set.of(value.split(","));
                    for (String part : skip) {
                        if (!PARTS.contains(part)) {
                            throw new IllegalArgumentException("--skip '" + part + "' is not a part of the bench: use any of " + PARTS);
                        }
                    }
                }
                default -> throw new IllegalArgumentException("unknown option '" + name + "'");
            }
        }
        if (plugins == null) {
            throw new IllegalArgumentException("--plugins is required: a folder with the snyk and webhook plugin jars (benchmarks/run-hub.sh makes one)");
        }
        return new BenchOptions(plugins.toAbsolutePath(), seconds, warmUp, connections, trials, images, hugePackages, coldImages, sbomRuns, soakMinutes, work.toAbsolutePath(),
                json == null ? work.toAbsolutePath().resolve("hub-bench.json") : json.toAbsolutePath(), skip);
    }

    boolean runs(String part)
    {
        return !skip.contains(part);
    }

    private static int positive(String name, String value)
    {
        int number = Integer.parseInt(value);
        if (number < 1) {
            throw new IllegalArgumentException("option '" + name + "' must be at least 1: " + value);
        }
        return number;
    }
}
