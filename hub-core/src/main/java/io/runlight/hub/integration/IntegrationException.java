package io.runlight.hub.integration;

import io.runlight.hub.ErrorCategory;
import io.runlight.hub.HubFailure;

import static java.util.Objects.requireNonNull;

/**
 * A request about integrations that cannot be done: the integration does not exist, or
 * names a connector that is not loaded, or is otherwise wrong. Always the caller's fault
 * (USER); the message names the thing and says what to do.
 */
public final class IntegrationException
        extends RuntimeException
        implements HubFailure
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

    @Override
    public ErrorCategory errorCategory()
    {
        return ErrorCategory.USER;
    }

    @Override
    public String errorCode()
    {
        return switch (reason) {
            case NOT_FOUND -> "not_found";
            case INVALID -> "unprocessable_entity";
        };
    }

    public Reason reason()
    {
        return reason;
    }
}
