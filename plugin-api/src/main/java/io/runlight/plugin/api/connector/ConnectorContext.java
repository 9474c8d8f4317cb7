package io.runlight.plugin.api.connector;

import java.time.Clock;

/**
 * What the hub offers one integration's connector. This is the only way a connector
 * reaches hub services.
 */
public interface ConnectorContext
{
    /** The integration's id. */
    String integrationId();

    /** The integration's name, as the admin gave it. */
    String integrationName();

    /** The hub's version, for example {@code 0.1.0}. */
    String hubVersion();

    /** Read-only access to the insights. */
    InsightsQuery insights();

    /** A small durable key-value store of this integration (for example ids a remote system returned). */
    ConnectorState state();

    /** The hub's clock; connectors use it instead of the system clock so tests can move time. */
    Clock clock();
}
