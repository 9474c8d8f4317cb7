package io.runlight.insights.report;

import java.time.Duration;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Prints observation windows two ways: as the ISO-8601 duration the JSON contract
 * promises ({@code P14D}, not {@link Duration#toString()}'s {@code PT336H}), and in
 * words for people and VEX statements ({@code 14 days}, {@code 5 hours and 30 minutes}).
 */
public final class DurationFormat
{
    private DurationFormat() {}

    /**
     * The ISO-8601 form with whole days as days: {@code P14D}, {@code P1DT2H30M},
     * {@code PT5H}, {@code PT0.5S}, {@code PT0S}. {@link Duration#parse} reads it back
     * to an equal duration.
     *
     * @throws IllegalArgumentException for a negative duration
     */
    public static String iso(Duration duration)
    {
        requireNonNull(duration, "duration is null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + duration);
        }
        if (duration.isZero()) {
            return "PT0S";
        }
        long days = duration.toDays();
        Duration rest = duration.minusDays(days);
        long hours = rest.toHours();
        int minutes = rest.toMinutesPart();
        int seconds = rest.toSecondsPart();
        int nanos = rest.toNanosPart();

        StringBuilder out = new StringBuilder("P");
        if (days > 0) {
            out.append(days).append('D');
        }
        if (hours > 0 || minutes > 0 || seconds > 0 || nanos > 0) {
            out.append('T');
            if (hours > 0) {
                out.append(hours).append('H');
            }
            if (minutes > 0) {
                out.append(minutes).append('M');
            }
            if (seconds > 0 || nanos > 0) {
                out.append(seconds);
                if (nanos > 0) {
                    String fraction = String.format(Locale.ROOT, "%09d", nanos);
                    int end = fraction.length();
                    while (fraction.charAt(end - 1) == '0') {
                        end--;
                    }
                    out.append('.').append(fraction, 0, end);
                }
                out.append('S');
            }
        }
        return out.toString();
    }

    /**
     * The duration in words, by its largest unit and, when not zero, the next one:
     * {@code 14 days}, {@code 1 day and 5 hours}, {@code 30 minutes},
     * {@code 2 minutes and 1 second}. Smaller units are left out (truncated, never
     * rounded up: a claim of observation must not overstate it). Under a second reads
     * {@code less than a second}; zero reads {@code 0 seconds}.
     *
     * @throws IllegalArgumentException for a negative duration
     */
    public static String readable(Duration duration)
    {
        requireNonNull(duration, "duration is null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + duration);
        }
        if (duration.isZero()) {
            return "0 seconds";
        }
        long[] amounts = {duration.toDays(), duration.toHoursPart(), duration.toMinutesPart(), duration.toSecondsPart()};
        String[] units = {"day", "hour", "minute", "second"};
        for (int i = 0; i < amounts.length; i++) {
            if (amounts[i] > 0) {
                String text = count(amounts[i], units[i]);
                if (i + 1 < amounts.length && amounts[i + 1] > 0) {
                    text += " and " + count(amounts[i + 1], units[i + 1]);
                }
                return text;
            }
        }
        return "less than a second";
    }

    /**
     * The duration in short units for tables and consoles, by its largest unit and, when
     * not zero, the next one: {@code 8 h}, {@code 14 d 1 h}, {@code 2 h 30 min},
     * {@code 45 s}. Truncated, never rounded up, as {@link #readable} is; under a second
     * reads {@code < 1 s}, zero {@code 0 s}.
     *
     * @throws IllegalArgumentException for a negative duration
     */
    public static String compact(Duration duration)
    {
        requireNonNull(duration, "duration is null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + duration);
        }
        if (duration.isZero()) {
            return "0 s";
        }
        long[] amounts = {duration.toDays(), duration.toHoursPart(), duration.toMinutesPart(), duration.toSecondsPart()};
        String[] units = {"d", "h", "min", "s"};
        for (int i = 0; i < amounts.length; i++) {
            if (amounts[i] > 0) {
                String text = amounts[i] + " " + units[i];
                if (i + 1 < amounts.length && amounts[i + 1] > 0) {
                    text += " " + amounts[i + 1] + " " + units[i + 1];
                }
                return text;
            }
        }
        return "< 1 s";
    }

    /** {@code 1 day}, {@code 3 days}: a count and its noun, pluralised with "s". */
    public static String count(long amount, String noun)
    {
        return amount + " " + (amount == 1 ? noun : noun + "s");
    }
}
