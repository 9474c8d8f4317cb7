package io.runlight.hub.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsing of durations and byte sizes as people write them in configuration and on
 * the command line: ISO-8601 ({@code PT15M}, {@code P14D}) or short ({@code 15m},
 * {@code 14d}); sizes as {@code 256MiB}, {@code 64MB}, {@code 1048576}.
 */
public final class ValueParsers
{
    private static final Pattern SHORT_DURATION = Pattern.compile("(?:\\d+(?:ms|s|m|h|d|w))+");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

    private ValueParsers() {}

    /**
     * A duration in ISO-8601 ({@code PT15M}, {@code P14D}) or as numbers with units
     * ({@code 30s}, {@code 15m}, {@code 12h}, {@code 14d}, {@code 2w}, {@code 500ms}, combinable
     * as in {@code 1h30m}); a bare {@code 0} is zero. Calendar months and years are refused:
     * their length depends on the date.
     *
     * @throws IllegalArgumentException naming the value and the accepted forms
     */
    public static Duration duration(String value)
    {
        if (value == null || value.isBlank()) {
            throw invalidDuration(value);
        }
        String trimmed = value.strip();
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        if (trimmed.startsWith("P") || trimmed.startsWith("p")) {
            try {
                Duration duration = Duration.parse(trimmed.toUpperCase(Locale.ROOT));
                if (duration.isNegative()) {
                    throw invalidDuration(value);
                }
                return duration;
            }
            catch (DateTimeParseException e) {
                throw invalidDuration(value);
            }
        }
        if (!SHORT_DURATION.matcher(trimmed).matches()) {
            throw invalidDuration(value);
        }
        Duration total = Duration.ZERO;
        Matcher part = DURATION_PART.matcher(trimmed);
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
        return switch (unit) {
            case "ms" -> Duration.ofMillis(1);
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            case "d" -> Duration.ofDays(1);
            case "w" -> Duration.ofDays(7);
            default -> throw new IllegalArgumentException("duration unit '" + unit + "' is not known");
        };
    }

    private static IllegalArgumentException invalidDuration(String value)
    {
        return new IllegalArgumentException("duration '" + value + "' is not valid: use ISO-8601 (PT15M, P14D) or a number with a unit (30s, 15m, 12h, 14d)");
    }

    /**
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static long bytes(String text)
    {
        Matcher matcher = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size: use bytes or a unit (64MiB, 1GB, 512KiB)");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "b" : matcher.group(2);
        long factor = switch (unit) {
            case "b" -> 1;
            case "k", "kib" -> 1024;
            case "kb" -> 1000;
            case "m", "mib" -> 1024L * 1024;
            case "mb" -> 1000L * 1000;
            case "g", "gib" -> 1024L * 1024 * 1024;
            case "gb" -> 1000L * 1000 * 1000;
            default -> throw new IllegalStateException("unhandled unit " + unit);
        };
        return Math.multiplyExact(amount, factor);
    }
}
