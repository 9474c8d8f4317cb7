package io.runlight.connector.snyk;

import java.util.List;
import java.util.Optional;

import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.Pusher;
import io.runlight.plugin.api.connector.Route;
import io.runlight.plugin.api.connector.ServeRequest;
import io.runlight.plugin.api.connector.ServeResponse;

import static java.util.Objects.requireNonNull;

/**
 * One Snyk integration: always serves the runtime-images API; pushes only when the
 * configuration turns push on.
 */
final class SnykConnector
        implements Connector
{
    private final RuntimeImagesEndpoint endpoint;
    private final Optional<Pusher> pusher;

    SnykConnector(RuntimeImagesEndpoint endpoint, Optional<Pusher> pusher)
    {
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.pusher = requireNonNull(pusher, "pusher is null");
    }

    @Override
    public Optional<Pusher> pusher()
    {
        return pusher;
    }

    @Override
    public List<Route> routes()
    {
        return endpoint.routes();
    }

    @Override
    public ServeResponse serve(ServeRequest request)
    {
        return endpoint.serve(request);
    }
}
