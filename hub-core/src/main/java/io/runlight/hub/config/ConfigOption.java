package io.runlight.hub.config;

import java.util.Locale;
import java.util.Optional;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * One setting of the hub: its key in the YAML file ({@code http.port}), the environment
 * variable that overrides it ({@code RUNLIGHT_HTTP_PORT}), its type, default and a
 * sentence for the docs. The configuration reference in the docs is generated from
 * these definitions.
 *
 * @param key dotted key as written in runlight.yaml
 * @param type the value type
 * @param defaultValue the default in string form; empty when there is none
 * @param secret whether the value is masked in logs and messages
 * @param description one sentence for the configuration reference
 */
public record ConfigOption(String key, OptionType type, Optional<String> defaultValue, boolean secret, String description)
{
    /** Value types of hub settings. */
    public enum OptionType
    {
        STRING, INTEGER, DECIMAL, BOOLEAN, DURATION, BYTES, PATH, LIST
    }

    public ConfigOption
    {
        requireNonBlank(key, "key");
        requireNonNull(type, "type is null");
        requireNonNull(defaultValue, "defaultValue is null");
        requireNonBlank(description, "description");
    }

    static ConfigOption option(String key, OptionType type, String defaultValue, String description)
    {
        return new ConfigOption(key, type, Optional.ofNullable(defaultValue), false, description);
    }

    static ConfigOption secret(String key, String description)
    {
        return new ConfigOption(key, OptionType.STRING, Optional.empty(), true, description);
    }

    /** The environment variable: {@code RUNLIGHT_} and the key upper-cased, dots and dashes as underscores. */
    public String environmentVariable()
    {
        return "RUNLIGHT_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
