package io.runlight.hub;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The hub cannot answer this yet and will shortly without anyone doing anything: it is still
 * building a view after its start, or putting back entries lost with other members. Answered 503
 * with its code, its message and a {@code Retry-After}.
 */
public final class UnavailableException
        extends RuntimeException
        implements HubFailure
{
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final String errorCode;

    /**
     * @param errorCode what is not ready, for programs, e.g. {@code recovering} or {@code fleet_not_ready}
     * @param message what the caller waits for, and that retrying is the answer
     */
    public UnavailableException(String errorCode, String message)
    {
        super(message);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    @Override
    public ErrorCategory errorCategory()
    {
        return ErrorCategory.UNAVAILABLE;
    }

    @Override
    public String errorCode()
    {
        return errorCode;
    }

    @Override
    public Optional<Duration> retryAfter()
    {
        return Optional.of(RETRY_AFTER);
    }
}
