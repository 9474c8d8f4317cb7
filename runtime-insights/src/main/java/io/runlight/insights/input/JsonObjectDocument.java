package io.runlight.insights.input;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import static io.runlight.insights.input.JsonDescriptions.describe;
import static java.util.Objects.requireNonNull;

/**
 * The skeleton of a streaming reader of a document that is exactly one JSON object
 * (a scan report, a BOM): it opens a bounded parser, requires the top-level object,
 * hands the top-level fields over one at a time, requires the input to end after the
 * object, and turns Jackson's failures into {@link InputException}s. It also walks
 * arrays of objects one element at a time and counts items against
 * {@link InputLimits#maxItems()}, so no reader holds more than one element as a tree.
 */
public final class JsonObjectDocument
{
    private JsonObjectDocument() {}

    /** Reads a document's top-level fields one at a time, then says what they made. */
    public interface TopLevelReader<T>
    {
        /**
         * Reads one top-level field.
         *
         * @param value the value's first token, where the parser is; the reader must consume the whole value
         */
        void field(String name, JsonToken value, JsonParser parser)
                throws IOException;

        /** What the document made, once it has ended with nothing after its object. */
        T finish();
    }

    /** Reads one element of an array of objects. */
    @FunctionalInterface
    public interface ElementReader
    {
        /**
         * @param parser at the element's {@code START_OBJECT}; the reader must consume the whole object
         * @param pointer the element's JSON pointer
         */
        void element(JsonParser parser, String pointer)
                throws IOException;
    }

    /**
     * Reads a document that must be one JSON object, handing each top-level field to
     * {@code document}, and returns what {@link TopLevelReader#finish()} makes of them.
     * Whatever the reader throws as an {@link InputException} passes through unchanged;
     * I/O and parse failures become one.
     *
     * @param expected what the document should be, for the message, for example {@code "a JSON object with 'matches'"}
     * @throws InputException if the document is not one JSON object, is malformed or is over a limit
     */
    public static <T> T read(JsonInput json, InputStream in, DocumentFormat format, String expected, TopLevelReader<T> document)
    {
        requireNonNull(in, "in is null");
        return json.read(in, format, parser -> {
            JsonToken token = JsonInput.next(parser, format);
            if (token != JsonToken.START_OBJECT) {
                throw invalid(format, "/", "expected " + expected + ", found " + describe(token));
            }
            while (JsonInput.next(parser, format) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                document.field(name, JsonInput.next(parser, format), parser);
            }
            requireEnd(parser, format);
            return document.finish();
        });
    }

    /**
     * Walks the array the parser is at, whose elements must be objects, handing each to
     * {@code elements}; a {@code null} value is an empty array.
     */
    public static void forEachObject(JsonParser parser, DocumentFormat format, String pointer, ElementReader elements)
            throws IOException
    {
        JsonToken start = parser.currentToken();
        if (start == JsonToken.VALUE_NULL) {
            return;
        }
        if (start != JsonToken.START_ARRAY) {
            throw invalid(format, pointer, "expected an array, found " + describe(start));
        }
        int index = 0;
        JsonToken token;
        while ((token = JsonInput.next(parser, format)) != JsonToken.END_ARRAY) {
            String elementPointer = pointer + "/" + index;
            if (token != JsonToken.START_OBJECT) {
                throw invalid(format, elementPointer, "expected an object, found " + describe(token));
            }
            elements.element(parser, elementPointer);
            index++;
        }
    }

    /** Fails unless the parser, just past the top-level value, is at the end of the input. */
    public static void requireEnd(JsonParser parser, DocumentFormat format)
            throws IOException
    {
        JsonToken after = parser.nextToken();
        if (after != null) {
            throw invalid(format, "/", "found " + describe(after) + " after the top-level object; expected one JSON document");
        }
    }

    /**
     * Fails when one more item would exceed {@link InputLimits#maxItems()}.
     *
     * @param count how many items the reader holds already
     * @param items what is counted, for the message, for example {@code "findings"}
     */
    public static void requireRoom(int count, InputLimits limits, DocumentFormat format, String pointer, String items)
    {
        if (count >= limits.maxItems()) {
            throw new InputException(InputException.Reason.TOO_LARGE, format.displayName(), pointer,
                    "more than " + limits.maxItems() + " " + items + ", the limit");
        }
    }

    private static InputException invalid(DocumentFormat format, String pointer, String problem)
    {
        return new InputException(InputException.Reason.INVALID, format.displayName(), pointer, problem);
    }
}
