package io.runlight.hub.integration;

import static java.util.Objects.requireNonNull;

/**
 * An integration and its status, as the API returns it (the record's secrets are masked
 * by whoever renders it, with {@link IntegrationRecord#maskedConfig()}).
 */
public record IntegrationDetails(IntegrationRecord integration, IntegrationStatus status)
{
    public IntegrationDetails
    {
        requireNonNull(integration, "integration is null");
        requireNonNull(status, "status is null");
    }
}
