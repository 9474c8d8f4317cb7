package io.runlight.hub.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.sun.net.httpserver.HttpServer;

import io.runlight.hub.auth.AdminTokens;
import io.runlight.hub.auth.Role;
import io.runlight.hub.config.ConfigLoader;
import io.runlight.hub.plugin.PluginJarBuilder;
import io.runlight.hub.server.Hub;

/**
 * A real hub for CLI tests, started in this JVM on free loopback ports (H2 under the given
 * folder, one Hazelcast member, HTTP and HTTPS with its self-signed certificate), with the
 * echo plugin installed and a third party (a JDK HTTP server) the echo connector can test
 * against. Also runs {@code runlight} command lines with captured stdout and stderr.
 */
final class CliHub
        implements AutoCloseable
{
    static final String ECHO_FACTORY = "com.example.echo.EchoConnectorFactory";
    static final String RECEIVER_KEY = "k-secret-123";

    private final Hub hub;
    private final Path dataDir;
    private final HttpServer receiver;
    private final String adminJwt;
    private final String readJwt;

    private CliHub(Hub hub, Path dataDir, HttpServer receiver)
    {
        this.hub = hub;
        this.dataDir = dataDir;
        this.receiver = receiver;
        this.adminJwt = new AdminTokens(hub.jwt(), Clock.systemUTC()).mint(Role.ADMIN, Duration.ofHours(1), "test-cli");
        this.readJwt = new AdminTokens(hub.jwt(), Clock.systemUTC()).mint(Role.READ, Duration.ofHours(1), "test-cli-read");
    }

    static CliHub start(Path dataDir)
            throws IOException
    {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/health", exchange -> {
            boolean authorized = ("Bearer " + RECEIVER_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (authorized ? "{\"ok\":true}" : "{\"error\":\"bad key\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(authorized ? 200 : 401, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        receiver.start();
        Map<String, String> values = new HashMap<>();
        values.put("data-dir", dataDir.toString());
        values.put("http.port", "0");
        values.put("https.port", "0");
        values.put("cluster.port", "0");
        values.put("insights.learning-window", "0");
        // what a test ingests shows in insights after 50 ms, not after up to the default 500
        values.put("insights.refresh-interval", "50ms");
        Hub hub;
        try {
            hub = Hub.start(new ConfigLoader(Map.of()).load(Optional.empty(), values), Clock.systemUTC());
        }
        catch (RuntimeException e) {
            receiver.stop(0);
            throw e;
        }
        CliHub running = new CliHub(hub, dataDir, receiver);
        try {
            running.installEcho();
        }
        catch (RuntimeException | AssertionError e) {
            running.close();
            throw e;
        }
        return running;
    }

    private void installEcho()
    {
        Path plugins = hub.plugins().pluginsDir();
        PluginJarBuilder.compile("plugins/echo").plugin("echo-plugin", "1.0.0").extension(ECHO_FACTORY).installInto(plugins, "echo.jar");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (hub.plugins().connector("echo").isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the echo plugin did not start: " + hub.plugins().plugins());
            }
            hub.plugins().rescan();
            sleep(50);
        }
    }

    String httpsUrl()
    {
        return "https://127.0.0.1:" + hub.httpsPort().orElseThrow();
    }

    String httpUrl()
    {
        return "http://127.0.0.1:" + hub.httpPort().orElseThrow();
    }

    String receiverUrl()
    {
        return "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    Path dataDir()
    {
        return dataDir;
    }

    String adminJwt()
    {
        return adminJwt;
    }

    String readJwt()
    {
        return readJwt;
    }

    /** {@code runlight <args> --hub <https URL> --admin-token <admin JWT> --data-dir <the hub's folder>}. */
    Result admin(String... args)
    {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--hub", httpsUrl(), "--admin-token", adminJwt, "--data-dir", dataDir.toString()));
        return run(all.toArray(new String[0]));
    }

    /** {@code runlight <args>} as given. */
    static Result run(String... args)
    {
        picocli.CommandLine commandLine = RunlightCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** Copies the test resource {@code /fixtures/<name>} into {@code folder}. */
    static Path fixture(String name, Path folder)
    {
        String resource = "/fixtures/" + name;
        Path file = folder.resolve(Path.of(name).getFileName().toString());
        try (InputStream in = CliHub.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource '" + resource + "' is missing");
            }
            Files.write(file, in.readAllBytes());
            return file;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot copy '" + resource + "'", e);
        }
    }

    static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }

    private static void sleep(long millis)
    {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close()
    {
        try {
            hub.close();
        }
        finally {
            receiver.stop(0);
        }
    }

    /** What a command line did. */
    record Result(int exitCode, String out, String err)
    {
        @Override
        public String toString()
        {
            return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }
}
