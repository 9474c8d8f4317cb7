package io.runlight.hub.integration;

import java.time.Instant;
import java.util.Optional;

import io.runlight.hub.delivery.DeliveryCounts;
import io.runlight.hub.token.TokenStatus;

import static java.util.Objects.requireNonNull;

/**
 * How an integration stands now, derived at read time from its record, its token, the
 * loaded plugins and its outbox.
 *
 * @param state what the API reports
 * @param reason why it is not ACTIVE (empty when it is)
 * @param token its token (never the secret), if it has one
 * @param deliveries its outbox counts and circuit state
 */
public record IntegrationStatus(State state, Optional<String> reason, Optional<TokenSummary> token, DeliveryCounts deliveries)
{
    /** The states the API reports. */
    public enum State
    {
        /** Serves and pushes. */
        ACTIVE,
        /** Paused by an admin. */
        PAUSED,
        /** Its token was deleted or expired: serve routes answer 401 and pushes are held until a token is renewed or created. */
        SEVERED,
        /** Its plugin is not loaded, or its connector could not be created. */
        FAILED
    }

    /**
     * The integration's token as status shows it.
     *
     * @param id the token id (renew or delete it with this)
     * @param prefix the display prefix
     * @param expiresAt when it expires
     * @param status whether it is still valid
     */
    public record TokenSummary(String id, String prefix, Instant expiresAt, TokenStatus status)
    {
        public TokenSummary
        {
            requireNonNull(id, "id is null");
            requireNonNull(prefix, "prefix is null");
            requireNonNull(expiresAt, "expiresAt is null");
            requireNonNull(status, "status is null");
        }
    }

    public IntegrationStatus
    {
        requireNonNull(state, "state is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(token, "token is null");
        requireNonNull(deliveries, "deliveries is null");
    }
}
