package io.runlight.hub.integration;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * An integration and its status, as the API returns it (the record's secrets are masked
 * by whoever renders it, with {@link IntegrationRecord#maskedConfig()}).
 *
 * @param integration the stored integration; its {@code plugin} is the connector id
 * @param pluginId the id of the plugin that provides the connector, while that plugin is loaded
 * @param status what the integration is doing now
 */
public record IntegrationDetails(IntegrationRecord integration, Optional<String> pluginId, IntegrationStatus status)
{
    public IntegrationDetails
    {
        requireNonNull(integration, "integration is null");
        requireNonNull(pluginId, "pluginId is null");
        requireNonNull(status, "status is null");
    }
}
