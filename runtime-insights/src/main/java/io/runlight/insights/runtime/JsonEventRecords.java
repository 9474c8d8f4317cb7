package io.runlight.insights.runtime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.FormatDetector;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.JsonInput;

import static java.util.Objects.requireNonNull;

/**
 * Splits a JSON event document into records, in whichever of the three layouts sources
 * use, and hands each to an {@link EventRecordReader}:
 * <ul>
 * <li><b>lines</b> (NDJSON, JSON Lines): one object per line. Each line is parsed on its
 *     own, so a malformed, overlong or non-UTF-8 line is rejected as {@code line N} and
 *     the others are still read.</li>
 * <li><b>array</b>: {@code [{...}, {...}]}, records located as {@code /N}.</li>
 * <li><b>concatenated</b>: one or more pretty-printed objects, as {@code jq} or the
 *     Tetragon documentation print them, located by the line they start on.</li>
 * </ul>
 * An array or a concatenated document is one JSON text: if it is malformed the whole
 * document is refused. The layout is chosen from the first bytes: {@code [} means an
 * array; a <code>{</code> alone on the first line means pretty-printed objects;
 * anything else is line-oriented.
 */
final class JsonEventRecords
{
    private final JsonInput json;

    JsonEventRecords(JsonInput json)
    {
        this.json = requireNonNull(json, "json is null");
    }

    EventBatch read(BufferedInputStream in, DocumentFormat format, EventRecordReader reader)
    {
        EventSink sink = new EventSink(format, json.limits());
        switch (layout(in, format)) {
            case ARRAY -> readArray(in, format, reader, sink);
            case CONCATENATED -> readConcatenated(in, format, reader, sink);
            case LINES -> readLines(in, format, reader, sink);
        }
        return sink.batch();
    }

    /** Reads a document that is exactly one JSON object. */
    JsonNode readObject(InputStream in, DocumentFormat format)
    {
        JsonParser parser = null;
        try (JsonParser opened = json.parser(in, format)) {
            parser = opened;
            JsonToken token = JsonInput.next(opened, format);
            if (token != JsonToken.START_OBJECT) {
                throw new InputException(InputException.Reason.INVALID, format.displayName(), "/", "expected a JSON object, found " + describe(token));
            }
            JsonNode document = json.readTree(opened);
            JsonToken after = opened.nextToken();
            if (after != null) {
                throw new InputException(InputException.Reason.INVALID, format.displayName(), "/",
                        "found " + describe(after) + " after the top-level object; expected one JSON document");
            }
            return document;
        }
        catch (IOException e) {
            throw JsonInput.failure(format, parser, e);
        }
    }

    private void readArray(InputStream in, DocumentFormat format, EventRecordReader reader, EventSink sink)
    {
        JsonParser parser = null;
        try (JsonParser opened = json.parser(in, format)) {
            parser = opened;
            JsonToken token = JsonInput.next(opened, format);
            if (token != JsonToken.START_ARRAY) {
                throw new InputException(InputException.Reason.INVALID, format.displayName(), "/", "expected a JSON array, found " + describe(token));
            }
            int index = 0;
            while ((token = JsonInput.next(opened, format)) != JsonToken.END_ARRAY) {
                String location = "/" + index;
                if (token == JsonToken.START_OBJECT) {
                    dispatch(reader, json.readTree(opened), location, sink);
                }
                else {
                    opened.skipChildren();
                    sink.reject(location, "expected a JSON object, found " + describe(token));
                }
                index++;
            }
            JsonToken after = opened.nextToken();
            if (after != null) {
                throw new InputException(InputException.Reason.INVALID, format.displayName(), "/",
                        "found " + describe(after) + " after the array; expected one JSON array of events");
            }
        }
        catch (IOException e) {
            throw JsonInput.failure(format, parser, e);
        }
    }

    private void readConcatenated(InputStream in, DocumentFormat format, EventRecordReader reader, EventSink sink)
    {
        JsonParser parser = null;
        try (JsonParser opened = json.parser(in, format)) {
            parser = opened;
            JsonToken token;
            while ((token = opened.nextToken()) != null) {
                String location = "line " + opened.currentTokenLocation().getLineNr();
                if (token == JsonToken.START_OBJECT) {
                    dispatch(reader, json.readTree(opened), location, sink);
                }
                else {
                    opened.skipChildren();
                    sink.reject(location, "expected a JSON object, found " + describe(token));
                }
            }
        }
        catch (IOException e) {
            throw JsonInput.failure(format, parser, e);
        }
    }

    private void readLines(InputStream in, DocumentFormat format, EventRecordReader reader, EventSink sink)
    {
        BoundedLines.read(in, format, json.limits(), sink, (number, text) -> readLine(text, "line " + number, format, reader, sink));
    }

    private void readLine(String text, String location, DocumentFormat format, EventRecordReader reader, EventSink sink)
    {
        JsonParser parser = null;
        try (JsonParser opened = json.parser(text, format)) {
            parser = opened;
            JsonToken token = opened.nextToken();
            if (token != JsonToken.START_OBJECT) {
                sink.reject(location, "expected a JSON object, found " + describe(token));
                return;
            }
            JsonNode record = json.readTree(opened);
            JsonToken after = opened.nextToken();
            if (after != null) {
                sink.reject(location, "found " + describe(after) + " after the object; expected one JSON object per line");
                return;
            }
            dispatch(reader, record, location, sink);
        }
        catch (IOException e) {
            InputException failure = JsonInput.failure(format, parser, e);
            sink.reject(location, failure.problem());
        }
    }

    private static void dispatch(EventRecordReader reader, JsonNode record, String location, EventSink sink)
    {
        try {
            reader.read(record, location, sink);
        }
        catch (RecordProblem problem) {
            sink.reject(location, problem.getMessage());
        }
    }

    private static Layout layout(BufferedInputStream in, DocumentFormat format)
    {
        try {
            in.mark(FormatDetector.PREFIX_BYTES + 1);
            try {
                byte[] prefix = in.readNBytes(FormatDetector.PREFIX_BYTES);
                int index = 0;
                if (prefix.length >= 3 && (prefix[0] & 0xff) == 0xEF && (prefix[1] & 0xff) == 0xBB && (prefix[2] & 0xff) == 0xBF) {
                    index = 3;
                }
                while (index < prefix.length && isWhitespace(prefix[index])) {
                    index++;
                }
                if (index < prefix.length && prefix[index] == '[') {
                    return Layout.ARRAY;
                }
                if (index < prefix.length && prefix[index] == '{') {
                    index++;
                    while (index < prefix.length && (prefix[index] == ' ' || prefix[index] == '\t' || prefix[index] == '\r')) {
                        index++;
                    }
                    if (index < prefix.length && prefix[index] == '\n') {
                        return Layout.CONCATENATED;
                    }
                }
                return Layout.LINES;
            }
            finally {
                in.reset();
            }
        }
        catch (IOException e) {
            throw new InputException(InputException.Reason.MALFORMED, format.displayName(), "byte 0", "cannot read the document: " + e.getMessage(), e);
        }
    }

    private static boolean isWhitespace(byte b)
    {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    static String describe(JsonToken token)
    {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case END_OBJECT, END_ARRAY, FIELD_NAME, VALUE_EMBEDDED_OBJECT, NOT_AVAILABLE -> "an unexpected token";
        };
    }

    private enum Layout
    {
        LINES,
        ARRAY,
        CONCATENATED
    }
}
