package com.example.echo;

import java.util.List;
import java.util.Set;

import io.runlight.plugin.api.connector.Capability;
import io.runlight.plugin.api.connector.ConfigError;
import io.runlight.plugin.api.connector.ConfigProperty;
import io.runlight.plugin.api.connector.ConfigType;
import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.api.connector.ConnectorContext;
import io.runlight.plugin.api.connector.ConnectorFactory;
import org.pf4j.Extension;

/**
 * A third-party connector that serves and pushes, with a property of every type.
 */
@Extension
public final class EchoConnectorFactory
        implements ConnectorFactory
{
    @Override
    public String id()
    {
        return "echo";
    }

    @Override
    public String displayName()
    {
        return "Echo";
    }

    @Override
    public Set<Capability> capabilities()
    {
        return Set.of(Capability.PUSH, Capability.SERVE);
    }

    @Override
    public List<ConfigProperty> configProperties()
    {
        return List.of(
                ConfigProperty.required("target", ConfigType.URL, "Where changes are posted"),
                ConfigProperty.required("apiKey", ConfigType.STRING, "The receiver's API key").asSecret(),
                ConfigProperty.optional("greeting", ConfigType.STRING, "hello", "Put into every served answer"),
                ConfigProperty.optional("verbose", ConfigType.BOOLEAN, "false", "Whether answers list the headers"),
                ConfigProperty.optional("maxItems", ConfigType.INTEGER, "10", "At most this many query values"),
                ConfigProperty.optional("window", ConfigType.DURATION, "30m", "How far back to look"),
                ConfigProperty.optional("tags", ConfigType.LIST, "Tags sent along"),
                ConfigProperty.optional("labels", ConfigType.MAP, "Labels sent along"),
                ConfigProperty.optional("mode", ConfigType.STRING, "normal", "normal, fail-create, fail-serve, serve-only (no pusher, like a default Snyk integration), idle (neither pusher nor routes) "
                        + "or insights (also serves the insights-only GET /v1/echo-images)"));
    }

    @Override
    public List<ConfigError> validate(ConnectorConfig config)
    {
        if (config.string("greeting").orElse("").equals("forbidden")) {
            return List.of(ConfigError.of("greeting", "must not be 'forbidden'"));
        }
        return List.of();
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context)
    {
        String mode = config.require("mode", String.class);
        if (mode.equals("fail-create")) {
            throw new IllegalStateException("echo cannot start in mode fail-create");
        }
        return new EchoConnector(config, context);
    }
}
