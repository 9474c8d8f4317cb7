package io.runlight.hub.delivery;

import static java.util.Objects.requireNonNull;

/**
 * The delivery side of an integration's status: its pending and dead deliveries in the
 * outbox, and its circuit state on this member.
 */
public final class OutboxStatus
        implements DeliveryStatus
{
    private final Outbox outbox;
    private final DeliveryGuards guards;

    public OutboxStatus(Outbox outbox, DeliveryGuards guards)
    {
        this.outbox = requireNonNull(outbox, "outbox is null");
        this.guards = requireNonNull(guards, "guards is null");
    }

    @Override
    public DeliveryCounts counts(String integrationId)
    {
        requireNonNull(integrationId, "integrationId is null");
        return outbox.counts(integrationId, guards.circuitState(integrationId));
    }
}
