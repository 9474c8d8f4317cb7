package io.runlight.hub.cli;

/**
 * No answer from the hub: refused connection, unknown host, untrusted certificate, time-out.
 * The message says which, in one or two sentences, and what to try.
 */
final class HubUnreachableException
        extends RuntimeException
{
    HubUnreachableException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
