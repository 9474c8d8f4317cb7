package io.runlight.hub.delivery;

import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.runlight.plugin.api.connector.PushMessage;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * One message of the outbox on its way to one integration: the value of the durable
 * {@code outbox} map, keyed by {@link #id}. The id is the idempotency key the connector
 * sees in every attempt ({@code DeliveryAttempt.deliveryId()}), so it never changes,
 * not across retries, restarts or a manual retry of a dead letter.
 *
 * @param id {@code dlv_} and 26 random base62 characters
 * @param integrationId the integration the message is for
 * @param message what the connector translated, kept as stored data so every attempt can rebuild the request
 * @param state pending or dead (a delivered message is removed)
 * @param attempts failed attempts so far (a resend at the receiver's request does not count)
 * @param nextAttemptAt when a pending delivery is due
 * @param createdAt when it was written to the outbox
 * @param lastStatus the HTTP status of the last failed attempt, if the receiver answered
 * @param lastError why the last attempt failed (status and reason, a timeout, a plugin error)
 * @param lastResponse the first bytes of the last failed response's body, as text
 */
public record Delivery(
        String id,
        String integrationId,
        Message message,
        DeliveryState state,
        int attempts,
        Instant nextAttemptAt,
        Instant createdAt,
        Optional<Integer> lastStatus,
        Optional<String> lastError,
        Optional<String> lastResponse)
{
    public Delivery
    {
        requireNonBlank(id, "id");
        requireNonBlank(integrationId, "integrationId");
        requireNonNull(message, "message is null");
        requireNonNull(state, "state is null");
        checkArgument(attempts >= 0, "attempts must not be negative: " + attempts);
        requireNonNull(nextAttemptAt, "nextAttemptAt is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(lastStatus, "lastStatus is null");
        requireNonNull(lastError, "lastError is null");
        requireNonNull(lastResponse, "lastResponse is null");
    }

    /** A new delivery, due at once. */
    static Delivery pending(String id, String integrationId, PushMessage message, Instant now)
    {
        return new Delivery(id, integrationId, Message.of(message), DeliveryState.PENDING, 0, now, now, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The key under which a newer unsent message supersedes this one. */
    String supersedeKey()
    {
        return integrationId + "\n" + message.key();
    }

    /** After a failed attempt: retried at {@code next}. */
    Delivery retryAt(Instant next, Optional<Integer> status, String error, Optional<String> response)
    {
        return new Delivery(id, integrationId, message, DeliveryState.PENDING, attempts + 1, next, createdAt, status, Optional.of(error), response);
    }

    /** After a permanent failure or the last allowed attempt: a dead letter. */
    Delivery dead(Instant now, Optional<Integer> status, String error, Optional<String> response)
    {
        return new Delivery(id, integrationId, message, DeliveryState.DEAD, attempts + 1, now, createdAt, status, Optional.of(error), response);
    }

    /** A dead letter queued again: pending, due now, attempts reset; the same id and the last error kept for reference. */
    Delivery requeued(Instant now)
    {
        return new Delivery(id, integrationId, message, DeliveryState.PENDING, 0, now, createdAt, lastStatus, lastError, lastResponse);
    }

    /**
     * The stored form of a {@link PushMessage}.
     *
     * @param eventType the connector's event type
     * @param key what the message is about; see {@link Outbox} for superseding
     * @param payload the payload, base64
     * @param attributes the connector's small values, sorted by name
     */
    public record Message(String eventType, String key, String payload, Map<String, String> attributes)
    {
        public Message
        {
            requireNonBlank(eventType, "eventType");
            requireNonBlank(key, "key");
            requireNonNull(payload, "payload is null");
            attributes = Map.copyOf(requireNonNull(attributes, "attributes is null"));
        }

        static Message of(PushMessage message)
        {
            return new Message(message.eventType(), message.key(), Base64.getEncoder().encodeToString(message.payload().toArray()), message.attributes());
        }

        /** The message as the connector gave it. */
        public PushMessage toPushMessage()
        {
            return PushMessage.of(eventType, key, Base64.getDecoder().decode(payload), new TreeMap<>(attributes));
        }
    }
}
