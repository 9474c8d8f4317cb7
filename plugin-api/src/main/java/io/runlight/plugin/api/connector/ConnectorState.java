package io.runlight.plugin.api.connector;

import java.util.Map;
import java.util.Optional;

/**
 * A durable key-value store private to one integration, kept by the hub across
 * restarts and cluster members. Meant for small values (ids, cursors), not documents:
 * the hub rejects keys over 256 and values over 64 KiB characters.
 */
public interface ConnectorState
{
    /** The value for a key. */
    Optional<String> get(String key);

    /** Sets a value. */
    void put(String key, String value);

    /** Removes a key; nothing happens if it is absent. */
    void remove(String key);

    /** Every entry whose key starts with the prefix, sorted by key. */
    Map<String, String> entries(String prefix);
}
