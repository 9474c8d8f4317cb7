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
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|w)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

    private ValueParsers() {}

    /**
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static Duration duration(String text)
    {
        String value = text.strip();
        Matcher matcher = SHORT_DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                case "w" -> Duration.ofDays(amount * 7);
                default -> throw new IllegalStateException("unhandled unit " + matcher.group(2));
            };
        }
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        try {
            String upper = value.toUpperCase(Locale.ROOT);
            // Duration.parse has no day-only form without a time part's "T"; P14D is fine, P2W is not
            Duration duration = Duration.parse(upper);
            if (duration.isNegative()) {
                throw new IllegalArgumentException("'" + text + "' is negative");
            }
            return duration;
        }
        catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: use ISO-8601 (PT15M, P14D) or a short form (15m, 12h, 14d)", e);
        }
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
