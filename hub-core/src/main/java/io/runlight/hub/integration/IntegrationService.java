package io.runlight.hub.integration;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.UnaryOperator;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.hub.delivery.DeliveryStatus;
import io.runlight.hub.delivery.PushTarget;
import io.runlight.hub.delivery.PushTargets;
import io.runlight.hub.plugin.LoadedConnector;
import io.runlight.hub.plugin.PluginCallException;
import io.runlight.hub.plugin.PluginHost;
import io.runlight.hub.plugin.PluginInfo;
import io.runlight.hub.plugin.PluginListener;
import io.runlight.hub.store.JsonCodec;
import io.runlight.hub.token.CreatedToken;
import io.runlight.hub.token.TokenExpiry;
import io.runlight.hub.token.TokenRecord;
import io.runlight.hub.token.TokenScope;
import io.runlight.hub.token.TokenService;
import io.runlight.hub.token.TokenStatus;
import io.runlight.plugin.api.connector.ConfigError;
import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.api.connector.InsightsQuery;
import io.runlight.plugin.api.connector.OutboundRequest;
import io.runlight.plugin.api.connector.Pusher;
import io.runlight.plugin.api.connector.Route;
import io.runlight.plugin.api.connector.ServeRequest;
import io.runlight.plugin.api.connector.ServeResponse;

import static java.util.Objects.requireNonNull;

/**
 * Integrations (docs/architecture.md, decision 2): an admin binds a connector plugin, a configuration
 * and a token together, and the integration then serves and pushes only while its token
 * is valid. Records live in the durable map {@value #INTEGRATIONS_MAP}; connector state in
 * {@value #CONNECTOR_STATE_MAP}. Status (ACTIVE, PAUSED, SEVERED, FAILED) is derived at
 * read time from the record, the token, the loaded plugins and the outbox, so a deleted
 * or expired token severs the integration at once on every member.
 * <p>
 * Every method but {@link #isServedRoute} blocks on map reads or plugin calls: call from
 * workers, never from an event loop. As a {@link PluginListener} it creates the
 * connectors of a plugin that started (on a worker) and closes them when it stops.
 */
