package io.runlight.insights.input;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import static java.util.Objects.requireNonNull;

/**
 * Typed access to the fields of a small JSON tree (one package, one match, one event
 * record, one stored image), the one such helper of the readers. A missing or
 * {@code null} field reads as absent; a field of the wrong type is a problem that names
 * its JSON pointer and what was expected. How a problem is worded and thrown is the
 * reader's: an {@link InputException} for a whole document ({@link #of(DocumentFormat)}),
 * or whatever a reader that rejects single records passes as {@link Problems}.
 *
 * <p>Pointers are RFC 6901 JSON pointers; {@code ""} is the document itself.
 */
public final class JsonFields<E extends RuntimeException>
{
    private final Problems<E> problems;

    public JsonFields(Problems<E> problems)
    {
        this.problems = requireNonNull(problems, "problems is null");
    }

    /** Problems as {@link InputException}s of {@code format}, found values described by {@link JsonDescriptions#describe(JsonNode)}. */
    public static JsonFields<InputException> of(DocumentFormat format)
    {
        return of(format.displayName());
    }

    /** As {@link #of(DocumentFormat)} for a format named in messages as {@code formatName}. */
    public static JsonFields<InputException> of(String formatName)
    {
        return new JsonFields<>(inputProblems(formatName, JsonDescriptions::describe));
    }

    /** As {@link #of(DocumentFormat)}, found values described by {@code describe}. */
    public static JsonFields<InputException> of(DocumentFormat format, Function<JsonNode, String> describe)
    {
        return new JsonFields<>(inputProblems(format.displayName(), describe));
    }

    // problems as InputExceptions (INVALID) of the named format
    private static Problems<InputException> inputProblems(String formatName, Function<JsonNode, String> describe)
    {
        requireNonNull(formatName, "formatName is null");
        requireNonNull(describe, "describe is null");
        return new Problems<>()
        {
            @Override
            public String describe(JsonNode found)
            {
                return describe.apply(found);
            }

            @Override
            public InputException invalid(String pointer, String problem)
            {
                return new InputException(InputException.Reason.INVALID, formatName, pointer.isEmpty() ? "/" : pointer, problem);
            }
        };
    }

