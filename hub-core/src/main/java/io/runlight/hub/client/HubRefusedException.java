package io.runlight.hub.client;

import com.fasterxml.jackson.databind.JsonNode;

import static java.util.Objects.requireNonNull;

/**
 * The hub answered, but with an error status. The message is one sentence for the terminal:
 * "the hub refused the request: &lt;the hub's message&gt; (HTTP 404)".
 */
public final class HubRefusedException
        extends RuntimeException
{
    private final int status;
    private final JsonNode body;

    HubRefusedException(String message, int status, JsonNode body)
    {
        super(requireNonNull(message, "message is null"));
        this.status = status;
        this.body = requireNonNull(body, "body is null");
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
