package io.runlight.hub.integration;

import java.util.Comparator;
import java.util.List;

import io.runlight.hub.plugin.LoadedConnector;

import static java.util.Objects.requireNonNull;

/**
 * Finds the connector an admin means. {@code GET /api/v1/plugins} lists plugins, each with
 * its connectors, and the two ids differ (plugin {@code generic-webhook} provides connector
 * {@code webhook}), so the {@code plugin} field of a new integration takes either: a
 * connector id, or the id of a plugin that provides exactly one connector.
 */
final class ConnectorNames
{
    private ConnectorNames() {}

    /**
     * The one loaded connector {@code name} denotes.
     *
     * @throws IntegrationException if it denotes none, or several (the message lists them)
     */
    static LoadedConnector resolve(String name, List<LoadedConnector> loaded)
    {
        requireNonNull(name, "name is null");
        List<LoadedConnector> candidates = loaded.stream()
                .filter(connector -> connector.info().id().equals(name) || connector.pluginId().equals(name))
                .sorted(Comparator.comparing((LoadedConnector connector) -> connector.info().id()))
                .toList();
        if (candidates.isEmpty()) {
            throw new IntegrationException(IntegrationException.Reason.INVALID, "No plugin or connector '" + name + "' is loaded: "
                    + "GET /api/v1/plugins lists the loaded plugins and their connectors; add its plugin jar to the plugins folder.");
        }
        if (candidates.size() > 1) {
            List<String> choices = candidates.stream()
                    .map(connector -> "connector '" + connector.info().id() + "' of plugin '" + connector.pluginId() + "'")
                    .toList();
            throw new IntegrationException(IntegrationException.Reason.INVALID, "'" + name + "' names " + candidates.size() + " connectors ("
                    + String.join(", ", choices) + "): give the id of one connector in 'plugin'.");
        }
        return candidates.get(0);
    }
}
