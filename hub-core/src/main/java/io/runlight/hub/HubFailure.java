package io.runlight.hub;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What every exception of the hub tells about itself, so that one mapper
 * ({@code http.ApiFailureHandler}) turns any of them into an answer: whose fault it is,
 * a stable code for programs, and what else a caller needs.
 */
public interface HubFailure
{
    /** Whose fault it is. */
    ErrorCategory errorCategory();

    /** A stable lower-case code for programs, for example {@code not_found} or {@code invalid_config}. */
    String errorCode();

    /** A sentence for the caller: what failed and what to do next. Never a secret. */
    String getMessage();

    /** Fields a response carries besides the code and the message, for example every configuration error. */
    default Map<String, Object> details()
    {
        return Map.of();
    }

    /** When the caller may try again, if it must wait. */
    default Optional<Duration> retryAfter()
    {
        return Optional.empty();
    }
}
