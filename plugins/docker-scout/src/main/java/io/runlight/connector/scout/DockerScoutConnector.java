package io.runlight.connector.scout;

import java.util.Optional;

import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.Pusher;

import static java.util.Objects.requireNonNull;

/**
 * One Docker Scout integration: push only.
 */
final class DockerScoutConnector
        implements Connector
{
    private final ScoutPusher pusher;

    DockerScoutConnector(ScoutPusher pusher)
    {
        this.pusher = requireNonNull(pusher, "pusher is null");
    }

    @Override
    public Optional<Pusher> pusher()
    {
        return Optional.of(pusher);
    }
}
