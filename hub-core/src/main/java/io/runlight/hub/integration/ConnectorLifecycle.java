package io.runlight.hub.integration;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.hazelcast.map.IMap;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.hub.plugin.LoadedConnector;
import io.runlight.hub.plugin.PluginCallException;
import io.runlight.hub.plugin.PluginHost;
import io.runlight.hub.plugin.PluginInfo;
import io.runlight.hub.plugin.PluginListener;
import io.runlight.plugin.api.connector.InsightsQuery;
import io.runlight.plugin.api.connector.ConfigError;
import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.api.connector.Route;

import static java.util.Objects.requireNonNull;

/**
 * The connectors of this member's integrations: created when an integration is created,
 * resumed or its plugin starts, closed when it is paused, changed or deleted or its plugin
 * stops. A connector that cannot be created marks its integration FAILED with the reason;
 * one that can be created again makes it ACTIVE again.
 */
public final class ConnectorLifecycle
        implements PluginListener
{
    private static final Logger log = LoggerFactory.getLogger(ConnectorLifecycle.class);

    private final PluginHost plugins;
    private final IntegrationRecords records;
    private final IMap<String, String> connectorState;
    private final InsightsQuery insights;
    private final Vertx vertx;
    private final Clock clock;
    private final String hubVersion;
    private final ConnectorInstances instances = new ConnectorInstances();

    ConnectorLifecycle(PluginHost plugins, IntegrationRecords records, IMap<String, String> connectorState, InsightsQuery insights, Vertx vertx, Clock clock,
            String hubVersion)
    {
        this.plugins = requireNonNull(plugins, "plugins is null");
        this.records = requireNonNull(records, "records is null");
        this.connectorState = requireNonNull(connectorState, "connectorState is null");
        this.insights = requireNonNull(insights, "insights is null");
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.hubVersion = requireNonNull(hubVersion, "hubVersion is null");
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
            for (IntegrationRecord record : records.all()) {
                if (connectorIds.contains(record.plugin()) && record.state() != IntegrationState.PAUSED) {
                    start(record);
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

    /** The integration's instance; a failure to create it marks the integration FAILED (unless the plugin is just being unloaded). */
    ConnectorInstances.Instance obtain(IntegrationRecord record, LoadedConnector loaded)
    {
        try {
            ConnectorInstances.Instance instance = instances.obtain(record.id(), loaded, record.config(), current -> current.factory().create(config(current, record), context(record)));
            if (record.state() == IntegrationState.FAILED) {
                records.mutate(record.id(), stored -> stored.state() == IntegrationState.FAILED ? stored.withState(IntegrationState.ACTIVE, Optional.empty()) : stored);
                log.info("Integration '{}' is active again: its connector was created", record.id());
            }
            return instance;
        }
        catch (InvalidConfigException e) {
            records.markFailed(record.id(), clock.instant(), "Its configuration no longer fits connector '" + record.plugin() + "': " + describe(e.errors()));
            throw e;
        }
        catch (PluginCallException e) {
            if (e.category() != PluginCallException.Category.UNAVAILABLE) {
                records.markFailed(record.id(), clock.instant(), "Its connector could not be created: " + e.getMessage());
            }
            throw e;
        }
    }

    /** The integration's instance if this member has it for this loaded connector and the record's configuration; never creates one, never blocks. */
    Optional<ConnectorInstances.Instance> existing(IntegrationRecord record, LoadedConnector loaded)
    {
        return instances.existing(record.id(), loaded, record.config());
    }

    /** Creates the connector of an active or failed integration now, so failures show in its status and its routes are known. */
    IntegrationRecord start(IntegrationRecord record)
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
        return records.get(record.id()).orElse(record);
    }

    /** Closes and drops the integration's connector; keeps its known routes unless {@code forgetRoutes}. */
    void close(String integrationId, String why, boolean forgetRoutes)
    {
        instances.close(integrationId, why, forgetRoutes);
    }

    /** Deletes what the integration's connector stored. */
    void removeState(String integrationId)
    {
        MapConnectorState.removeAll(connectorState, integrationId);
    }

    /** The routes the connectors created on this member declared. Never blocks. */
    Set<Route> knownRoutes()
    {
        return instances.knownRoutes();
    }

    /** Whether a connector created on this member declared this method and path. Never blocks. */
    boolean isKnownRoute(String method, String path)
    {
        return instances.isKnownRoute(method, path);
    }

    /** Closes every connector of this member (the hub is stopping). */
    void closeAll()
    {
        instances.closeAll();
    }

    ConnectorConfig config(LoadedConnector loaded, IntegrationRecord record)
    {
        return ConfigValidator.validate(loaded.info().id(), loaded.info().configProperties(), record.config());
    }

    IntegrationConnectorContext context(IntegrationRecord record)
    {
        return new IntegrationConnectorContext(record.id(), record.name(), hubVersion, insights, new MapConnectorState(connectorState, record.id()), clock);
    }

    private static Set<String> connectorIds(PluginInfo plugin)
    {
        return plugin.connectors().stream().map(connector -> connector.id()).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    static String describe(List<ConfigError> errors)
    {
        return String.join("; ", errors.stream().map(error -> "'" + error.property() + "' " + error.message()).toList()) + ".";
    }

}
