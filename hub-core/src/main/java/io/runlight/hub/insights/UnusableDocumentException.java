package io.runlight.hub.insights;

import io.runlight.hub.ErrorCategory;
import io.runlight.hub.HubFailure;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;

/**
 * A document that parses and is of a supported format, but that the hub cannot store as
 * it is (for example an SBOM that names no image digest). The message says what to do
 * instead; the HTTP edge answers 422.
 */
public final class UnusableDocumentException
        extends RuntimeException
        implements HubFailure
{
    public UnusableDocumentException(String message)
    {
        super(requireNonBlank(message, "message"));
    }

    @Override
    public ErrorCategory errorCategory()
    {
        return ErrorCategory.USER;
    }

    @Override
    public String errorCode()
    {
        return "unprocessable_entity";
    }
}
