package io.runlight.examples.summary;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.runlight.plugin.api.connector.ConnectorContext;
import io.runlight.plugin.api.connector.DeliveryAttempt;
import io.runlight.plugin.api.connector.DeliveryOutcome;
import io.runlight.plugin.api.connector.InboundResponse;
import io.runlight.plugin.api.connector.InsightsChange;
import io.runlight.plugin.api.connector.OutboundRequest;
import io.runlight.plugin.api.connector.PushMessage;
import io.runlight.plugin.api.connector.Pusher;

import static java.util.Objects.requireNonNull;

/**
 * The push side, in the three steps the hub drives. Nothing here sends, waits or
 * retries: the hub owns the HTTP client, the durable outbox, backoff, {@code Retry-After},
 * the circuit breaker and the dead letters.
 */
final class SummaryPusher
        implements Pusher
{
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String CONNECTION_TEST = "connection-test";

    private final SummaryConfig config;
    private final ConnectorContext context;
    private final SummaryJson json = new SummaryJson();

    SummaryPusher(SummaryConfig config, ConnectorContext context)
    {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
    }

    /**
     * Step 1, once per change: the body is built here, so it is stored in the outbox and
     * every retry sends the same bytes. The key names the image: a newer summary of an
     * image replaces an older one that is still waiting to be sent.
     */
    @Override
    public List<PushMessage> translate(InsightsChange change)
    {
        requireNonNull(change, "change is null");
        String event = change.type().eventType();
        String digest = change.insights().digest().value();
        byte[] body = json.message(SummaryLine.of(change), event, digest, change.time());
        return List.of(PushMessage.of(event, event + "|" + digest, body, Map.of()));
    }

    /**
     * Step 2, at every attempt: credentials are added here, not in {@link #translate}, so
     * they never sit in the outbox and a changed token applies to pending messages too.
     */
    @Override
    public OutboundRequest prepare(PushMessage message, DeliveryAttempt attempt)
    {
        requireNonNull(message, "message is null");
        requireNonNull(attempt, "attempt is null");
        Map<String, List<String>> headers = authorization();
        // the same on every attempt of one message: lets the receiver drop duplicates
        headers.put(IDEMPOTENCY_KEY, List.of(attempt.deliveryId()));
        headers.put("Content-Type", List.of("application/json"));
        return OutboundRequest.builder("POST", config.url()).headers(headers).body(message.payload()).timeout(config.timeout()).build();
    }

    /**
     * Step 3: what the answer means. 2xx delivered; 408, 429 and 5xx retried (honouring
     * {@code Retry-After}); 401 and 403 failed for good with a hint, since retrying a
     * refused token cannot help; any other status failed for good.
     */
    @Override
    public DeliveryOutcome interpret(PushMessage message, OutboundRequest request, InboundResponse response)
    {
        requireNonNull(response, "response is null");
        if (response.status() == 401 || response.status() == 403) {
            return DeliveryOutcome.failed("HTTP " + response.status() + ": the receiver at '" + config.url().getHost()
                    + "' refused the token; set a valid 'token' on the integration");
        }
        return response.defaultOutcome(context.clock().instant());
    }

    /** "Test connection": one real POST with a test line, authorised like every delivery. */
    @Override
    public Optional<OutboundRequest> connectionTest()
    {
        Map<String, List<String>> headers = authorization();
        headers.put("Content-Type", List.of("application/json"));
        byte[] body = json.test("Runlight connection test of integration '" + context.integrationName() + "' (hub " + context.hubVersion() + ")");
        return Optional.of(OutboundRequest.builder("POST", config.url()).headers(headers).body(body).timeout(config.timeout()).purpose(CONNECTION_TEST).build());
    }

    /** One request at a time keeps a chat channel's lines in order. */
    @Override
    public int maxConcurrentRequests()
    {
        return 1;
    }

    @Override
    public String toString()
    {
        return "SummaryPusher[integration=" + context.integrationId() + ", " + config + "]";
    }

    private Map<String, List<String>> authorization()
    {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Authorization", List.of("Bearer " + config.token()));
        return headers;
    }
}
