package io.runlight.connector.snyk;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.runlight.plugin.api.connector.Capability;
import io.runlight.plugin.api.connector.ConfigError;
import io.runlight.plugin.api.connector.ConfigProperty;
import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.api.connector.ConnectorContext;
import io.runlight.plugin.api.connector.ConnectorFactory;
import io.runlight.plugin.api.connector.Pusher;
import org.pf4j.Extension;

import static java.util.Objects.requireNonNull;

/**
 * The Snyk connector: serves the runtime-images API that Snyk's Kubernetes monitor
 * pulls, and optionally pushes the same data to Snyk's upstream API.
 */
@Extension
public final class SnykConnectorFactory
        implements ConnectorFactory
{
    @Override
    public String id()
    {
        return "snyk";
    }

    @Override
    public String displayName()
    {
        return "Snyk";
    }

    @Override
    public String description()
    {
        return "Serves in-use packages to Snyk's Kubernetes monitor (Sysdig runtime-images API) and optionally pushes them to Snyk's runtime-results API.";
    }

    @Override
    public Set<Capability> capabilities()
    {
        return Set.of(Capability.SERVE, Capability.PUSH);
    }

    @Override
    public List<ConfigProperty> configProperties()
    {
        return SnykConfig.properties();
    }

    @Override
    public List<ConfigError> validate(ConnectorConfig config)
    {
        return SnykConfig.validate(config);
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context)
    {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        SnykConfig snykConfig = SnykConfig.from(config);
        ObjectMapper mapper = new ObjectMapper();
        RuntimeImageItems items = new RuntimeImageItems(mapper);
        Optional<Pusher> pusher = Optional.empty();
        if (snykConfig.push()) {
            pusher = Optional.of(new SnykPusher(snykConfig, context.integrationId(), items, mapper, context.state(), context.clock()));
        }
        return new SnykConnector(new RuntimeImagesEndpoint(context.insights(), items, mapper, snykConfig.v1Cluster()), pusher);
    }
}
