package io.runlight.hub.delivery;

/**
 * The delivery side of an integration's status.
 */
public interface DeliveryStatus
{
    /** The integration's outbox counts and circuit state. Blocks on map reads. */
    DeliveryCounts counts(String integrationId);
}
