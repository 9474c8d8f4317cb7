package io.runlight.plugin.api.connector;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * A connector's answer to a {@link ServeRequest}.
 *
 * @param status the HTTP status code
 * @param headers response headers (the hub adds none but {@code Content-Length})
 * @param body the body bytes
 */
public record ServeResponse(int status, Map<String, List<String>> headers, byte[] body)
{
    public ServeResponse
    {
        checkArgument(status >= 100 && status <= 599, "invalid HTTP status " + status);
        headers = Headers.copy(headers);
        body = requireNonNull(body, "body is null").clone();
    }

    /** A JSON response with {@code Content-Type: application/json}. */
    public static ServeResponse json(int status, byte[] body)
    {
        return new ServeResponse(status, Map.of("Content-Type", List.of("application/json")), body);
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

    /** The body (a copy). */
    @Override
    public byte[] body()
    {
        return body.clone();
    }

    /** The first value of a header, ignoring case. */
    public java.util.Optional<String> header(String name)
    {
        return Headers.first(headers, name);
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof ServeResponse that && status == that.status && headers.equals(that.headers) && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode()
    {
        return (status * 31 + headers.hashCode()) * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString()
    {
        return "ServeResponse[" + status + ", " + body.length + " bytes]";
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
