package io.runlight.plugin.api.connector;

/**
 * The type of a configuration property and the Java type its value has in
 * {@link ConnectorConfig}.
 */
public enum ConfigType
{
    /** {@link String}. */
    STRING,
    /** {@link Boolean}; JSON true/false or the strings "true"/"false". */
    BOOLEAN,
    /** {@link Long}. */
    INTEGER,
    /** {@link java.time.Duration}; ISO-8601 ({@code PT30M}) or short ({@code 30m}). */
    DURATION,
    /** {@link java.net.URI}, absolute, http or https. */
    URL,
    /** {@code List<String>}; a JSON array or a comma-separated string. */
    LIST,
    /** {@code Map<String, String>}; a JSON object. */
    MAP
}
