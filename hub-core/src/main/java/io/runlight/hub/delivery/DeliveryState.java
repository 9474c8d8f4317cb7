package io.runlight.hub.delivery;

/**
 * Where a delivery stands in the outbox. A delivered message is removed from the outbox,
 * so there is no state for it.
 */
public enum DeliveryState
{
    /** Waiting for its first attempt or for a retry. */
    PENDING,
    /** Failed for good (a permanent failure or retries exhausted): a dead letter, kept until retried. */
    DEAD
}
