package io.runlight.plugin.api.connector;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * An HTTP request the hub sends for a connector.
 *
 * @param method GET, POST, PUT, PATCH or DELETE
 * @param uri absolute http or https URI
 * @param headers request headers
 * @param body the exact bytes to send (empty for none)
 * @param timeout how long to wait for the response; the hub's default when empty
 * @param purpose a tag the connector reads back in {@link Pusher#interpret}, for example
 *        {@code login} for a credential request; {@code delivery} by default
 */
public record OutboundRequest(String method, URI uri, Map<String, List<String>> headers, byte[] body, Optional<Duration> timeout, String purpose)
{
    /** The purpose of ordinary delivery requests. */
    public static final String DELIVERY = "delivery";

    public OutboundRequest
    {
        requireNonBlank(method, "method");
        method = method.toUpperCase(Locale.ROOT);
        checkArgument(List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method), "unsupported method '" + method + "'");
        requireNonNull(uri, "uri is null");
        checkArgument(uri.isAbsolute() && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())),
                "uri must be an absolute http or https URI: " + uri);
        headers = Headers.copy(headers);
        body = requireNonNull(body, "body is null").clone();
        requireNonNull(timeout, "timeout is null");
        timeout.ifPresent(value -> checkArgument(!value.isNegative() && !value.isZero(), "timeout must be positive: " + value));
        requireNonBlank(purpose, "purpose");
    }

    /** A JSON POST for ordinary delivery. */
    public static OutboundRequest postJson(URI uri, Map<String, List<String>> headers, byte[] body)
    {
        java.util.TreeMap<String, List<String>> all = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.putAll(headers);
        all.putIfAbsent("Content-Type", List.of("application/json"));
        return new OutboundRequest("POST", uri, all, body, Optional.empty(), DELIVERY);
    }

    /** The first value of a header, ignoring case. */
    public Optional<String> header(String name)
    {
        return Headers.first(headers, name);
    }

    /** The body (a copy). */
    @Override
    public byte[] body()
    {
        return body.clone();
    }

    /** The body as UTF-8 text. */
    public String bodyText()
    {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof OutboundRequest that
                && method.equals(that.method) && uri.equals(that.uri) && headers.equals(that.headers)
                && Arrays.equals(body, that.body) && timeout.equals(that.timeout) && purpose.equals(that.purpose);
    }

    @Override
    public int hashCode()
    {
        return ((method.hashCode() * 31 + uri.hashCode()) * 31 + Arrays.hashCode(body)) * 31 + purpose.hashCode();
    }

    @Override
    public String toString()
    {
        // headers may carry credentials: never print them
        return "OutboundRequest[" + method + " " + uri + ", " + body.length + " bytes, purpose=" + purpose + "]";
    }
}
