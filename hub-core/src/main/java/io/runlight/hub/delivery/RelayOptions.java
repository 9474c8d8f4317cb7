package io.runlight.hub.delivery;

import java.time.Duration;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * How the relay sends, retries and protects receivers. {@link #defaults()} are the
 * documented production values; tests shorten the times.
 *
 * @param pollInterval how often the relay looks for due deliveries (it also looks at once after writes and completions)
 * @param maxAttempts failed attempts after which a delivery goes dead
 * @param initialBackoff the delay after the first failed attempt
 * @param backoffMultiplier how much the delay grows per failed attempt
 * @param backoffRandomization the jitter: each delay is randomised by ± this fraction
 * @param maxBackoff the longest delay between attempts (a receiver's {@code Retry-After} may ask for more, up to {@code maxRetryAfter})
 * @param maxRetryAfter the longest {@code Retry-After} honoured as given
 * @param defaultRequestTimeout the timeout of a request that names none
 * @param maxResponseBytes how much of a response body is kept for the connector
 * @param requestsPerSecond per integration
 * @param circuitFailureRatePercent the failure rate that opens an integration's circuit
 * @param circuitWindow how many of the last calls the failure rate is computed over (and the fewest before it is)
 * @param circuitOpenDuration how long an open circuit stays open before it lets trial calls through
 * @param circuitHalfOpenCalls how many trial calls a half-open circuit lets through
 * @param maxResendsInARow how often a receiver may ask for an immediate resend of one attempt
 * @param lockLease how long the cluster lock on a delivery being sent lasts at most (if a member stalls)
 */
public record RelayOptions(
        Duration pollInterval,
        int maxAttempts,
        Duration initialBackoff,
        double backoffMultiplier,
        double backoffRandomization,
        Duration maxBackoff,
        Duration maxRetryAfter,
        Duration defaultRequestTimeout,
        int maxResponseBytes,
        int requestsPerSecond,
        float circuitFailureRatePercent,
        int circuitWindow,
        Duration circuitOpenDuration,
        int circuitHalfOpenCalls,
        int maxResendsInARow,
        Duration lockLease)
{
    public RelayOptions
    {
        positive(pollInterval, "pollInterval");
        checkArgument(maxAttempts >= 1, "maxAttempts must be at least 1: " + maxAttempts);
        positive(initialBackoff, "initialBackoff");
        checkArgument(backoffMultiplier >= 1, "backoffMultiplier must be at least 1: " + backoffMultiplier);
        checkArgument(backoffRandomization >= 0 && backoffRandomization < 1, "backoffRandomization must be in [0, 1): " + backoffRandomization);
        positive(maxBackoff, "maxBackoff");
        positive(maxRetryAfter, "maxRetryAfter");
        positive(defaultRequestTimeout, "defaultRequestTimeout");
        checkArgument(maxResponseBytes >= 0, "maxResponseBytes must not be negative: " + maxResponseBytes);
        checkArgument(requestsPerSecond >= 1, "requestsPerSecond must be at least 1: " + requestsPerSecond);
        checkArgument(circuitFailureRatePercent > 0 && circuitFailureRatePercent <= 100, "circuitFailureRatePercent must be in (0, 100]: " + circuitFailureRatePercent);
        checkArgument(circuitWindow >= 1, "circuitWindow must be at least 1: " + circuitWindow);
        positive(circuitOpenDuration, "circuitOpenDuration");
        checkArgument(circuitHalfOpenCalls >= 1, "circuitHalfOpenCalls must be at least 1: " + circuitHalfOpenCalls);
        checkArgument(maxResendsInARow >= 0, "maxResendsInARow must not be negative: " + maxResendsInARow);
        positive(lockLease, "lockLease");
    }

    /**
     * Poll every second; 8 attempts; backoff from 1 s doubling with ±50 % jitter up to
     * 5 min; {@code Retry-After} up to 1 h; 30 s request timeout; 1 MiB of response;
     * 10 requests/s; circuit opens at 50 % failures over the last 10 calls, for 30 s,
     * then 3 trial calls; 3 resends in a row; 10 min lock lease.
     */
    public static RelayOptions defaults()
    {
        return new RelayOptions(Duration.ofSeconds(1), 8, Duration.ofSeconds(1), 2, 0.5, Duration.ofMinutes(5), Duration.ofHours(1),
                Duration.ofSeconds(30), 1024 * 1024, 10, 50, 10, Duration.ofSeconds(30), 3, 3, Duration.ofMinutes(10));
    }

    public RelayOptions withPollInterval(Duration value)
    {
        return new RelayOptions(value, maxAttempts, initialBackoff, backoffMultiplier, backoffRandomization, maxBackoff, maxRetryAfter,
                defaultRequestTimeout, maxResponseBytes, requestsPerSecond, circuitFailureRatePercent, circuitWindow, circuitOpenDuration,
                circuitHalfOpenCalls, maxResendsInARow, lockLease);
    }

    public RelayOptions withRetries(int attempts, Duration initial, Duration max)
    {
        return new RelayOptions(pollInterval, attempts, initial, backoffMultiplier, backoffRandomization, max, maxRetryAfter,
                defaultRequestTimeout, maxResponseBytes, requestsPerSecond, circuitFailureRatePercent, circuitWindow, circuitOpenDuration,
                circuitHalfOpenCalls, maxResendsInARow, lockLease);
    }

    public RelayOptions withDefaultRequestTimeout(Duration value)
    {
        return new RelayOptions(pollInterval, maxAttempts, initialBackoff, backoffMultiplier, backoffRandomization, maxBackoff, maxRetryAfter,
                value, maxResponseBytes, requestsPerSecond, circuitFailureRatePercent, circuitWindow, circuitOpenDuration,
                circuitHalfOpenCalls, maxResendsInARow, lockLease);
    }

    public RelayOptions withRequestsPerSecond(int value)
    {
        return new RelayOptions(pollInterval, maxAttempts, initialBackoff, backoffMultiplier, backoffRandomization, maxBackoff, maxRetryAfter,
                defaultRequestTimeout, maxResponseBytes, value, circuitFailureRatePercent, circuitWindow, circuitOpenDuration,
                circuitHalfOpenCalls, maxResendsInARow, lockLease);
    }

    public RelayOptions withCircuit(float failureRatePercent, int window, Duration openDuration, int halfOpenCalls)
    {
        return new RelayOptions(pollInterval, maxAttempts, initialBackoff, backoffMultiplier, backoffRandomization, maxBackoff, maxRetryAfter,
                defaultRequestTimeout, maxResponseBytes, requestsPerSecond, failureRatePercent, window, openDuration,
                halfOpenCalls, maxResendsInARow, lockLease);
    }

    private static void positive(Duration value, String name)
    {
        requireNonNull(value, name + " is null");
        checkArgument(!value.isNegative() && !value.isZero(), name + " must be positive: " + value);
    }
}
