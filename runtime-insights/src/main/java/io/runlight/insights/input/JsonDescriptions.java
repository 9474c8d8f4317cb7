package io.runlight.insights.input;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * How error messages name the JSON value that was found where something else was
 * expected ("expected an array, found a string"), so every reader words it alike.
 */
public final class JsonDescriptions
{
    private JsonDescriptions() {}

    /** A tree value in words: {@code an object}, {@code a string}, {@code null}, ... */
    public static String describe(JsonNode node)
    {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL, MISSING -> "null";
            case BINARY -> "binary data";
        };
    }

    /**
     * As {@link #describe(JsonNode)}, but an empty string is {@code an empty string} and a
     * missing node {@code nothing}, for messages about a required field ("expected the
     * package name (a non-empty string), found nothing"), as the SBOM readers word them.
     */
    public static String describeInDetail(JsonNode node)
    {
        return switch (node.getNodeType()) {
            case STRING, BINARY -> node.asText().isEmpty() ? "an empty string" : "a string";
            case MISSING -> "nothing";
            default -> describe(node);
        };
    }

    /** A streaming token in words; {@code null} (no more tokens) is the end of the document. */
    public static String describe(JsonToken token)
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
