package io.runlight.insights.runtime;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.runlight.insights.input.JsonDescriptions;
import io.runlight.insights.input.JsonFields;
import io.runlight.plugin.api.ImageDigest;

/**
 * The fields of one event record, read with {@link JsonFields} and checked by the rules
 * for events (text without NUL or unpaired surrogates, RFC 3339 or epoch times, image
 * digests). A field of the wrong type, a missing required field or an unreadable time is
 * a {@link RecordProblem}: that record is rejected, the batch goes on. Fields are named by
 * their path from the record and reported by its JSON pointer in the record.
 */
final class EventFields
{
    private static final JsonFields<RecordProblem> FIELDS = new JsonFields<>(new JsonFields.Problems<>()
    {
        @Override
        public String describe(JsonNode found)
        {
            return JsonDescriptions.describe(found);
        }

        @Override
        public RecordProblem invalid(String pointer, String problem)
        {
            return new RecordProblem("'" + pointer + "' " + problem);
        }

        @Override
        public RecordProblem wrongType(String pointer, String expected, JsonNode found)
        {
            return invalid(pointer, "must be " + expected + ", found " + describe(found));
        }
    });

    private EventFields() {}

    /** The string at the path of nested object fields; empty when any step is absent or null, or the string is blank. */
    static Optional<String> text(JsonNode record, String... path)
    {
        Optional<String> text = FIELDS.at(record, path).flatMap(value -> FIELDS.text(value, pointer(path)));
        text.flatMap(EventFields::unicodeProblem).ifPresent(problem -> {
            throw FIELDS.invalid(pointer(path), problem);
        });
        return text;
    }

