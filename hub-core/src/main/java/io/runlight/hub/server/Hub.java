package io.runlight.hub.server;

import java.io.IOException;
import java.nio.file.Path;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.hazelcast.map.IMap;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.hub.auth.BearerAuthenticator;
import io.runlight.hub.auth.JwtKeySettings;
import io.runlight.hub.auth.JwtKeys;
import io.runlight.hub.auth.MemberKeys;
import io.runlight.hub.RunlightVersion;
import io.runlight.hub.config.HubConfig;
import io.runlight.hub.console.ConsoleHandlers;
import io.runlight.hub.http.Authorization;
import io.runlight.hub.http.BodySpooler;
import io.runlight.hub.http.DeliveryHandlers;
import io.runlight.hub.http.HubRouter;
import io.runlight.hub.http.IntegrationHandlers;
import io.runlight.hub.http.IngestHandlers;
import io.runlight.hub.http.OperationsHandlers;
import io.runlight.hub.http.PluginHandlers;
import io.runlight.hub.http.ReadHandlers;
import io.runlight.hub.http.VulnerabilityHandlers;
import io.runlight.hub.fleet.FleetFeed;
import io.runlight.hub.fleet.FleetVulnerabilities;
import io.runlight.hub.http.ServeHandler;
import io.runlight.hub.http.TokenHandlers;
import io.runlight.hub.delivery.DeliveryGuards;
import io.runlight.hub.delivery.InsightsChangePublisher;
import io.runlight.hub.delivery.Outbox;
import io.runlight.hub.delivery.OutboxStatus;
import io.runlight.hub.delivery.Relay;
import io.runlight.hub.insights.HubMaps;
import io.runlight.hub.insights.ImageIngest;
import io.runlight.hub.insights.InsightsComputer;
import io.runlight.hub.insights.InsightsReader;
import io.runlight.hub.insights.InsightsVersion;
import io.runlight.hub.insights.ParsedDocuments;
import io.runlight.hub.insights.Quarantine;
import io.runlight.hub.integration.IntegrationService;
import io.runlight.hub.integration.SecretSealer;
import io.runlight.hub.plugin.PluginHost;
import io.runlight.hub.plugin.PluginHostOptions;
import io.runlight.hub.store.HazelcastAsyncExecutor;
import io.runlight.hub.store.ClusterStatus;
import io.runlight.hub.store.HubStore;
import io.runlight.hub.store.StoreConfig;
import io.runlight.hub.tls.PrivateFiles;
import io.runlight.hub.tls.SealingKey;
import io.runlight.hub.tls.SelfSignedCertificate;
import io.runlight.hub.tls.TlsMaterial;
import io.runlight.hub.token.FailedAttemptLimiter;
import io.runlight.hub.token.TokenSecrets;
import io.runlight.hub.token.TokenService;
import io.runlight.insights.correlate.AnalysisPolicy;
import io.runlight.insights.correlate.ImageAnalyzer;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.vex.VexDocuments;
import io.runlight.insights.vex.VexOptions;

import static java.util.Objects.requireNonNull;

/**
 * One running hub member: its store (Hazelcast member + database), its services and
 * its HTTP(S) listeners. {@link #start} wires everything from the validated
 * configuration; {@link #close} stops gracefully: stop accepting, finish in-flight
 * requests, flush pending insights, leave the cluster.
 */
