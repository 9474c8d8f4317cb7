package io.runlight.hub.insights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;

import io.runlight.insights.profile.FileObservation;
import io.runlight.insights.profile.ImageProfile;
import io.runlight.insights.profile.RuntimeProfile;
import io.runlight.plugin.api.Evidence;
import io.runlight.plugin.api.Workload;

import static java.util.Objects.requireNonNull;

/**
 * Writes a stored profile: exactly the text {@link HubCodecs#PROFILE} writes for it (the same
 * properties in the same order, the same escapes, every non-ASCII character escaped, times as
 * {@link Instant#toString()}), so what is stored and what any member or an older version reads
 * is unchanged. It is written with a streaming generator instead of Jackson's reflection over
 * the records: the merge of each group of event batches writes the image's whole profile, on
 * the key's partition thread, and the reflective writer and its time formatter were most of
 * that merge. Reading stays with {@link HubCodecs#PROFILE}.
 */
final class ProfileJson
{
    private static final JsonFactory FACTORY = JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    // the instants written by hand: from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z, where Instant.toString writes four-digit years
    private static final long FIRST_SECOND = LocalDate.of(0, 1, 1).toEpochDay() * 86_400;
    private static final long LAST_SECOND = (LocalDate.of(9999, 12, 31).toEpochDay() + 1) * 86_400 - 1;

    private ProfileJson() {}

    static String encode(ImageProfile profile)
    {
        return encode(profile, Map.of()).json();
    }

