package io.runlight.hub.delivery;

import java.time.Duration;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

import static java.util.Objects.requireNonNull;

/**
 * The resilience4j instances of one integration. The relay only uses their
 * non-blocking calls ({@code tryAcquirePermission}, a rate limiter with a zero timeout),
 * so nothing here ever waits on an event loop. The circuit breaker and rate limiter
 * live as long as the integration; the bulkhead follows the connector's
 * {@code maxConcurrentRequests} of the current plugin generation.
 */
record IntegrationGuards(long generation, CircuitBreaker circuitBreaker, RateLimiter rateLimiter, Bulkhead bulkhead)
{
    IntegrationGuards
    {
        requireNonNull(circuitBreaker, "circuitBreaker is null");
        requireNonNull(rateLimiter, "rateLimiter is null");
        requireNonNull(bulkhead, "bulkhead is null");
    }

    static IntegrationGuards create(String integrationId, long generation, int maxConcurrentRequests, RelayOptions options)
    {
        CircuitBreaker circuitBreaker = CircuitBreaker.of("delivery-" + integrationId, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(options.circuitWindow())
                .minimumNumberOfCalls(options.circuitWindow())
                .failureRateThreshold(options.circuitFailureRatePercent())
                .waitDurationInOpenState(options.circuitOpenDuration())
                .permittedNumberOfCallsInHalfOpenState(options.circuitHalfOpenCalls())
                .build());
        RateLimiter rateLimiter = RateLimiter.of("delivery-" + integrationId, RateLimiterConfig.custom()
                .limitForPeriod(options.requestsPerSecond())
                .limitRefreshPeriod(Duration.ofSeconds(1))
                // never wait for a permission: the relay tries again at its next pass
                .timeoutDuration(Duration.ZERO)
                .build());
        return new IntegrationGuards(generation, circuitBreaker, rateLimiter, bulkhead(integrationId, maxConcurrentRequests));
    }

    /** The same circuit breaker and rate limiter, with a bulkhead for a new plugin generation. */
    IntegrationGuards forGeneration(String integrationId, long newGeneration, int maxConcurrentRequests)
    {
        return new IntegrationGuards(newGeneration, circuitBreaker, rateLimiter, bulkhead(integrationId, maxConcurrentRequests));
    }

    private static Bulkhead bulkhead(String integrationId, int maxConcurrentRequests)
    {
        return Bulkhead.of("delivery-" + integrationId, BulkheadConfig.custom()
                .maxConcurrentCalls(Math.max(1, maxConcurrentRequests))
                .maxWaitDuration(Duration.ZERO)
                .build());
    }
}
