package io.runlight.hub.integration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.hub.store.JsonCodec;
import io.runlight.hub.store.MapRecovery;
import io.runlight.hub.store.ReadMostlyMaps;

import static java.util.Objects.requireNonNull;

/**
 * The integrations as stored: the {@value IntegrationService#INTEGRATIONS_MAP} map of
 * {@link IntegrationRecord} JSON, changed with compare-and-set so that members never
 * overwrite each other's changes. Secret values are stored sealed ({@link SecretSealer});
 * a record stored before secrets were sealed is read as it is and sealed when it is next
 * read. A record this hub cannot read is skipped with a warning.
 */
final class IntegrationRecords
{
    /** Successes are written to the record at most this often (a busy integration would otherwise write on every delivery). */
    static final java.time.Duration SUCCESS_WRITE_INTERVAL = java.time.Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(IntegrationRecords.class);
    private static final JsonCodec<IntegrationRecord> CODEC = JsonCodec.of(IntegrationRecord.class);

    private final HazelcastInstance hazelcast;
    private final IMap<String, String> integrations;
    private final SecretSealer sealer;
    // the record last read of each integration with the text it was read from: the near cache hands out the same
    // text while the record is unchanged, and a served request would otherwise parse it and open its secrets each time
    private final Map<String, Read> lastRead = new ConcurrentHashMap<>();

    private record Read(String json, IntegrationRecord record) {}

    IntegrationRecords(HazelcastInstance hazelcast, SecretSealer sealer)
    {
        this.hazelcast = requireNonNull(hazelcast, "hazelcast is null");
        this.integrations = hazelcast.getMap(IntegrationService.INTEGRATIONS_MAP);
        this.sealer = requireNonNull(sealer, "sealer is null");
    }

    Optional<IntegrationRecord> get(String id)
    {
        return record(id);
    }

    /**
     * The record if this member holds it in memory (its near cache) now, without waiting for the
     * cluster; empty if it would have to wait, if there is none, or if it must be written back
     * first (secrets stored in plaintext by an earlier version). Never blocks.
     */
    Optional<IntegrationRecord> getAtHand(String id)
    {
        CompletableFuture<String> call = ReadMostlyMaps.getAsync(integrations, id).toCompletableFuture();
        if (!call.isDone() || call.isCompletedExceptionally()) {
            return Optional.empty();
        }
        String json = call.getNow(null);
        if (json == null) {
            return Optional.empty();
        }
        Read read = lastRead.get(id);
        if (read != null && (read.json() == json || read.json().equals(json))) {
            return Optional.of(read.record());
        }
        return decodeStored(id, json).filter(decoded -> !decoded.plaintextSecrets()).map(decoded -> remember(id, json, decoded.record()));
    }

    /** Every integration; waits while integrations lost with other members are being put back (push targets need them all). */
    List<IntegrationRecord> all()
    {
        MapRecovery.awaitComplete(hazelcast);
        return records();
    }

    boolean exists(String id)
    {
        return integrations.containsKey(id);
    }

    void put(IntegrationRecord record)
    {
        integrations.set(record.id(), encode(record));
    }

    /** Removes the record; whether there was one. */
    boolean remove(String id)
    {
        lastRead.remove(id);
        return integrations.remove(id) != null;
    }

    /** Records a success, at most once per {@link #SUCCESS_WRITE_INTERVAL}, never going back in time. */
    void recordSuccess(String id, Instant at)
    {
        Optional<IntegrationRecord> current = record(id);
        if (current.isEmpty() || current.get().lastSuccessAt().map(last -> at.isBefore(last.plus(SUCCESS_WRITE_INTERVAL))).orElse(false)) {
            return;
        }
        mutate(id, record -> record.lastSuccessAt().map(last -> last.isBefore(at)).orElse(true) ? record.withSuccess(at) : record);
    }

    /** Records an error unless a later one is recorded already. */
    void recordError(String id, Instant at, String reason)
    {
        mutate(id, record -> record.lastErrorAt().map(last -> last.isAfter(at)).orElse(false) ? record : record.withError(at, reason));
    }

