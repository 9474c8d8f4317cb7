package io.runlight.hub.cli;

import java.time.Duration;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import io.runlight.hub.config.ValueParsers;

/**
 * Reads a duration option the way API.md writes durations: ISO-8601 ({@code PT15M},
 * {@code P14D}) or a number with a unit ({@code 30s}, {@code 15m}, {@code 12h}, {@code 14d},
 * {@code 2w}, {@code 500ms}), units combinable as in {@code 1h30m}. Calendar months and years
 * are refused: their length depends on the date.
 */
public final class DurationConverter
        implements ITypeConverter<Duration>
{
    @Override
    public Duration convert(String value)
    {
        try {
            return parse(value);
        }
        catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** Parses {@code value}; an {@link IllegalArgumentException} names the value and the accepted forms. */
    public static Duration parse(String value)
    {
        return ValueParsers.duration(value);
    }
}
