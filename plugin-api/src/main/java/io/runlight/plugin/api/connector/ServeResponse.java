package io.runlight.plugin.api.connector;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.runlight.plugin.api.Bytes;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * A connector's answer to a {@link ServeRequest}.
 *
 * @param status the HTTP status code
 * @param headers response headers (the hub adds none but {@code Content-Length})
 * @param body the body bytes
 */
public record ServeResponse(int status, Map<String, List<String>> headers, Bytes body)
{
    public ServeResponse
    {
        checkArgument(status >= 100 && status <= 599, "invalid HTTP status " + status);
        headers = Headers.copy(headers);
        requireNonNull(body, "body is null");
    }

    /**
     * A response with any headers. Build responses with these factories rather than the
     * constructor: a field added to this record in a later API keeps them compiling.
     */
    public static ServeResponse of(int status, Map<String, List<String>> headers, byte[] body)
    {
        return new ServeResponse(status, headers, Bytes.of(body));
    }

    /** A JSON response with {@code Content-Type: application/json}. */
    public static ServeResponse json(int status, byte[] body)
    {
        return of(status, Map.of("Content-Type", List.of("application/json")), body);
    }

    /**
     * A JSON error in Runlight's form {@code {"error": code, "message": message}}.
     *
     * @param code a short machine-readable code, for example {@code bad_request}
     * @param message one sentence for a person
     */
    public static ServeResponse error(int status, String code, String message)
    {
        String body = "{\"error\":" + jsonString(code) + ",\"message\":" + jsonString(message) + "}";
        return json(status, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The first value of a header, ignoring case. */
    public java.util.Optional<String> header(String name)
    {
        return Headers.first(headers, name);
    }

    @Override
    public String toString()
    {
        return "ServeResponse[" + status + ", " + body + "]";
    }

    private static String jsonString(String value)
    {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
