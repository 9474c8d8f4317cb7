package io.runlight.hub.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.runlight.hub.cli.Main;

import static java.util.Objects.requireNonNull;

/**
 * A hub member in its own JVM, run as {@code runlight serve} runs it, so a test can
 * {@code kill -9} it. Its stdout and stderr go to a log file; {@link #start} returns once
 * it prints its "listening" lines.
 */
final class HubProcess
        implements AutoCloseable
{
    private static final String LISTENING = "Runlight hub listening on ";

    private final Process process;
    private final Path log;
    private final String httpUrl;

    private HubProcess(Process process, Path log, String httpUrl)
    {
        this.process = requireNonNull(process, "process is null");
        this.log = requireNonNull(log, "log is null");
        this.httpUrl = requireNonNull(httpUrl, "httpUrl is null");
    }

    /**
     * Runs {@code runlight serve} with {@code arguments} (after {@code serve}) and the
     * {@code RUNLIGHT_*} {@code environment}, and waits until it listens.
     */
    static HubProcess start(List<String> arguments, Map<String, String> environment, Path log)
            throws IOException, InterruptedException
    {
        ProcessBuilder builder = new ProcessBuilder(command(arguments));
        builder.environment().keySet().removeIf(name -> name.startsWith("RUNLIGHT_"));
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(process, log, listening), "hub-process-output");
        pump.setDaemon(true);
        pump.start();
        try {
            String url = listening.get(60, TimeUnit.SECONDS);
            return new HubProcess(process, log, url);
        }
        catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            process.destroyForcibly();
            throw new IllegalStateException("hub process did not start listening; its log:\n" + tail(log), e);
        }
    }

    /** Runs {@code runlight serve ...} to its end (for a configuration it refuses) and returns its exit code. */
    static int run(List<String> arguments, Map<String, String> environment, Path log)
            throws IOException, InterruptedException
    {
        ProcessBuilder builder = new ProcessBuilder(command(arguments));
        builder.environment().keySet().removeIf(name -> name.startsWith("RUNLIGHT_"));
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true);
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("'runlight serve' did not exit; its log:\n" + tail(log));
        }
        return process.exitValue();
    }

    private static List<String> command(List<String> arguments)
    {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Djava.net.preferIPv4Stack=true",
                "-Dhazelcast.phone.home.enabled=false",
                "-Dhazelcast.logging.type=slf4j"));
        for (Map.Entry<String, String> property : HubTesting.FAST_MEMBER.entrySet()) {
            command.add("-D" + property.getKey() + "=" + property.getValue());
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve"));
        command.addAll(arguments);
        return command;
    }

    private static void pump(Process process, Path log, CompletableFuture<String> listening)
    {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                file.write(line);
                file.write('\n');
                file.flush();
                if (line.startsWith(LISTENING + "http://")) {
                    listening.complete(line.substring(LISTENING.length()).strip());
                }
            }
        }
        catch (IOException e) {
            // the process was killed while we read: what it printed so far is in the log
            listening.completeExceptionally(e);
        }
        listening.completeExceptionally(new IllegalStateException("the hub process ended before it listened"));
    }

    /** The base URL of its plain HTTP listener. */
    String httpUrl()
    {
        return httpUrl;
    }

    long pid()
    {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no flush, no graceful leave. */
    void kill()
            throws InterruptedException
    {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("hub process " + process.pid() + " did not die within 30 s of SIGKILL");
        }
    }

    String log()
    {
        return tail(log);
    }

    @Override
    public void close()
            throws InterruptedException
    {
        if (process.isAlive()) {
            kill();
        }
    }

    static String tail(Path log)
    {
        try {
            if (!Files.exists(log)) {
                return "(no output)";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read log '" + log + "'", e);
        }
    }
}
