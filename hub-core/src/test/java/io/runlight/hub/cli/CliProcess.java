package io.runlight.hub.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * {@code runlight} in a JVM of its own, for what a test cannot change in its own JVM: the
 * environment. Every {@code RUNLIGHT_*} variable of this JVM is removed first, then the
 * given ones are set.
 */
record CliProcess(int exitCode, String out, String err)
{
    CliProcess
    {
        requireNonNull(out, "out is null");
        requireNonNull(err, "err is null");
    }

    static CliProcess run(Map<String, String> environment, String... args)
    {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("RUNLIGHT_"));
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            // the outputs are small: read one after the other
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("runlight " + String.join(" ", args) + " did not finish within 60 s");
            }
            return new CliProcess(process.exitValue(), out, err);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot run runlight " + String.join(" ", args), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