public final class Hub
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final HubConfig config;
    private final HubStore store;
    private final Vertx vertx;
    private final PrometheusMeterRegistry metrics;
    private final InsightsComputer computer;
    private final TokenService tokens;
    private final JWTAuth jwt;
    private final List<HttpServer> servers;
    private final List<HubRouter.RouteSpec> routes;
    private final PluginHost plugins;
    private final IntegrationService integrations;
    private final InsightsRefresh refresh;
    private final Relay relay;
    private final FleetFeed fleetFeed;
    private final InsightsVersion insightsVersion;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Hub(HubConfig config, HubStore store, Vertx vertx, PrometheusMeterRegistry metrics, InsightsComputer computer,
            TokenService tokens, JWTAuth jwt, List<HttpServer> servers, List<HubRouter.RouteSpec> routes, PluginHost plugins,
            IntegrationService integrations, InsightsRefresh refresh, Relay relay, FleetFeed fleetFeed, InsightsVersion insightsVersion)
    {
        this.config = config;
        this.store = store;
        this.vertx = vertx;
        this.metrics = metrics;
        this.computer = computer;
        this.tokens = tokens;
        this.jwt = jwt;
        this.servers = List.copyOf(servers);
        this.routes = List.copyOf(routes);
        this.plugins = plugins;
        this.integrations = integrations;
        this.refresh = refresh;
        this.relay = relay;
        this.fleetFeed = fleetFeed;
        this.insightsVersion = insightsVersion;
    }

    /**
     * Starts a hub member and returns once it listens.
     *
     * @throws IllegalStateException naming what failed (a port in use, a database that does not answer)
     */
    public static Hub start(HubConfig config, Clock clock)
    {
        requireNonNull(config, "config is null");
        requireNonNull(clock, "clock is null");
        try {
            // the database (integration secrets), keys/ and tls/ live here: no one but the hub's user may read them
            PrivateFiles.restrictDirectory(config.dataDir());
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot create or restrict the data folder '" + config.dataDir() + "' to its owner: " + e.getMessage(), e);
        }
        // the plugins folder, the TLS material and the keys need nothing from the cluster: they are made ready while the member
        // starts, joins and loads its maps (which mostly waits)
        ExecutorService preparing = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "runlight-start");
            thread.setDaemon(true);
            return thread;
        });
        CompletableFuture<PluginHost> pluginsStarting = CompletableFuture.supplyAsync(() -> PluginHost.start(
                PluginHostOptions.defaults(config.pluginsDir(), RunlightVersion.current()).withStagingDir(config.dataDir().resolve("plugin-staging"))), preparing);
        CompletableFuture<Optional<TlsMaterial>> tlsPreparing = CompletableFuture.supplyAsync(() -> tlsMaterial(config, clock), preparing);
        CompletableFuture<JwtKeys> keysLoading = CompletableFuture.supplyAsync(() -> JwtKeys.load(new JwtKeySettings(config.dataDir(),
                config.auth().publicKeys(), config.auth().jwksFile(), config.auth().jwksUrl().map(URI::create), config.auth().hs256Secret())), preparing);
        CompletableFuture<javax.crypto.SecretKey> sealingKeyLoading = CompletableFuture.supplyAsync(() -> sealingKey(config), preparing);
        preparing.shutdown();
        HubStore store;
        try {
            // read on every request and changed far less often: near caches on every member (invalidated at once on change);
            // the workload documents are what serve routes (Snyk's monitor) read on every poll
            store = HubStore.start(storeConfig(config),
                    List.of(TokenService.TOKENS_MAP, TokenService.TOKEN_HASHES_MAP, IntegrationService.INTEGRATIONS_MAP, HubMaps.WORKLOAD_INSIGHTS));
        }
        catch (RuntimeException e) {
            closeOnceStarted(pluginsStarting);
            throw e;
        }
        try {
            // H2 makes its files as the process's umask says; the data folder is closed to others, and so are they
            PrivateFiles.restrictContents(config.dataDir().resolve("db"));
        }
        catch (IOException e) {
            closeOnceStarted(pluginsStarting);
            store.close();
            throw new IllegalStateException("cannot restrict the database files in '" + config.dataDir().resolve("db") + "' to their owner: " + e.getMessage(), e);
        }
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Vertx vertx = null;
        PluginHost plugins = null;
        IntegrationService integrations = null;
        Relay relay = null;
        FleetFeed fleetFeed = null;
        InsightsVersion insightsVersion = null;
        try {
            new JvmMemoryMetrics().bindTo(metrics);
            new JvmGcMetrics().bindTo(metrics);
            new JvmThreadMetrics().bindTo(metrics);
            new ClassLoaderMetrics().bindTo(metrics);
            new ProcessorMetrics().bindTo(metrics);
            for (String name : store.durableMaps()) {
                IMap<String, String> map = store.map(name);
                // local entries only: a scrape must not make cluster-wide calls
                Gauge.builder("runlight_map_local_entries", map, item -> item.getLocalMapStats().getOwnedEntryCount())
                        .tag("map", name)
                        .description("Entries of this map owned by this member")
                        .register(metrics);
            }
            vertx = Vertx.builder()
                    // the local address tells the HTTP and HTTPS listeners' series apart (their gauges would collide otherwise)
                    .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).addLabels(Label.LOCAL)))
                    .withMetrics(new MicrometerMetricsFactory(metrics))
                    .build();

            JwtKeys keys = joined(keysLoading);
            JWTAuth jwt = keys.createAuth(vertx);
            // every member signs with its own key; the others learn its public key from the cluster
            MemberKeys memberKeys = MemberKeys.publish(vertx, keys, store.map(MemberKeys.MAP),
                    store.hazelcast().getCluster().getLocalMember().getAddress().toString(), clock);
            FailedAttemptLimiter limiter = FailedAttemptLimiter.withDefaults(clock);
            TokenService tokens = new TokenService(store.hazelcast(), clock, new TokenSecrets(new SecureRandom()), limiter,
                    HazelcastAsyncExecutor.executor());
            BearerAuthenticator authenticator = new BearerAuthenticator(vertx, memberKeys::current, tokens, limiter, Set.copyOf(config.auth().issuers()));

            InputLimits limits = InputLimits.DEFAULT;
            AnalysisPolicy policy = new AnalysisPolicy(config.insights().learningWindow(), config.insights().dataOpensCount(),
                    AnalysisPolicy.DEFAULT.maxEvidencePerPackage(), AnalysisPolicy.DEFAULT.maxProcessesPerEvidence());
            ImageAnalyzer analyzer = new ImageAnalyzer(policy);
            ParsedDocuments documents = new ParsedDocuments(store.blobs(), limits, analyzer, 32, 128);
            Quarantine quarantine = new Quarantine(store, clock);
            ImageIngest ingest = new ImageIngest(store, clock, limits, policy.profileLimits(), quarantine, documents);
            InsightsComputer computer = new InsightsComputer(store, analyzer, documents, policy.profileLimits(), limits, quarantine);
            VexDocuments vex = new VexDocuments(VexOptions.DEFAULT);
            InsightsReader reader = new InsightsReader(store, limits, vex, clock);
            FleetVulnerabilities fleet = new FleetVulnerabilities(config.insights().learningWindow());
            fleetFeed = FleetFeed.start(store, fleet, limits, reader::coverage);
            insightsVersion = InsightsVersion.start(store);

            // plugins start after the store and stop before it (see close)
            plugins = joined(pluginsStarting);
            // push delivery: insights changes → connectors → the durable outbox → the relay; the integrations are its push targets
            Outbox outbox = new Outbox(store, clock, new SecureRandom());
            DeliveryGuards deliveryGuards = new DeliveryGuards(config.delivery());
            // integration secrets are sealed before they reach the maps, the database and the other members
            SecretSealer sealer = new SecretSealer(joined(sealingKeyLoading), new SecureRandom());
            integrations = new IntegrationService(store.hazelcast(), plugins, tokens, reader, insightsVersion, new OutboxStatus(outbox, deliveryGuards), vertx, clock,
                    RunlightVersion.current(), sealer);
            plugins.addListener(integrations.connectors());
            relay = new Relay(vertx, outbox, deliveryGuards, integrations.pushTargets(), metrics, clock);
            computer.addListener(new InsightsChangePublisher(outbox, integrations.pushTargets(), clock));
            Router router = new HubRouter(vertx,
                    new Authorization(authenticator),
                    new IngestHandlers(vertx, new BodySpooler(vertx, config.dataDir().resolve("spool")), ingest, config.ingest(), metrics),
                    new ReadHandlers(vertx, reader, config.insights().learningWindow()),
                    new VulnerabilityHandlers(vertx, fleet, reader),
                    new TokenHandlers(vertx, tokens, integrations::exists),
                    new OperationsHandlers(vertx, store::isReady, metrics, () -> clusterJson(store.clusterStatus())),
                    new PluginHandlers(plugins),
                    new IntegrationHandlers(vertx, integrations),
                    new ServeHandler(vertx, authenticator, integrations.routing()),
                    new DeliveryHandlers(vertx, outbox),
                    new ConsoleHandlers())
                    .build();

            List<HttpServer> servers = new ArrayList<>();
            if (config.http().httpsEnabled()) {
                TlsMaterial tls = joined(tlsPreparing).orElseThrow();
                HttpServerOptions options = idleTimeout(tls.applyTo(new HttpServerOptions()), config.http())
                        .setHost(config.http().address())
                        .setPort(config.http().httpsPort())
                        .setCompressionSupported(true);
                servers.add(listen(vertx, options, router, "HTTPS"));
            }
            if (config.http().httpEnabled()) {
                HttpServerOptions options = idleTimeout(new HttpServerOptions(), config.http())
                        .setHost(config.http().address())
                        .setPort(config.http().httpPort())
                        .setCompressionSupported(true);
                servers.add(listen(vertx, options, router, "HTTP"));
            }

            InsightsRefresh refresh = InsightsRefresh.start(vertx, computer, fleetFeed, config.insights().refreshInterval());
            relay.start();
            Hub hub = new Hub(config, store, vertx, metrics, computer, tokens, jwt, servers, HubRouter.routes(router), plugins, integrations, refresh, relay, fleetFeed, insightsVersion);
            log.info("Runlight hub ready: {}", hub.urls());
            return hub;
        }
        catch (RuntimeException e) {
            if (relay != null) {
                relay.close(Duration.ZERO);
            }
            if (fleetFeed != null) {
                fleetFeed.close();
            }
            if (insightsVersion != null) {
                insightsVersion.close();
            }
            if (vertx != null) {
                await(vertx.close(), Duration.ofSeconds(10));
            }
            if (integrations != null) {
                plugins.removeListener(integrations.connectors());
                integrations.close();
            }
            if (plugins != null) {
                plugins.close();
            }
            else {
                closeOnceStarted(pluginsStarting);
            }
            store.close();
            metrics.close();
            throw e;
        }
    }

    private static JsonObject clusterJson(ClusterStatus status)
    {
        JsonArray members = new JsonArray();
        status.members().forEach(member -> members.add(new JsonObject().put("address", member.address()).put("uuid", member.uuid()).put("local", member.local())));
        JsonArray maps = new JsonArray();
        status.maps().forEach(map -> maps.add(new JsonObject().put("name", map.name()).put("ownedEntries", map.ownedEntries())
                .put("backupEntries", map.backupEntries()).put("complete", map.complete())));
        return new JsonObject().put("name", status.name()).put("state", status.state()).put("safe", status.safe())
                .put("members", members).put("maps", maps);
    }

    /** The HTTPS certificate and key when HTTPS is on: the configured pair, or the data folder's self-signed one (made on first start). */
    private static Optional<TlsMaterial> tlsMaterial(HubConfig config, Clock clock)
    {
        if (!config.http().httpsEnabled()) {
            return Optional.empty();
        }
        return Optional.of(config.http().certificate()
                .map(pair -> TlsMaterial.load(pair.certificate(), pair.privateKey()))
                .orElseGet(() -> SelfSignedCertificate.loadOrCreate(config.dataDir(), clock)));
    }

    /** What a start-up task made, or its own exception (not wrapped). */
    private static <T> T joined(CompletableFuture<T> task)
    {
        try {
            return task.join();
        }
        catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Start-up failed elsewhere: the plugin host, once it has started, stops again. */
    private static void closeOnceStarted(CompletableFuture<PluginHost> pluginsStarting)
    {
        pluginsStarting.whenComplete((host, failure) -> {
            if (host != null) {
                host.close();
            }
        });
    }

    /**
     * A client that stops sending in the middle of a request (or keeps a connection it never
     * uses) would otherwise hold the connection, and an upload's spool file, until it goes away.
     */
    private static HttpServerOptions idleTimeout(HttpServerOptions options, HubConfig.Http http)
    {
        return options.setIdleTimeout(Math.toIntExact(Math.min(Integer.MAX_VALUE, http.idleTimeout().toMillis())))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    }

    private static HttpServer listen(Vertx vertx, HttpServerOptions options, Router router, String kind)
    {
        try {
            return vertx.createHttpServer(options).requestHandler(router).listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("cannot listen for " + kind + " on " + options.getHost() + ":" + options.getPort() + ": " + cause.getMessage()
                    + " (is another process using the port? set a different one in the configuration)", cause);
        }
    }

    private static javax.crypto.SecretKey sealingKey(HubConfig config)
    {
        Path keys = config.dataDir().resolve("keys");
        try {
            return SealingKey.load(config.secrets().key(), keys);
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot read or make the key that seals integration secrets in '" + keys + "': " + e.getMessage(), e);
        }
    }

    private static StoreConfig storeConfig(HubConfig config)
    {
        HubConfig.Cluster cluster = config.cluster();
        StoreConfig.JoinMode join = switch (cluster.join()) {
            case NONE -> StoreConfig.JoinMode.NONE;
            case TCP -> StoreConfig.JoinMode.TCP;
            case KUBERNETES -> StoreConfig.JoinMode.KUBERNETES;
        };
        List<String> durable = new ArrayList<>(HubMaps.ALL);
        durable.add(TokenService.TOKENS_MAP);
        durable.add(MemberKeys.MAP);
        durable.add(TokenService.TOKEN_HASHES_MAP);
        durable.add(IntegrationService.INTEGRATIONS_MAP);
        durable.add(IntegrationService.CONNECTOR_STATE_MAP);
        durable.add(Outbox.MAP);
        return new StoreConfig(config.dataDir(),
                config.database().map(database -> new StoreConfig.Jdbc(database.url(), database.user(), database.password())),
                new StoreConfig.Cluster(cluster.name(), cluster.address(), cluster.port(), false, join, cluster.members(), cluster.kubernetesService(), java.util.Map.of()),
                durable).requireValid();
    }

    /** The base URLs this hub listens on, HTTPS first. */
    public List<String> urls()
    {
        List<String> urls = new ArrayList<>();
        for (HttpServer server : servers) {
            boolean tls = servers.indexOf(server) == 0 && config.http().httpsEnabled();
            urls.add((tls ? "https://" : "http://") + hostForUrl(config.http().address()) + ":" + server.actualPort());
        }
        return urls;
    }

    /** The actual HTTPS port (useful when the configuration asked for any free port). */
    public Optional<Integer> httpsPort()
    {
        return config.http().httpsEnabled() ? Optional.of(servers.get(0).actualPort()) : Optional.empty();
    }

    /** The actual plain HTTP port. */
    public Optional<Integer> httpPort()
    {
        if (!config.http().httpEnabled()) {
            return Optional.empty();
        }
        return Optional.of(servers.get(servers.size() - 1).actualPort());
    }

    public HubStore store()
    {
        return store;
    }

    public TokenService tokens()
    {
        return tokens;
    }

    public JWTAuth jwt()
    {
        return jwt;
    }

    public InsightsComputer insights()
    {
        return computer;
    }

    public Vertx vertx()
    {
        return vertx;
    }

    /** The plugin host: connector plugins of the plugins folder. */
    public PluginHost plugins()
    {
        return plugins;
    }

    /** The integrations: connector plugins bound to their tokens; also the push targets of delivery. */
    public IntegrationService integrations()
    {
        return integrations;
    }

    /** The HTTP routes this hub serves, with the role each requires (the OpenAPI document must list exactly these). */
    public List<HubRouter.RouteSpec> routes()
    {
        return routes;
    }

    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("Runlight hub stopping: no new requests, finishing those in flight");
        Duration grace = config.shutdownGracePeriod();
        for (HttpServer server : servers) {
            await(server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS), grace.plusSeconds(5));
        }
        refresh.stop(Duration.ofSeconds(30));
        try {
            // what was acknowledged is stored already; this only brings derived insights up to date
            computer.refreshOwnedImages();
        }
        catch (RuntimeException e) {
            log.warn("Could not refresh insights while stopping; they are recomputed at the next start", e);
        }
        // the relay stops before its push targets and Vert.x: attempts in flight get the grace period, the rest stay pending
        relay.close(grace);
        fleetFeed.close();
        insightsVersion.close();
        plugins.removeListener(integrations.connectors());
        integrations.close();
        await(vertx.close(), Duration.ofSeconds(30));
        plugins.close();
        store.close();
        metrics.close();
        log.info("Runlight hub stopped");
    }

    private static void await(Future<?> future, Duration timeout)
    {
        try {
            future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (Exception e) {
            log.warn("Shutdown step did not finish cleanly: {}", e.getMessage());
        }
    }

    private static String hostForUrl(String address)
    {
        if (address.equals("0.0.0.0")) {
            return "localhost";
        }
        return address.contains(":") ? "[" + address + "]" : address;
    }
}
