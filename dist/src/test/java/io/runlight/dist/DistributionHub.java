package io.runlight.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * {@code bin/runlight serve} of an unpacked distribution, run as a user runs it: through
 * the launcher, in its own process, with none of this JVM's {@code RUNLIGHT_*}
 * variables. Returns once the hub prints both "listening" lines.
 */
final class DistributionHub
        implements AutoCloseable
{
    static final String LISTENING = "Runlight hub listening on ";

    /** Small, fast JVM and Hazelcast settings for a test member, passed as a user would: in RUNLIGHT_JAVA_OPTS. */
    private static final String JAVA_OPTS = String.join(" ",
            "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djava.net.preferIPv4Stack=true",
            "-Dhazelcast.partition.count=31", "-Dhazelcast.wait.seconds.before.join=1", "-Dhazelcast.max.wait.seconds.before.join=3",
            "-Dhazelcast.graceful.shutdown.max.wait=10");

    private final Path home;
    private final Path dataDir;
    private final Process process;
    private final Path log;
    private final String httpUrl;
    private final String httpsUrl;

    private DistributionHub(Path home, Path dataDir, Process process, Path log, String httpUrl, String httpsUrl)
    {
        this.home = requireNonNull(home, "home is null");
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.process = requireNonNull(process, "process is null");
        this.log = requireNonNull(log, "log is null");
        this.httpUrl = requireNonNull(httpUrl, "httpUrl is null");
        this.httpsUrl = requireNonNull(httpsUrl, "httpsUrl is null");
    }

    /** Runs {@code home/bin/runlight serve} with its data in {@code dataDir} on free ports. */
    static DistributionHub start(Path home, Path dataDir, Path log)
            throws IOException, InterruptedException
    {
        return start(home, dataDir, log, List.of());
    }

    /** The same, with {@code extraArguments} appended to {@code serve}'s, for example {@code --config FILE}. */
    static DistributionHub start(Path home, Path dataDir, Path log, List<String> extraArguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/runlight").toString(), "serve",
                "--data-dir", dataDir.toString(),
                "--port", Integer.toString(freePort()),
                "--tls-port", Integer.toString(freePort()),
                "--cluster-port", Integer.toString(freePort())));
        command.addAll(requireNonNull(extraArguments, "extraArguments is null"));
        ProcessBuilder builder = launcher(command);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        CompletableFuture<String> http = new CompletableFuture<>();
        CompletableFuture<String> https = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(process, log, http, https), "distribution-hub-output");
        pump.setDaemon(true);
        pump.start();
        try {
            return new DistributionHub(home, dataDir, process, log, http.get(60, TimeUnit.SECONDS), https.get(10, TimeUnit.SECONDS));
        }
        catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
            throw new IllegalStateException("'bin/runlight serve' did not start listening; its output:\n" + tail(log), e);
        }
    }

    /** A process builder for the launcher: the parent's environment without RUNLIGHT_*, Java from this JVM. */
    static ProcessBuilder launcher(List<String> command)
    {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("RUNLIGHT_"));
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("RUNLIGHT_JAVA_OPTS", JAVA_OPTS);
        return builder;
    }

    /** {@code bin/runlight admin-token --data-dir DATA --role admin}: an admin JWT from the hub's own key. */
    String adminToken()
            throws IOException, InterruptedException
    {
        Process minting = launcher(List.of(home.resolve("bin/runlight").toString(), "admin-token",
                "--data-dir", dataDir.toString(), "--role", "admin"))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(minting.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!minting.waitFor(30, TimeUnit.SECONDS)) {
            minting.destroyForcibly();
            throw new IllegalStateException("'bin/runlight admin-token' did not finish within 30 s");
        }
        if (minting.exitValue() != 0) {
            throw new IllegalStateException("'bin/runlight admin-token' failed with exit code " + minting.exitValue());
        }
        List<String> lines = output.join().lines().filter(line -> !line.isBlank()).toList();
        if (lines.size() != 1) {
            throw new IllegalStateException("'bin/runlight admin-token' printed " + lines.size() + " lines, not just the token");
        }
        return lines.get(0).strip();
    }

    String httpUrl()
    {
        return httpUrl;
    }

    String httpsUrl()
    {
        return httpsUrl;
    }

    String log()
    {
        return tail(log);
    }

    /** The whole output so far. */
    String output()
    {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the hub's output '" + log + "'", e);
        }
    }

    /** SIGTERM (a graceful stop), then SIGKILL if it is still running after 20 s. */
    @Override
    public void close()
            throws InterruptedException
    {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException("no free port on the loopback interface", e);
        }
    }

    private static void pump(Process process, Path log, CompletableFuture<String> http, CompletableFuture<String> https)
    {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                file.write(line);
                file.write('\n');
                file.flush();
                if (line.startsWith(LISTENING + "http://")) {
                    http.complete(line.substring(LISTENING.length()).strip());
                }
                if (line.startsWith(LISTENING + "https://")) {
                    https.complete(line.substring(LISTENING.length()).strip());
                }
            }
        }
        catch (IOException e) {
            http.completeExceptionally(e);
            https.completeExceptionally(e);
        }
        IllegalStateException ended = new IllegalStateException("the hub process ended before it listened");
        http.completeExceptionally(ended);
        https.completeExceptionally(ended);
    }

    private static String tail(Path log)
    {
        try {
            if (!Files.exists(log)) {
                return "(no output)";
            }
            List<String> lines = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the hub's output '" + log + "'", e);
        }
    }
}
