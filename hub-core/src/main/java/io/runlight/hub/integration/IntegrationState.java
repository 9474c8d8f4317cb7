package io.runlight.hub.integration;

/**
 * The state an integration is stored in. What the API reports adds
 * {@link IntegrationStatus.State#SEVERED}, which is derived from the integration's token
 * at read time and never stored, so it cannot go stale.
 */
public enum IntegrationState
{
    /** Serves and pushes while its token is valid and its plugin is loaded. */
    ACTIVE,
    /** Stopped by an admin: serve routes answer 503, pushes are held. */
    PAUSED,
    /** Its connector could not be created; {@link IntegrationRecord#failure()} says why. */
    FAILED
}
