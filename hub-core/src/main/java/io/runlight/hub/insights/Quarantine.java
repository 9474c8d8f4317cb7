package io.runlight.hub.insights;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.hub.store.HubStore;
import io.runlight.hub.store.JsonCodec;

import static java.util.Objects.requireNonNull;

/**
 * Where stored values that cannot be decoded go. One unreadable record must never block
 * its image (every later write or computation would fail on it again), and must not be
 * silently dropped either: it is copied to map {@link HubMaps#QUARANTINE} under
 * {@code <map>/<key>/<time>} and logged once at ERROR, and the caller goes on without it.
 */
public final class Quarantine
{
    private static final Logger log = LoggerFactory.getLogger(Quarantine.class);
    private static final JsonCodec<QuarantinedRecord> CODEC = JsonCodec.of(QuarantinedRecord.class);

    private final HubStore store;
    private final Clock clock;

    public Quarantine(HubStore store, Clock clock)
    {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Keeps {@code value} of {@code map}/{@code key}, which could not be read because of {@code failure}. */
    public void put(String map, String key, String value, RuntimeException failure)
    {
        QuarantinedRecord record = new QuarantinedRecord(map, key, value, String.valueOf(failure.getMessage()), clock.instant());
        store.map(HubMaps.QUARANTINE).set(map + "/" + key + "/" + record.quarantinedAt(), CODEC.encode(record));
        log.error("Moved the unreadable value of '{}' in map '{}' to map '{}'; the image goes on without it", key, map, HubMaps.QUARANTINE, failure);
    }
}
