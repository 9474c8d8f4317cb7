package io.runlight.hub.integration;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.hub.delivery.DeliveryStatus;
import io.runlight.hub.delivery.PushTargets;
import io.runlight.hub.insights.InsightsVersion;
import io.runlight.hub.plugin.LoadedConnector;
import io.runlight.hub.plugin.PluginCallException;
import io.runlight.hub.plugin.PluginHost;
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

import static java.util.Objects.requireNonNull;

/**
 * Integrations (docs/architecture.md, decision 2): an admin binds a connector plugin, a configuration
 * and a token together, and the integration then serves and pushes only while its token
 * is valid. Records live in the durable map {@value #INTEGRATIONS_MAP}; connector state in
 * {@value #CONNECTOR_STATE_MAP}. Status (ACTIVE, PAUSED, SEVERED, FAILED) is derived at
 * read time from the record, the token, the loaded plugins and the outbox, so a deleted
 * or expired token severs the integration at once on every member.
 * <p>
 * Every method blocks on map reads or plugin calls: call from workers, never from an event
 * loop. Its parts do the jobs around the admin operations: the stored records
 * ({@link IntegrationRecords}), the connectors on this member ({@link ConnectorLifecycle},
 * which the plugin host tells when plugins start and stop), requests with an integration's
 * token ({@link ServeRouting}), push delivery's view ({@link IntegrationPushTargets}) and
 * "Test connection" ({@link ConnectionTests}).
 */
public final class IntegrationService
        implements AutoCloseable
{
    /** Integration id to {@link IntegrationRecord} JSON. */
    public static final String INTEGRATIONS_MAP = "integrations";
    /** {@code <integrationId>|<key>} to the value a connector stored. */
    public static final String CONNECTOR_STATE_MAP = "connector_state";

    private static final Logger log = LoggerFactory.getLogger(IntegrationService.class);
    private static final int MAX_NAME_LENGTH = 200;
    private static final int ID_LENGTH = 20;
    private static final char[] ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final IntegrationRecords records;
    private final PluginHost plugins;
    private final TokenService tokens;
    private final DeliveryStatus deliveries;
    private final ConnectorLifecycle connectors;
    private final ConnectionTests connectionTests;
    private final ServeRouting routing;
    private final IntegrationPushTargets pushTargets;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param insightsVersion moves when the insights change: the serve routes keep the pages of
     *         insights-only routes while it does not ({@link ServePages})
     */
    public IntegrationService(HazelcastInstance hazelcast, PluginHost plugins, TokenService tokens, InsightsQuery insights, InsightsVersion insightsVersion,
            DeliveryStatus deliveries, Vertx vertx, Clock clock, String hubVersion, SecretSealer sealer)
    {
        requireNonNull(hazelcast, "hazelcast is null");
        this.records = new IntegrationRecords(hazelcast, sealer);
        this.plugins = requireNonNull(plugins, "plugins is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.deliveries = requireNonNull(deliveries, "deliveries is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.connectors = new ConnectorLifecycle(plugins, records, hazelcast.getMap(CONNECTOR_STATE_MAP), insights, vertx, clock, hubVersion);
        this.connectionTests = new ConnectionTests(records, plugins, connectors, vertx);
        requireNonNull(insightsVersion, "insightsVersion is null");
        this.routing = new ServeRouting(records, plugins, connectors, new ServePages(insightsVersion::current, insightsVersion::settled), clock);
        this.pushTargets = new IntegrationPushTargets(records, plugins, connectors, tokens);
    }

    /** The integrations' connectors on this member; the plugin host tells it when plugins start and stop. */
    public ConnectorLifecycle connectors()
    {
        return connectors;
    }

    /** The integrations as push delivery sees them. */
    public PushTargets pushTargets()
    {
        return pushTargets;
    }

    /** Where requests with an integration's token go. */
    public ServeRouting routing()
    {
        return routing;
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
        records.put(record);
        CreatedToken token;
        try {
            token = tokens.create(cleanName, expiry, TokenScope.INTEGRATION, Optional.of(record.id()));
        }
        catch (RuntimeException e) {
            records.remove(record.id());
            throw e;
        }
        log.info("Created integration '{}' of connector '{}' (plugin '{}') with token '{}'", record.id(), connectorId, loaded.pluginId(), token.record().id());
        IntegrationRecord started = connectors.start(record);
        return new CreatedIntegration(details(started, Optional.of(token.record())), token);
    }

    /** Every integration with its status, ordered by creation time, then id. */
    public List<IntegrationDetails> list()
    {
        Map<String, TokenRecord> tokensByIntegration = IntegrationPushTargets.tokensByIntegration(tokens);
        List<IntegrationDetails> all = new ArrayList<>();
        for (IntegrationRecord record : records.all()) {
            all.add(details(record, Optional.ofNullable(tokensByIntegration.get(record.id()))));
        }
        all.sort(Comparator.comparing((IntegrationDetails details) -> details.integration().createdAt()).thenComparing(details -> details.integration().id()));
        return List.copyOf(all);
    }

    /** One integration with its status. */
    public Optional<IntegrationDetails> get(String id)
    {
        requireNonNull(id, "id is null");
        return records.get(id).map(record -> details(record, tokens.forIntegration(id)));
    }

    /** Whether an integration exists (for binding tokens to it). */
    public boolean exists(String id)
    {
        requireNonNull(id, "id is null");
        return records.exists(id);
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
        IntegrationRecord current = records.get(id).orElseThrow(() -> IntegrationException.notFound(id));
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
        IntegrationRecord updated = records.mutate(id, record -> {
            IntegrationRecord changed = record;
            if (newName.isPresent()) {
                changed = changed.withName(newName.get());
            }
            if (configToStore.isPresent()) {
                changed = changed.withConfig(configToStore.get(), keysToStore);
            }
            return changed;
        }).orElseThrow(() -> IntegrationException.notFound(id));
        connectors.close(id, "it was updated", true);
        log.info("Updated integration '{}'{}{}", id, newName.isPresent() ? " (name)" : "", newConfig.isPresent() ? " (configuration)" : "");
        return details(connectors.start(updated), tokens.forIntegration(id));
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
        boolean removed = records.remove(id);
        int deletedTokens = tokens.deleteForIntegration(id);
        connectors.close(id, "it was deleted", true);
        connectors.removeState(id);
        if (!removed) {
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
        IntegrationRecord paused = records.mutate(id, record -> record.withState(IntegrationState.PAUSED, Optional.empty()))
                .orElseThrow(() -> IntegrationException.notFound(id));
        connectors.close(id, "it was paused", false);
        log.info("Paused integration '{}'", id);
        return details(paused, tokens.forIntegration(id));
    }

    /** Resumes a paused (or failed) integration; its connector is created again. */
    public IntegrationDetails resume(String id)
    {
        requireNonNull(id, "id is null");
        IntegrationRecord resumed = records.mutate(id, record -> record.withState(IntegrationState.ACTIVE, Optional.empty()))
                .orElseThrow(() -> IntegrationException.notFound(id));
        log.info("Resumed integration '{}'", id);
        return details(connectors.start(resumed), tokens.forIntegration(id));
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
        return connectionTests.test(id);
    }

    /** Closes this member's connectors and the test client (the hub is stopping). */
    @Override
    public void close()
    {
        connectors.closeAll();
        connectionTests.close();
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

    private String newId()
    {
        StringBuilder id = new StringBuilder("int_");
        for (int i = 0; i < ID_LENGTH; i++) {
            id.append(ID_ALPHABET[random.nextInt(ID_ALPHABET.length)]);
        }
        return id.toString();
    }
}
