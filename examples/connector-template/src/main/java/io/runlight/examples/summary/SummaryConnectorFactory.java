package io.runlight.examples.summary;

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
 * The plugin's entry point. The hub finds it through {@code META-INF/extensions.idx}
 * (written by PF4J's annotation processor from {@link Extension}), creates it once with
 * its public no-argument constructor, reads what it declares, and calls {@link #create}
 * once per integration an admin creates.
 */
@Extension
public final class SummaryConnectorFactory
        implements ConnectorFactory
{
    /** The connector id: what {@code "plugin"} names when an integration is created. */
    static final String ID = "http-summary";

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public String displayName()
    {
        return "HTTP summary";
    }

    @Override
    public String description()
    {
        return "Posts a one-line summary of each insights change as JSON {\"text\": ...} to a URL with a bearer token "
                + "(a Slack-style incoming webhook works), and serves the same summaries at GET " + SummaryConnector.IMAGES_PATH + ".";
    }

    @Override
    public Set<Capability> capabilities()
    {
        return Set.of(Capability.PUSH, Capability.SERVE);
    }

    @Override
    public List<ConfigProperty> configProperties()
    {
        return SummaryConfig.properties();
    }

    @Override
    public List<ConfigError> validate(ConnectorConfig config)
    {
        return SummaryConfig.errors(config);
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context)
    {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        return new SummaryConnector(new SummaryPusher(SummaryConfig.from(config), context), context.insights());
    }
}
