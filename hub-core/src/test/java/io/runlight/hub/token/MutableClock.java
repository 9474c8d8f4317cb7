package io.runlight.hub.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock that tests move by hand.
 */
public final class MutableClock
        extends Clock
{
    private volatile Instant now;

    public MutableClock(Instant now)
    {
        this.now = now;
    }

    public void advance(Duration duration)
    {
        now = now.plus(duration);
    }

    public void set(Instant instant)
    {
        now = instant;
    }

    @Override
    public ZoneId getZone()
    {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone)
    {
        throw new UnsupportedOperationException("the test clock is always UTC");
    }

    @Override
    public Instant instant()
    {
        return now;
    }
}
