package io.runlight.hub.integration;

import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of "test connection".
 *
 * @param ok whether the connector could be created and, for a pushing connector with a
 *        connection test, its request was answered with 2xx
 * @param status the HTTP status of the test request, if one was sent and answered
 * @param message one sentence for the admin
 */
public record ConnectionTestResult(boolean ok, OptionalInt status, String message)
{
    public ConnectionTestResult
    {
        requireNonNull(status, "status is null");
        requireNonNull(message, "message is null");
    }
}
