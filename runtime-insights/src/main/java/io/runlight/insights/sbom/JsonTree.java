package io.runlight.insights.sbom;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.MissingNode;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;

import static java.util.Objects.requireNonNull;

/**
 * Typed access to one small tree (one package, one result's metadata), so a field of the
 * wrong type is refused with the format, the JSON pointer and what was expected, while a
 * missing or {@code null} field simply reads as absent.
 */
final class JsonTree
{
    private final DocumentFormat format;

    JsonTree(DocumentFormat format)
    {
        this.format = requireNonNull(format, "format is null");
    }

    /** The field's text if it is a non-empty scalar; absent if missing, null or empty. */
    Optional<String> text(JsonNode node, String pointer, String field)
    {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isValueNode()) {
            throw invalid(pointer + "/" + JsonStream.escape(field), "a string", value);
        }
        String text = value.asText();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** The field's text, which must be present and not blank. */
    String requiredText(JsonNode node, String pointer, String field, String what)
    {
        Optional<String> text = text(node, pointer, field).filter(value -> !value.isBlank());
        if (text.isEmpty()) {
            throw new InputException(InputException.Reason.INVALID, format.displayName(), pointer + "/" + JsonStream.escape(field),
                    "expected " + what + " (a non-empty string), found " + describe(node.path(field)));
        }
        return text.get();
    }

    /** The field's elements if it is an array; empty if missing or null. */
    List<JsonNode> array(JsonNode node, String pointer, String field)
    {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw invalid(pointer + "/" + JsonStream.escape(field), "an array", value);
        }
        List<JsonNode> elements = new ArrayList<>(value.size());
        value.forEach(elements::add);
        return elements;
    }

    /** The field if it is an object; a missing node if missing or null. */
    JsonNode object(JsonNode node, String pointer, String field)
    {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return MissingNode.getInstance();
        }
        if (!value.isObject()) {
            throw invalid(pointer + "/" + JsonStream.escape(field), "an object", value);
        }
        return value;
    }

    /** Requires the node itself to be an object. */
    JsonNode requireObject(JsonNode node, String pointer, String what)
    {
        if (!node.isObject()) {
            throw invalid(pointer, what, node);
        }
        return node;
    }

    /** The text of an array element that must be a scalar; absent for null or empty. */
    Optional<String> elementText(JsonNode element, String pointer)
    {
        if (element.isNull()) {
            return Optional.empty();
        }
        if (!element.isValueNode()) {
            throw invalid(pointer, "a string", element);
        }
        String text = element.asText();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    InputException invalid(String pointer, String expected, JsonNode found)
    {
        return new InputException(InputException.Reason.INVALID, format.displayName(), pointer, "expected " + expected + ", found " + describe(found));
    }

    static String describe(JsonNode node)
    {
        if (node.isMissingNode()) {
            return "nothing";
        }
        JsonNodeType type = node.getNodeType();
        return switch (type) {
            case OBJECT, POJO -> "an object";
            case ARRAY -> "an array";
            case STRING, BINARY -> node.asText().isEmpty() ? "an empty string" : "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case MISSING -> "nothing";
        };
    }
}
