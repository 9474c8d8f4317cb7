package io.runlight.connector.scout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

import static java.util.Objects.requireNonNull;

/**
 * The Docker Scout connector: assigns running images to Scout environments and records
 * VEX exceptions for vulnerabilities in packages that are not in use.
 */
@Extension
public final class DockerScoutConnectorFactory
        implements ConnectorFactory
{
    public static final String ID = "docker-scout";

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public String displayName()
    {
        return "Docker Scout";
    }

    @Override
    public String description()
    {
        return "Assigns running images to Docker Scout environments and records VEX exceptions (not affected, vulnerable code not in execute path) "
                + "for vulnerabilities in packages no container loaded; removes them when a package comes into use.";
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
                ConfigProperty.required(ScoutConfig.ORGANIZATION, ConfigType.STRING, "The Docker organization whose Scout environments and exceptions are written"),
                ConfigProperty.required(ScoutConfig.USERNAME, ConfigType.STRING, "The Docker ID that logs in to Docker Hub"),
                ConfigProperty.required(ScoutConfig.ACCESS_TOKEN, ConfigType.STRING, "A personal or organisation access token of that Docker ID").asSecret(),
                ConfigProperty.required(ScoutConfig.ENVIRONMENTS, ConfigType.MAP,
                        "Runlight cluster, or cluster/namespace, to Docker Scout environment name, for example {\"prod-eu/shop\": \"production\"}"),
                ConfigProperty.optional(ScoutConfig.VEX_EXCEPTIONS, ConfigType.BOOLEAN, "true",
                        "Whether to record a VEX exception for each vulnerability of a package not in use in a complete profile"),
                ConfigProperty.optional(ScoutConfig.HUB_URL, ConfigType.URL, ScoutConfig.DEFAULT_HUB_URL, "Docker Hub base URL, for the login"),
                ConfigProperty.optional(ScoutConfig.SCOUT_URL, ConfigType.URL, ScoutConfig.DEFAULT_SCOUT_URL, "Docker Scout API base URL, for GraphQL"),
                ConfigProperty.optional(ScoutConfig.AUTHOR, ConfigType.STRING, ScoutConfig.DEFAULT_AUTHOR, "Author named in exception details and OpenVEX documents"),
                ConfigProperty.optional(ScoutConfig.VEX_URL, ConfigType.URL,
                        "If set, each image's OpenVEX document is also PUT to <vexUrl>/<digest>.openvex.json"));
    }

    @Override
    public List<ConfigError> validate(ConnectorConfig config)
    {
        requireNonNull(config, "config is null");
        List<ConfigError> errors = new ArrayList<>();
        Map<String, String> environments = config.map(ScoutConfig.ENVIRONMENTS);
        if (environments.isEmpty()) {
            errors.add(ConfigError.of(ScoutConfig.ENVIRONMENTS, "map at least one cluster (or cluster/namespace) to a Docker Scout environment"));
        }
        environments.forEach((scope, environment) -> {
            if (!EnvironmentScope.isValid(scope)) {
                errors.add(ConfigError.of(ScoutConfig.ENVIRONMENTS, "key '" + scope + "' is not a cluster or cluster/namespace"));
            }
            if (environment.isBlank() || environment.contains("|")) {
                errors.add(ConfigError.of(ScoutConfig.ENVIRONMENTS, "environment name '" + environment + "' of '" + scope + "' is blank or contains '|'"));
            }
        });
        config.string(ScoutConfig.ORGANIZATION)
                .filter(String::isBlank)
                .ifPresent(blank -> errors.add(ConfigError.of(ScoutConfig.ORGANIZATION, "the organization is blank")));
        config.string(ScoutConfig.AUTHOR)
                .filter(String::isBlank)
                .ifPresent(blank -> errors.add(ConfigError.of(ScoutConfig.AUTHOR, "the author is blank")));
        return List.copyOf(errors);
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context)
    {
        requireNonNull(context, "context is null");
        List<ConfigError> errors = validate(config);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration of Docker Scout integration '" + context.integrationName() + "': " + errors);
        }
        return new DockerScoutConnector(new ScoutPusher(ScoutConfig.from(config), context));
    }
}
