package io.runlight.hub.integration;

import java.time.Clock;

import io.runlight.plugin.api.connector.ConnectorContext;
import io.runlight.plugin.api.connector.ConnectorState;
import io.runlight.plugin.api.connector.InsightsQuery;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * What the hub hands one integration's connector: its identity, read access to insights,
 * its own durable state and the hub's clock. Nothing else of the hub is reachable from here.
 */
record IntegrationConnectorContext(String integrationId, String integrationName, String hubVersion, InsightsQuery insights, ConnectorState state, Clock clock)
        implements ConnectorContext
{
    IntegrationConnectorContext
    {
        requireNonBlank(integrationId, "integrationId");
        requireNonNull(integrationName, "integrationName is null");
        requireNonBlank(hubVersion, "hubVersion");
        requireNonNull(insights, "insights is null");
        requireNonNull(state, "state is null");
        requireNonNull(clock, "clock is null");
    }
}
