package io.runlight.hub.integration;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.hub.plugin.LoadedConnector;
import io.runlight.hub.plugin.PluginCallException;
import io.runlight.hub.plugin.PluginHost;
import io.runlight.plugin.api.connector.Route;
import io.runlight.plugin.api.connector.ServeRequest;
import io.runlight.plugin.api.connector.ServeResponse;

import static java.util.Objects.requireNonNull;

/**
 * Routes a request with an integration's token to that integration's connector: refused
 * while the integration is paused, its plugin is not loaded or its connector did not
 * declare the route; answered by the connector otherwise. Every method but
 * {@link #isServedRoute} blocks: call it from a worker.
 */
public final class ServeRouting
{
    private static final Logger log = LoggerFactory.getLogger(ServeRouting.class);

    private final IntegrationRecords records;
    private final PluginHost plugins;
    private final ConnectorLifecycle connectors;
    private final Clock clock;

    ServeRouting(IntegrationRecords records, PluginHost plugins, ConnectorLifecycle connectors, Clock clock)
    {
        this.records = requireNonNull(records, "records is null");
        this.plugins = requireNonNull(plugins, "plugins is null");
        this.connectors = requireNonNull(connectors, "connectors is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Whether a connector created on this member declared this method and path. Never
     * blocks. Used to tell a request without a token to a served path 401 rather than 404;
     * a member that has not created an integration's connector yet does not know its routes.
     */
    public boolean isServedRoute(String method, String path)
    {
        return connectors.isKnownRoute(method, path);
    }

    /**
     * The routes the connectors created on this member declared, of every integration: what
     * the router's serve fallback answers besides the hub's own routes. Never blocks.
     */
    public Set<Route> servedRoutes()
    {
        return connectors.knownRoutes();
    }

    /**
     * Whether integration {@code integrationId}, whose valid token the caller presented,
     * answers {@code method path} now.
     */
    public ServeDecision serveDecision(String integrationId, String method, String path)
    {
        requireNonNull(integrationId, "integrationId is null");
        Optional<IntegrationRecord> found = records.get(integrationId);
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
            instance = connectors.obtain(record, loaded.get());
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
                records.recordSuccess(target.integrationId(), clock.instant());
            }
            return response;
        }
        catch (PluginCallException e) {
            String reason = "Serving " + request.method() + " " + request.path() + " failed: " + e.getMessage();
            log.warn("Integration '{}': {}", target.integrationId(), reason);
            records.recordError(target.integrationId(), clock.instant(), reason);
            return ServeResponse.error(502, "connector_failed", "The connector of integration '" + target.integrationName() + "' (" + target.integrationId()
                    + ") failed; the integration's status has the reason.");
        }
    }
}
