package io.runlight.hub.insights;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * A stored value the hub could not read, moved aside so that its image goes on without
 * it; kept (durably, in map {@link HubMaps#QUARANTINE}) for a person to inspect.
 *
 * @param map the map the value was in
 * @param key its key there
 * @param value the value as it was stored
 * @param reason why it could not be read
 * @param quarantinedAt when it was moved aside
 */
public record QuarantinedRecord(String map, String key, String value, String reason, Instant quarantinedAt)
{
    public QuarantinedRecord
    {
        requireNonNull(map, "map is null");
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(quarantinedAt, "quarantinedAt is null");
    }
}
