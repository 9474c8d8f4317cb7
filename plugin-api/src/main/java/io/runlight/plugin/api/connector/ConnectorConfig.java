package io.runlight.plugin.api.connector;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * An integration's configuration after the hub validated it: every declared property
 * that has a value or a default is present, converted to the Java type of its
 * {@link ConfigType}. Secret values are present here in clear (the connector needs
 * them); the hub never shows them elsewhere.
 *
 * @param values property name to value
 */
public record ConnectorConfig(Map<String, Object> values)
{
    public ConnectorConfig
    {
        requireNonNull(values, "values is null");
        TreeMap<String, Object> copy = new TreeMap<>();
        values.forEach((key, value) -> copy.put(requireNonNull(key, "key is null"), requireNonNull(value, "value of '" + key + "' is null")));
        values = Collections.unmodifiableMap(copy);
    }

    /** Whether the property has a value (given or default). */
    public boolean has(String name)
    {
        return values.containsKey(name);
    }

    /** A string property. */
    public Optional<String> string(String name)
    {
        return typed(name, String.class);
    }

    /** A boolean property. */
    public Optional<Boolean> bool(String name)
    {
        return typed(name, Boolean.class);
    }

    /** An integer property. */
    public Optional<Long> integer(String name)
    {
        return typed(name, Long.class);
    }

    /** A duration property. */
    public Optional<Duration> duration(String name)
    {
        return typed(name, Duration.class);
    }

    /** A URL property. */
    public Optional<URI> url(String name)
    {
        return typed(name, URI.class);
    }

    /** A list property; empty list when absent. */
    @SuppressWarnings("unchecked")
    public List<String> list(String name)
    {
        return typed(name, List.class).map(value -> (List<String>) value).orElse(List.of());
    }

    /** A map property; empty map when absent. */
    @SuppressWarnings("unchecked")
    public Map<String, String> map(String name)
    {
        return typed(name, Map.class).map(value -> (Map<String, String>) value).orElse(Map.of());
    }

    /**
     * The value of a property that the factory declared required or gave a default.
     *
     * @throws IllegalStateException if it has no value, which means the declaration and the code disagree
     */
    public <T> T require(String name, Class<T> type)
    {
        return typed(name, type).orElseThrow(() -> new IllegalStateException("configuration property '" + name + "' has no value"));
    }

    private <T> Optional<T> typed(String name, Class<T> type)
    {
        Object value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!type.isInstance(value)) {
            throw new IllegalStateException("configuration property '" + name + "' is a " + value.getClass().getSimpleName() + ", not a " + type.getSimpleName());
        }
        return Optional.of(type.cast(value));
    }
}
