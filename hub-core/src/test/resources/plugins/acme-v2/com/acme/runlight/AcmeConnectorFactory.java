package com.acme.runlight;

import java.util.List;
import java.util.Set;

import io.runlight.hub.plugin.SharedLibraryProbe;
import io.runlight.plugin.api.connector.Capability;
import io.runlight.plugin.api.connector.ConfigProperty;
import io.runlight.plugin.api.connector.ConfigType;
import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.api.connector.ConnectorContext;
import io.runlight.plugin.api.connector.ConnectorFactory;
import org.pf4j.Extension;

/**
 * A third-party push connector, as ACME would write it: version 2.
 */
@Extension
public final class AcmeConnectorFactory
        implements ConnectorFactory
{
    static final String VERSION = "2.0.0";

    @Override
    public String id()
    {
        return "acme";
    }

    @Override
    public String displayName()
    {
        return "ACME Security 2";
    }

    @Override
    public String description()
    {
        return "Posts image insights to ACME (library copy: " + SharedLibraryProbe.origin() + ")";
    }

    @Override
    public Set<Capability> capabilities()
    {
        return Set.of(Capability.PUSH);
    }

    @Override
    public List<ConfigProperty> configProperties()
    {
        return List.of(
                ConfigProperty.required("url", ConfigType.URL, "Where insights are posted"),
                ConfigProperty.required("apiKey", ConfigType.STRING, "The ACME API key").asSecret(),
                ConfigProperty.optional("mode", ConfigType.STRING, "normal", "normal, fail-create or hang-translate"));
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context)
    {
        String mode = config.string("mode").orElse("normal");
        if (mode.equals("fail-create")) {
            throw new IllegalStateException("ACME cannot start in mode fail-create");
        }
        return new AcmeConnector(config.url("url").orElseThrow(), config.string("apiKey").orElseThrow(), mode, VERSION);
    }
}
