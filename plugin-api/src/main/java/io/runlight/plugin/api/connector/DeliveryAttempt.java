package io.runlight.plugin.api.connector;

import java.time.Instant;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * One attempt to deliver a message.
 *
 * @param deliveryId the delivery's id, the same across every retry of one message:
 *        use it as the idempotency key (for example the {@code webhook-id} header)
 * @param attempt 1 for the first attempt
 * @param time when this attempt is made
 */
public record DeliveryAttempt(String deliveryId, int attempt, Instant time)
{
    public DeliveryAttempt
    {
        requireNonBlank(deliveryId, "deliveryId");
        checkArgument(attempt >= 1, "attempt must be at least 1: " + attempt);
        requireNonNull(time, "time is null");
    }
}
