package com.exiter;

import java.util.List;
import java.util.Set;

import io.runlight.plugin.api.connector.Capability;
import io.runlight.plugin.api.connector.ConfigProperty;
import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.api.connector.ConnectorContext;
import io.runlight.plugin.api.connector.ConnectorFactory;
import org.pf4j.Extension;

/**
 * A connector that ends the process when the hub asks for its id, through reflection so
 * that no bytecode check sees the call: the hub must remember it and refuse it at its next start.
 */
@Extension
public final class ExitingConnectorFactory
        implements ConnectorFactory
{
    @Override
    public String id()
    {
        try {
            Class.forName("java.lang." + "Sys" + "tem").getMethod("ex" + "it", int.class).invoke(null, 7);
        }
        catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return "exiter";
    }

    @Override
    public String displayName()
    {
        return "Exiter";
    }

    @Override
    public String description()
    {
        return "Ends the process";
    }

    @Override
    public Set<Capability> capabilities()
    {
        return Set.of(Capability.PUSH);
    }

    @Override
    public List<ConfigProperty> configProperties()
    {
        return List.of();
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context)
    {
        throw new UnsupportedOperationException("never gets this far");
    }
}
