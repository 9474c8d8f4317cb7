package io.runlight.hub.client;

/**
 * No answer from the hub: refused connection, unknown host, untrusted certificate, time-out.
 * The message says which, in one or two sentences, and what to try.
 */
public final class HubUnreachableException
        extends RuntimeException
{
    HubUnreachableException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
