package io.runlight.insights.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.runlight.insights.input.JsonDescriptions;
import io.runlight.insights.input.JsonInput;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.ImageDigest;

/**
 * Runlight's own event records. The event form carries one observation
 * ({@code kind}, {@code path}, {@code process}); the snapshot form carries many for one
 * container ({@code files: [{kind, path, process?}]}), sharing its identity and time, and
 * a bad entry rejects that entry only (located as {@code line N /files/I}). Its opens are
 * the descriptors open when it was cut ({@link Sensor#RUNLIGHT_SNAPSHOT}), so they cannot
 * stand for every code open. A record may name the sensor that made it: {@code "sensor":
 * "proc-sampling"} is Runlight's agent sampling {@code /proc} ({@link Sensor#AGENT_SAMPLES}),
 * whose records prove what they show and nothing about what they do not.
 *
 * <p>This is the source the hub takes most of (every agent's stream), so a record is read
 * from the parser's tokens straight into the fields it has, not into a tree first. It is
 * judged as its tree would be: a field named twice counts with its last value, {@code null}
 * is absent, any other field is parsed (a malformed one still fails the record) and skipped,
 * and the checks run in the same order with the same words as {@link EventFields}' on a tree.
 */
final class RunlightEventRecords
        implements EventRecordReader
{
    /** The {@code sensor} of the records Runlight's agent makes by sampling {@code /proc}. */
    static final String PROC_SAMPLING = "proc-sampling";

    // The slots of a record's fields. A slot holds null (absent or JSON null), the String of a
    // JSON string, or the JsonToken that started any other value (to name what was found);
    // FILES holds a List of the elements instead of the array's token (an element: the
    // Object[] of an object's slots, or the JsonToken of anything else).
    private static final int TIME = 0;
    private static final int CLUSTER = 1;
    private static final int NAMESPACE = 2;
    private static final int WORKLOAD_KIND = 3;
    private static final int WORKLOAD_NAME = 4;
    private static final int POD = 5;
    private static final int CONTAINER = 6;
    private static final int CONTAINER_ID = 7;
    private static final int IMAGE = 8;
    private static final int IMAGE_DIGEST = 9;
    private static final int PROCESS = 10;
    private static final int SENSOR = 11;
    private static final int KIND = 12;
    private static final int PATH = 13;
    private static final int FILES = 14;
    private static final String[] NAMES = {
            "time", "cluster", "namespace", "workloadKind", "workloadName", "pod", "container", "containerId", "image", "imageDigest",
            "process", "sensor", "kind", "path", "files"};

    // the digest last read in this document, valid: an agent's records repeat their image's
    // digest, and checking one is a pattern match (one reader reads one document)
    private String digestText;
    private Optional<ImageDigest> digest = Optional.empty();

    @Override
    public ParsedRecord parse(JsonParser parser, JsonInput json)
            throws IOException
    {
        Object[] record = readObject(parser, true);
        return (location, sink) -> judge(record, location, sink);
    }

    /** Reads a record given as a tree, as {@link #parse} reads it from text. */
    @Override
    public void read(JsonNode record, String location, EventSink sink)
    {
        try (JsonParser parser = record.traverse()) {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_OBJECT) {
                // as a tree's field look-up in something that is no object says
                throw EventFields.invalid("/", "must be an object, found " + JsonDescriptions.describe(record));
            }
            judge(readObject(parser, true), location, sink);
        }
        catch (IOException e) {
            // a tree in memory reads without I/O
            throw new UncheckedIOException(e);
        }
    }

    // The parser is at an object's start; reads to its end. A record has every field; an element of
    // its files only the fields of an observation (kind, path, process), as only those are read there.
    // The tokens are taken with the same calls a tree reading makes (names with nextFieldName, every
    // string's text, every number's value), so malformed input fails where and as it failed before.
    private static Object[] readObject(JsonParser parser, boolean record)
            throws IOException
    {
        Object[] slots = new Object[NAMES.length];
        String name;
        while ((name = parser.nextFieldName()) != null) {
            int slot = slot(name, record);
            JsonToken value = parser.nextToken();
            if (slot < 0) {
                skip(parser, value);
            }
            else if (slot == FILES) {
                slots[slot] = value == JsonToken.START_ARRAY ? elements(parser) : nonArray(parser, value);
            }
            else {
                slots[slot] = scalar(parser, value);
            }
        }
        return slots;
    }

    private static Object scalar(JsonParser parser, JsonToken value)
            throws IOException
    {
        if (value == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        skip(parser, value);
        return value;
    }

    // what stands where the files array should: absent, or the token of what was found
    private static JsonToken nonArray(JsonParser parser, JsonToken value)
            throws IOException
    {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        skip(parser, value);
        return value;
    }

    private static List<Object> elements(JsonParser parser)
            throws IOException
    {
        List<Object> elements = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == JsonToken.START_OBJECT) {
                elements.add(readObject(parser, false));
            }
            else {
                skip(parser, token);
                elements.add(token);
            }
        }
        return elements;
    }

    // Reads past the value that starts with token, as a tree reading would read it (without
    // recursion: the nesting is bounded by the parser's limit, which may be set high).
    private static void skip(JsonParser parser, JsonToken token)
            throws IOException
    {
        if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
            readScalar(parser, token);
            return;
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken next;
            if (parser.getParsingContext().inObject()) {
                if (parser.nextFieldName() == null) {
                    depth--;
                    continue;
                }
                next = parser.nextToken();
            }
            else {
                next = parser.nextToken();
                if (next == JsonToken.END_ARRAY) {
                    depth--;
                    continue;
                }
            }
            if (next == JsonToken.START_OBJECT || next == JsonToken.START_ARRAY) {
                depth++;
            }
            else {
                readScalar(parser, next);
            }
        }
    }

    private static void readScalar(JsonParser parser, JsonToken token)
            throws IOException
    {
        switch (token) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> {
                switch (parser.getNumberType()) {
                    case INT -> parser.getIntValue();
                    case LONG -> parser.getLongValue();
                    default -> parser.getBigIntegerValue();
                }
            }
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            default -> {
                // true, false, null: nothing more to read
            }
        }
    }

    private static int slot(String name, boolean record)
    {
        int slot = switch (name) {
            case "time" -> TIME;
            case "cluster" -> CLUSTER;
            case "namespace" -> NAMESPACE;
            case "workloadKind" -> WORKLOAD_KIND;
            case "workloadName" -> WORKLOAD_NAME;
            case "pod" -> POD;
            case "container" -> CONTAINER;
            case "containerId" -> CONTAINER_ID;
            case "image" -> IMAGE;
            case "imageDigest" -> IMAGE_DIGEST;
            case "process" -> PROCESS;
            case "sensor" -> SENSOR;
            case "kind" -> KIND;
            case "path" -> PATH;
            case "files" -> FILES;
            default -> -1;
        };
        return record || slot == KIND || slot == PATH || slot == PROCESS ? slot : -1;
    }

    private void judge(Object[] record, String location, EventSink sink)
    {
        Instant time = EventFields.time(required(record, TIME, "an RFC 3339 time"), "time");
        ContainerIdentity identity = new ContainerIdentity(
                text(record, CLUSTER),
                text(record, NAMESPACE),
                text(record, WORKLOAD_KIND),
                text(record, WORKLOAD_NAME),
                text(record, POD),
                text(record, CONTAINER),
                text(record, CONTAINER_ID),
                text(record, IMAGE),
                digest(text(record, IMAGE_DIGEST)));
        Optional<String> process = text(record, PROCESS);
        Optional<Sensor> named = namedSensor(record);
        Object files = record[FILES];
        if (files == null) {
            sink.accept(event(record, identity, process, time, named.orElse(Sensor.RUNLIGHT_EVENTS)), location);
            return;
        }
        if (files instanceof JsonToken found) {
            throw wrongType(FILES, "an array", found);
        }
        List<?> elements = (List<?>) files;
        for (int i = 0; i < elements.size(); i++) {
            String fileLocation = location + " /files/" + i;
            try {
                if (!(elements.get(i) instanceof Object[] file)) {
                    throw new RecordProblem("expected an object, found " + JsonDescriptions.describe((JsonToken) elements.get(i)));
                }
                sink.accept(event(file, identity, process, time, named.orElse(Sensor.RUNLIGHT_SNAPSHOT)), fileLocation);
            }
            catch (RecordProblem problem) {
                sink.reject(fileLocation, problem.getMessage());
            }
        }
    }

    private Optional<ImageDigest> digest(Optional<String> text)
    {
        if (text.isPresent() && text.get().equals(digestText)) {
            return digest;
        }
        Optional<ImageDigest> read = EventFields.digest(text, "imageDigest");
        if (read.isPresent()) {
            digestText = text.get();
            digest = read;
        }
        return read;
    }

    // a sensor no reader knows could claim any coverage: refused, never taken for a stream
    private static Optional<Sensor> namedSensor(Object[] record)
    {
        Optional<String> name = text(record, SENSOR);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (name.get().equals(PROC_SAMPLING)) {
            return Optional.of(Sensor.AGENT_SAMPLES);
        }
        throw new RecordProblem("'/sensor' is '" + EventFields.abbreviate(name.get()) + "'; expected " + PROC_SAMPLING + " or no sensor");
    }

    private static RuntimeEvent event(Object[] observation, ContainerIdentity identity, Optional<String> defaultProcess, Instant time, Sensor sensor)
    {
        String kindText = required(observation, KIND, "exec, mmap or open");
        EvidenceKind kind;
        try {
            kind = switch (kindText) {
                // as agents write them: fromWireName's answer without its lower-cased copy
                case "exec" -> EvidenceKind.EXEC;
                case "mmap" -> EvidenceKind.MMAP;
                case "open" -> EvidenceKind.OPEN;
                default -> EvidenceKind.fromWireName(kindText);
            };
        }
        catch (IllegalArgumentException e) {
            throw new RecordProblem("'/kind' is '" + EventFields.abbreviate(kindText) + "'; expected exec, mmap or open");
        }
        String path = required(observation, PATH, "the file's path");
        Optional<String> process = text(observation, PROCESS).or(() -> defaultProcess);
        return new RuntimeEvent(identity, kind, path, process, time, sensor);
    }

    // as EventFields.text on a tree: only a string is text, stripped, blank is absent, and it must be Unicode without NUL
    private static Optional<String> text(Object[] slots, int slot)
    {
        Object value = slots[slot];
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof JsonToken found) {
            throw wrongType(slot, "a string", found);
        }
        String text = ((String) value).strip();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> problem = EventFields.unicodeProblem(text);
        if (problem.isPresent()) {
            throw EventFields.invalid(EventFields.pointer(NAMES[slot]), problem.get());
        }
        return Optional.of(text);
    }

    private static String required(Object[] slots, int slot, String expected)
    {
        return text(slots, slot).orElseThrow(() -> EventFields.missing(expected, NAMES[slot]));
    }

    private static RecordProblem wrongType(int slot, String expected, JsonToken found)
    {
        return EventFields.invalid(EventFields.pointer(NAMES[slot]), "must be " + expected + ", found " + JsonDescriptions.describe(found));
    }
}
