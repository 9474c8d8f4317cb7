package io.runlight.plugin.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static java.util.Objects.requireNonNull;

/** A UTC clock that stands still until the test moves it. */
public final class TestingClock
        extends Clock
{
    private Instant now;

    public TestingClock(Instant now)
    {
        this.now = requireNonNull(now, "now is null");
    }

    /** Moves the clock forward (or back, with a negative duration). */
    public synchronized void advance(Duration duration)
    {
        now = now.plus(requireNonNull(duration, "duration is null"));
    }

    public synchronized void set(Instant instant)
    {
        now = requireNonNull(instant, "instant is null");
    }

    @Override
    public synchronized Instant instant()
    {
        return now;
    }

    @Override
    public ZoneId getZone()
    {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone)
    {
        throw new UnsupportedOperationException("the testing clock is UTC only");
    }
}
