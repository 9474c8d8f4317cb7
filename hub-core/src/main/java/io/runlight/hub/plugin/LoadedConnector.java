package io.runlight.hub.plugin;

import io.runlight.plugin.api.connector.ConnectorFactory;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * A connector factory of a started plugin, as integrations use it.
 *
 * @param pluginId the plugin that provides it
 * @param generation the plugin's generation: when it changes, the plugin was reloaded and connectors must be created again
 * @param info what the factory declared
 * @param factory the factory; every method that runs plugin code goes through {@link #calls()}, and every
 *        {@code Connector} and {@code Pusher} it returns does the same, failing with {@link PluginCallException}
 * @param calls the plugin's call executor, for anything else that must run plugin code
 */
public record LoadedConnector(String pluginId, long generation, ConnectorInfo info, ConnectorFactory factory, PluginCalls calls)
{
    public LoadedConnector
    {
        requireNonBlank(pluginId, "pluginId");
        checkArgument(generation >= 1, "generation must be at least 1: " + generation);
        requireNonNull(info, "info is null");
        requireNonNull(factory, "factory is null");
        requireNonNull(calls, "calls is null");
    }
}
