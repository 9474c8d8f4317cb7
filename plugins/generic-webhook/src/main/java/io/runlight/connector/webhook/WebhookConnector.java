package io.runlight.connector.webhook;

import java.util.Optional;

import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.Pusher;

import static java.util.Objects.requireNonNull;

/**
 * One webhook integration: push only.
 */
final class WebhookConnector
        implements Connector
{
    private final WebhookPusher pusher;

    WebhookConnector(WebhookPusher pusher)
    {
        this.pusher = requireNonNull(pusher, "pusher is null");
    }

    @Override
    public Optional<Pusher> pusher()
    {
        return Optional.of(pusher);
    }

    @Override
    public String toString()
    {
        return "WebhookConnector[" + pusher + "]";
    }
}
