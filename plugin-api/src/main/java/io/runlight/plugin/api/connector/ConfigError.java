package io.runlight.plugin.api.connector;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;

/**
 * One problem with one configuration property. The hub reports all of them at once.
 *
 * @param property the key
 * @param message what is wrong, in one sentence
 */
public record ConfigError(String property, String message)
{
    public ConfigError
    {
        requireNonBlank(property, "property");
        requireNonBlank(message, "message");
    }

    /**
     * A problem with {@code property}. Build errors with this factory rather than the
     * constructor: a field added to this record in a later API keeps it compiling.
     */
    public static ConfigError of(String property, String message)
    {
        return new ConfigError(property, message);
    }
}
