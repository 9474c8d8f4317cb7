package io.runlight.hub.token;

import java.util.Locale;

/**
 * What an opaque token opens: one integration's serve routes, or the ingest endpoints.
 */
public enum TokenScope
{
    INTEGRATION,
    INGEST;

    /** The lowercase name used on the wire ({@code integration}, {@code ingest}). */
    public String wireName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code integration} or {@code ingest}, in any case. */
    public static TokenScope fromWireName(String value)
    {
        if (value != null) {
            for (TokenScope scope : values()) {
                if (scope.name().equalsIgnoreCase(value)) {
                    return scope;
                }
            }
        }
        throw new IllegalArgumentException("token scope '" + value + "' is not supported: use 'integration' or 'ingest'");
    }
}
