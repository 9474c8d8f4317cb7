package io.runlight.hub.cli;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import io.runlight.hub.config.ConfigLoader;
import io.runlight.hub.config.HubConfig;
import io.runlight.hub.config.HubOptions;
import io.runlight.hub.demo.Demo;
import io.runlight.hub.server.Hub;
import io.runlight.hub.tls.SelfSignedCertificate;

/**
 * {@code runlight demo}: a hub member on embedded defaults, as {@code serve} starts it, plus
 * the bundled sample data, one integration per bundled connector and a local receiver for
 * their pushes (see {@link Demo}). Prints where everything is and runs until SIGTERM or
 * Ctrl-C, which stop it gracefully.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = VersionLines.class,
        description = {
                "Start a hub with sample data (real SBOMs, scan reports and runtime events of workloads in two clusters),",
                "one integration per bundled plugin and a local receiver standing in for Snyk, Docker Scout and a webhook.",
                "Prints the console URL, an admin token and each integration's token, then runs until Ctrl-C.",
                "Running it again on the same data folder keeps the data and recreates the integrations (with new tokens)."})
public final class DemoCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "runlight-data", description = "Data folder (default: ${DEFAULT-VALUE}).")
    private Path dataDir;

    @Option(names = "--port", paramLabel = "N", description = "Plain HTTP port (default 8080, as for serve; 0 picks a free port).")
    private Integer port;

    @Option(names = "--tls-port", paramLabel = "N", description = "HTTPS port (default 8443, as for serve; 0 picks a free port).")
    private Integer tlsPort;

    @Option(names = "--cluster-port", paramLabel = "N", description = "The member's Hazelcast port (default 5701, as for serve).")
    private Integer clusterPort;

    @Option(names = "--learning-window", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
            description = "How long an image must be observed before a package can be NOT_IN_USE (default: ${DEFAULT-VALUE}, the hub's default).")
    private Duration learningWindow;

    @Override
    public Integer call()
            throws InterruptedException
    {
        if (learningWindow.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--learning-window '" + learningWindow + "' is negative: give 0 or more, such as 24h");
        }
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put(HubOptions.DATA_DIR.key(), dataDir.toString());
        if (port != null) {
            flags.put(HubOptions.HTTP_PORT.key(), port.toString());
        }
        if (tlsPort != null) {
            flags.put(HubOptions.HTTPS_PORT.key(), tlsPort.toString());
        }
        if (clusterPort != null) {
            flags.put(HubOptions.CLUSTER_PORT.key(), clusterPort.toString());
        }
        flags.put(HubOptions.LEARNING_WINDOW.key(), learningWindow.toString());
        // the demo is a single member on its own H2 file, whatever RUNLIGHT_* the shell has for a real deployment
        flags.put(HubOptions.CLUSTER_JOIN.key(), "none");
        HubConfig config = new ConfigLoader(System.getenv()).load(Optional.empty(), flags);
        if (config.database().isPresent()) {
            throw new ParameterException(spec.commandLine(), "the demo runs on its own H2 file: unset RUNLIGHT_DATABASE_URL (it points the hub at '"
                    + config.database().get().url() + "')");
        }

        Clock clock = Clock.systemUTC();
        Hub hub = Hub.start(config, clock);
        // set once the demo runs; a Ctrl-C while it is being set up still stops the hub
        AtomicReference<Demo> running = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                // the hub first: deliveries in flight during its grace period still reach the receiver
                hub.close();
            }
            finally {
                Optional.ofNullable(running.get()).ifPresent(Demo::close);
                stopped.countDown();
            }
        }, "runlight-shutdown"));
        PrintStream out = System.out;
        Demo demo;
        try {
            demo = Demo.start(hub, config, httpClient(config), out, clock, launcher());
        }
        catch (RuntimeException | InterruptedException e) {
            hub.close();
            throw e;
        }
        running.set(demo);
        out.println();
        out.print(demo.printout());
        out.println();
        out.flush();
        stopped.await();
        return 0;
    }

    /** The demo talks to its hub over plain HTTP when it listens; else over HTTPS, trusting the hub's certificate. */
    private static HttpClient httpClient(HubConfig config)
    {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        if (!config.http().httpEnabled()) {
            Path certificate = config.http().certificate()
                    .map(HubConfig.PemPair::certificate)
                    .orElse(config.dataDir().resolve("tls").resolve(SelfSignedCertificate.CERTIFICATE_FILE));
            builder.sslContext(HubTrust.systemCasAnd(certificate));
        }
        return builder.build();
    }

    /**
     * What a user types here to run Runlight: the source checkout's script says so in
     * RUNLIGHT_LAUNCHER; the distribution's launcher is bin/runlight under RUNLIGHT_HOME.
     */
    private static String launcher()
    {
        String given = System.getenv("RUNLIGHT_LAUNCHER");
        if (given != null && !given.isBlank()) {
            return given;
        }
        String home = System.getenv(ConfigLoader.DISTRIBUTION_HOME);
        if (home == null || home.isBlank()) {
            return "runlight";
        }
        Path script = Path.of(home, "bin", "runlight").toAbsolutePath().normalize();
        Path here = Path.of("").toAbsolutePath();
        if (script.startsWith(here)) {
            return "./" + here.relativize(script);
        }
        return script.toString();
    }
}
