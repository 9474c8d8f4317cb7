/**
 * Push delivery (docs/architecture.md, decision 2): the durable outbox, the relay that sends it
 * with retries, backoff, circuit breaker, rate limit and bulkhead per integration, and the
 * publisher that turns recomputed insights into outbox messages. It owns
 * {@link io.runlight.hub.delivery.PushTargets}, the interface through which it asks which
 * integrations may push.
 */
package io.runlight.hub.delivery;
