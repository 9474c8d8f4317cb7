package io.runlight.hub.integration;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * One integration's {@link io.runlight.plugin.api.connector.ConnectorState}: the entries of
 * the durable map {@value IntegrationService#CONNECTOR_STATE_MAP} whose keys are
 * {@code <integrationId>|<key>}, so it survives restarts and is shared by every member.
 * Connectors call it on plugin threads, never on an event loop, so the synchronous map
 * calls are fine.
 */
final class MapConnectorState
        implements io.runlight.plugin.api.connector.ConnectorState
{
    /** Longest key, in characters. */
    static final int MAX_KEY_LENGTH = 256;
    /** Longest value, in characters (64 Ki). */
    static final int MAX_VALUE_LENGTH = 64 * 1024;
    static final char SEPARATOR = '|';

    private final IMap<String, String> map;
    private final String integrationId;
    private final String prefix;

    MapConnectorState(IMap<String, String> map, String integrationId)
    {
        this.map = requireNonNull(map, "map is null");
        this.integrationId = requireNonBlank(integrationId, "integrationId");
        this.prefix = integrationId + SEPARATOR;
    }

    @Override
    public Optional<String> get(String key)
    {
        return Optional.ofNullable(map.get(mapKey(key)));
    }

    @Override
    public void put(String key, String value)
    {
        requireNonNull(value, "value is null");
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("the value for state key '" + key + "' of integration '" + integrationId + "' has " + value.length()
                    + " characters; the hub keeps at most " + MAX_VALUE_LENGTH + ": store an id, not a document");
        }
        map.set(mapKey(key), value);
    }

    @Override
    public void remove(String key)
    {
        map.delete(mapKey(key));
    }

    @Override
    public Map<String, String> entries(String keyPrefix)
    {
        requireNonNull(keyPrefix, "keyPrefix is null");
        TreeMap<String, String> entries = new TreeMap<>();
        for (Map.Entry<String, String> entry : map.entrySet(new KeyPrefix(prefix + keyPrefix))) {
            entries.put(entry.getKey().substring(prefix.length()), entry.getValue());
        }
        return entries;
    }

    /** Removes every entry of the integration (it was deleted). */
    static void removeAll(IMap<String, String> map, String integrationId)
    {
        map.removeAll(new KeyPrefix(integrationId + SEPARATOR));
    }

    private String mapKey(String key)
    {
        requireNonNull(key, "key is null");
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("state key of integration '" + integrationId + "' must have 1 to " + MAX_KEY_LENGTH + " characters, not " + key.length());
        }
        return prefix + key;
    }

    /** Entries whose key starts with a prefix; runs on the members that own the entries. */
    private record KeyPrefix(String prefix)
            implements Predicate<String, String>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean apply(Map.Entry<String, String> entry)
        {
            return entry.getKey().startsWith(prefix);
        }
    }
}
