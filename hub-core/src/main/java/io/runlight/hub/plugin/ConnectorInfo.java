package io.runlight.hub.plugin;

import java.util.Comparator;
import java.util.List;

import io.runlight.plugin.api.connector.Capability;
import io.runlight.plugin.api.connector.ConfigProperty;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * What a plugin's connector factory declared when it was loaded. The hub reads it once,
 * through a plugin call, so that listing plugins never runs plugin code.
 *
 * @param id the connector id integrations name
 * @param displayName the name for people
 * @param description what it does
 * @param capabilities push and/or serve, in declaration order of {@link Capability}
 * @param configProperties the configuration it accepts, in the order declared
 */
public record ConnectorInfo(String id, String displayName, String description, List<Capability> capabilities, List<ConfigProperty> configProperties)
{
    public ConnectorInfo
    {
        requireNonBlank(id, "id");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(description, "description is null");
        capabilities = requireNonNull(capabilities, "capabilities is null").stream()
                .map(capability -> requireNonNull(capability, "capability is null"))
                .distinct()
                .sorted(Comparator.naturalOrder())
                .toList();
        configProperties = List.copyOf(requireNonNull(configProperties, "configProperties is null"));
    }
}
