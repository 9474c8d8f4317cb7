package io.runlight.hub.store;

import java.time.Duration;
import java.util.Optional;

import io.runlight.hub.ErrorCategory;
import io.runlight.hub.HubFailure;

/**
 * A listing that must show everything the database holds waited for entries lost with other
 * members to be put back ({@link MapRecovery}), and they are not back yet: the caller retries
 * shortly, and {@code GET /health/ready} answers 200 once they are.
 */
public final class RecoveringException
        extends RuntimeException
        implements HubFailure
{
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    public RecoveringException(String message)
    {
        super(message);
    }

    /** Passes without anyone doing anything: answered 503 with a Retry-After. */
    @Override
    public ErrorCategory errorCategory()
    {
        return ErrorCategory.UNAVAILABLE;
    }

    @Override
    public String errorCode()
    {
        return "recovering";
    }

    @Override
    public Optional<Duration> retryAfter()
    {
        return Optional.of(RETRY_AFTER);
    }
}
