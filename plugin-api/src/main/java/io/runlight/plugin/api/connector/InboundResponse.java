package io.runlight.plugin.api.connector;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.runlight.plugin.api.Bytes;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The response the hub received for an {@link OutboundRequest}.
 *
 * @param status the HTTP status code
 * @param headers response headers
 * @param body the body (the hub keeps at most the first 1 MiB)
 */
public record InboundResponse(int status, Map<String, List<String>> headers, Bytes body)
{
    public InboundResponse
    {
        checkArgument(status >= 100 && status <= 599, "invalid HTTP status " + status);
        headers = Headers.copy(headers);
        requireNonNull(body, "body is null");
    }

    /** A response as the hub hands it to a connector; for tests of a connector. */
    public static InboundResponse of(int status, Map<String, List<String>> headers, byte[] body)
    {
        return new InboundResponse(status, headers, Bytes.of(body));
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

    /** Whether the status is 2xx. */
    public boolean isSuccess()
    {
        return status >= 200 && status < 300;
    }

    /**
     * The delay a {@code Retry-After} header asks for, in seconds or as an HTTP date
     * relative to {@code now}.
     */
    public Optional<Duration> retryAfter(Instant now)
    {
        Optional<String> value = header("Retry-After").map(String::strip);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String text = value.get();
        try {
            long seconds = Long.parseLong(text);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        }
        catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration delay = Duration.between(now, at);
                return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
            }
            catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    /**
     * The usual reading of a response: 2xx delivered; 408, 429 and 5xx retried
     * (honouring {@code Retry-After}); any other status a permanent failure.
     */
    public DeliveryOutcome defaultOutcome(Instant now)
    {
        if (isSuccess()) {
            return DeliveryOutcome.delivered();
        }
        String reason = summary();
        if (status == 408 || status == 429 || status >= 500) {
            return DeliveryOutcome.retry(reason, retryAfter(now));
        }
        return DeliveryOutcome.failed(reason);
    }

    /**
     * The first 200 characters of the body, stripped, with "..." when there is more;
     * empty for an empty body.
     */
    public String excerpt()
    {
        String text = body.toUtf8(800).strip();
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /** The status and the body's {@link #excerpt()}, as a reason reads it: {@code HTTP 503: try later}. */
    public String summary()
    {
        String excerpt = excerpt();
        if (excerpt.isEmpty()) {
            return "HTTP " + status;
        }
        return "HTTP " + status + ": " + excerpt;
    }

    @Override
    public String toString()
    {
        return "InboundResponse[" + status + ", " + body + "]";
    }
}
