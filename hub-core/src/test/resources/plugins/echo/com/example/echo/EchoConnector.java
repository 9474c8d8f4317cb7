package com.example.echo;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.api.connector.ConnectorContext;
import io.runlight.plugin.api.connector.DeliveryAttempt;
import io.runlight.plugin.api.connector.DeliveryOutcome;
import io.runlight.plugin.api.connector.InboundResponse;
import io.runlight.plugin.api.connector.InsightsChange;
import io.runlight.plugin.api.connector.OutboundRequest;
import io.runlight.plugin.api.connector.PageRequest;
import io.runlight.plugin.api.connector.PushMessage;
import io.runlight.plugin.api.connector.Pusher;
import io.runlight.plugin.api.connector.Route;
import io.runlight.plugin.api.connector.ServeRequest;
import io.runlight.plugin.api.connector.ServeResponse;

/**
 * Serves GET /v1/echo (the integration's name, greeting, query and call count) and
 * posts one JSON document per change to its target. In mode {@code insights} it also serves
 * the insights-only GET /v1/echo-images: the number of images and how many times this
 * instance answered it (which an insights-only route must not show: the count tells a test
 * whether the connector or the hub's kept page answered).
 */
final class EchoConnector
        implements Connector, Pusher
{
    private final ConnectorConfig config;
    private final ConnectorContext context;
    private final URI target;
    private final String apiKey;
    private final AtomicLong imageAnswers = new AtomicLong();

    EchoConnector(ConnectorConfig config, ConnectorContext context)
    {
        this.config = config;
        this.context = context;
        this.target = config.url("target").orElseThrow();
        this.apiKey = config.string("apiKey").orElseThrow();
    }

    @Override
    public Optional<Pusher> pusher()
    {
        String mode = config.string("mode").orElse("normal");
        return mode.equals("serve-only") || mode.equals("idle") ? Optional.empty() : Optional.of(this);
    }

    @Override
    public List<Route> routes()
    {
        return switch (config.string("mode").orElse("normal")) {
            case "idle" -> List.of();
            case "insights" -> List.of(Route.get("/v1/echo"), Route.insightsOnlyGet("/v1/echo-images"));
            default -> List.of(Route.get("/v1/echo"));
        };
    }

    @Override
    public ServeResponse serve(ServeRequest request)
    {
        if (config.string("mode").orElse("normal").equals("fail-serve")) {
            throw new IllegalStateException("echo was told to fail");
        }
        if (request.path().equals("/v1/echo-images")) {
            int images = context.insights().images(new PageRequest(PageRequest.MAX_LIMIT, Optional.empty())).items().size();
            String body = "{\"images\":" + images + ",\"query\":" + quote(String.valueOf(request.query())) + ",\"answers\":" + imageAnswers.incrementAndGet() + "}";
            return ServeResponse.json(200, body.getBytes(StandardCharsets.UTF_8));
        }
        long calls = Long.parseLong(context.state().get("calls").orElse("0")) + 1;
        context.state().put("calls", Long.toString(calls));
        StringBuilder query = new StringBuilder("{");
        request.query().forEach((name, values) -> {
            if (query.length() > 1) {
                query.append(',');
            }
            query.append(quote(name)).append(":[");
            for (int i = 0; i < values.size(); i++) {
                query.append(i == 0 ? "" : ",").append(quote(values.get(i)));
            }
            query.append(']');
        });
        query.append('}');
        String body = "{\"integration\":" + quote(context.integrationName())
                + ",\"greeting\":" + quote(config.string("greeting").orElseThrow())
                + ",\"query\":" + query
                + ",\"calls\":" + calls
                + ",\"authorization\":" + request.header("Authorization").isPresent() + "}";
        return ServeResponse.of(200, Map.of("Content-Type", List.of("application/json"), "X-Echo", List.of(context.integrationId())),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public List<PushMessage> translate(InsightsChange change)
    {
        String digest = change.insights().digest().value();
        String body = "{\"image\":" + quote(digest) + ",\"integration\":" + quote(context.integrationName()) + "}";
        return List.of(PushMessage.of(change.type().eventType(), digest, body.getBytes(StandardCharsets.UTF_8), Map.of()));
    }

    @Override
    public OutboundRequest prepare(PushMessage message, DeliveryAttempt attempt)
    {
        return OutboundRequest.postJson(target.resolve("/events"), Map.of(
                "Authorization", List.of("Bearer " + apiKey),
                "Idempotency-Key", List.of(attempt.deliveryId())), message.payload().toArray());
    }

    @Override
    public DeliveryOutcome interpret(PushMessage message, OutboundRequest request, InboundResponse response)
    {
        return response.defaultOutcome(context.clock().instant());
    }

    @Override
    public Optional<OutboundRequest> connectionTest()
    {
        return Optional.of(OutboundRequest.builder("GET", target.resolve("/health"))
                .header("Authorization", "Bearer " + apiKey)
                .timeout(Duration.ofSeconds(2))
                .purpose("test")
                .build());
    }

    private static String quote(String value)
    {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
