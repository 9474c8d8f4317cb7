package io.runlight.hub.integration;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
 * declare the route; answered by the connector otherwise. Methods that do not say they never
 * block do: call them from a worker.
 * <p>
 * The answers of insights-only routes are kept ({@link ServePages}) and answered again, on the
 * event loop, while the insights are unchanged: {@link #acceptedAtHand} and {@link #pageAtHand}
 * decide and answer such a request from this member's memory alone, or say that a worker must.
 */
public final class ServeRouting
{
    private static final Logger log = LoggerFactory.getLogger(ServeRouting.class);

    private final IntegrationRecords records;
    private final PluginHost plugins;
    private final ConnectorLifecycle connectors;
    private final ServePages pages;
    private final Clock clock;
    // when each integration's success was last written by this member: a page answered from memory must not read the record
    private final Map<String, Instant> successWritten = new ConcurrentHashMap<>();

    ServeRouting(IntegrationRecords records, PluginHost plugins, ConnectorLifecycle connectors, ServePages pages, Clock clock)
    {
        this.records = requireNonNull(records, "records is null");
        this.plugins = requireNonNull(plugins, "plugins is null");
        this.connectors = requireNonNull(connectors, "connectors is null");
        this.pages = requireNonNull(pages, "pages is null");
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
        Optional<Route> declared = instance.route(method, path);
        if (declared.isEmpty()) {
            return new ServeDecision.Refused(404, "not_found", named + " has no route " + method + " " + path + ".");
        }
        return new ServeDecision.Accepted(record.id(), record.name(), instance.connector(), declared.get());
    }

    /**
     * The acceptance {@link #serveDecision} would give, if everything it takes is in this member's
     * memory now: the integration's record in the near cache, active, its connector loaded and
     * already created for the record's configuration, the route declared. Empty otherwise, and
     * then only {@link #serveDecision} (on a worker) decides, refusals included. Never blocks.
     */
    public Optional<ServeDecision.Accepted> acceptedAtHand(String integrationId, String method, String path)
    {
        requireNonNull(integrationId, "integrationId is null");
        Optional<IntegrationRecord> found = records.getAtHand(integrationId);
        if (found.isEmpty() || found.get().state() != IntegrationState.ACTIVE) {
            return Optional.empty();
        }
        IntegrationRecord record = found.get();
        Optional<LoadedConnector> loaded = plugins.connector(record.plugin());
        if (loaded.isEmpty()) {
            return Optional.empty();
        }
        return connectors.existing(record, loaded.get())
                .flatMap(instance -> instance.route(method, path)
                        .map(route -> new ServeDecision.Accepted(record.id(), record.name(), instance.connector(), route)));
    }

    /**
     * The connector's last answer to this path and query, if its route is insights-only and the
     * answer was computed at the insights of now. Never blocks. A page answered from here counts
     * as served: call {@link #successDue} after.
     *
     * @param query the decoded query parameters, as {@link ServeRequest#query()} would hold them
     */
    public Optional<ServeResponse> pageAtHand(ServeDecision.Accepted target, String path, Map<String, List<String>> query)
    {
        requireNonNull(target, "target is null");
        if (!target.route().insightsOnly()) {
            return Optional.empty();
        }
        return pages.get(new ServePages.Key(target.connector(), path, query));
    }

    /**
     * Whether the integration's last success should be written now, for an answer given from
     * {@link #pageAtHand}: at most once per {@link IntegrationRecords#SUCCESS_WRITE_INTERVAL} per
     * member. Never blocks; if true, call {@link #recordSuccess} on a worker.
     */
    public boolean successDue(String integrationId)
    {
        Instant now = clock.instant();
        boolean[] due = {false};
        successWritten.compute(integrationId, (id, last) -> {
            if (last == null || !now.isBefore(last.plus(IntegrationRecords.SUCCESS_WRITE_INTERVAL))) {
                due[0] = true;
                return now;
            }
            return last;
        });
        return due[0];
    }

    /** Writes a success of the integration now (at most once per interval, never going back in time). */
    public void recordSuccess(String integrationId)
    {
        records.recordSuccess(integrationId, clock.instant());
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
        // taken before the connector reads the insights: a change while it reads makes the page one never answered again
        OptionalLong keepAt = target.route().insightsOnly() && request.method().equals("GET") ? pages.versionToKeep() : OptionalLong.empty();
        try {
            ServeResponse response = target.connector().serve(request);
            if (response.status() < 500 && successDue(target.integrationId())) {
                recordSuccess(target.integrationId());
            }
            if (keepAt.isPresent()) {
                pages.put(new ServePages.Key(target.connector(), request.path(), request.query()), keepAt.getAsLong(), response);
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
