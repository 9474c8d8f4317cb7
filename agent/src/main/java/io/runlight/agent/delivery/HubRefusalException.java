package io.runlight.agent.delivery;

/**
 * The hub answered with a 4xx other than 429: retrying the same request cannot help. A 401 or
 * 403 means the agent's token is wrong, expired or revoked, or lacks the ingest role.
 */
public final class HubRefusalException
        extends RuntimeException
{
    private final int status;

    public HubRefusalException(int status, String message)
    {
        super(message);
        this.status = status;
    }

    /** The HTTP status the hub answered. */
    public int status()
    {
        return status;
    }

    /** Whether the hub refused the token rather than the request. */
    public boolean isAuthentication()
    {
        return status == 401 || status == 403;
    }
}