    /**
     * What makes {@code text} unfit to keep, if anything: a NUL or an unpaired UTF-16
     * surrogate (JSON can spell one as an escape: backslash, "ud800"). Such text does not survive
     * encoding as UTF-8 (it becomes '?', so two different paths collide), and no real
     * path or name holds it.
     */
    static Optional<String> unicodeProblem(String text)
    {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return Optional.of("holds a NUL character at character " + (i + 1) + "; expected text without NUL");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            }
            else if (Character.isSurrogate(c)) {
                return Optional.of(String.format("holds an unpaired UTF-16 surrogate (U+%04X) at character %d; expected Unicode text", (int) c, i + 1));
            }
        }
        return Optional.empty();
    }

    /** What makes a path or process unfit to keep: as {@link #unicodeProblem}, or longer than {@code maxLength}. */
    static Optional<String> textProblem(String text, int maxLength)
    {
        if (text.length() > maxLength) {
            return Optional.of("'" + abbreviate(text) + "' has " + text.length() + " characters; expected at most " + maxLength);
        }
        return unicodeProblem(text).map(problem -> "'" + abbreviate(text) + "' " + problem);
    }

    /** The object at the path; empty when absent or null. */
    static Optional<JsonNode> object(JsonNode record, String... path)
    {
        return FIELDS.at(record, path).map(value -> FIELDS.requireObject(value, pointer(path)));
    }

    /** The elements of the array at the path; empty when absent or null. */
    static List<JsonNode> array(JsonNode record, String... path)
    {
        return FIELDS.at(record, path).map(value -> FIELDS.elements(value, pointer(path))).orElse(List.of());
    }

    /** Requires {@code node}, at the path in the record, to be an object. */
    static JsonNode requireObject(JsonNode node, String... path)
    {
        return FIELDS.requireObject(node, pointer(path));
    }

    /** Whether the record has a non-null value at the path. */
    static boolean has(JsonNode record, String... path)
    {
        return FIELDS.at(record, path).isPresent();
    }

    /** The string at the path; a {@link RecordProblem} saying what was expected when it is absent. */
    static String required(JsonNode record, String expected, String... path)
    {
        return text(record, path).orElseThrow(() -> missing(expected, path));
    }

    /** The problem {@code problem} ("is missing; expected ...") with the value at {@code pointer}. */
    static RecordProblem invalid(String pointer, String problem)
    {
        return FIELDS.invalid(pointer, problem);
    }

    static RecordProblem missing(String expected, String... path)
    {
        return FIELDS.invalid(pointer(path), "is missing; expected " + expected);
    }

    /** An RFC 3339 time such as {@code 2026-11-28T12:00:00.123456789Z} or with an offset. */
    static Instant time(String text, String... path)
    {
        Instant utc = plainUtcTime(text);
        if (utc != null) {
            return utc;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        }
        catch (DateTimeParseException e) {
            throw FIELDS.invalid(pointer(path), "is not an RFC 3339 time: '" + abbreviate(text) + "'");
        }
    }

    /**
     * The instant of {@code text} when it has exactly the shape agents and {@link Instant#toString()}
     * write, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with every field in range and the date one that
     * exists; null for anything else, which the formatter then judges. Every text this accepts the
     * formatter reads as the same instant; parsing it by hand costs a tenth of the formatter's
     * work, which was a large part of decoding an event.
     */
    static Instant plainUtcTime(String text)
    {
        int length = text.length();
        if (length < 20 || length > 30 || length == 21 || text.charAt(length - 1) != 'Z'
                || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > YearMonth.of(year, month).lengthOfMonth()
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            // a '.' and 1 to 9 digits before the 'Z'
            if (text.charAt(19) != '.') {
                return null;
            }
            int fraction = digits(text, 20, length - 21);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = length - 21; i < 9; i++) {
                nanos *= 10;
            }
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    // the value of count ASCII digits from start; -1 when any is no digit
    private static int digits(String text, int start, int count)
    {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The required time at the path, as an RFC 3339 string. */
    static Instant requiredTime(JsonNode record, String... path)
    {
        return time(required(record, "an RFC 3339 time", path), path);
    }

    /** A time given as nanoseconds since the epoch (a JSON integer), or as an RFC 3339 string. */
    static Instant epochNanosOrTime(JsonNode record, String... path)
    {
        JsonNode value = FIELDS.at(record, path)
                .orElseThrow(() -> missing("a time (nanoseconds since the epoch or RFC 3339)", path));
        if (value.isTextual()) {
            return time(value.textValue().strip(), path);
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw FIELDS.invalid(pointer(path), "must be nanoseconds since the epoch, found " + JsonDescriptions.describe(value) + " " + abbreviate(value.toString()));
        }
        long nanos = value.longValue();
        return Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    }

    /** A digest that must be valid when given. */
    static Optional<ImageDigest> digest(Optional<String> text, String... path)
    {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (!ImageDigest.isValid(text.get())) {
            throw FIELDS.invalid(pointer(path), "is not an image digest: '" + abbreviate(text.get()) + "'; expected sha256:<64 hex digits>");
        }
        return Optional.of(new ImageDigest(text.get()));
    }

    /**
     * The digest inside a runtime's image reference ({@code docker-pullable://repo@sha256:...},
     * {@code repo@sha256:...} or a bare {@code sha256:...}); empty when it holds none, since
     * runtimes also put plain tags there.
     */
    static Optional<ImageDigest> digestInReference(Optional<String> reference)
    {
        return reference
                .map(text -> text.substring(text.lastIndexOf('@') + 1).strip())
                .filter(ImageDigest::isValid)
                .map(ImageDigest::new);
    }

    static String pointer(String... path)
    {
        return JsonFields.pointer(path);
    }

    static String abbreviate(String text)
    {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 80; i++) {
            char c = text.charAt(i);
            out.append(isPrintable(c) ? c : '?');
        }
        return text.length() > 80 ? out + "..." : out.toString();
    }

    // control characters, bidirectional overrides and other format characters, and
    // surrogates would be echoed to a terminal or a page as they are
    private static boolean isPrintable(char c)
    {
        int type = Character.getType(c);
        return !(Character.isISOControl(c) || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR || type == Character.UNASSIGNED);
    }
}
