package io.runlight.hub.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What push delivery needs from integrations: which may push now, and where to record
 * how their deliveries went. An integration that is paused, severed (its token deleted
 * or expired), failed, or whose plugin is not loaded has no push target: its pending
 * deliveries are held, not lost.
 */
public interface PushTargets
{
    /** Every integration that may push now, ordered by id. Blocks on map reads. */
    List<PushTarget> activePushTargets();

    /**
     * Every integration whose insights changes are written to the outbox now, ordered by id:
     * those that may push, and those whose pushes are only held (paused, or severed by a
     * deleted or expired token), so that their changes wait in the outbox until they may
     * push again instead of being lost. Blocks on map reads. The default, for targets that
     * hold nothing, is {@link #activePushTargets()}.
     */
    default List<PushTarget> translatingTargets()
    {
        return activePushTargets();
    }

    /** The push target of one integration, if it may push now. Blocks on map reads. */
    Optional<PushTarget> pushTarget(String integrationId);

    /** A delivery of the integration succeeded. */
    void deliverySucceeded(String integrationId, Instant at);

    /** A delivery attempt of the integration failed (retried or dead-lettered). */
    void deliveryFailed(String integrationId, Instant at, String reason);
}