    /**
     * Writes {@code profile}, taking the text of each file observation that is in {@code previous}
     * (by identity: the same object, so the same text) from there instead of writing it again: a
     * merge keeps the observations no batch touched as they were, and most of a large profile's
     * text is theirs.
     *
     * @param previous the texts of file observations written before ({@link Written#files()})
     */
    static Written encode(ImageProfile profile, Map<FileObservation, String> previous)
    {
        requireNonNull(previous, "previous is null");
        TextWriter out = new TextWriter(256 + profile.containers().size() * 2048);
        Map<FileObservation, String> files = new IdentityHashMap<>();
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeFieldName("containers");
            json.writeStartArray();
            for (RuntimeProfile container : profile.containers()) {
                write(json, container, out, previous, files);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        catch (IOException e) {
            // a TextWriter does no I/O
            throw new UncheckedIOException(e);
        }
        return new Written(out.text.toString(), files);
    }

    /**
     * A profile's text, and the text of each of its file observations in it.
     *
     * @param json the profile's text
     * @param files each file observation's text, by identity
     */
    record Written(String json, Map<FileObservation, String> files)
    {
        Written
        {
            requireNonNull(json, "json is null");
            // by identity, so not Map.copyOf (which would compare observations by value)
            files = Collections.unmodifiableMap(requireNonNull(files, "files is null"));
        }
    }

    private static void write(JsonGenerator json, RuntimeProfile container, TextWriter out, Map<FileObservation, String> previous, Map<FileObservation, String> texts)
            throws IOException
    {
        json.writeStartObject();
        json.writeFieldName("workload");
        write(json, container.workload());
        json.writeFieldName("firstSeen");
        write(json, container.firstSeen());
        json.writeFieldName("lastSeen");
        write(json, container.lastSeen());
        json.writeNumberField("events", container.events());
        json.writeFieldName("files");
        json.writeStartArray();
        for (FileObservation file : container.files()) {
            String text = previous.get(file);
            if (text != null) {
                // the generator writes the separator before it, as before any value
                json.writeRawValue(text);
            }
            else {
                json.flush();
                int start = out.text.length();
                write(json, file);
                json.flush();
                text = out.text.substring(out.text.charAt(start) == ',' ? start + 1 : start);
            }
            texts.put(file, text);
        }
        json.writeEndArray();
        json.writeBooleanField("truncated", container.truncated());
        json.writeFieldName("sensors");
        writeNames(json, container.sensors());
        json.writeFieldName("observable");
        writeNames(json, container.observable());
        json.writeEndObject();
    }

    private static void write(JsonGenerator json, Workload workload)
            throws IOException
    {
        json.writeStartObject();
        json.writeStringField("cluster", workload.cluster());
        json.writeStringField("namespace", workload.namespace());
        json.writeStringField("kind", workload.kind());
        json.writeStringField("name", workload.name());
        json.writeStringField("container", workload.container());
        json.writeEndObject();
    }

    private static void write(JsonGenerator json, FileObservation file)
            throws IOException
    {
        json.writeStartObject();
        json.writeStringField("path", file.path());
        json.writeStringField("kind", file.kind().name());
        json.writeStringField("firstSeen", text(file.firstSeen()));
        json.writeStringField("lastSeen", text(file.lastSeen()));
        json.writeNumberField("count", file.count());
        json.writeFieldName("processes");
        json.writeStartArray();
        for (Evidence evidence : file.processes()) {
            json.writeStartObject();
            json.writeStringField("kind", evidence.kind().name());
            json.writeStringField("path", evidence.path());
            json.writeFieldName("process");
            if (evidence.process().isPresent()) {
                json.writeString(evidence.process().get());
            }
            else {
                json.writeNull();
            }
            json.writeStringField("firstSeen", text(evidence.firstSeen()));
            json.writeStringField("lastSeen", text(evidence.lastSeen()));
            json.writeNumberField("count", evidence.count());
            json.writeEndObject();
        }
        json.writeEndArray();
        // FileObservation.isLoad() is a bean property to Jackson, so the stored shape has it
        json.writeBooleanField("load", file.isLoad());
        json.writeEndObject();
    }

    private static void write(JsonGenerator json, Optional<Instant> time)
            throws IOException
    {
        if (time.isPresent()) {
            json.writeString(text(time.get()));
        }
        else {
            json.writeNull();
        }
    }

    private static void writeNames(JsonGenerator json, List<? extends Enum<?>> values)
            throws IOException
    {
        json.writeStartArray();
        for (Enum<?> value : values) {
            json.writeString(value.name());
        }
        json.writeEndArray();
    }

    /** A writer into a StringBuilder, which the fragments of the text are taken from (StringWriter's buffer is synchronised and hidden). */
    private static final class TextWriter
            extends Writer
    {
        private final StringBuilder text;

        TextWriter(int capacity)
        {
            this.text = new StringBuilder(capacity);
        }

        @Override
        public void write(char[] chars, int offset, int length)
        {
            text.append(chars, offset, length);
        }

        @Override
        public void write(String string, int offset, int length)
        {
            text.append(string, offset, offset + length);
        }

        @Override
        public void flush()
        {
            // all is in the builder already
        }

        @Override
        public void close()
        {
            // nothing to release
        }
    }

    /** {@link Instant#toString()}, written by hand for four-digit years (its formatter was a third of writing a profile). */
    static String text(Instant instant)
    {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
            return instant.toString();
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        char[] text = new char[30];
        digits(text, 0, date.getYear(), 4);
        text[4] = '-';
        digits(text, 5, date.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, date.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, secondOfDay / 3600, 2);
        text[13] = ':';
        digits(text, 14, secondOfDay / 60 % 60, 2);
        text[16] = ':';
        digits(text, 17, secondOfDay % 60, 2);
        int length = 19;
        int nanos = instant.getNano();
        // as ISO_INSTANT: no fraction, or milliseconds, microseconds or nanoseconds, whichever is exact
        if (nanos != 0) {
            text[length++] = '.';
            if (nanos % 1_000_000 == 0) {
                digits(text, length, nanos / 1_000_000, 3);
                length += 3;
            }
            else if (nanos % 1_000 == 0) {
                digits(text, length, nanos / 1_000, 6);
                length += 6;
            }
            else {
                digits(text, length, nanos, 9);
                length += 9;
            }
        }
        text[length++] = 'Z';
        return new String(text, 0, length);
    }

    private static void digits(char[] text, int at, int value, int count)
    {
        for (int i = at + count - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
