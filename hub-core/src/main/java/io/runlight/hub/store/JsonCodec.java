package io.runlight.hub.store;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import static java.util.Objects.requireNonNull;

/**
 * Turns a hub record into the JSON document kept as a map value, and back. Map values
 * are hub-defined JSON, never plugin classes, so every member (and a person reading the
 * database) can read them. Records, {@code java.time} types (as ISO-8601 text, e.g.
 * {@code "2025-01-31T10:15:30Z"}, {@code "PT5M"}), {@code Optional} (empty written as
 * {@code null}; {@code null} or a missing property reads as empty) and collections are
 * supported; map keys are written sorted.
 * Properties a document has but the record lacks are ignored, so a member can read a
 * value written by a newer one during a rolling upgrade. Everything beyond ASCII is written
 * as a JSON escape (backslash, u, four hex digits). Thread-safe.
 *
 * @param <T> the record type
 */
public final class JsonCodec<T>
{
    /** Configured once here and never changed afterwards; Jackson mappers are thread-safe once configured. */
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            // stored JSON is pure ASCII: no layer between here and the disk (Hazelcast's UTF-8,
            // the JDBC driver, a database's character set) can alter text, not even text that
            // is not valid Unicode, so what is stored always decodes to what was written
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // an Optional that a document leaves out (written before the field existed, or by the
            // hand-written token codec of earlier versions) or writes as null reads as empty
            .withConfigOverride(Optional.class, override -> override.setSetterInfo(JsonSetter.Value.forValueNulls(Nulls.AS_EMPTY)))
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    private final String typeName;
    private final ObjectReader reader;
    private final ObjectWriter writer;

    private JsonCodec(JavaType type)
    {
        this.typeName = type.getRawClass().getSimpleName();
        this.reader = MAPPER.readerFor(type);
        this.writer = MAPPER.writerFor(type);
    }

    /** A codec for values of {@code type}. */
    public static <T> JsonCodec<T> of(Class<T> type)
    {
        requireNonNull(type, "type is null");
        return new JsonCodec<>(MAPPER.constructType(type));
    }

    /** A codec for a generic type, e.g. {@code new TypeReference<List<Entry>>() {}}. */
    public static <T> JsonCodec<T> of(TypeReference<T> type)
    {
        requireNonNull(type, "type is null");
        return new JsonCodec<>(MAPPER.constructType(type));
    }

    /**
     * The JSON document for {@code value}.
     *
     * @throws IllegalArgumentException if the value cannot be written as JSON
     */
    public String encode(T value)
    {
        requireNonNull(value, "value is null");
        try {
            return writer.writeValueAsString(value);
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot encode a '" + typeName + "' as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The value of a JSON document. The message of a failure names the type and the
     * position, never the document's content (which may be sensitive); the cause has the detail.
     *
     * @throws IllegalArgumentException if {@code json} is not a valid '{@code T}' document
     */
    public T decode(String json)
    {
        requireNonNull(json, "json is null");
        T value;
        try {
            value = reader.readValue(json);
        }
        catch (ValueInstantiationException e) {
            // the record's own check refused a value, e.g. "name is null": that message names no content
            String reason = e.getCause() == null ? "a value is invalid" : e.getCause().getMessage();
            throw new IllegalArgumentException("Cannot decode a '" + typeName + "' from JSON" + position(e) + ": " + reason, e);
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot decode a '" + typeName + "' from JSON" + position(e) + ": the document is malformed or does not fit the type", e);
        }
        if (value == null) {
            throw new IllegalArgumentException("Cannot decode a '" + typeName + "' from JSON: the document is null");
        }
        return value;
    }

    private static String position(JsonProcessingException e)
    {
        JsonLocation location = e.getLocation();
        if (location == null) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
