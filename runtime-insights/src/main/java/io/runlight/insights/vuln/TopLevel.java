package io.runlight.insights.vuln;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;

/**
 * The few checks every streaming report reader makes on the document's outline: one
 * top-level object and nothing after it, and no more findings than the limits allow.
 */
final class TopLevel
{
    private TopLevel() {}

    /** Fails unless the parser, just past the top-level object, is at the end of the input. */
    static void requireEnd(JsonParser parser, DocumentFormat format)
            throws IOException
    {
        JsonToken after = parser.nextToken();
        if (after != null) {
            throw new InputException(InputException.Reason.INVALID, format.displayName(), "/",
                    "found " + describe(after) + " after the top-level object; expected one JSON document");
        }
    }

    /** Fails when one more finding would exceed {@link InputLimits#maxItems()}. */
    static void requireRoom(int count, InputLimits limits, DocumentFormat format, String pointer)
    {
        if (count >= limits.maxItems()) {
            throw new InputException(InputException.Reason.TOO_LARGE, format.displayName(), pointer,
                    "more than " + limits.maxItems() + " findings, the limit");
        }
    }

    /** A token in words, for messages. */
    static String describe(JsonToken token)
    {
        if (token == null) {
            return "the end of the document";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case END_OBJECT -> "the end of an object";
            case END_ARRAY -> "the end of an array";
            case FIELD_NAME -> "a field name";
            case VALUE_EMBEDDED_OBJECT, NOT_AVAILABLE -> "an unexpected token";
        };
    }
}
