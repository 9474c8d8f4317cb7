package io.runlight.hub.cli;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestDurationConverter
{
    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsIsoAndShortForms()
    {
        assertThat(converter.convert("PT15M")).isEqualTo(Duration.ofMinutes(15));
        assertThat(converter.convert("P14D")).isEqualTo(Duration.ofDays(14));
        assertThat(converter.convert("pt1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(converter.convert("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(converter.convert("14d")).isEqualTo(Duration.ofDays(14));
        assertThat(converter.convert("2w")).isEqualTo(Duration.ofDays(14));
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert(" 1h30m ")).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void refusesAnythingElseNamingTheValue()
    {
        for (String value : new String[] {"15", "m", "15x", "P1M", "1.5h", "-5m", "", "15 m"}) {
            assertThatThrownBy(() -> converter.convert(value))
                    .isInstanceOf(TypeConversionException.class)
                    .hasMessage("duration '" + value + "' is not valid: use ISO-8601 (PT15M, P14D) or a number with a unit (30s, 15m, 12h, 14d)");
        }
        assertThatThrownBy(() -> DurationConverter.parse("99999999999999999999d"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duration '99999999999999999999d' is too long");
    }
}
