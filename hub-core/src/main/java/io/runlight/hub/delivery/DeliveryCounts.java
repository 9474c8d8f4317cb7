package io.runlight.hub.delivery;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The outbox of one integration at a glance, for its status.
 *
 * @param pending deliveries waiting to be sent or retried
 * @param dead deliveries that failed for good (dead letters)
 * @param circuitState the integration's circuit breaker: CLOSED, OPEN, HALF_OPEN (or DISABLED before its first delivery)
 */
public record DeliveryCounts(long pending, long dead, String circuitState)
{
    public DeliveryCounts
    {
        checkArgument(pending >= 0 && dead >= 0, "counts must not be negative");
        requireNonNull(circuitState, "circuitState is null");
    }
}
