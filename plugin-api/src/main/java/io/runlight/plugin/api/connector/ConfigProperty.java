package io.runlight.plugin.api.connector;

import java.util.Optional;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * A configuration property a connector declares. The hub validates every
 * integration's configuration against these before the connector sees it, rejects
 * unknown keys, and masks secret values in every response and log line.
 *
 * @param name the key, for example {@code upstreamUrl}
 * @param type the value type
 * @param defaultValue the default, in the string form the type accepts; empty for none
 * @param required whether a value must be given (a property with a default is never required)
 * @param secret whether the value must never be shown again once set
 * @param description one sentence for the console and the docs
 */
public record ConfigProperty(String name, ConfigType type, Optional<String> defaultValue, boolean required, boolean secret, String description)
{
    public ConfigProperty
    {
        requireNonBlank(name, "name");
        requireNonNull(type, "type is null");
        requireNonNull(defaultValue, "defaultValue is null");
        requireNonNull(description, "description is null");
        if (required && defaultValue.isPresent()) {
            throw new IllegalArgumentException("property '" + name + "' is required and has a default: choose one");
        }
    }

    /** A required property without default. */
    public static ConfigProperty required(String name, ConfigType type, String description)
    {
        return new ConfigProperty(name, type, Optional.empty(), true, false, description);
    }

    /** An optional property with a default. */
    public static ConfigProperty optional(String name, ConfigType type, String defaultValue, String description)
    {
        return new ConfigProperty(name, type, Optional.of(defaultValue), false, false, description);
    }

    /** An optional property without a default. */
    public static ConfigProperty optional(String name, ConfigType type, String description)
    {
        return new ConfigProperty(name, type, Optional.empty(), false, false, description);
    }

    /** A copy marked secret. */
    public ConfigProperty asSecret()
    {
        return new ConfigProperty(name, type, defaultValue, required, true, description);
    }
}
