package io.runlight.hub.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Aligned columns for a terminal: every column as wide as its widest cell, two spaces
 * between columns, no trailing blanks. A table without headers prints field lists
 * ({@code name:  value}).
 */
final class TextTable
{
    /** What an absent value prints as. */
    static final String NONE = "-";

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    private TextTable(List<String> headers)
    {
        this.headers = List.copyOf(headers);
    }

    /** A table with a header row. */
    static TextTable withHeaders(String... headers)
    {
        return new TextTable(Arrays.asList(headers));
    }

    /** A two-column list of {@code field:} and value, for one object. */
    static TextTable fields()
    {
        return new TextTable(List.of());
    }

    TextTable row(String... cells)
    {
        if (!headers.isEmpty() && cells.length != headers.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells for " + headers.size() + " columns");
        }
        rows.add(List.of(cells));
        return this;
    }

    /** A field of a field list. */
    TextTable field(String name, String value)
    {
        return row(name + ":", value);
    }

    boolean isEmpty()
    {
        return rows.isEmpty();
    }

    void print(PrintWriter out)
    {
        List<List<String>> lines = new ArrayList<>();
        if (!headers.isEmpty()) {
            lines.add(headers);
        }
        lines.addAll(rows);
        int columns = lines.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> line : lines) {
            for (int column = 0; column < line.size(); column++) {
                widths[column] = Math.max(widths[column], line.get(column).length());
            }
        }
        for (List<String> line : lines) {
            StringBuilder text = new StringBuilder();
            for (int column = 0; column < line.size(); column++) {
                String cell = line.get(column);
                text.append(cell);
                if (column < line.size() - 1) {
                    text.append(" ".repeat(widths[column] - cell.length() + 2));
                }
            }
            out.println(text.toString().stripTrailing());
        }
    }

    /** A JSON value as a cell: text as is, numbers and booleans as written, absent or null as {@link #NONE}. */
    static String cell(JsonNode value)
    {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return NONE;
        }
        if (value.isContainerNode()) {
            return value.toString();
        }
        String text = value.asText();
        return text.isEmpty() ? NONE : text.replaceAll("\\s+", " ");
    }

    /** An ISO-8601 instant as a cell, to the second (the hub may keep sub-second digits). */
    static String time(JsonNode value)
    {
        String text = cell(value);
        if (text.equals(NONE)) {
            return text;
        }
        try {
            return Instant.parse(text).truncatedTo(ChronoUnit.SECONDS).toString();
        }
        catch (DateTimeParseException e) {
            // not an instant after all: show what the hub sent
            return text;
        }
    }
}
