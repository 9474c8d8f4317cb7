package io.runlight.hub.integration;

import static java.util.Objects.requireNonNull;

/**
 * A request about integrations that cannot be done: the integration does not exist, or
 * names a connector that is not loaded, or is otherwise wrong. Always the caller's fault
 * (USER); the message names the thing and says what to do.
 */
public final class IntegrationException
        extends RuntimeException
{
    /** What is wrong. */
    public enum Reason
    {
        /** No integration with that id. */
        NOT_FOUND,
        /** The request is not valid (unknown connector, bad name). */
        INVALID
    }

    private final Reason reason;

    public IntegrationException(Reason reason, String message)
    {
        super(requireNonNull(message, "message is null"));
        this.reason = requireNonNull(reason, "reason is null");
    }

    static IntegrationException notFound(String id)
    {
        return new IntegrationException(Reason.NOT_FOUND, "No integration '" + id + "'.");
    }

    public Reason reason()
    {
        return reason;
    }
}