public final class IntegrationService
        implements PushTargets, PluginListener, AutoCloseable
{
    /** Integration id to {@link IntegrationRecord} JSON. */
    public static final String INTEGRATIONS_MAP = "integrations";
    /** {@code <integrationId>|<key>} to the value a connector stored. */
    public static final String CONNECTOR_STATE_MAP = "connector_state";
    /** Successes are written to the record at most this often (a busy integration would otherwise write on every delivery). */
    static final Duration SUCCESS_WRITE_INTERVAL = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(IntegrationService.class);
    private static final JsonCodec<IntegrationRecord> CODEC = JsonCodec.of(IntegrationRecord.class);
    private static final int MAX_NAME_LENGTH = 200;
    private static final int ID_LENGTH = 20;
    private static final char[] ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final IMap<String, String> integrations;
    private final IMap<String, String> connectorState;
    private final PluginHost plugins;
    private final TokenService tokens;
    private final InsightsQuery insights;
    private final DeliveryStatus deliveries;
    private final Vertx vertx;
    private final Clock clock;
    private final String hubVersion;
    private final ConnectorInstances instances = new ConnectorInstances();
    private final ConnectionTester tester;
    private final SecureRandom random = new SecureRandom();

    public IntegrationService(HazelcastInstance hazelcast, PluginHost plugins, TokenService tokens, InsightsQuery insights, DeliveryStatus deliveries, Vertx vertx,
            Clock clock, String hubVersion)
    {
        requireNonNull(hazelcast, "hazelcast is null");
        this.integrations = hazelcast.getMap(INTEGRATIONS_MAP);
        this.connectorState = hazelcast.getMap(CONNECTOR_STATE_MAP);
        this.plugins = requireNonNull(plugins, "plugins is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.insights = requireNonNull(insights, "insights is null");
        this.deliveries = requireNonNull(deliveries, "deliveries is null");
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.hubVersion = requireNonNull(hubVersion, "hubVersion is null");
        this.tester = new ConnectionTester(vertx);
    }

    /**
     * Creates an integration and its token.
     *
     * @param plugin a connector id, or the id of a plugin that provides exactly one connector
     * @param config the configuration as given (JSON values); checked against the connector's declared properties
     * @throws IntegrationException if the name is invalid, or {@code plugin} names no loaded connector or several
     * @throws InvalidConfigException listing every configuration error
     * @throws PluginCallException if the connector's own validation fails to run
     */
    public CreatedIntegration create(String plugin, String name, Map<String, Object> config, TokenExpiry expiry)
    {
        requireNonNull(plugin, "plugin is null");
        requireNonNull(config, "config is null");
        requireNonNull(expiry, "expiry is null");
        String cleanName = validName(name);
        LoadedConnector loaded = ConnectorNames.resolve(plugin, plugins.connectors());
        String connectorId = loaded.info().id();
        Map<String, Object> given = withoutNulls(config);
        validate(loaded, given);

        Instant now = clock.instant();
        IntegrationRecord record = new IntegrationRecord(newId(), connectorId, cleanName, given, ConfigValidator.secretKeys(loaded.info().configProperties()),
                IntegrationState.ACTIVE, Optional.empty(), now, Optional.empty(), Optional.empty(), Optional.empty());
        integrations.set(record.id(), CODEC.encode(record));
        CreatedToken token;
        try {
            token = tokens.create(cleanName, expiry, TokenScope.INTEGRATION, Optional.of(record.id()));
        }
        catch (RuntimeException e) {
            integrations.delete(record.id());
            throw e;
        }
        log.info("Created integration '{}' of connector '{}' (plugin '{}') with token '{}'", record.id(), connectorId, loaded.pluginId(), token.record().id());
        IntegrationRecord started = startConnector(record);
        return new CreatedIntegration(details(started, Optional.of(token.record())), token);
    }

    /** Every integration with its status, ordered by creation time, then id. */
    public List<IntegrationDetails> list()
    {
        Map<String, TokenRecord> tokensByIntegration = tokensByIntegration();
        List<IntegrationDetails> all = new ArrayList<>();
        for (IntegrationRecord record : records()) {
            all.add(details(record, Optional.ofNullable(tokensByIntegration.get(record.id()))));
        }
        all.sort(Comparator.comparing((IntegrationDetails details) -> details.integration().createdAt()).thenComparing(details -> details.integration().id()));
        return List.copyOf(all);
    }

    /** One integration with its status. */
    public Optional<IntegrationDetails> get(String id)
    {
        requireNonNull(id, "id is null");
        return record(id).map(record -> details(record, tokens.forIntegration(id)));
    }

    /** Whether an integration exists (for binding tokens to it). */
    public boolean exists(String id)
    {
        requireNonNull(id, "id is null");
        return integrations.containsKey(id);
    }

    /**
     * Renames an integration and/or replaces its configuration. A secret property given as
     * {@value IntegrationRecord#MASK} keeps its stored value, so a configuration read from the
     * API can be sent back with changes. The connector is created again.
     *
     * @throws IntegrationException if there is no such integration, the name is invalid, or the connector is not loaded to check a new configuration
     * @throws InvalidConfigException listing every configuration error
     */
    public IntegrationDetails update(String id, Optional<String> name, Optional<Map<String, Object>> config)
    {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(config, "config is null");
        IntegrationRecord current = record(id).orElseThrow(() -> IntegrationException.notFound(id));
        Optional<String> newName = name.map(IntegrationService::validName);
        Optional<Map<String, Object>> newConfig = Optional.empty();
        List<String> secretKeys = current.secretKeys();
        if (config.isPresent()) {
            LoadedConnector loaded = plugins.connector(current.plugin()).orElseThrow(() -> new IntegrationException(IntegrationException.Reason.INVALID,
                    "The configuration of integration '" + id + "' cannot be checked: connector '" + current.plugin()
                            + "' is not loaded. Add its plugin jar to the plugins folder first."));
            secretKeys = ConfigValidator.secretKeys(loaded.info().configProperties());
            Map<String, Object> given = new LinkedHashMap<>(withoutNulls(config.get()));
            for (String key : secretKeys) {
                if (IntegrationRecord.MASK.equals(given.get(key)) && current.config().containsKey(key)) {
                    given.put(key, current.config().get(key));
                }
            }
            validate(loaded, given);
            newConfig = Optional.of(given);
        }
        Optional<Map<String, Object>> configToStore = newConfig;
        List<String> keysToStore = secretKeys;
        IntegrationRecord updated = mutate(id, record -> {
            IntegrationRecord changed = record;
            if (newName.isPresent()) {
                changed = changed.withName(newName.get());
            }
            if (configToStore.isPresent()) {
                changed = changed.withConfig(configToStore.get(), keysToStore);
            }
            return changed;
        }).orElseThrow(() -> IntegrationException.notFound(id));
        instances.close(id, "it was updated", true);
        log.info("Updated integration '{}'{}{}", id, newName.isPresent() ? " (name)" : "", newConfig.isPresent() ? " (configuration)" : "");
        return details(startConnector(updated), tokens.forIntegration(id));
    }

    /**
     * Deletes an integration, its token (its secret stops working at once), its connector
     * and its connector state.
     *
     * @return whether it existed
     */
    public boolean delete(String id)
    {
        requireNonNull(id, "id is null");
        String removed = integrations.remove(id);
        int deletedTokens = tokens.deleteForIntegration(id);
        instances.close(id, "it was deleted", true);
        MapConnectorState.removeAll(connectorState, id);
        if (removed == null) {
            return false;
        }
        log.info("Deleted integration '{}' and {} token(s)", id, deletedTokens);
        return true;
    }

    /**
     * Pauses: serve routes answer 503 and pushes are held until {@link #resume}. Its connector
     * is closed; it is created again only to translate new changes, which wait in the outbox.
     */
    public IntegrationDetails pause(String id)
    {
        requireNonNull(id, "id is null");
        IntegrationRecord paused = mutate(id, record -> record.withState(IntegrationState.PAUSED, Optional.empty()))
                .orElseThrow(() -> IntegrationException.notFound(id));
        instances.close(id, "it was paused", false);
        log.info("Paused integration '{}'", id);
        return details(paused, tokens.forIntegration(id));
    }

    /** Resumes a paused (or failed) integration; its connector is created again. */
    public IntegrationDetails resume(String id)
    {
        requireNonNull(id, "id is null");
        IntegrationRecord resumed = mutate(id, record -> record.withState(IntegrationState.ACTIVE, Optional.empty()))
                .orElseThrow(() -> IntegrationException.notFound(id));
        log.info("Resumed integration '{}'", id);
        return details(startConnector(resumed), tokens.forIntegration(id));
    }

    /**
     * Tests an integration's connector with a connector of its own, made for the test and
     * closed after: a pushing connector's connection-test request is sent and its answer
     * reported; for a connector that only serves, creating it is the test.
     *
     * @throws IntegrationException if there is no such integration
     */
    public ConnectionTestResult test(String id)
    {
        requireNonNull(id, "id is null");
        IntegrationRecord record = record(id).orElseThrow(() -> IntegrationException.notFound(id));
        Optional<LoadedConnector> found = plugins.connector(record.plugin());
        if (found.isEmpty()) {
            return new ConnectionTestResult(false, OptionalInt.empty(), "Connector '" + record.plugin() + "' is not loaded.");
        }
        LoadedConnector loaded = found.get();
        Connector connector;
        try {
            connector = loaded.factory().create(connectorConfig(loaded, record), context(record));
        }
        catch (InvalidConfigException e) {
            return new ConnectionTestResult(false, OptionalInt.empty(), "The configuration no longer fits connector '" + record.plugin() + "': " + describe(e.errors()));
        }
        catch (PluginCallException e) {
            return new ConnectionTestResult(false, OptionalInt.empty(), "The connector could not be created: " + e.getMessage());
        }
        try {
            // what the connector can do is what it returns for this configuration, not what its factory declares
            Optional<Pusher> pusher = connector.pusher();
            Optional<OutboundRequest> request = pusher.isPresent() ? pusher.get().connectionTest() : Optional.empty();
            if (request.isPresent()) {
                return tester.send(request.get());
            }
            List<Route> routes = connector.routes();
            if (pusher.isEmpty() && routes.isEmpty()) {
                return new ConnectionTestResult(false, OptionalInt.empty(),
                        "The connector was created but neither pushes nor serves with this configuration: check the integration's configuration.");
            }
            if (routes.isEmpty()) {
                return new ConnectionTestResult(true, OptionalInt.empty(), "The connector was created; it declares no connection test.");
            }
            return new ConnectionTestResult(true, OptionalInt.empty(), "The connector was created and serves " + routes.size() + " route(s): "
                    + String.join(", ", routes.stream().map(route -> route.method() + " " + route.path()).toList()) + ".");
        }
        catch (PluginCallException e) {
            return new ConnectionTestResult(false, OptionalInt.empty(), "The connector failed: " + e.getMessage());
        }
        finally {
            try {
                connector.close();
            }
            catch (PluginCallException e) {
                log.warn("The test connector of integration '{}' did not close cleanly: {}", id, e.getMessage());
            }
        }
    }

    /**
     * Whether a connector created on this member declared this method and path. Never
     * blocks. Used to tell a request without a token to a served path 401 rather than 404;
     * a member that has not created an integration's connector yet does not know its routes.
     */
    public boolean isServedRoute(String method, String path)
    {
        return instances.isKnownRoute(method, path);
    }

    /**
     * Whether integration {@code integrationId}, whose valid token the caller presented,
     * answers {@code method path} now.
     */
    public ServeDecision serveDecision(String integrationId, String method, String path)
    {
        requireNonNull(integrationId, "integrationId is null");
        Optional<IntegrationRecord> found = record(integrationId);
        if (found.isEmpty()) {
            return new ServeDecision.Refused(404, "not_found", "No integration '" + integrationId + "'.");
        }
        IntegrationRecord record = found.get();
        String named = "Integration '" + record.name() + "' (" + record.id() + ")";
        if (record.state() == IntegrationState.PAUSED) {
            return new ServeDecision.Refused(503, "integration_paused", named + " is paused: an admin must resume it before it answers requests.");
        }
        Optional<LoadedConnector> loaded = plugins.connector(record.plugin());
        if (loaded.isEmpty()) {
            return new ServeDecision.Refused(503, "integration_unavailable", named + " cannot answer: its connector '" + record.plugin() + "' is not loaded.");
        }
        ConnectorInstances.Instance instance;
        try {
            instance = obtain(record, loaded.get());
        }
        catch (InvalidConfigException | PluginCallException e) {
            return new ServeDecision.Refused(502, "connector_failed", named + " failed to start its connector; its status has the reason.");
        }
        if (instance.routes().isEmpty()) {
            return new ServeDecision.Refused(404, "not_found", named + " has no route " + method + " " + path + ": its connector serves no routes.");
        }
        boolean declared = instance.routes().stream().anyMatch(route -> route.method().equalsIgnoreCase(method) && route.path().equals(path));
        if (!declared) {
            return new ServeDecision.Refused(404, "not_found", named + " has no route " + method + " " + path + ".");
        }
        return new ServeDecision.Accepted(record.id(), record.name(), instance.connector());
    }

    /**
     * Passes a request to an accepted integration's connector. A connector that throws,
     * hangs or is unloaded gives 502 {@code connector_failed}, and the integration's last
     * error says why.
     */
    public ServeResponse serve(ServeDecision.Accepted target, ServeRequest request)
    {
        requireNonNull(target, "target is null");
        requireNonNull(request, "request is null");
        try {
            ServeResponse response = target.connector().serve(request);
            if (response.status() < 500) {
                deliverySucceeded(target.integrationId(), clock.instant());
            }
            return response;
        }
        catch (PluginCallException e) {
            String reason = "Serving " + request.method() + " " + request.path() + " failed: " + e.getMessage();
            log.warn("Integration '{}': {}", target.integrationId(), reason);
            recordError(target.integrationId(), clock.instant(), reason);
            return ServeResponse.error(502, "connector_failed", "The connector of integration '" + target.integrationName() + "' (" + target.integrationId()
                    + ") failed; the integration's status has the reason.");
        }
    }

    @Override
    public List<PushTarget> activePushTargets()
    {
        Map<String, TokenRecord> tokensByIntegration = tokensByIntegration();
        List<PushTarget> targets = new ArrayList<>();
        List<IntegrationRecord> all = new ArrayList<>(records());
        all.sort(Comparator.comparing(IntegrationRecord::id));
        for (IntegrationRecord record : all) {
            pushTarget(record, Optional.ofNullable(tokensByIntegration.get(record.id()))).ifPresent(targets::add);
        }
        return List.copyOf(targets);
    }

    /**
     * Active integrations, and paused or severed ones too: their connectors translate
     * changes into the outbox, where the relay holds them until the integration may push
     * again. A failed integration, or one whose plugin is not loaded, translates nothing.
     */
    @Override
    public List<PushTarget> translatingTargets()
    {
        List<IntegrationRecord> all = new ArrayList<>(records());
        all.sort(Comparator.comparing(IntegrationRecord::id));
        List<PushTarget> targets = new ArrayList<>();
        for (IntegrationRecord record : all) {
            if (record.state() != IntegrationState.FAILED) {
                connectorTarget(record).ifPresent(targets::add);
            }
        }
        return List.copyOf(targets);
    }

    @Override
    public Optional<PushTarget> pushTarget(String integrationId)
    {
        requireNonNull(integrationId, "integrationId is null");
        Optional<IntegrationRecord> record = record(integrationId);
        if (record.isEmpty()) {
            return Optional.empty();
        }
        return pushTarget(record.get(), tokens.forIntegration(integrationId));
    }

    @Override
    public void deliverySucceeded(String integrationId, Instant at)
    {
        requireNonNull(integrationId, "integrationId is null");
        requireNonNull(at, "at is null");
        Optional<IntegrationRecord> current = record(integrationId);
        if (current.isEmpty() || current.get().lastSuccessAt().map(last -> at.isBefore(last.plus(SUCCESS_WRITE_INTERVAL))).orElse(false)) {
            return;
        }
        mutate(integrationId, record -> record.lastSuccessAt().map(last -> last.isBefore(at)).orElse(true) ? record.withSuccess(at) : record);
    }

    @Override
    public void deliveryFailed(String integrationId, Instant at, String reason)
    {
        requireNonNull(integrationId, "integrationId is null");
        requireNonNull(at, "at is null");
        requireNonNull(reason, "reason is null");
        recordError(integrationId, at, reason);
    }

    /** Creates the connectors of the started plugin's integrations, on a worker (this runs on the plugin watcher's thread). */
    @Override
    public void pluginStarted(PluginInfo plugin)
    {
        Set<String> connectorIds = connectorIds(plugin);
        if (connectorIds.isEmpty()) {
            return;
        }
        vertx.executeBlocking(() -> {
            for (IntegrationRecord record : records()) {
                if (connectorIds.contains(record.plugin()) && record.state() != IntegrationState.PAUSED) {
                    startConnector(record);
                }
            }
            return null;
        }, false).onFailure(error -> log.error("Creating the connectors of plugin '{}' failed", plugin.id(), error));
    }

    /** Closes this member's connectors of the stopping plugin. */
    @Override
    public void pluginStopping(PluginInfo plugin)
    {
        instances.closePlugin(plugin.id(), "plugin '" + plugin.id() + "' is stopping");
    }

    /** Closes this member's connectors and the test client (the hub is stopping). */
    @Override
    public void close()
    {
        instances.closeAll();
        tester.close();
    }

    private Optional<PushTarget> pushTarget(IntegrationRecord record, Optional<TokenRecord> token)
    {
        if (record.state() != IntegrationState.ACTIVE || token.isEmpty() || tokens.status(token.get()) != TokenStatus.ACTIVE) {
            return Optional.empty();
        }
        return connectorTarget(record);
    }

    /** The integration's pusher, whatever its state or token, if its plugin is loaded, pushes, and its connector can be created. */
    private Optional<PushTarget> connectorTarget(IntegrationRecord record)
    {
        Optional<LoadedConnector> loaded = plugins.connector(record.plugin());
        if (loaded.isEmpty()) {
            return Optional.empty();
        }
        try {
            ConnectorInstances.Instance instance = obtain(record, loaded.get());
            Optional<Pusher> pusher = instance.connector().pusher();
            return pusher.map(value -> new PushTarget(record.id(), loaded.get().pluginId(), loaded.get().generation(), value));
        }
        catch (InvalidConfigException | PluginCallException e) {
            return Optional.empty();
        }
    }

    /** The integration's instance; a failure to create it marks the integration FAILED (unless the plugin is just being unloaded). */
    private ConnectorInstances.Instance obtain(IntegrationRecord record, LoadedConnector loaded)
    {
        try {
            ConnectorInstances.Instance instance = instances.obtain(record.id(), loaded, current -> current.factory().create(connectorConfig(current, record), context(record)));
            if (record.state() == IntegrationState.FAILED) {
                mutate(record.id(), stored -> stored.state() == IntegrationState.FAILED ? stored.withState(IntegrationState.ACTIVE, Optional.empty()) : stored);
                log.info("Integration '{}' is active again: its connector was created", record.id());
            }
            return instance;
        }
        catch (InvalidConfigException e) {
            markFailed(record.id(), "Its configuration no longer fits connector '" + record.plugin() + "': " + describe(e.errors()));
            throw e;
        }
        catch (PluginCallException e) {
            if (e.category() != PluginCallException.Category.UNAVAILABLE) {
                markFailed(record.id(), "Its connector could not be created: " + e.getMessage());
            }
            throw e;
        }
    }

    /** Creates the connector of an active or failed integration now, so failures show in its status and its routes are known. */
    private IntegrationRecord startConnector(IntegrationRecord record)
    {
        if (record.state() == IntegrationState.PAUSED) {
            return record;
        }
        Optional<LoadedConnector> loaded = plugins.connector(record.plugin());
        if (loaded.isEmpty()) {
            return record;
        }
        try {
            obtain(record, loaded.get());
        }
        catch (InvalidConfigException | PluginCallException e) {
            log.debug("The connector of integration '{}' could not be created", record.id());
        }
        return record(record.id()).orElse(record);
    }

    private void markFailed(String id, String reason)
    {
        Instant now = clock.instant();
        mutate(id, record -> record.state() == IntegrationState.PAUSED ? record.withError(now, reason)
                : record.withState(IntegrationState.FAILED, Optional.of(reason)).withError(now, reason));
        log.warn("Integration '{}' failed: {}", id, reason);
    }

    private void recordError(String id, Instant at, String reason)
    {
        mutate(id, record -> record.lastErrorAt().map(last -> last.isAfter(at)).orElse(false) ? record : record.withError(at, reason));
    }

    private ConnectorConfig connectorConfig(LoadedConnector loaded, IntegrationRecord record)
    {
        return ConfigValidator.validate(loaded.info().id(), loaded.info().configProperties(), record.config());
    }

    private IntegrationConnectorContext context(IntegrationRecord record)
    {
        return new IntegrationConnectorContext(record.id(), record.name(), hubVersion, insights, new MapConnectorState(connectorState, record.id()), clock);
    }

    private static void validate(LoadedConnector loaded, Map<String, Object> given)
    {
        ConnectorConfig validated = ConfigValidator.validate(loaded.info().id(), loaded.info().configProperties(), given);
        List<ConfigError> errors = loaded.factory().validate(validated);
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(loaded.info().id(), errors);
        }
    }

    private IntegrationDetails details(IntegrationRecord record, Optional<TokenRecord> token)
    {
        return new IntegrationDetails(record, plugins.connector(record.plugin()).map(LoadedConnector::pluginId), status(record, token));
    }

    private IntegrationStatus status(IntegrationRecord record, Optional<TokenRecord> token)
    {
        Optional<IntegrationStatus.TokenSummary> summary = token.map(value -> new IntegrationStatus.TokenSummary(value.id(), value.prefix(), value.expiresAt(),
                tokens.status(value)));
        IntegrationStatus.State state;
        Optional<String> reason;
        if (record.state() == IntegrationState.PAUSED) {
            state = IntegrationStatus.State.PAUSED;
            reason = Optional.of("Paused by an admin: resume it to serve and push again.");
        }
        else if (token.isEmpty()) {
            state = IntegrationStatus.State.SEVERED;
            reason = Optional.of("Its token was deleted: create a new one with POST /api/v1/tokens and \"integrationId\": \"" + record.id() + "\".");
        }
        else if (tokens.status(token.get()) == TokenStatus.EXPIRED) {
            state = IntegrationStatus.State.SEVERED;
            reason = Optional.of("Its token '" + token.get().id() + "' expired at " + token.get().expiresAt() + ": renew it with POST /api/v1/tokens/"
                    + token.get().id() + "/renew.");
        }
        else if (plugins.connector(record.plugin()).isEmpty()) {
            state = IntegrationStatus.State.FAILED;
            reason = Optional.of("Connector '" + record.plugin() + "' is not loaded: no started plugin provides it (see GET /api/v1/plugins).");
        }
        else if (record.state() == IntegrationState.FAILED) {
            state = IntegrationStatus.State.FAILED;
            reason = record.failure();
        }
        else {
            state = IntegrationStatus.State.ACTIVE;
            reason = Optional.empty();
        }
        return new IntegrationStatus(state, reason, summary, deliveries.counts(record.id()));
    }

    private Optional<IntegrationRecord> record(String id)
    {
        return Optional.ofNullable(integrations.get(id)).flatMap(json -> decode(id, json));
    }

    private List<IntegrationRecord> records()
    {
        List<IntegrationRecord> all = new ArrayList<>();
        for (Map.Entry<String, String> entry : integrations.entrySet()) {
            decode(entry.getKey(), entry.getValue()).ifPresent(all::add);
        }
        return all;
    }

    private static Optional<IntegrationRecord> decode(String id, String json)
    {
        try {
            return Optional.of(CODEC.decode(json));
        }
        catch (IllegalArgumentException e) {
            // a record this hub did not write (or a newer, incompatible one): leave it alone rather than fail every listing
            log.warn("Integration '{}' cannot be read and is skipped: {}", id, e.getMessage());
            return Optional.empty();
        }
    }

    /** Applies a change to a stored record with compare-and-set, retrying on concurrent changes. Empty if the integration does not exist. */
    private Optional<IntegrationRecord> mutate(String id, UnaryOperator<IntegrationRecord> change)
    {
        while (true) {
            String json = integrations.get(id);
            if (json == null) {
                return Optional.empty();
            }
            Optional<IntegrationRecord> current = decode(id, json);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            IntegrationRecord changed = change.apply(current.get());
            if (changed.equals(current.get())) {
                return current;
            }
            if (integrations.replace(id, json, CODEC.encode(changed))) {
                return Optional.of(changed);
            }
        }
    }

    private Map<String, TokenRecord> tokensByIntegration()
    {
        Map<String, TokenRecord> byIntegration = new HashMap<>();
        for (TokenRecord token : tokens.list()) {
            token.integrationId().ifPresent(id -> byIntegration.putIfAbsent(id, token));
        }
        return byIntegration;
    }

    private static Set<String> connectorIds(PluginInfo plugin)
    {
        return plugin.connectors().stream().map(connector -> connector.id()).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    private static String validName(String name)
    {
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty()) {
            throw new IntegrationException(IntegrationException.Reason.INVALID, "An integration needs a name: give one that says which platform it feeds.");
        }
        if (clean.length() > MAX_NAME_LENGTH) {
            throw new IntegrationException(IntegrationException.Reason.INVALID, "The integration name is longer than " + MAX_NAME_LENGTH + " characters.");
        }
        return clean;
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> config)
    {
        Map<String, Object> copy = new LinkedHashMap<>();
        config.forEach((key, value) -> {
            if (value != null) {
                copy.put(requireNonNull(key, "config key is null"), value);
            }
        });
        return copy;
    }

    private static String describe(List<ConfigError> errors)
    {
        return String.join("; ", errors.stream().map(error -> "'" + error.property() + "' " + error.message()).toList()) + ".";
    }

    private String newId()
    {
        StringBuilder id = new StringBuilder("int_");
        for (int i = 0; i < ID_LENGTH; i++) {
            id.append(ID_ALPHABET[random.nextInt(ID_ALPHABET.length)]);
        }
        return id.toString();
    }
}
