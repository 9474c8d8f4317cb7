package io.runlight.hub.store;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The few SQL differences between the embedded H2 file and PostgreSQL: column types
 * and the upsert statement (H2 {@code MERGE ... KEY}, PostgreSQL {@code ON CONFLICT}).
 */
enum SqlDialect
{
    H2("CHARACTER LARGE OBJECT", "BINARY LARGE OBJECT"),
    POSTGRESQL("TEXT", "BYTEA");

    private final String textType;
    private final String binaryType;

    SqlDialect(String textType, String binaryType)
    {
        this.textType = textType;
        this.binaryType = binaryType;
    }

    /** Column type for a JSON document of any length. */
    String textType()
    {
        return textType;
    }

    /** Column type for a large binary document. */
    String binaryType()
    {
        return binaryType;
    }

    /**
     * An insert-or-replace of one row, keyed by {@code keyColumn}; every column is a
     * parameter, in the order given, then {@code timestampColumn} is set to the current time.
     */
    String upsert(String table, String keyColumn, List<String> columns, String timestampColumn)
    {
        String columnList = String.join(", ", columns) + ", " + timestampColumn;
        String parameters = columns.stream().map(column -> "?").collect(Collectors.joining(", ")) + ", CURRENT_TIMESTAMP";
        return switch (this) {
            case H2 -> "MERGE INTO " + table + " (" + columnList + ") KEY (" + keyColumn + ") VALUES (" + parameters + ")";
            case POSTGRESQL -> "INSERT INTO " + table + " (" + columnList + ") VALUES (" + parameters + ")"
                    + " ON CONFLICT (" + keyColumn + ") DO UPDATE SET "
                    + columns.stream()
                            .filter(column -> !column.equals(keyColumn))
                            .map(column -> column + " = EXCLUDED." + column)
                            .collect(Collectors.joining(", "))
                    + ", " + timestampColumn + " = EXCLUDED." + timestampColumn;
        };
    }
}
