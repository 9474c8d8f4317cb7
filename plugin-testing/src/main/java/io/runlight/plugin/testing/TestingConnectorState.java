package io.runlight.plugin.testing;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.runlight.plugin.api.connector.ConnectorState;

import static java.util.Objects.requireNonNull;

/**
 * A {@link ConnectorState} in a sorted map, with the hub's limits: keys of 1 to 256
 * characters, values of at most 64 Ki characters. A test reads it back with
 * {@link #entries(String) entries("")}.
 */
public final class TestingConnectorState
        implements ConnectorState
{
    /** Longest key the hub keeps, in characters. */
    public static final int MAX_KEY_LENGTH = 256;
    /** Longest value the hub keeps, in characters. */
    public static final int MAX_VALUE_LENGTH = 64 * 1024;

    private final TreeMap<String, String> values = new TreeMap<>();

    @Override
    public synchronized Optional<String> get(String key)
    {
        return Optional.ofNullable(values.get(checkKey(key)));
    }

    @Override
    public synchronized void put(String key, String value)
    {
        requireNonNull(value, "value is null");
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("the value for state key '" + key + "' has " + value.length()
                    + " characters; the hub keeps at most " + MAX_VALUE_LENGTH + ": store an id, not a document");
        }
        values.put(checkKey(key), value);
    }

    @Override
    public synchronized void remove(String key)
    {
        values.remove(checkKey(key));
    }

    @Override
    public synchronized Map<String, String> entries(String prefix)
    {
        requireNonNull(prefix, "prefix is null");
        TreeMap<String, String> matching = new TreeMap<>();
        for (Map.Entry<String, String> entry : values.tailMap(prefix, true).entrySet()) {
            if (!entry.getKey().startsWith(prefix)) {
                break;
            }
            matching.put(entry.getKey(), entry.getValue());
        }
        return Collections.unmodifiableMap(matching);
    }

    private static String checkKey(String key)
    {
        requireNonNull(key, "key is null");
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("state key must have 1 to " + MAX_KEY_LENGTH + " characters, not " + key.length());
        }
        return key;
    }
}
