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
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.runlight.hub.insights.HubMaps;

/**
 * A member's cold start: a new JVM running {@code runlight serve} (the same main class and
 * classpath as the distribution's launcher, HTTP and HTTPS as by default) on a data folder,
 * timed from the process start to the first 200 of {@code /health/ready}.
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

    /** Milliseconds from starting {@code runlight serve} on {@code dataDir} to ready. */
    double toReady(Path dataDir)
            throws IOException, InterruptedException
    {
        int port = BenchHub.freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(HAZELCAST_OPENS);
        command.add("-Dhazelcast.logging.type=slf4j");
        command.add("-Dhazelcast.phone.home.enabled=false");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.runlight.hub.cli.Main");
        command.addAll(List.of("serve", "--data-dir", dataDir.toString(), "--port", String.valueOf(port), "--tls-port", "0",
                "--cluster-port", String.valueOf(BenchHub.freePort())));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile());
        builder.environment().put("RUNLIGHT_PLUGINS_DIR", plugins.toString());
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
                        return (System.nanoTime() - start) / 1e6;
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
}
