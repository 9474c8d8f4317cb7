package io.runlight.hub.token;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestFailedAttemptLimiter
{
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));

    @Test
    void tenFailuresInAMinuteBlockTheAddressForTheCoolDown()
    {
        FailedAttemptLimiter limiter = FailedAttemptLimiter.withDefaults(clock);
        for (int i = 0; i < 9; i++) {
            limiter.recordFailure("203.0.113.7");
            clock.advance(Duration.ofSeconds(5));
        }
        assertThat(limiter.isLimited("203.0.113.7")).isFalse();

        limiter.recordFailure("203.0.113.7");

        assertThat(limiter.retryAfter("203.0.113.7")).contains(Duration.ofMinutes(5));
        assertThat(limiter.isLimited("198.51.100.1")).isFalse();
        clock.advance(Duration.ofMinutes(4));
        limiter.recordFailure("203.0.113.7");
        assertThat(limiter.retryAfter("203.0.113.7")).contains(Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(1));
        assertThat(limiter.isLimited("203.0.113.7")).isFalse();
        limiter.recordFailure("203.0.113.7");
        assertThat(limiter.isLimited("203.0.113.7")).isFalse();
    }

    @Test
    void guessesSpreadOverManyAddressesMeetTheGlobalBudget()
    {
        FailedAttemptLimiter limiter = new FailedAttemptLimiter(clock, 10, Duration.ofMinutes(1), Duration.ofMinutes(5), 10_000, 50);
        for (int i = 0; i < 49; i++) {
            limiter.recordFailure("198.51.100." + i);
        }
        assertThat(limiter.isLimited("203.0.113.99")).isFalse();
        clock.advance(Duration.ofSeconds(20));

        limiter.recordFailure("198.51.100.200");

        assertThat(limiter.retryAfter("203.0.113.99")).contains(Duration.ofSeconds(40));
        clock.advance(Duration.ofSeconds(40));
        assertThat(limiter.isLimited("203.0.113.99")).isFalse();
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp()
    {
        FailedAttemptLimiter limiter = FailedAttemptLimiter.withDefaults(clock);
        for (int i = 0; i < 30; i++) {
            limiter.recordFailure("203.0.113.7");
            clock.advance(Duration.ofSeconds(7));
        }
        assertThat(limiter.isLimited("203.0.113.7")).isFalse();
    }

    @Test
    void remembersABoundedNumberOfAddressesForgettingTheLeastRecent()
    {
        FailedAttemptLimiter limiter = new FailedAttemptLimiter(clock, 2, Duration.ofMinutes(1), Duration.ofMinutes(5), 3);
        limiter.recordFailure("10.0.0.1");
        limiter.recordFailure("10.0.0.1");
        assertThat(limiter.isLimited("10.0.0.1")).isTrue();

        limiter.recordFailure("10.0.0.2");
        limiter.recordFailure("10.0.0.3");
        limiter.recordFailure("10.0.0.4");

        assertThat(limiter.trackedAddresses()).isEqualTo(3);
        assertThat(limiter.isLimited("10.0.0.1")).isFalse();
        for (int i = 0; i < 1000; i++) {
            limiter.recordFailure("10.1." + (i / 256) + "." + (i % 256));
        }
        assertThat(limiter.trackedAddresses()).isEqualTo(3);
    }
}
