package io.runlight.hub.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration option the way API.md writes durations: ISO-8601 ({@code PT15M},
 * {@code P14D}) or a number with a unit ({@code 30s}, {@code 15m}, {@code 12h}, {@code 14d},
 * {@code 2w}, {@code 500ms}), units combinable as in {@code 1h30m}. Calendar months and years
 * are refused: their length depends on the date.
 */
public final class DurationConverter
        implements ITypeConverter<Duration>
{
    private static final Pattern SHORT_FORM = Pattern.compile("(?:\\d+(?:ms|s|m|h|d|w))+");
    private static final Pattern SHORT_PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

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
        if (value == null || value.isBlank()) {
            throw invalid(value);
        }
        String trimmed = value.strip();
        if (trimmed.startsWith("P") || trimmed.startsWith("p")) {
            try {
                return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            }
            catch (DateTimeParseException e) {
                throw invalid(value);
            }
        }
        if (!SHORT_FORM.matcher(trimmed).matches()) {
            throw invalid(value);
        }
        Duration total = Duration.ZERO;
        Matcher part = SHORT_PART.matcher(trimmed);
        try {
            while (part.find()) {
                long amount = Long.parseLong(part.group(1));
                total = total.plus(unit(part.group(2)).multipliedBy(amount));
            }
        }
        catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("duration '" + value + "' is too long", e);
        }
        return total;
    }

    private static Duration unit(String unit)
    {
        switch (unit) {
            case "ms":
                return Duration.ofMillis(1);
            case "s":
                return Duration.ofSeconds(1);
            case "m":
                return Duration.ofMinutes(1);
            case "h":
                return Duration.ofHours(1);
            case "d":
                return Duration.ofDays(1);
            case "w":
                return Duration.ofDays(7);
            default:
                throw new IllegalArgumentException("duration unit '" + unit + "' is not known");
        }
    }

    private static IllegalArgumentException invalid(String value)
    {
        return new IllegalArgumentException("duration '" + value + "' is not valid: use ISO-8601 (PT15M, P14D) or a number with a unit (30s, 15m, 12h, 14d)");
    }
}
