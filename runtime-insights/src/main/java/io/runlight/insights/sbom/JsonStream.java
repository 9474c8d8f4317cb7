package io.runlight.insights.sbom;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.JsonInput;

/**
 * The streaming walk every JSON SBOM reader shares: the document must be one object,
 * its top-level fields are handed over one at a time, arrays are walked one element
 * at a time, and every Jackson failure becomes an {@link InputException} naming the
 * format and the JSON pointer. Nothing here holds the whole document.
 */
final class JsonStream
{
    private JsonStream() {}

    /** Receives one top-level field; the parser is at the value's first token and the handler must consume the whole value. */
    interface FieldHandler
    {
        void field(String name, String pointer, JsonParser parser)
                throws IOException;
    }

    /** Receives one array element; the parser is at the element's first token and the handler must consume the whole element. */
    interface ElementHandler
    {
        void element(String pointer, JsonParser parser)
                throws IOException;
    }

    /**
     * Reads a document that must be one JSON object, handing each top-level field to the handler.
     */
    static void readObject(JsonInput json, InputStream in, DocumentFormat format, FieldHandler handler)
    {
        JsonParser parser = json.parser(in, format);
        try (parser) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new InputException(InputException.Reason.MALFORMED, format.displayName(), "/", "the document is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                throw invalid(format, "/", "a JSON object", first);
            }
            forEachField(parser, format, "", handler);
            if (parser.nextToken() != null) {
                throw new InputException(InputException.Reason.MALFORMED, format.displayName(), "/",
                        "there is more content after the end of the top-level object");
            }
        }
        catch (JsonParseException e) {
            // Jackson reports some truncations ("Unexpected end-of-input within/between Object entries") as parse errors
            String message = e.getOriginalMessage();
            if (message != null && message.contains("end-of-input")) {
                throw new InputException(InputException.Reason.MALFORMED, format.displayName(), JsonInput.pointer(parser), "the document ends early (truncated?)", e);
            }
            throw JsonInput.failure(format, parser, e);
        }
        catch (IOException e) {
            throw JsonInput.failure(format, parser, e);
        }
    }

    /**
     * Hands each field of the object the parser is in (just after its START_OBJECT) to the
     * handler, and returns once the object's END_OBJECT has been read.
     *
     * @param objectPointer the object's JSON pointer, {@code ""} for the root
     */
    static void forEachField(JsonParser parser, DocumentFormat format, String objectPointer, FieldHandler handler)
            throws IOException
    {
        JsonToken token;
        while ((token = JsonInput.next(parser, format)) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonInput.next(parser, format);
            handler.field(name, objectPointer + "/" + escape(name), parser);
        }
        if (token != JsonToken.END_OBJECT) {
            throw new InputException(InputException.Reason.MALFORMED, format.displayName(), objectPointer.isEmpty() ? "/" : objectPointer,
                    "expected a field name or the end of the object, found " + describe(token));
        }
    }

    /**
     * Walks the array value at the parser's current token, one element at a time; a
     * {@code null} value is an empty array.
     *
     * @param expected what the value should be, for the message, for example {@code "an array of packages"}
     */
    static void forEachElement(JsonParser parser, DocumentFormat format, String pointer, String expected, ElementHandler handler)
            throws IOException
    {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        if (token != JsonToken.START_ARRAY) {
            throw invalid(format, pointer, expected, token);
        }
        int index = 0;
        while (JsonInput.next(parser, format) != JsonToken.END_ARRAY) {
            handler.element(pointer + "/" + index, parser);
            index++;
        }
    }

    /**
     * Walks the object value at the parser's current token field by field; a {@code null}
     * value is an empty object.
     */
    static void forEachFieldOf(JsonParser parser, DocumentFormat format, String pointer, String expected, FieldHandler handler)
            throws IOException
    {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        if (token != JsonToken.START_OBJECT) {
            throw invalid(format, pointer, expected, token);
        }
        forEachField(parser, format, pointer, handler);
    }

    /**
     * The scalar at the parser's current token as text, or {@code null} for a JSON {@code null}.
     */
    static String scalar(JsonParser parser, DocumentFormat format, String pointer, String expected)
            throws IOException
    {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!token.isScalarValue()) {
            throw invalid(format, pointer, expected, token);
        }
        return parser.getText();
    }

    static InputException invalid(DocumentFormat format, String pointer, String expected, JsonToken found)
    {
        return new InputException(InputException.Reason.INVALID, format.displayName(), pointer.isEmpty() ? "/" : pointer,
                "expected " + expected + ", found " + describe(found));
    }

    static String describe(JsonToken token)
    {
        if (token == null) {
            return "the end of the document";
        }
        return switch (token) {
            case START_OBJECT, END_OBJECT -> "an object";
            case START_ARRAY, END_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case FIELD_NAME -> "a field name";
            case VALUE_EMBEDDED_OBJECT, NOT_AVAILABLE -> "an unexpected value";
        };
    }

    /** Escapes a JSON pointer segment (RFC 6901). */
    static String escape(String segment)
    {
        if (segment.indexOf('~') < 0 && segment.indexOf('/') < 0) {
            return segment;
        }
        return segment.replace("~", "~0").replace("/", "~1");
    }
}
