package io.runlight.agent.delivery;

/**
 * The hub could not take a request now (no connection, a timeout, 429 or a 5xx): what was to
 * be sent stays with the agent and is tried again.
 */
public final class HubUnavailableException
        extends RuntimeException
{
    public HubUnavailableException(String message, Throwable cause)
    {
        super(message, cause);
    }

    public HubUnavailableException(String message)
    {
        super(message);
    }
}