    /** The field's value; empty when the field is absent or {@code null}. */
    public static Optional<JsonNode> value(JsonNode parent, String field)
    {
        JsonNode value = parent.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    /**
     * The value at the path of nested object fields below {@code root}; empty when a step
     * is absent or {@code null}. A step through something other than an object is a problem.
     */
    public Optional<JsonNode> at(JsonNode root, String... path)
    {
        JsonNode current = root;
        for (int i = 0; i < path.length; i++) {
            if (!current.isObject()) {
                throw wrongType(i == 0 ? "/" : pointer(Arrays.copyOf(path, i)), "an object", current);
            }
            current = current.get(path[i]);
            if (current == null || current.isNull()) {
                return Optional.empty();
            }
        }
        return Optional.of(current);
    }

    /** The string of the field, stripped; empty when the field is absent, {@code null} or blank. Only a JSON string is a string. */
    public Optional<String> text(JsonNode parent, String field, String pointer)
    {
        return value(parent, field).flatMap(value -> text(value, child(pointer, field)));
    }

    /** The string {@code value}, stripped; empty when blank. Only a JSON string is a string. */
    public Optional<String> text(JsonNode value, String pointer)
    {
        if (!value.isTextual()) {
            throw wrongType(pointer, "a string", value);
        }
        String text = value.textValue().strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** As {@link #text(JsonNode, String, String)}, and absent is {@code "missing; expected a non-empty string"}. */
    public String requiredText(JsonNode parent, String field, String pointer)
    {
        return text(parent, field, pointer)
                .orElseThrow(() -> invalid(child(pointer, field), "missing; expected a non-empty string"));
    }

    /**
     * The field's text as written, when it is any scalar (a number or a boolean reads as
     * its JSON text, as tools that write SBOMs are loose with types); empty when the field
     * is absent, {@code null} or the empty string.
     */
    public Optional<String> scalar(JsonNode parent, String field, String pointer)
    {
        return value(parent, field).flatMap(value -> scalar(value, child(pointer, field)));
    }

    /** As {@link #scalar(JsonNode, String, String)} for a value itself, such as an array element. */
    public Optional<String> scalar(JsonNode value, String pointer)
    {
        if (value.isNull()) {
            return Optional.empty();
        }
        if (!value.isValueNode()) {
            throw wrongType(pointer, "a string", value);
        }
        String text = value.asText();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** As {@link #scalar(JsonNode, String, String)}, and absent or blank is a problem naming {@code what} was expected. */
    public String requiredScalar(JsonNode parent, String field, String pointer, String what)
    {
        Optional<String> text = scalar(parent, field, pointer).filter(value -> !value.isBlank());
        if (text.isEmpty()) {
            throw invalid(child(pointer, field), "expected " + what + " (a non-empty string), found " + problems.describe(parent.path(field)));
        }
        return text.get();
    }

    /** The object of the field; empty when the field is absent or {@code null}. */
    public Optional<JsonNode> object(JsonNode parent, String field, String pointer)
    {
        return value(parent, field).map(value -> requireObject(value, child(pointer, field)));
    }

    /** The elements of the array of the field; empty when the field is absent or {@code null}. */
    public List<JsonNode> array(JsonNode parent, String field, String pointer)
    {
        return value(parent, field).map(value -> elements(value, child(pointer, field))).orElse(List.of());
    }

    /** The elements of the array {@code value}. */
    public List<JsonNode> elements(JsonNode value, String pointer)
    {
        if (!value.isArray()) {
            throw wrongType(pointer, "an array", value);
        }
        List<JsonNode> elements = new ArrayList<>(value.size());
        value.forEach(elements::add);
        return elements;
    }

    /** The strings of the array of the field, stripped; {@code null} and blank elements dropped. */
    public List<String> texts(JsonNode parent, String field, String pointer)
    {
        List<String> texts = new ArrayList<>();
        List<JsonNode> elements = array(parent, field, pointer);
        for (int i = 0; i < elements.size(); i++) {
            JsonNode element = elements.get(i);
            if (!element.isNull()) {
                text(element, child(pointer, field) + "/" + i).ifPresent(texts::add);
            }
        }
        return texts;
    }

    /** The number of the field; empty when the field is absent or {@code null}. */
    public OptionalDouble number(JsonNode parent, String field, String pointer)
    {
        Optional<JsonNode> value = value(parent, field);
        if (value.isEmpty()) {
            return OptionalDouble.empty();
        }
        if (!value.get().isNumber()) {
            throw wrongType(child(pointer, field), "a number", value.get());
        }
        return OptionalDouble.of(value.get().doubleValue());
    }

    /** The number of the field, which must lie in {@code [min, max]}; empty when absent or {@code null}. */
    public OptionalDouble number(JsonNode parent, String field, String pointer, double min, double max)
    {
        OptionalDouble value = number(parent, field, pointer);
        if (value.isPresent() && (!(value.getAsDouble() >= min) || !(value.getAsDouble() <= max))) {
            throw invalid(child(pointer, field), "expected a number from " + format(min) + " to " + format(max) + ", found " + value.getAsDouble());
        }
        return value;
    }

    /** Requires {@code node} to be an object. */
    public JsonNode requireObject(JsonNode node, String pointer)
    {
        return requireObject(node, pointer, "an object");
    }

    /** Requires {@code node} to be an object, described to the user as {@code what} ("a package object"). */
    public JsonNode requireObject(JsonNode node, String pointer, String what)
    {
        if (!node.isObject()) {
            throw wrongType(pointer, what, node);
        }
        return node;
    }

    /** The problem that the value at {@code pointer} is {@code found} where {@code expected} ("a string") was expected. */
    public E wrongType(String pointer, String expected, JsonNode found)
    {
        return problems.wrongType(pointer, expected, found);
    }

    /** Any other problem with the value at {@code pointer}, worded as {@code problem}. */
    public E invalid(String pointer, String problem)
    {
        return problems.invalid(pointer, problem);
    }

    /** The pointer of {@code field} inside the value at {@code pointer}, escaped per RFC 6901. */
    public static String child(String pointer, String field)
    {
        return (pointer.equals("/") ? "" : pointer) + "/" + escape(field);
    }

    /** The pointer of the path of nested fields below the document. */
    public static String pointer(String... path)
    {
        StringBuilder out = new StringBuilder();
        for (String step : path) {
            out.append('/').append(escape(step));
        }
        return out.toString();
    }

    private static String escape(String field)
    {
        if (field.indexOf('~') < 0 && field.indexOf('/') < 0) {
            return field;
        }
        return field.replace("~", "~0").replace("/", "~1");
    }

    private static String format(double value)
    {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    /** How a reader words the problems of its fields, and what it throws for them. */
    public interface Problems<E extends RuntimeException>
    {
        /** The found value in words: {@code a string}, {@code null}, ... */
        String describe(JsonNode found);

        /** The problem {@code problem} ("missing; expected a non-empty string") with the value at {@code pointer}. */
        E invalid(String pointer, String problem);

        /** By default {@code expected <expected>, found <found>}. */
        default E wrongType(String pointer, String expected, JsonNode found)
        {
            return invalid(pointer, "expected " + expected + ", found " + describe(found));
        }
    }
}
