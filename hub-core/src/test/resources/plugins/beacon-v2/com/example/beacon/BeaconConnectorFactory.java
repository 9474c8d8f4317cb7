package com.example.beacon;

import java.util.List;
import java.util.Set;

import io.runlight.plugin.api.connector.Capability;
import io.runlight.plugin.api.connector.ConfigProperty;
import io.runlight.plugin.api.connector.ConfigType;
import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.api.connector.ConnectorContext;
import io.runlight.plugin.api.connector.ConnectorFactory;
import org.pf4j.Extension;

/**
 * A third-party connector that pushes one JSON document per insights change to its
 * {@code url} and serves {@code GET /v1/beacon}: version 2: adds a schema field and an {@code X-Beacon-Version} header.
 */
@Extension
public final class BeaconConnectorFactory
        implements ConnectorFactory
{
    static final String VERSION = "2.0.0";

    @Override
    public String id()
    {
        return "beacon";
    }

    @Override
    public String displayName()
    {
        return "Beacon " + VERSION;
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
                ConfigProperty.required("url", ConfigType.URL, "Where changes are posted"),
                ConfigProperty.required("apiKey", ConfigType.STRING, "The receiver's API key").asSecret(),
                ConfigProperty.optional("mode", ConfigType.STRING, "normal", "normal or fail-translate"));
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context)
    {
        return new BeaconConnector(config, context);
    }
}
