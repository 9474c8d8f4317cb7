package io.runlight.hub.integration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.runlight.hub.delivery.PushTarget;
import io.runlight.hub.delivery.PushTargets;
import io.runlight.hub.plugin.LoadedConnector;
import io.runlight.hub.plugin.PluginCallException;
import io.runlight.hub.plugin.PluginHost;
import io.runlight.hub.token.TokenRecord;
import io.runlight.hub.token.TokenService;
import io.runlight.hub.token.TokenStatus;
import io.runlight.plugin.api.connector.Pusher;

import static java.util.Objects.requireNonNull;

/**
 * The integrations as delivery sees them: an active integration with a valid token whose
 * connector offers a pusher may push; a paused or severed one still translates changes into
 * the outbox, where they wait. Deliveries' outcomes are recorded on the integration.
 */
final class IntegrationPushTargets
        implements PushTargets
{
    private final IntegrationRecords records;
    private final PluginHost plugins;
    private final ConnectorLifecycle connectors;
    private final TokenService tokens;

    IntegrationPushTargets(IntegrationRecords records, PluginHost plugins, ConnectorLifecycle connectors, TokenService tokens)
    {
        this.records = requireNonNull(records, "records is null");
        this.plugins = requireNonNull(plugins, "plugins is null");
        this.connectors = requireNonNull(connectors, "connectors is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
    }

    @Override
    public List<PushTarget> activePushTargets()
    {
        Map<String, TokenRecord> tokensByIntegration = tokensByIntegration(tokens);
        List<PushTarget> targets = new ArrayList<>();
        List<IntegrationRecord> all = new ArrayList<>(records.all());
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
        List<IntegrationRecord> all = new ArrayList<>(records.all());
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
        Optional<IntegrationRecord> record = records.get(integrationId);
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
        records.recordSuccess(integrationId, at);
    }

    @Override
    public void deliveryFailed(String integrationId, Instant at, String reason)
    {
        requireNonNull(integrationId, "integrationId is null");
        requireNonNull(at, "at is null");
        requireNonNull(reason, "reason is null");
        records.recordError(integrationId, at, reason);
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
            ConnectorInstances.Instance instance = connectors.obtain(record, loaded.get());
            Optional<Pusher> pusher = instance.connector().pusher();
            return pusher.map(value -> new PushTarget(record.id(), loaded.get().pluginId(), loaded.get().generation(), value));
        }
        catch (InvalidConfigException | PluginCallException e) {
            return Optional.empty();
        }
    }

    /** Each integration's token (the first listed, if there were several). */
    static Map<String, TokenRecord> tokensByIntegration(TokenService tokens)
    {
        Map<String, TokenRecord> byIntegration = new HashMap<>();
        for (TokenRecord token : tokens.list()) {
            token.integrationId().ifPresent(id -> byIntegration.putIfAbsent(id, token));
        }
        return byIntegration;
    }
}
