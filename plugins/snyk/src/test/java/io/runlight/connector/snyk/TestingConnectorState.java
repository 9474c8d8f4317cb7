package io.runlight.connector.snyk;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.runlight.plugin.api.connector.ConnectorState;

import static java.util.Objects.requireNonNull;

/**
 * An in-memory {@link ConnectorState} backed by a sorted map.
 */
final class TestingConnectorState
        implements ConnectorState
{
    private final TreeMap<String, String> entries = new TreeMap<>();

    @Override
    public synchronized Optional<String> get(String key)
    {
        return Optional.ofNullable(entries.get(requireNonNull(key, "key is null")));
    }

    @Override
    public synchronized void put(String key, String value)
    {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        if (key.length() > 256 || value.length() > 64 * 1024) {
            throw new IllegalArgumentException("state entry '" + key + "' is too large");
        }
        entries.put(key, value);
    }

    @Override
    public synchronized void remove(String key)
    {
        entries.remove(requireNonNull(key, "key is null"));
    }

    @Override
    public synchronized Map<String, String> entries(String prefix)
    {
        TreeMap<String, String> result = new TreeMap<>();
        entries.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                result.put(key, value);
            }
        });
        return result;
    }
}
