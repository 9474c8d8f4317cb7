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
import io.runlight.insights.input.JsonDescriptions;
import io.runlight.insights.input.JsonInput;
import io.runlight.insights.input.JsonObjectDocument;

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
        return switch (layout(in, format)) {
            case ARRAY -> json.read(in, format, parser -> readArray(parser, format, reader, sink));
            case CONCATENATED -> json.read(in, format, parser -> readConcatenated(parser, reader, sink));
            case LINES -> readLines(in, format, reader, sink);
        };
    }

    /** Reads a document that is exactly one JSON object. */
    JsonNode readObject(InputStream in, DocumentFormat format)
    {
        return json.read(in, format, parser -> {
            JsonToken token = JsonInput.next(parser, format);
            if (token != JsonToken.START_OBJECT) {
                throw new InputException(InputException.Reason.INVALID, format.displayName(), "/", "expected a JSON object, found " + describe(token));
            }
            JsonNode document = json.readTree(parser);
            JsonObjectDocument.requireEnd(parser, format);
            return document;
        });
    }

    private EventBatch readArray(JsonParser parser, DocumentFormat format, EventRecordReader reader, EventSink sink)
            throws IOException
    {
        JsonToken token = JsonInput.next(parser, format);
        if (token != JsonToken.START_ARRAY) {
            throw new InputException(InputException.Reason.INVALID, format.displayName(), "/", "expected a JSON array, found " + describe(token));
        }
        int index = 0;
        while ((token = JsonInput.next(parser, format)) != JsonToken.END_ARRAY) {
            readRecord(parser, token, "/" + index, reader, sink);
            index++;
        }
        JsonToken after = parser.nextToken();
        if (after != null) {
            throw new InputException(InputException.Reason.INVALID, format.displayName(), "/",
                    "found " + describe(after) + " after the array; expected one JSON array of events");
        }
        return sink.batch();
    }

    private EventBatch readConcatenated(JsonParser parser, EventRecordReader reader, EventSink sink)
            throws IOException
    {
        JsonToken token;
        while ((token = parser.nextToken()) != null) {
            readRecord(parser, token, "line " + parser.currentTokenLocation().getLineNr(), reader, sink);
        }
        return sink.batch();
    }

    // One element of an array or one concatenated value: an object is a record, anything else is rejected.
    private void readRecord(JsonParser parser, JsonToken token, String location, EventRecordReader reader, EventSink sink)
            throws IOException
    {
        if (token == JsonToken.START_OBJECT) {
            dispatch(reader.parse(parser, json), location, sink);
        }
        else {
            parser.skipChildren();
            sink.reject(location, "expected a JSON object, found " + describe(token));
        }
    }

    private EventBatch readLines(InputStream in, DocumentFormat format, EventRecordReader reader, EventSink sink)
    {
        BoundedLines.read(in, format, json.limits(), sink, (number, text) -> readLine(text, "line " + number, format, reader, sink));
        return sink.batch();
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
            EventRecordReader.ParsedRecord record = reader.parse(opened, json);
            JsonToken after = opened.nextToken();
            if (after != null) {
                sink.reject(location, "found " + describe(after) + " after the object; expected one JSON object per line");
                return;
            }
            dispatch(record, location, sink);
        }
        catch (IOException e) {
            InputException failure = JsonInput.failure(format, parser, e);
            sink.reject(location, failure.problem());
        }
    }

    private static void dispatch(EventRecordReader.ParsedRecord record, String location, EventSink sink)
    {
        try {
            record.read(location, sink);
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

    // what stood where an object was expected: a value, or nothing at all
    static String describe(JsonToken token)
    {
        return token == null ? "nothing" : JsonDescriptions.describe(token);
    }

    private enum Layout
    {
        LINES,
        ARRAY,
        CONCATENATED
    }
}