    /** Marks the integration FAILED with its reason (a paused one only records the error). */
    void markFailed(String id, Instant now, String reason)
    {
        mutate(id, record -> record.state() == IntegrationState.PAUSED ? record.withError(now, reason)
                : record.withState(IntegrationState.FAILED, Optional.of(reason)).withError(now, reason));
        log.warn("Integration '{}' failed: {}", id, reason);
    }

    private Optional<IntegrationRecord> record(String id)
    {
        return Optional.ofNullable(integrations.get(id)).flatMap(json -> read(id, json));
    }

    private List<IntegrationRecord> records()
    {
        List<IntegrationRecord> all = new ArrayList<>();
        for (Map.Entry<String, String> entry : integrations.entrySet()) {
            read(entry.getKey(), entry.getValue()).ifPresent(all::add);
        }
        return all;
    }

    /** Decodes a stored record and, when it still holds a plaintext secret, stores it sealed (unless it changed meanwhile). */
    private Optional<IntegrationRecord> read(String id, String json)
    {
        Read read = lastRead.get(id);
        if (read != null && (read.json() == json || read.json().equals(json))) {
            return Optional.of(read.record());
        }
        Optional<Decoded> decoded = decodeStored(id, json);
        if (decoded.isEmpty()) {
            return Optional.empty();
        }
        if (decoded.get().plaintextSecrets()) {
            if (integrations.replace(id, json, encode(decoded.get().record()))) {
                log.info("Integration '{}': its secrets, stored in plaintext by an earlier version, are now sealed", id);
            }
            return Optional.of(decoded.get().record());
        }
        return Optional.of(remember(id, json, decoded.get().record()));
    }

    private IntegrationRecord remember(String id, String json, IntegrationRecord record)
    {
        lastRead.put(id, new Read(json, record));
        return record;
    }

    private String encode(IntegrationRecord record)
    {
        Map<String, Object> sealed = new TreeMap<>(record.config());
        for (String key : record.secretKeys()) {
            sealed.computeIfPresent(key, (name, value) -> sealer.seal(record.id(), name, value));
        }
        return CODEC.encode(record.withConfig(sealed, record.secretKeys()));
    }

    private Optional<IntegrationRecord> decode(String id, String json)
    {
        return decodeStored(id, json).map(Decoded::record);
    }

    /** A stored record with its secrets opened, and whether any of them was stored in plaintext. */
    private record Decoded(IntegrationRecord record, boolean plaintextSecrets) {}

    private Optional<Decoded> decodeStored(String id, String json)
    {
        try {
            IntegrationRecord stored = CODEC.decode(json);
            Map<String, Object> opened = new TreeMap<>(stored.config());
            boolean plaintext = false;
            for (String key : stored.secretKeys()) {
                Object value = opened.get(key);
                if (SecretSealer.isSealed(value)) {
                    opened.put(key, sealer.open(stored.id(), key, (String) value));
                }
                else if (value != null) {
                    // stored by an earlier version: read as it is
                    plaintext = true;
                }
            }
            return Optional.of(new Decoded(stored.withConfig(opened, stored.secretKeys()), plaintext));
        }
        catch (IllegalArgumentException e) {
            // a record this hub did not write (or a newer, incompatible one, or sealed with another key): leave it alone rather than fail every listing
            log.warn("Integration '{}' cannot be read and is skipped: {}", id, e.getMessage());
            return Optional.empty();
        }
    }

    /** Applies a change to a stored record with compare-and-set, retrying on concurrent changes. Empty if the integration does not exist. */
    Optional<IntegrationRecord> mutate(String id, UnaryOperator<IntegrationRecord> change)
    {
        while (true) {
            String json = integrations.get(id);
            if (json == null) {
                return Optional.empty();
            }
            Optional<IntegrationRecord> current = decode(id, json);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            IntegrationRecord changed = change.apply(current.get());
            if (changed.equals(current.get())) {
                return current;
            }
            if (integrations.replace(id, json, encode(changed))) {
                return Optional.of(changed);
            }
        }
    }

}
