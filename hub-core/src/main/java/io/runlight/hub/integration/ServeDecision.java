package io.runlight.hub.integration;

import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.Route;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * Whether an integration answers a request to one of its serve routes now: accepted with
 * its connector, or refused with the HTTP answer to give.
 */
public sealed interface ServeDecision
{
    /**
     * The integration answers: pass the request to {@link IntegrationService#serve}.
     *
     * @param integrationId the integration
     * @param integrationName its name
     * @param connector its (guarded) connector
     * @param route the route of the request, as the connector declared it
     */
    record Accepted(String integrationId, String integrationName, Connector connector, Route route)
            implements ServeDecision
    {
        public Accepted
        {
            requireNonBlank(integrationId, "integrationId");
            requireNonNull(integrationName, "integrationName is null");
            requireNonNull(connector, "connector is null");
            requireNonNull(route, "route is null");
        }
    }

    /**
     * The integration does not answer.
     *
     * @param status the HTTP status
     * @param error the error code of the body
     * @param message the sentence of the body
     */
    record Refused(int status, String error, String message)
            implements ServeDecision
    {
        public Refused
        {
            requireNonBlank(error, "error");
            requireNonBlank(message, "message");
        }
    }
}
