package io.runlight.hub.integration;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.hub.plugin.LoadedConnector;
import io.runlight.hub.plugin.PluginCallException;
import io.runlight.hub.plugin.PluginHost;
import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.OutboundRequest;
import io.runlight.plugin.api.connector.Pusher;
import io.runlight.plugin.api.connector.Route;

import static java.util.Objects.requireNonNull;

/**
 * "Test connection": an integration's connector is made for the test and closed after; a
 * pusher's connection-test request is sent and its answer reported; for a connector that
 * only serves, creating it and listing its routes is the test.
 */
final class ConnectionTests
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(ConnectionTests.class);

    private final IntegrationRecords records;
    private final PluginHost plugins;
    private final ConnectorLifecycle connectors;
    private final ConnectionTester tester;

    ConnectionTests(IntegrationRecords records, PluginHost plugins, ConnectorLifecycle connectors, Vertx vertx)
    {
        this.records = requireNonNull(records, "records is null");
        this.plugins = requireNonNull(plugins, "plugins is null");
        this.connectors = requireNonNull(connectors, "connectors is null");
        this.tester = new ConnectionTester(requireNonNull(vertx, "vertx is null"));
    }

    ConnectionTestResult test(String id)
    {
        requireNonNull(id, "id is null");
        IntegrationRecord record = records.get(id).orElseThrow(() -> IntegrationException.notFound(id));
        Optional<LoadedConnector> found = plugins.connector(record.plugin());
        if (found.isEmpty()) {
            return new ConnectionTestResult(false, OptionalInt.empty(), "Connector '" + record.plugin() + "' is not loaded.");
        }
        LoadedConnector loaded = found.get();
        Connector connector;
        try {
            connector = loaded.factory().create(connectors.config(loaded, record), connectors.context(record));
        }
        catch (InvalidConfigException e) {
            return new ConnectionTestResult(false, OptionalInt.empty(), "The configuration no longer fits connector '" + record.plugin() + "': " + ConnectorLifecycle.describe(e.errors()));
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

    @Override
    public void close()
    {
        tester.close();
    }
}
