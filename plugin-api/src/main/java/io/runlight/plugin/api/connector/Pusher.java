package io.runlight.plugin.api.connector;

import java.util.List;
import java.util.Optional;

/**
 * The push side of a connector, in three steps the hub drives:
 * <ol>
 * <li>{@link #translate}: an insights change becomes messages, which the hub writes to
 *     its durable outbox before anything is sent;</li>
 * <li>{@link #prepare}: at each attempt, a message becomes an HTTP request (so
 *     signatures, timestamps and credentials are fresh on every attempt);</li>
 * <li>{@link #interpret}: the response becomes an outcome: delivered, retry, failed
 *     for good, or resend at once (after refreshing a credential).</li>
 * </ol>
 * Methods must not block on I/O or sleep; the hub owns the HTTP client, retries,
 * backoff, circuit breaking and rate limiting.
 */
public interface Pusher
{
    /** The messages to send for this change; empty if the change is of no interest. */
    List<PushMessage> translate(InsightsChange change);

    /**
     * The messages to send because a dormant package woke up ({@code runlight.package.first_used}):
     * a package that was NOT_IN_USE in its image's complete profile was loaded. The hub calls
     * this besides {@link #translate} for the same change, once per container that loaded such
     * a package. The default sends nothing, so connectors written before the event keep working.
     */
    default List<PushMessage> translateFirstUse(PackageFirstUse event)
    {
        return List.of();
    }

    /** The request for one attempt to deliver a message. */
    OutboundRequest prepare(PushMessage message, DeliveryAttempt attempt);

    /**
     * What the response to a request means.
     *
     * @param request the request {@link #prepare} returned for this attempt
     */
    DeliveryOutcome interpret(PushMessage message, OutboundRequest request, InboundResponse response);

    /** A request that checks connectivity and credentials, for "test connection". */
    default Optional<OutboundRequest> connectionTest()
    {
        return Optional.empty();
    }

    /** How many requests of this integration may be in flight at once. */
    default int maxConcurrentRequests()
    {
        return 4;
    }
}
