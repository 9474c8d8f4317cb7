package io.runlight.hub.http;

import io.runlight.hub.ErrorCategory;
import io.runlight.hub.HubFailure;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;

/**
 * A request that fails with a documented status and Runlight's error body
 * {@code {"error": code, "message": message}}. Handlers throw or {@code ctx.fail} it;
 * {@link ApiFailureHandler} writes it.
 */
public final class ApiException
        extends RuntimeException
        implements HubFailure
{
    private final int status;
    private final String code;

    public ApiException(int status, String code, String message)
    {
        this(status, code, message, null);
    }

    public ApiException(int status, String code, String message, Throwable cause)
    {
        super(requireNonBlank(message, "message"), cause);
        this.status = status;
        this.code = requireNonBlank(code, "code");
    }

    public static ApiException badRequest(String message)
    {
        return new ApiException(400, "bad_request", message);
    }

    public static ApiException notFound(String message)
    {
        return new ApiException(404, "not_found", message);
    }

    public static ApiException conflict(String message)
    {
        return new ApiException(409, "conflict", message);
    }

    public static ApiException unprocessable(String message)
    {
        return new ApiException(422, "unprocessable_entity", message);
    }

    public static ApiException forbidden(String message)
    {
        return new ApiException(403, "forbidden", message);
    }

    public static ApiException unauthorized(String message)
    {
        return new ApiException(401, "unauthorized", message);
    }

    /** The user's fault for a 4xx, ours for a 5xx. */
    @Override
    public ErrorCategory errorCategory()
    {
        return status >= 500 ? ErrorCategory.INTERNAL : ErrorCategory.USER;
    }

    @Override
    public String errorCode()
    {
        return code;
    }

    public int status()
    {
        return status;
    }

    public String code()
    {
        return code;
    }
}
