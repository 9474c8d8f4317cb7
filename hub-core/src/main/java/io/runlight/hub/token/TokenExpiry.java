package io.runlight.hub.token;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * The lifetimes a token may have: 1, 3 or 6 months or 1 year, counted in UTC calendar
 * months so that "3 months from 31 January" is the last day of April, as a person expects.
 */
public enum TokenExpiry
{
    P1M(1),
    P3M(3),
    P6M(6),
    P1Y(12);

    private final int months;

    TokenExpiry(int months)
    {
        this.months = months;
    }

    /** The ISO-8601 period, such as {@code P3M}. */
    public String period()
    {
        return name();
    }

    public int months()
    {
        return months;
    }

    /** When a token created or renewed at {@code from} expires. */
    public Instant expiresAt(Instant from)
    {
        requireNonNull(from, "from is null");
        return from.atZone(ZoneOffset.UTC).plusMonths(months).toInstant();
    }

    /** When a token created or renewed now expires. */
    public Instant expiresAt(Clock clock)
    {
        requireNonNull(clock, "clock is null");
        return expiresAt(clock.instant());
    }

    /** Exactly {@code P1M}, {@code P3M}, {@code P6M} or {@code P1Y}, as the API's {@code expiresIn} enum says; nothing else. */
    public static TokenExpiry fromWire(String value)
    {
        for (TokenExpiry expiry : values()) {
            if (expiry.name().equals(value)) {
                return expiry;
            }
        }
        throw new IllegalArgumentException("token expiry '" + value + "' is not supported: use P1M, P3M, P6M or P1Y");
    }

    /** Parses {@code P1M}, {@code P3M}, {@code P6M} or {@code P1Y} in any case ({@code P12M} is accepted as {@code P1Y}): for people typing a command. */
    public static TokenExpiry parse(String value)
    {
        if (value != null) {
            String normalized = value.trim().toUpperCase(Locale.ROOT);
            if (normalized.equals("P12M")) {
                return P1Y;
            }
            for (TokenExpiry expiry : values()) {
                if (expiry.name().equals(normalized)) {
                    return expiry;
                }
            }
        }
        throw new IllegalArgumentException("token expiry '" + value + "' is not supported: use P1M, P3M, P6M or P1Y");
    }
}
