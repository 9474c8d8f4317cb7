package io.runlight.hub.client;

import com.fasterxml.jackson.databind.JsonNode;

import io.runlight.hub.ErrorCategory;
import io.runlight.hub.HubFailure;

import static java.util.Objects.requireNonNull;

/**
 * The hub answered, but with an error status. The message is one sentence for the terminal:
 * "the hub refused the request: &lt;the hub's message&gt; (HTTP 404)".
 */
public final class HubRefusedException
        extends RuntimeException
        implements HubFailure
{
    private final int status;
    private final JsonNode body;

    HubRefusedException(String message, int status, JsonNode body)
    {
        super(requireNonNull(message, "message is null"));
        this.status = status;
        this.body = requireNonNull(body, "body is null");
    }

    /** The hub refused what the user asked (4xx), or failed itself (5xx): from this side, an external system. */
    @Override
    public ErrorCategory errorCategory()
    {
        return status >= 500 ? ErrorCategory.EXTERNAL : ErrorCategory.USER;
    }

    /** The hub's own code, {@code hub_refused} when it sent none. */
    @Override
    public String errorCode()
    {
        return body.path("error").isTextual() ? body.path("error").asText() : "hub_refused";
    }

    public int status()
    {
        return status;
    }

    /** The hub's error body ({@code {"error", "message"}}), or a JSON string of what it sent when that was not JSON. */
    public JsonNode body()
    {
        return body;
    }
}
