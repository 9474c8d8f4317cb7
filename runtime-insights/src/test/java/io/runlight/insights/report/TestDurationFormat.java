package io.runlight.insights.report;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestDurationFormat
{
    @Test
    void isoUsesDaysNotHours()
    {
        assertThat(DurationFormat.iso(Duration.ofDays(14))).isEqualTo("P14D");
        assertThat(DurationFormat.iso(Duration.ofDays(1).plusHours(2).plusMinutes(30))).isEqualTo("P1DT2H30M");
        assertThat(DurationFormat.iso(Duration.ofHours(5))).isEqualTo("PT5H");
        assertThat(DurationFormat.iso(Duration.ofMinutes(15))).isEqualTo("PT15M");
        assertThat(DurationFormat.iso(Duration.ofMillis(500))).isEqualTo("PT0.5S");
        assertThat(DurationFormat.iso(Duration.ofSeconds(61, 1))).isEqualTo("PT1M1.000000001S");
        assertThat(DurationFormat.iso(Duration.ZERO)).isEqualTo("PT0S");
    }

    @Test
    void isoReadsBackEqual()
    {
        for (Duration duration : new Duration[] {Duration.ZERO, Duration.ofDays(14), Duration.ofDays(400).plusSeconds(1).plusNanos(120),
                Duration.ofHours(23).plusMinutes(59).plusSeconds(59), Duration.ofNanos(1), Duration.ofSeconds(Long.MAX_VALUE / 2)}) {
            assertThat(Duration.parse(DurationFormat.iso(duration))).isEqualTo(duration);
        }
    }

    @Test
    void readableNamesTheTwoLargestUnits()
    {
        assertThat(DurationFormat.readable(Duration.ofDays(9))).isEqualTo("9 days");
        assertThat(DurationFormat.readable(Duration.ofDays(1))).isEqualTo("1 day");
        assertThat(DurationFormat.readable(Duration.ofDays(14).plusHours(5).plusMinutes(59))).isEqualTo("14 days and 5 hours");
        assertThat(DurationFormat.readable(Duration.ofDays(2).plusMinutes(30))).isEqualTo("2 days");
        assertThat(DurationFormat.readable(Duration.ofHours(5))).isEqualTo("5 hours");
        assertThat(DurationFormat.readable(Duration.ofHours(1).plusMinutes(1))).isEqualTo("1 hour and 1 minute");
        assertThat(DurationFormat.readable(Duration.ofMinutes(30))).isEqualTo("30 minutes");
        assertThat(DurationFormat.readable(Duration.ofSeconds(121))).isEqualTo("2 minutes and 1 second");
        assertThat(DurationFormat.readable(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(DurationFormat.readable(Duration.ofMillis(20))).isEqualTo("less than a second");
        assertThat(DurationFormat.readable(Duration.ZERO)).isEqualTo("0 seconds");
    }

    @Test
    void compactNamesTheTwoLargestUnitsShortly()
    {
        assertThat(DurationFormat.compact(Duration.ofHours(8))).isEqualTo("8 h");
        assertThat(DurationFormat.compact(Duration.parse("P14DT1H"))).isEqualTo("14 d 1 h");
        assertThat(DurationFormat.compact(Duration.parse("P14DT1H59M"))).isEqualTo("14 d 1 h");
        assertThat(DurationFormat.compact(Duration.parse("P3DT5M"))).isEqualTo("3 d");
        assertThat(DurationFormat.compact(Duration.parse("PT2H30M10S"))).isEqualTo("2 h 30 min");
        assertThat(DurationFormat.compact(Duration.ofSeconds(45))).isEqualTo("45 s");
        assertThat(DurationFormat.compact(Duration.ofMillis(300))).isEqualTo("< 1 s");
        assertThat(DurationFormat.compact(Duration.ZERO)).isEqualTo("0 s");
        assertThatThrownBy(() -> DurationFormat.compact(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duration must not be negative: PT-1S");
    }

    @Test
    void refusesNegativeDurations()
    {
        assertThatThrownBy(() -> DurationFormat.iso(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duration must not be negative: PT-1S");
        assertThatThrownBy(() -> DurationFormat.readable(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duration must not be negative: PT-1S");
    }
}
