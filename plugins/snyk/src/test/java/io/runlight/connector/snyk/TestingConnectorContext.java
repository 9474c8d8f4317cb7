package io.runlight.connector.snyk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import io.runlight.plugin.api.connector.ConnectorContext;
import io.runlight.plugin.api.connector.ConnectorState;
import io.runlight.plugin.api.connector.InsightsQuery;

import static java.util.Objects.requireNonNull;

/**
 * A {@link ConnectorContext} for tests: fixed ids, a given insights query, an in-memory
 * state and a clock the test moves.
 */
final class TestingConnectorContext
        implements ConnectorContext
{
    static final String INTEGRATION_ID = "int-7f3a";

    private final InsightsQuery insights;
    private final TestingConnectorState state = new TestingConnectorState();
    private final TestingClock clock = new TestingClock(Instant.parse("2026-11-28T12:00:00Z"));

    TestingConnectorContext(InsightsQuery insights)
    {
        this.insights = requireNonNull(insights, "insights is null");
    }

    @Override
    public String integrationId()
    {
        return INTEGRATION_ID;
    }

    @Override
    public String integrationName()
    {
        return "snyk-prod";
    }

    @Override
    public String hubVersion()
    {
        return "0.1.0";
    }

    @Override
    public InsightsQuery insights()
    {
        return insights;
    }

    @Override
    public ConnectorState state()
    {
        return state;
    }

    @Override
    public Clock clock()
    {
        return clock;
    }

    void advance(Duration duration)
    {
        clock.advance(duration);
    }

    private static final class TestingClock
            extends Clock
    {
        private Instant now;

        TestingClock(Instant now)
        {
            this.now = now;
        }

        synchronized void advance(Duration duration)
        {
            now = now.plus(duration);
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
}
