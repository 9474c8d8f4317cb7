package io.runlight.hub.plugin;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.runlight.hub.plugin.PluginCallException.Category;
import io.runlight.plugin.api.connector.Capability;
import io.runlight.plugin.api.connector.ConfigError;
import io.runlight.plugin.api.connector.ConfigProperty;
import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.api.connector.ConnectorContext;
import io.runlight.plugin.api.connector.ConnectorFactory;

import static java.util.Objects.requireNonNull;

/**
 * The hub's face of a plugin's {@link ConnectorFactory}: metadata comes from what the
 * factory declared at load time, and {@link #validate} and {@link #create} run through
 * the plugin's {@link PluginCalls}. It remembers the connectors it created so that the
 * host can close those still open when the plugin is unloaded.
 */
final class GuardedConnectorFactory
        implements ConnectorFactory
{
    private final PluginCalls.Held<ConnectorFactory> target;
    private final ConnectorInfo info;
    private final Set<GuardedConnector> open = ConcurrentHashMap.newKeySet();

    GuardedConnectorFactory(PluginCalls.Held<ConnectorFactory> target, ConnectorInfo info)
    {
        this.target = requireNonNull(target, "target is null");
        this.info = requireNonNull(info, "info is null");
    }

    @Override
    public String id()
    {
        return info.id();
    }

    @Override
    public String displayName()
    {
        return info.displayName();
    }

    @Override
    public String description()
    {
        return info.description();
    }

    @Override
    public Set<Capability> capabilities()
    {
        return Set.copyOf(info.capabilities());
    }

    @Override
    public List<ConfigProperty> configProperties()
    {
        return info.configProperties();
    }

    @Override
    public List<ConfigError> validate(ConnectorConfig config)
    {
        requireNonNull(config, "config is null");
        String operation = operation("validate");
        ConnectorFactory factory = target.get(operation);
        return target.calls().call(operation, () -> List.copyOf(factory.validate(config)));
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context)
    {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        String operation = operation("create");
        ConnectorFactory factory = target.get(operation);
        PluginCalls calls = target.calls();
        Connector connector = calls.call(operation, () -> factory.create(config, context));
        if (connector == null) {
            throw calls.failure(Category.THREW, operation, "returned no connector (null)", null);
        }
        GuardedConnector guarded = new GuardedConnector(calls.hold(connector), info.id(), open::remove);
        open.add(guarded);
        return guarded;
    }

    /** Closes the connectors still open, for unloading; failures are reported by the caller's log. */
    List<GuardedConnector> openConnectors()
    {
        return List.copyOf(open);
    }

    private String operation(String method)
    {
        return "ConnectorFactory.%s (connector '%s')".formatted(method, info.id());
    }

    @Override
    public String toString()
    {
        return "ConnectorFactory[" + info.id() + " of plugin '" + target.calls().pluginId() + "' generation " + target.calls().generation() + "]";
    }
}
