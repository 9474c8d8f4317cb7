package io.runlight.hub.fleet;

import java.time.Duration;
import java.util.Optional;

import io.runlight.hub.ErrorCategory;
import io.runlight.hub.HubFailure;

/** The fleet-wide list is still being built from the stored images after a start; the caller may retry shortly. */
public final class FleetNotReadyException
        extends RuntimeException
        implements HubFailure
{
    public FleetNotReadyException(String message)
    {
        super(message);
    }

    /** A passing state after a start: answered 503 with a Retry-After. */
    @Override
    public ErrorCategory errorCategory()
    {
        return ErrorCategory.UNAVAILABLE;
    }

    @Override
    public String errorCode()
    {
        return "fleet_not_ready";
    }

    @Override
    public Optional<Duration> retryAfter()
    {
        return Optional.of(Duration.ofSeconds(5));
    }
}
