package io.runlight.insights.vuln;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import com.fasterxml.jackson.databind.JsonNode;
import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;

import static io.runlight.insights.input.JsonDescriptions.describe;
import static java.util.Objects.requireNonNull;

/**
 * Typed access to one element of a scan report, read as a small tree. A report is
 * all or nothing, so a field of the wrong type fails the whole read with the JSON
 * pointer of the field and what was expected.
 */
final class ReportNodes
{
    private final DocumentFormat format;

    ReportNodes(DocumentFormat format)
    {
        this.format = requireNonNull(format, "format is null");
    }

    /** The string at {@code field}, empty when the field is absent, null or blank. */
    Optional<String> text(JsonNode parent, String field, String pointer)
    {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw wrongType(child(pointer, field), "a string", value);
        }
        String text = value.textValue().strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** The non-blank string at {@code field}; fails when it is absent. */
    String requiredText(JsonNode parent, String field, String pointer)
    {
        return text(parent, field, pointer)
                .orElseThrow(() -> invalid(child(pointer, field), "missing; expected a non-empty string"));
    }

    /** The object at {@code field}, empty when absent or null. */
    Optional<JsonNode> object(JsonNode parent, String field, String pointer)
    {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw wrongType(child(pointer, field), "an object", value);
        }
        return Optional.of(value);
    }

    /** The elements of the array at {@code field}, empty when absent or null. */
    List<JsonNode> array(JsonNode parent, String field, String pointer)
    {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw wrongType(child(pointer, field), "an array", value);
        }
        List<JsonNode> elements = new ArrayList<>(value.size());
        value.forEach(elements::add);
        return elements;
    }

    /** The strings of the array at {@code field}, blank ones dropped. */
    List<String> texts(JsonNode parent, String field, String pointer)
    {
        List<String> texts = new ArrayList<>();
        List<JsonNode> elements = array(parent, field, pointer);
        for (int i = 0; i < elements.size(); i++) {
            JsonNode element = elements.get(i);
            if (element.isNull()) {
                continue;
            }
            if (!element.isTextual()) {
                throw wrongType(child(pointer, field) + "/" + i, "a string", element);
            }
            String text = element.textValue().strip();
            if (!text.isEmpty()) {
                texts.add(text);
            }
        }
        return texts;
    }

    /** The number at {@code field}, empty when absent or null. */
    OptionalDouble number(JsonNode parent, String field, String pointer)
    {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return OptionalDouble.empty();
        }
        if (!value.isNumber()) {
            throw wrongType(child(pointer, field), "a number", value);
        }
        return OptionalDouble.of(value.doubleValue());
    }

    /** The number at {@code field}, which must lie in {@code [min, max]}. */
    OptionalDouble number(JsonNode parent, String field, String pointer, double min, double max)
    {
        OptionalDouble value = number(parent, field, pointer);
        if (value.isPresent() && (!(value.getAsDouble() >= min) || !(value.getAsDouble() <= max))) {
            throw invalid(child(pointer, field), "expected a number from " + format(min) + " to " + format(max) + ", found " + value.getAsDouble());
        }
        return value;
    }

    /** Requires {@code node} to be an object. */
    JsonNode requireObject(JsonNode node, String pointer)
    {
        if (!node.isObject()) {
            throw wrongType(pointer, "an object", node);
        }
        return node;
    }

    InputException invalid(String pointer, String problem)
    {
        return new InputException(InputException.Reason.INVALID, format.displayName(), pointer, problem);
    }

    InputException wrongType(String pointer, String expected, JsonNode found)
    {
        return invalid(pointer, "expected " + expected + ", found " + describe(found));
    }

    /** The pointer of {@code field} inside the value at {@code pointer}, escaped per RFC 6901. */
    static String child(String pointer, String field)
    {
        String escaped = field.replace("~", "~0").replace("/", "~1");
        return (pointer.equals("/") ? "" : pointer) + "/" + escaped;
    }

    private static String format(double value)
    {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
