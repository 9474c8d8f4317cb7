package io.runlight.plugin.api.connector;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.runlight.plugin.api.Bytes;

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
public record OutboundRequest(String method, URI uri, Map<String, List<String>> headers, Bytes body, Optional<Duration> timeout, String purpose)
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
        requireNonNull(body, "body is null");
        requireNonNull(timeout, "timeout is null");
        timeout.ifPresent(value -> checkArgument(!value.isNegative() && !value.isZero(), "timeout must be positive: " + value));
        requireNonBlank(purpose, "purpose");
    }

    /**
     * A request to build, for example
     * {@code OutboundRequest.builder("PUT", uri).header("Authorization", "Bearer " + token).body(json).build()}.
     * Build requests this way rather than with the constructor: a field added to this
     * record in a later API keeps the builder calls compiling.
     */
    public static Builder builder(String method, URI uri)
    {
        return new Builder(method, uri);
    }

    /** A JSON POST for ordinary delivery. */
    public static OutboundRequest postJson(URI uri, Map<String, List<String>> headers, byte[] body)
    {
        Builder builder = builder("POST", uri).headers(headers).body(body);
        if (Headers.first(headers, "Content-Type").isEmpty()) {
            builder.header("Content-Type", "application/json");
        }
        return builder.build();
    }

    /** The first value of a header, ignoring case. */
    public Optional<String> header(String name)
    {
        return Headers.first(headers, name);
    }

    /** The body as UTF-8 text. */
    public String bodyText()
    {
        return body.toUtf8();
    }

    @Override
    public String toString()
    {
        // headers may carry credentials: never print them
        return "OutboundRequest[" + method + " " + uri + ", " + body + ", purpose=" + purpose + "]";
    }

    /** Builds an {@link OutboundRequest}: no headers, no body, the hub's timeout and purpose {@value #DELIVERY} unless set. */
    public static final class Builder
    {
        private final String method;
        private final URI uri;
        private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private Bytes body = Bytes.empty();
        private Optional<Duration> timeout = Optional.empty();
        private String purpose = DELIVERY;

        private Builder(String method, URI uri)
        {
            this.method = requireNonBlank(method, "method");
            this.uri = requireNonNull(uri, "uri is null");
        }

        /** Adds a value of a header (a header may have several). */
        public Builder header(String name, String value)
        {
            requireNonNull(name, "header name is null");
            requireNonNull(value, "a value of header '" + name + "' is null");
            headers.computeIfAbsent(name, ignored -> new ArrayList<>()).add(value);
            return this;
        }

        /** Adds every value of every header. */
        public Builder headers(Map<String, List<String>> more)
        {
            requireNonNull(more, "headers is null").forEach((name, values) -> {
                requireNonNull(values, "values of header '" + name + "' is null");
                values.forEach(value -> header(name, value));
            });
            return this;
        }

        public Builder body(byte[] bytes)
        {
            return body(Bytes.of(bytes));
        }

        public Builder body(Bytes bytes)
        {
            this.body = requireNonNull(bytes, "body is null");
            return this;
        }

        /** How long the hub waits for the response (instead of its default). */
        public Builder timeout(Duration value)
        {
            this.timeout = Optional.of(requireNonNull(value, "timeout is null"));
            return this;
        }

        /** The tag {@link Pusher#interpret} reads back; {@value #DELIVERY} by default. */
        public Builder purpose(String value)
        {
            this.purpose = requireNonBlank(value, "purpose");
            return this;
        }

        /** @throws IllegalArgumentException if the method, URI, a header or the timeout is not valid */
        public OutboundRequest build()
        {
            return new OutboundRequest(method, uri, headers, body, timeout, purpose);
        }
    }
}
