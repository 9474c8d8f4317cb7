package io.runlight.plugin.api.connector;

import java.time.Duration;
import java.util.Optional;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * What a response means for a delivery.
 *
 * @param kind delivered, retry, failed, or resend
 * @param reason why, for the integration's status (empty for delivered)
 * @param retryAfter for retry: the delay the receiver asked for, if any
 */
public record DeliveryOutcome(Kind kind, String reason, Optional<Duration> retryAfter)
{
    /** The kinds of outcome. */
    public enum Kind
    {
        /** The receiver accepted the message. */
        DELIVERED,
        /** A passing failure (429, 5xx, timeout): try again later with backoff. */
        RETRY,
        /** A permanent failure: the message goes to the dead letters. */
        FAILED,
        /** Send the message again at once, for example after a credential was refreshed; not counted as a failure. */
        RESEND
    }

    public DeliveryOutcome
    {
        requireNonNull(kind, "kind is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(retryAfter, "retryAfter is null");
        if (kind != Kind.DELIVERED) {
            requireNonBlank(reason, "reason");
        }
    }

    public static DeliveryOutcome delivered()
    {
        return new DeliveryOutcome(Kind.DELIVERED, "", Optional.empty());
    }

    public static DeliveryOutcome retry(String reason, Optional<Duration> retryAfter)
    {
        return new DeliveryOutcome(Kind.RETRY, reason, retryAfter);
    }

    public static DeliveryOutcome retry(String reason)
    {
        return retry(reason, Optional.empty());
    }

    public static DeliveryOutcome failed(String reason)
    {
        return new DeliveryOutcome(Kind.FAILED, reason, Optional.empty());
    }

    public static DeliveryOutcome resend(String reason)
    {
        return new DeliveryOutcome(Kind.RESEND, reason, Optional.empty());
    }
}
