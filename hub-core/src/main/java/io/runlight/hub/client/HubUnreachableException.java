package io.runlight.hub.client;

import io.runlight.hub.ErrorCategory;
import io.runlight.hub.HubFailure;

/**
 * No answer from the hub: refused connection, unknown host, untrusted certificate, time-out.
 * The message says which, in one or two sentences, and what to try.
 */
public final class HubUnreachableException
        extends RuntimeException
        implements HubFailure
{
    HubUnreachableException(String message, Throwable cause)
    {
        super(message, cause);
    }

    @Override
    public ErrorCategory errorCategory()
    {
        return ErrorCategory.EXTERNAL;
    }

    @Override
    public String errorCode()
    {
        return "hub_unreachable";
    }
}
