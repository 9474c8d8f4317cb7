package io.runlight.hub.token;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestTokenExpiry
{
    @Test
    void parsesTheFourSupportedPeriods()
    {
        assertThat(TokenExpiry.parse("P1M")).isEqualTo(TokenExpiry.P1M);
        assertThat(TokenExpiry.parse("P3M")).isEqualTo(TokenExpiry.P3M);
        assertThat(TokenExpiry.parse("p6m")).isEqualTo(TokenExpiry.P6M);
        assertThat(TokenExpiry.parse("P1Y")).isEqualTo(TokenExpiry.P1Y);
        assertThat(TokenExpiry.parse("P12M")).isEqualTo(TokenExpiry.P1Y);
        assertThat(TokenExpiry.P3M.period()).isEqualTo("P3M");
    }

    @Test
    void refusesOtherPeriods()
    {
        for (String value : new String[] {"P2M", "P30D", "PT1H", "", "3 months"}) {
            assertThatThrownBy(() -> TokenExpiry.parse(value))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("token expiry '" + value + "' is not supported: use P1M, P3M, P6M or P1Y");
        }
        assertThatThrownBy(() -> TokenExpiry.parse(null))
                .hasMessage("token expiry 'null' is not supported: use P1M, P3M, P6M or P1Y");
    }

    @Test
    void countsUtcCalendarMonths()
    {
        assertThat(TokenExpiry.P1M.expiresAt(Instant.parse("2026-01-31T10:00:00Z"))).isEqualTo(Instant.parse("2026-02-28T10:00:00Z"));
        assertThat(TokenExpiry.P3M.expiresAt(Instant.parse("2026-11-28T12:00:00Z"))).isEqualTo(Instant.parse("2027-02-28T12:00:00Z"));
        assertThat(TokenExpiry.P6M.expiresAt(Instant.parse("2026-08-31T23:59:59Z"))).isEqualTo(Instant.parse("2027-02-28T23:59:59Z"));
        assertThat(TokenExpiry.P1Y.expiresAt(Instant.parse("2028-02-29T00:00:00Z"))).isEqualTo(Instant.parse("2029-02-28T00:00:00Z"));
        assertThat(TokenExpiry.P1M.expiresAt(new MutableClock(Instant.parse("2026-03-15T08:30:00Z")))).isEqualTo(Instant.parse("2026-04-15T08:30:00Z"));
    }
}
