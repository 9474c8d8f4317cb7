package io.runlight.plugin.api.connector;

import java.util.List;
import java.util.Set;

import org.pf4j.ExtensionPoint;

/**
 * The entry point of a connector plugin: a PF4J extension that describes a connector
 * and creates one per integration.
 *
 * <pre>{@code
 * @Extension
 * public final class AcmeConnectorFactory implements ConnectorFactory {
 *     public String id() { return "acme"; }
 *     public String displayName() { return "ACME Security"; }
 *     public Set<Capability> capabilities() { return Set.of(Capability.PUSH); }
 *     public List<ConfigProperty> configProperties() {
 *         return List.of(ConfigProperty.required("url", ConfigType.URL, "Where to send insights"));
 *     }
 *     public Connector create(ConnectorConfig config, ConnectorContext context) {
 *         return new AcmeConnector(config.url("url").orElseThrow(), context);
 *     }
 * }
 * }</pre>
 */
public interface ConnectorFactory
        extends ExtensionPoint
{
    /** A stable id, lower case, for example {@code snyk}; integrations name it. */
    String id();

    /** A name for people, for example {@code Snyk}. */
    String displayName();

    /** One or two sentences on what the connector does. */
    default String description()
    {
        return "";
    }

    /** Whether it pushes, serves, or both. */
    Set<Capability> capabilities();

    /** The configuration it accepts; unknown keys are rejected by the hub. */
    List<ConfigProperty> configProperties();

    /**
     * Checks that go beyond single properties (for example "push needs a token").
     * The hub has already checked types and required keys, and reports these errors
     * together with its own.
     */
    default List<ConfigError> validate(ConnectorConfig config)
    {
        return List.of();
    }

    /**
     * Creates the connector for one integration.
     *
     * @param config the validated configuration
     * @param context the hub services this integration may use
     */
    Connector create(ConnectorConfig config, ConnectorContext context);
}
