package com.example.beacon;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.api.connector.ConnectorContext;
import io.runlight.plugin.api.connector.DeliveryAttempt;
import io.runlight.plugin.api.connector.DeliveryOutcome;
import io.runlight.plugin.api.connector.InboundResponse;
import io.runlight.plugin.api.connector.InsightsChange;
import io.runlight.plugin.api.connector.OutboundRequest;
import io.runlight.plugin.api.connector.PushMessage;
import io.runlight.plugin.api.connector.Pusher;
import io.runlight.plugin.api.connector.Route;
import io.runlight.plugin.api.connector.ServeRequest;
import io.runlight.plugin.api.connector.ServeResponse;

/**
 * Version 1: posts {@code {"image", "type", "packagesInUse", "integration"}} to
 * {@code <url>/beacon/events} with the delivery id as {@code Idempotency-Key}.
 */
final class BeaconConnector
        implements Connector, Pusher
{
    private final ConnectorContext context;
    private final URI url;
    private final String apiKey;
    private final String mode;

    BeaconConnector(ConnectorConfig config, ConnectorContext context)
    {
        this.context = context;
        this.url = config.url("url").orElseThrow();
        this.apiKey = config.string("apiKey").orElseThrow();
        this.mode = config.string("mode").orElse("normal");
    }

    @Override
    public Optional<Pusher> pusher()
    {
        return Optional.of(this);
    }

    @Override
    public List<Route> routes()
    {
        return List.of(Route.get("/v1/beacon"));
    }

    @Override
    public ServeResponse serve(ServeRequest request)
    {
        String body = "{\"integration\":\"" + context.integrationName() + "\",\"version\":\"" + BeaconConnectorFactory.VERSION + "\"}";
        return ServeResponse.of(200, Map.of("Content-Type", List.of("application/json")), body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public List<PushMessage> translate(InsightsChange change)
    {
        if (mode.equals("fail-translate")) {
            throw new IllegalStateException("beacon was told to fail in translate");
        }
        String digest = change.insights().digest().value();
        String body = "{\"image\":\"" + digest + "\",\"type\":\"" + change.type().eventType() + "\",\"packagesInUse\":"
                + change.insights().summary().packagesInUse() + ",\"integration\":\"" + context.integrationName() + "\"}";
        return List.of(PushMessage.of(change.type().eventType(), digest, body.getBytes(StandardCharsets.UTF_8), Map.of()));
    }

    @Override
    public OutboundRequest prepare(PushMessage message, DeliveryAttempt attempt)
    {
        return OutboundRequest.postJson(url.resolve("/beacon/events"), Map.of(
                "Authorization", List.of("Bearer " + apiKey),
                "Idempotency-Key", List.of(attempt.deliveryId())), message.payload().toArray());
    }

    @Override
    public DeliveryOutcome interpret(PushMessage message, OutboundRequest request, InboundResponse response)
    {
        return response.defaultOutcome(context.clock().instant());
    }
}
