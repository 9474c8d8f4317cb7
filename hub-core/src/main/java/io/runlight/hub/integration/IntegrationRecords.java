package io.runlight.hub.integration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import com.hazelcast.map.IMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.hub.store.JsonCodec;

import static java.util.Objects.requireNonNull;

/**
 * The integrations as stored: the {@value IntegrationService#INTEGRATIONS_MAP} map of
 * {@link IntegrationRecord} JSON, changed with compare-and-set so that members never
 * overwrite each other's changes. A record this hub cannot read is skipped with a warning.
 */
final class IntegrationRecords
{
    /** Successes are written to the record at most this often (a busy integration would otherwise write on every delivery). */
    static final java.time.Duration SUCCESS_WRITE_INTERVAL = java.time.Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(IntegrationRecords.class);
    private static final JsonCodec<IntegrationRecord> CODEC = JsonCodec.of(IntegrationRecord.class);

    private final IMap<String, String> integrations;

    IntegrationRecords(IMap<String, String> integrations)
    {
        this.integrations = requireNonNull(integrations, "integrations is null");
    }

    Optional<IntegrationRecord> get(String id)
    {
        return record(id);
    }

    List<IntegrationRecord> all()
    {
        return records();
    }

    boolean exists(String id)
    {
        return integrations.containsKey(id);
    }

    void put(IntegrationRecord record)
    {
        integrations.set(record.id(), CODEC.encode(record));
    }

    /** Removes the record; whether there was one. */
    boolean remove(String id)
    {
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
        return Optional.ofNullable(integrations.get(id)).flatMap(json -> decode(id, json));
    }

    private List<IntegrationRecord> records()
    {
        List<IntegrationRecord> all = new ArrayList<>();
        for (Map.Entry<String, String> entry : integrations.entrySet()) {
            decode(entry.getKey(), entry.getValue()).ifPresent(all::add);
        }
        return all;
    }

    private static Optional<IntegrationRecord> decode(String id, String json)
    {
        try {
            return Optional.of(CODEC.decode(json));
        }
        catch (IllegalArgumentException e) {
            // a record this hub did not write (or a newer, incompatible one): leave it alone rather than fail every listing
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
            if (integrations.replace(id, json, CODEC.encode(changed))) {
                return Optional.of(changed);
            }
        }
    }

}
