package io.runlight.benchmarks.hub;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.runlight.hub.insights.HubMaps;

/**
 * A member's cold start: a new JVM running {@code runlight serve} (the same main class and
 * classpath as the distribution's launcher, HTTP and HTTPS as by default) on a data folder,
 * timed from the process start to the first 200 of {@code /health/ready}, with or without a
 * class-data archive made as the launcher's {@code runlight cds} makes it.
 */
final class ColdStart
{
    private static final List<String> HAZELCAST_OPENS = List.of("--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED", "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    private final Path plugins;
    private final Path work;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();

    ColdStart(Path plugins, Path work)
    {
        this.plugins = plugins;
        this.work = work;
    }

    /** How long a start took to ready, and the CPU time its process had used by then (all threads, JIT compilers included). */
    record Start(double millis, double cpuMillis) {}

    /**
     * A class-data archive of the classes a start loads, as {@code runlight cds} makes it: a hub
     * started on an empty folder with {@code --exit-when-started}, its JVM recording the classes as it exits.
     */
    Path classDataArchive()
            throws IOException, InterruptedException
    {
        Path archive = work.resolve("runlight.jsa");
        Files.deleteIfExists(archive);
        Path dataDir = emptyFolder();
        List<String> command = java(List.of("-XX:ArchiveClassesAtExit=" + archive));
        command.addAll(List.of("serve", "--data-dir", dataDir.toString(), "--port", "0", "--tls-port", "0", "--cluster-port", "0", "--exit-when-started"));
        Process process = processBuilder(command, dataDir).start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0 || !Files.isRegularFile(archive)) {
            process.destroyForcibly();
            throw new IllegalStateException("the start that records the class-data archive failed; see its log beside " + dataDir);
        }
        return archive;
    }

    Path emptyFolder()
            throws IOException
    {
        return Files.createDirectories(work.resolve("cold-empty-" + System.currentTimeMillis()));
    }

    /** A data folder holding {@code images} images (variants of the demo's alpine SBOM under new digests), made by a hub in this JVM. */
    Path populated(int images, byte[] alpineSbom)
            throws IOException
    {
        Path folder = work.resolve("cold-" + images + "-images");
        Path marker = folder.resolve("bench-complete");
        if (Files.exists(marker)) {
            return folder;
        }
        String json = new String(alpineSbom, StandardCharsets.UTF_8);
        Random random = new Random(images);
        try (BenchHub hub = BenchHub.start(folder, plugins, Map.of("insights.learning-window", "PT0S"))) {
            int stored = hub.hub().store().map(HubMaps.IMAGES).size();
            for (int image = stored; image < images; image++) {
                hub.post("/api/v1/sboms", "application/json", HubBench.alpineVariant(json, random), 201);
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while (hub.hub().store().map(HubMaps.INSIGHTS).size() < images) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the insights of " + images + " images were not computed within 30 minutes");
                }
                Thread.sleep(500);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing " + images + " images", e);
        }
        Files.writeString(marker, "done\n");
        return folder;
    }

    /** From starting {@code runlight serve} on {@code dataDir} (with {@code archive}, if any) to ready. */
    Start toReady(Path dataDir, Optional<Path> archive)
            throws IOException, InterruptedException
    {
        int port = BenchHub.freePort();
        List<String> command = java(archive.map(file -> List.of("-XX:SharedArchiveFile=" + file, "-Xlog:cds=off", "-Xlog:cds+dynamic=off")).orElse(List.of()));
        command.addAll(List.of("serve", "--data-dir", dataDir.toString(), "--port", String.valueOf(port), "--tls-port", "0",
                "--cluster-port", String.valueOf(BenchHub.freePort())));
        ProcessBuilder builder = processBuilder(command, dataDir);
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).timeout(Duration.ofSeconds(2)).GET().build();
        long start = System.nanoTime();
        Process process = builder.start();
        try {
            long deadline = start + Duration.ofMinutes(10).toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("runlight serve exited with " + process.exitValue() + " before it was ready; see its log beside " + dataDir);
                }
                try {
                    if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        double millis = (System.nanoTime() - start) / 1e6;
                        double cpuMillis = process.info().totalCpuDuration().map(cpu -> cpu.toNanos() / 1e6).orElse(Double.NaN);
                        return new Start(millis, cpuMillis);
                    }
                }
                catch (IOException notListening) {
                    // not listening yet: try again
                }
                Thread.sleep(10);
            }
            throw new IllegalStateException("runlight serve was not ready within 10 minutes on " + dataDir);
        }
        finally {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** The JVM and flags of the distribution's launcher, then {@code jvmOptions}, then its main class. */
    private static List<String> java(List<String> jvmOptions)
    {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(HAZELCAST_OPENS);
        command.add("-Dhazelcast.logging.type=slf4j");
        command.add("-Dhazelcast.phone.home.enabled=false");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.runlight.hub.cli.Main");
        return command;
    }

    private ProcessBuilder processBuilder(List<String> command, Path dataDir)
    {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile());
        builder.environment().put("RUNLIGHT_PLUGINS_DIR", plugins.toString());
        return builder;
    }
}
