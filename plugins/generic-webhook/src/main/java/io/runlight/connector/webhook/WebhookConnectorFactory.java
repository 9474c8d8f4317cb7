package io.runlight.connector.webhook;

import java.security.SecureRandom;
import java.util.List;
import java.util.Set;

import io.runlight.plugin.api.connector.Capability;
import io.runlight.plugin.api.connector.ConfigError;
import io.runlight.plugin.api.connector.ConfigProperty;
import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.api.connector.ConnectorContext;
import io.runlight.plugin.api.connector.ConnectorFactory;
import org.pf4j.Extension;

import static java.util.Objects.requireNonNull;

/**
 * The generic webhook connector: POSTs insights changes, signed by the Standard Webhooks
 * specification, to any URL.
 */
@Extension
public final class WebhookConnectorFactory
        implements ConnectorFactory
{
    static final String ID = "webhook";

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public String displayName()
    {
        return "Generic webhook";
    }

    @Override
    public String description()
    {
        return "Posts insights changes as JSON events (or the image's VEX document) to any URL, signed by the Standard Webhooks specification.";
    }

    @Override
    public Set<Capability> capabilities()
    {
        return Set.of(Capability.PUSH);
    }

    @Override
    public List<ConfigProperty> configProperties()
    {
        return WebhookConfig.properties();
    }

    @Override
    public List<ConfigError> validate(ConnectorConfig config)
    {
        return WebhookConfig.errors(config);
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context)
    {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        return new WebhookConnector(new WebhookPusher(WebhookConfig.from(config), context, new SecureRandom()));
    }
}
