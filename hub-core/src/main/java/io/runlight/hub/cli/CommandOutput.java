package io.runlight.hub.cli;

import java.io.PrintWriter;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static java.util.Objects.requireNonNull;

/**
 * Prints a command's result on stdout in the chosen {@link OutputFormat}: the hub's JSON as
 * it came (pretty-printed), or a table made for people.
 */
final class CommandOutput
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintWriter out;
    private final OutputFormat format;

    CommandOutput(PrintWriter out, OutputFormat format)
    {
        this.out = requireNonNull(out, "out is null");
        this.format = requireNonNull(format, "format is null");
    }

    boolean isJson()
    {
        return format == OutputFormat.JSON;
    }

    /** {@code answer} as JSON, or the table {@code table} makes of it. */
    void print(JsonNode answer, Supplier<TextTable> table)
    {
        if (isJson()) {
            json(answer);
        }
        else {
            table.get().print(out);
            out.flush();
        }
    }

    /** A listing as JSON, or a line saying it is empty, or the table {@code table} makes of it. */
    void printList(JsonNode items, String whenEmpty, Supplier<TextTable> table)
    {
        if (!isJson() && items.isEmpty()) {
            message(whenEmpty);
            return;
        }
        print(items, table);
    }

    /** A line of text in table mode; nothing in JSON mode, where stdout holds JSON only. */
    void message(String line)
    {
        if (!isJson()) {
            out.println(line);
            out.flush();
        }
    }

    void json(JsonNode value)
    {
        try {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
        out.flush();
    }
}
