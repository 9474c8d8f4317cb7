package io.runlight.connector.webhook;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.runlight.plugin.api.Workload;
import io.runlight.plugin.api.WorkloadInsights;
import io.runlight.plugin.api.connector.ChangeType;
import io.runlight.plugin.api.connector.ConnectorContext;
import io.runlight.plugin.api.connector.DeliveryAttempt;
import io.runlight.plugin.api.connector.DeliveryOutcome;
import io.runlight.plugin.api.connector.InboundResponse;
import io.runlight.plugin.api.connector.InsightsChange;
import io.runlight.plugin.api.connector.OutboundRequest;
import io.runlight.plugin.api.connector.PackageFirstUse;
import io.runlight.plugin.api.connector.PushMessage;
import io.runlight.plugin.api.connector.Pusher;
import io.runlight.plugin.api.connector.VexFormat;

import static java.util.Objects.requireNonNull;

/**
 * The push side of the webhook connector.
 *
 * <p>{@link #translate} turns a change into message bodies (the exact bytes sent);
 * {@link #prepare} signs a body for one attempt; {@link #interpret} reads the receiver's
 * answer. See the module's README for the wire format.
 */
final class WebhookPusher
        implements Pusher
{
    static final String HEADER_ID = "webhook-id";
    static final String HEADER_TIMESTAMP = "webhook-timestamp";
    static final String HEADER_SIGNATURE = "webhook-signature";
    static final String HEADER_CONTENT_TYPE = "content-type";
    static final String JSON = "application/json";
    static final String CONNECTION_TEST = "connection-test";

    /** Header values shorter than this are not redacted from response excerpts (they would blank out ordinary words). */
    private static final int MIN_REDACTED_LENGTH = 4;

    private final WebhookConfig config;
    private final ConnectorContext context;
    private final WebhookSigner signer;
    private final EnvelopeWriter envelopes;
    private final SecureRandom random;

    WebhookPusher(WebhookConfig config, ConnectorContext context, SecureRandom random)
    {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.random = requireNonNull(random, "random is null");
        this.signer = new WebhookSigner(config.secret(), config.previousSecret());
        this.envelopes = new EnvelopeWriter();
    }

    @Override
    public List<PushMessage> translate(InsightsChange change)
    {
        requireNonNull(change, "change is null");
        String type = change.type().eventType();
        if (!config.events().contains(type)) {
            return List.of();
        }
        Optional<VexFormat> vexFormat = config.payload().vexFormat();
        if (vexFormat.isPresent()) {
            return vexMessage(change, vexFormat.get());
        }
        List<ImageEvent> events = clusters(change).stream()
                .map(cluster -> new ImageEvent(change.insights().digest(), cluster, change.insights().summary(), change.changes()))
                .toList();
        List<PushMessage> messages = new ArrayList<>();
        for (int start = 0; start < events.size(); start += config.batchSize()) {
            List<ImageEvent> chunk = events.subList(start, Math.min(events.size(), start + config.batchSize()));
            byte[] body;
            if (config.batchSize() == 1) {
                body = envelopes.event(type, change.time(), chunk.get(0));
            }
            else {
                body = envelopes.batch(type, change.time(), chunk);
            }
            String clusters = chunk.stream().map(event -> event.cluster().orElse("-")).collect(Collectors.joining(","));
            messages.add(message(type, key(type, change, clusters), body));
        }
        return List.copyOf(messages);
    }

    /**
     * {@code runlight.package.first_used}: one envelope per container that loaded a dormant
     * package, for the runlight payload. VEX payloads get nothing here: the image's VEX
     * document changes with the same change and is sent for it.
     */
    @Override
    public List<PushMessage> translateFirstUse(PackageFirstUse event)
    {
        requireNonNull(event, "event is null");
        String type = ChangeType.PACKAGE_FIRST_USED.eventType();
        if (!config.events().contains(type) || config.payload().vexFormat().isPresent()) {
            return List.of();
        }
        Workload workload = event.workload();
        String key = String.join("|", type, event.imageDigest().value(), event.pkg().purl().toString(),
                workload.cluster(), workload.namespace(), workload.kind(), workload.name(), workload.container());
        return List.of(message(type, key, envelopes.firstUse(type, event.time(), event)));
    }

    @Override
    public OutboundRequest prepare(PushMessage message, DeliveryAttempt attempt)
    {
        requireNonNull(message, "message is null");
        requireNonNull(attempt, "attempt is null");
        return signedPost(WebhookMessageId.forDelivery(attempt.deliveryId()), attempt.time(), message.payload().toArray(), OutboundRequest.DELIVERY);
    }

    @Override
    public DeliveryOutcome interpret(PushMessage message, OutboundRequest request, InboundResponse response)
    {
        requireNonNull(response, "response is null");
        if (response.isSuccess()) {
            return DeliveryOutcome.delivered();
        }
        // a receiver may echo the request: static header values (secret) are blanked before the excerpt is taken
        String reason = redacted(response).summary();
        int status = response.status();
        if (status == 408 || status == 429 || status >= 500) {
            return DeliveryOutcome.retry(reason, response.retryAfter(context.clock().instant()));
        }
        return DeliveryOutcome.failed(reason);
    }

    /** A signed POST of a {@code runlight.test} event, whatever the configured payload and events. */
    @Override
    public Optional<OutboundRequest> connectionTest()
    {
        Instant now = context.clock().instant();
        byte[] randomBytes = new byte[12];
        random.nextBytes(randomBytes);
        String messageId = "msg_test_" + HexFormat.of().formatHex(randomBytes);
        byte[] body = envelopes.testEvent(now, context.integrationId(), context.integrationName(), context.hubVersion());
        return Optional.of(signedPost(messageId, now, body, CONNECTION_TEST));
    }

    @Override
    public String toString()
    {
        return "WebhookPusher[integration=" + context.integrationId() + ", " + config + "]";
    }

    private List<PushMessage> vexMessage(InsightsChange change, VexFormat format)
    {
        Optional<byte[]> document = context.insights().vex(change.insights().digest(), format);
        if (document.isEmpty()) {
            // the hub has no VEX document for this image (yet): nothing to send
            return List.of();
        }
        if (document.get().length > PushMessage.MAX_PAYLOAD_BYTES) {
            throw new IllegalStateException("the " + config.payload().configName() + " document of image '" + change.insights().digest()
                    + "' is " + document.get().length + " bytes, more than the " + PushMessage.MAX_PAYLOAD_BYTES + " a webhook message may carry");
        }
        String type = change.type().eventType();
        return List.of(message(type, type + "|" + change.insights().digest().value(), document.get()));
    }

    private static List<Optional<String>> clusters(InsightsChange change)
    {
        TreeSet<String> clusters = change.workloads().stream()
                .map(WorkloadInsights::workload)
                .map(Workload::cluster)
                .collect(Collectors.toCollection(TreeSet::new));
        if (clusters.isEmpty()) {
            return List.of(Optional.empty());
        }
        return clusters.stream().map(Optional::of).toList();
    }

    private static String key(String type, InsightsChange change, String clusters)
    {
        return type + "|" + change.insights().digest().value() + "|" + clusters;
    }

    private static PushMessage message(String type, String key, byte[] body)
    {
        return PushMessage.of(type, key, body, Map.of());
    }

    private OutboundRequest signedPost(String messageId, Instant time, byte[] body, String purpose)
    {
        long timestamp = time.getEpochSecond();
        TreeMap<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        config.headers().forEach((name, value) -> {
            // validation rejects reserved names; never let a static header replace a signed one anyway
            if (!WebhookConfig.RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, List.of(value));
            }
        });
        headers.put(HEADER_ID, List.of(messageId));
        headers.put(HEADER_TIMESTAMP, List.of(Long.toString(timestamp)));
        headers.put(HEADER_SIGNATURE, List.of(signer.signature(messageId, timestamp, body)));
        headers.put(HEADER_CONTENT_TYPE, List.of(JSON));
        return OutboundRequest.builder("POST", config.url()).headers(headers).body(body).timeout(config.timeout()).purpose(purpose).build();
    }

    private InboundResponse redacted(InboundResponse response)
    {
        String text = response.bodyText();
        String result = text;
        for (String value : config.headers().values()) {
            if (value.length() >= MIN_REDACTED_LENGTH) {
                result = result.replace(value, "****");
            }
        }
        if (result.equals(text)) {
            return response;
        }
        return InboundResponse.of(response.status(), response.headers(), result.getBytes(StandardCharsets.UTF_8));
    }
}
