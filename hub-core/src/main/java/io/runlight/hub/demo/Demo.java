package io.runlight.hub.demo;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.runlight.hub.auth.AdminTokens;
import io.runlight.hub.auth.Role;
import io.runlight.hub.client.HubApiClient;
import io.runlight.hub.config.HubConfig;
import io.runlight.hub.server.Hub;

import static java.util.Objects.requireNonNull;

/**
 * {@code runlight demo} once its hub runs: starts the local receiver, mints an admin token
 * from the hub's own key, (re)creates one integration per bundled connector, loads the
 * bundled sample through the hub's API, runs each integration's connection test and
 * renders what to print. Closing it stops the receiver; the hub belongs to the caller.
 */
public final class Demo
        implements AutoCloseable
{
    /** How long the printed admin token is valid: a working day of trying things out. */
    public static final Duration ADMIN_TOKEN_TTL = Duration.ofHours(8);
    static final String RECEIVER_LOG = "demo-receiver.log";

    private final DemoReceiver receiver;
    private final DemoPrintout printout;

    private Demo(DemoReceiver receiver, DemoPrintout printout)
    {
        this.receiver = receiver;
        this.printout = printout;
    }

    /**
     * @param hub the running demo hub
     * @param client an HTTP client that trusts the hub (its self-signed certificate when only HTTPS listens)
     * @param console where the receiver prints its log lines
     * @param launcher the command a user types to run Runlight here, for the printed commands
     */
    public static Demo start(Hub hub, HubConfig config, HttpClient client, PrintStream console, Clock clock, String launcher)
            throws InterruptedException
    {
        requireNonNull(hub, "hub is null");
        requireNonNull(config, "config is null");
        requireNonNull(client, "client is null");
        requireNonNull(console, "console is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(launcher, "launcher is null");
        String webhookSecret = WebhookSignatureCheck.newSecret(new SecureRandom());
        DemoReceiver receiver = DemoReceiver.start(new WebhookSignatureCheck(webhookSecret, clock), config.dataDir().resolve(RECEIVER_LOG), console, clock);
        try {
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            String adminToken = new AdminTokens(hub.jwt(), clock).mint(Role.ADMIN, ADMIN_TOKEN_TTL, "runlight-demo");
            HubApiClient api = new HubApiClient(apiBase(hub), adminToken, client);

            DemoIntegrations integrations = new DemoIntegrations(api);
            integrations.awaitConnectors(config.pluginsDir().toString());
            int replaced = integrations.deleteEarlier();
            // created before the sample arrives, so that its insights are pushed to the receiver
            List<DemoIntegrations.DemoIntegration> created = integrations.create(receiver.baseUrl(), webhookSecret);

            DemoSample sample = new DemoSample(api);
            Set<String> workloads = sample.workloads();
            boolean loadedBefore = sample.loadedBefore();
            if (!loadedBefore) {
                sample.load();
            }
            sample.awaitInsights(workloads);
            List<String> tests = new ArrayList<>();
            for (DemoIntegrations.DemoIntegration integration : created) {
                tests.add(integrations.test(integration));
            }
            DemoPrintout printout = new DemoPrintout(config, hub.httpsPort().map(port -> url("https", config, port)), hub.httpPort().map(port -> url("http", config, port)),
                    adminToken, now.plus(ADMIN_TOKEN_TTL), sample.images(), api.get("/api/v1/vulnerabilities?limit=1").path("summary"), loadedBefore, workloads, created, tests, replaced, receiver.baseUrl(), receiver.logFile(), launcher);
            return new Demo(receiver, printout);
        }
        catch (RuntimeException | InterruptedException e) {
            receiver.close();
            throw e;
        }
    }

    /** Everything to print once the demo is ready. */
    public String printout()
    {
        return printout.render();
    }

    @Override
    public void close()
    {
        receiver.close();
    }

    /** Plain HTTP when it listens (no certificate to trust), else HTTPS. */
    private static URI apiBase(Hub hub)
    {
        List<String> urls = hub.urls();
        Optional<String> http = urls.stream().filter(url -> url.startsWith("http://")).findFirst();
        return URI.create(http.orElse(urls.get(0)));
    }

    private static String url(String scheme, HubConfig config, int port)
    {
        String address = config.http().address();
        String host = switch (address) {
            case "0.0.0.0", "::", "[::]" -> "127.0.0.1";
            default -> address.contains(":") ? "[" + address + "]" : address;
        };
        return scheme + "://" + host + ":" + port;
    }
}
