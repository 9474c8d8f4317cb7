package io.runlight.plugin.api.connector;

import java.util.List;
import java.util.Optional;

/**
 * One integration's connector. A pushing connector returns a {@link Pusher}; a serving
 * connector declares {@link #routes()} and answers {@link #serve}. The hub calls a
 * connector from several threads, with the thread context class loader set to the
 * plugin's, and with a timeout on every call.
 */
public interface Connector
        extends AutoCloseable
{
    /** The push side, if this connector pushes. */
    default Optional<Pusher> pusher()
    {
        return Optional.empty();
    }

    /** The routes this connector answers, if it serves. */
    default List<Route> routes()
    {
        return List.of();
    }

    /**
     * Answers a request to one of {@link #routes()}. The hub has already authenticated
     * the caller as this integration.
     */
    default ServeResponse serve(ServeRequest request)
    {
        return ServeResponse.error(404, "not_found", "No route " + request.method() + " " + request.path() + " in this integration");
    }

    /**
     * Releases what the connector holds. It must stop any thread it started: the
     * plugin's class loader is discarded after this.
     */
    @Override
    default void close() {}
}
