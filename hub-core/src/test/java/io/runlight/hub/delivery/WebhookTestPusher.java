package io.runlight.hub.delivery;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.runlight.hub.plugin.PluginCallException;
import io.runlight.plugin.api.connector.DeliveryAttempt;
import io.runlight.plugin.api.connector.DeliveryOutcome;
import io.runlight.plugin.api.connector.InboundResponse;
import io.runlight.plugin.api.connector.InsightsChange;
import io.runlight.plugin.api.connector.OutboundRequest;
import io.runlight.plugin.api.connector.PushMessage;
import io.runlight.plugin.api.connector.Pusher;

/**
 * A real {@link Pusher} as a webhook connector would write it: POSTs the payload to
 * {@code <base>/hook/<integration>} with the delivery id as {@code Idempotency-Key} and the
 * attempt number as {@code X-Attempt}; reads responses the usual way. It can be told to
 * fail in {@code prepare} the way a guarded plugin call fails (throwing, or hanging until
 * its timeout).
 */
final class WebhookTestPusher
        implements Pusher
{
    enum Mode
    {
        NORMAL,
        THROWS,
        HANGS
    }

    private final URI base;
    private final String integrationId;
    private final int maxConcurrent;
    private volatile Mode mode = Mode.NORMAL;
    private volatile boolean translateFails;

    WebhookTestPusher(URI base, String integrationId, int maxConcurrent)
    {
        this.base = base;
        this.integrationId = integrationId;
        this.maxConcurrent = maxConcurrent;
    }

    void mode(Mode value)
    {
        mode = value;
    }

    /** Makes {@code translate} fail the way a guarded plugin call that threw does. */
    WebhookTestPusher throwingInTranslate()
    {
        translateFails = true;
        return this;
    }

    static PushMessage message(String key, String body)
    {
        return PushMessage.of("runlight.image.insights.changed", key, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static PushMessage message(String key, String body, Duration timeout)
    {
        return PushMessage.of("runlight.image.insights.changed", key, body.getBytes(StandardCharsets.UTF_8), Map.of("timeoutMillis", String.valueOf(timeout.toMillis())));
    }

    @Override
    public List<PushMessage> translate(InsightsChange change)
    {
        if (translateFails) {
            throw new PluginCallException(PluginCallException.Category.THREW, "acme", "Pusher.translate (connector 'acme')",
                    "translate failed on purpose", new IllegalStateException("on purpose"));
        }
        String body = "{\"digest\":\"" + change.insights().digest() + "\",\"type\":\"" + change.type().name() + "\",\"changes\":" + change.changes().size() + "}";
        return List.of(message(change.insights().digest().toString(), body));
    }

    @Override
    public OutboundRequest prepare(PushMessage message, DeliveryAttempt attempt)
    {
        switch (mode) {
            case THROWS -> throw new PluginCallException(PluginCallException.Category.THREW, "acme", "Pusher.prepare (connector 'acme')",
                    "Pusher.prepare (connector 'acme') threw IllegalStateException: signing key missing", new IllegalStateException("signing key missing"));
            case HANGS -> {
                try {
                    Thread.sleep(500);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new PluginCallException(PluginCallException.Category.TIMED_OUT, "acme", "Pusher.prepare (connector 'acme')",
                        "Pusher.prepare (connector 'acme') did not return within 500 ms", null);
            }
            case NORMAL -> {
                // below
            }
        }
        Map<String, List<String>> headers = new TreeMap<>();
        headers.put("Idempotency-Key", List.of(attempt.deliveryId()));
        headers.put("X-Attempt", List.of(String.valueOf(attempt.attempt())));
        headers.put("X-Event-Key", List.of(message.key()));
        Optional<Duration> timeout = Optional.ofNullable(message.attributes().get("timeoutMillis")).map(value -> Duration.ofMillis(Long.parseLong(value)));
        OutboundRequest.Builder request = OutboundRequest.builder("POST", base.resolve("/hook/" + integrationId))
                .headers(headers)
                .header("Content-Type", "application/json")
                .body(message.payload());
        timeout.ifPresent(request::timeout);
        return request.build();
    }

    @Override
    public DeliveryOutcome interpret(PushMessage message, OutboundRequest request, InboundResponse response)
    {
        return response.defaultOutcome(Instant.now());
    }

    @Override
    public int maxConcurrentRequests()
    {
        return maxConcurrent;
    }
}
