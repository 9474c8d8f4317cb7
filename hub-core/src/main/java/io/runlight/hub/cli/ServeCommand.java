package io.runlight.hub.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.runlight.hub.config.ConfigLoader;
import io.runlight.hub.config.HubConfig;
import io.runlight.hub.server.Hub;

/**
 * {@code runlight serve}: runs a hub member until it is stopped (SIGTERM or Ctrl-C stop
 * it gracefully).
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
                "Run a hub member: the HTTPS API, the embedded Hazelcast member and its database.",
                "Settings come from the defaults, then --config, then RUNLIGHT_* environment variables, then these flags."})
public final class ServeCommand
        implements Callable<Integer>
{
    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (see conf/runlight.yaml).")
    private Path configFile;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data folder (default ./runlight-data).")
    private Path dataDir;

    @Option(names = "--address", paramLabel = "ADDR", description = "Address to bind (default 127.0.0.1).")
    private String address;

    @Option(names = "--port", paramLabel = "N", description = "Plain HTTP port (default 8080; 0 picks a free port).")
    private Integer port;

    @Option(names = "--tls-port", paramLabel = "N", description = "HTTPS port (default 8443; 0 picks a free port).")
    private Integer tlsPort;

    @Option(names = "--no-http", description = "Serve HTTPS only.")
    private boolean noHttp;

    @Option(names = "--cluster-port", paramLabel = "N", description = "This member's Hazelcast port (default 5701; 0 picks a free port for a member alone).")
    private Integer clusterPort;

    /** For the launcher's {@code runlight cds}: a start whose loaded classes the JVM records as it exits. */
    @Option(names = "--exit-when-started", hidden = true, description = "Stop gracefully as soon as the hub is ready.")
    private boolean exitWhenStarted;

    @Override
    public Integer call()
            throws InterruptedException
    {
        Map<String, String> flags = new LinkedHashMap<>();
        if (dataDir != null) {
            flags.put("data-dir", dataDir.toString());
        }
        if (address != null) {
            flags.put("http.address", address);
        }
        if (port != null) {
            flags.put("http.port", port.toString());
        }
        if (tlsPort != null) {
            flags.put("https.port", tlsPort.toString());
        }
        if (noHttp) {
            flags.put("http.enabled", "false");
        }
        if (clusterPort != null) {
            flags.put("cluster.port", clusterPort.toString());
        }
        HubConfig config = new ConfigLoader(System.getenv()).load(Optional.ofNullable(configFile), flags);
        Hub hub = Hub.start(config, Clock.systemUTC());
        if (exitWhenStarted) {
            hub.close();
            return 0;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            hub.close();
            stopped.countDown();
        }, "runlight-shutdown"));
        for (String url : hub.urls()) {
            System.out.println("Runlight hub listening on " + url);
        }
        System.out.flush();
        stopped.await();
        return 0;
    }
}
