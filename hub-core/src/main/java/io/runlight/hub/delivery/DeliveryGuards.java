package io.runlight.hub.delivery;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import static java.util.Objects.requireNonNull;

/**
 * The relay's options and, per integration, its resilience4j instances (circuit
 * breaker, rate limiter, bulkhead), made on first use. Separate from the {@link Relay} so
 * an integration's status can show its circuit state without depending on the relay
 * (the relay itself depends on the integrations as its push targets).
 */
public final class DeliveryGuards
{
    private static final Logger log = LoggerFactory.getLogger(DeliveryGuards.class);
    private static final String NO_CIRCUIT_YET = "DISABLED";

    private final RelayOptions options;
    private final Map<String, IntegrationGuards> guards = new ConcurrentHashMap<>();

    public DeliveryGuards(RelayOptions options)
    {
        this.options = requireNonNull(options, "options is null");
    }

    public RelayOptions options()
    {
        return options;
    }

    /** The integration's circuit breaker state on this member: CLOSED, OPEN, HALF_OPEN, or DISABLED before its first delivery here. */
    public String circuitState(String integrationId)
    {
        IntegrationGuards guard = guards.get(requireNonNull(integrationId, "integrationId is null"));
        return guard == null ? NO_CIRCUIT_YET : guard.circuitBreaker().getState().name();
    }

    /** The guards of a target's integration; a new plugin generation gets a new bulkhead. Calls the connector: run on a worker. */
    IntegrationGuards forTarget(PushTarget target)
    {
        String integrationId = target.integrationId();
        IntegrationGuards current = guards.get(integrationId);
        if (current != null && current.generation() == target.generation()) {
            return current;
        }
        int maxConcurrent = maxConcurrentRequests(target);
        IntegrationGuards updated = current == null
                ? IntegrationGuards.create(integrationId, target.generation(), maxConcurrent, options)
                : current.forGeneration(integrationId, target.generation(), maxConcurrent);
        guards.put(integrationId, updated);
        return updated;
    }

    private static int maxConcurrentRequests(PushTarget target)
    {
        try {
            return Math.max(1, target.pusher().maxConcurrentRequests());
        }
        catch (RuntimeException e) {
            log.warn("Connector of integration '{}' failed to say how many requests it allows at once; sending one at a time: {}",
                    target.integrationId(), e.getMessage());
            return 1;
        }
    }
}
