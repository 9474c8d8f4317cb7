package io.runlight.hub.delivery;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.hub.store.HubStore;
import io.runlight.hub.store.MapRecovery;
import io.runlight.hub.store.JsonCodec;
import io.runlight.plugin.api.connector.PushMessage;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * The durable outbox: every message a connector translated, written through to the
 * database (the {@value #MAP} map must be one of the store's durable maps) before
 * anything is sent, so every push survives a restart or a {@code kill -9}.
 *
 * <p><b>Superseding.</b> A message's key says what it is about (an image, an image in a
 * namespace). When a new message is written for the same integration and key while an
 * older one is still pending and has never been attempted, the older one is removed: the
 * receiver only needs the newest state. A message that was attempted at least once, or
 * is being sent right now, is never superseded (the receiver may already have seen its
 * idempotency key). The index of the newest delivery per key is the map
 * {@value #LATEST_MAP}, which is not durable: after a full restart of the cluster,
 * messages written before it are not superseded by messages written after it; both are
 * sent.
 *
 * <p>Every method blocks on map calls: call from a worker, never an event loop.
 */
public final class Outbox
{
    /** The durable map of deliveries: id → {@link Delivery} JSON. */
    public static final String MAP = "outbox";
    /** Integration and message key → id of the newest delivery written for them (not durable). */
    public static final String LATEST_MAP = "outbox_latest";

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    private static final JsonCodec<Delivery> CODEC = JsonCodec.of(Delivery.class);
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int ID_LENGTH = 26;

    private final HazelcastInstance hazelcast;
    private final IMap<String, String> deliveries;
    private final IMap<String, String> latest;
    private final Clock clock;
    private final SecureRandom random;
    private final List<Runnable> writeListeners = new CopyOnWriteArrayList<>();

    public Outbox(HubStore store, Clock clock, SecureRandom random)
    {
        requireNonNull(store, "store is null");
        if (!store.isDurable(MAP)) {
            throw new IllegalArgumentException("map '" + MAP + "' is not durable: add it to the store's durable maps so the outbox survives a restart");
        }
        this.hazelcast = store.hazelcast();
        this.deliveries = store.map(MAP);
        this.latest = store.map(LATEST_MAP);
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
    }

    /** Runs {@code listener} after every write of new or re-queued deliveries (the relay wakes up). */
    public void addWriteListener(Runnable listener)
    {
        writeListeners.add(requireNonNull(listener, "listener is null"));
    }

    /**
     * Writes a new pending delivery of {@code message} to {@code integrationId}; it is in
     * the database when this returns. Supersedes the previous unsent message with the
     * same key, if any.
     */
    public Delivery enqueue(String integrationId, PushMessage message)
    {
        requireNonBlank(integrationId, "integrationId");
        requireNonNull(message, "message is null");
        Delivery delivery = Delivery.pending(newId(), integrationId, message, clock.instant());
        deliveries.set(delivery.id(), CODEC.encode(delivery));
        String previous = latest.put(delivery.supersedeKey(), delivery.id());
        if (previous != null && !previous.equals(delivery.id())) {
            supersede(previous);
        }
        notifyWriteListeners();
        return delivery;
    }

    private void supersede(String previousId)
    {
        // the relay holds this lock while it sends: a message being sent is never superseded
        if (!deliveries.tryLock(previousId)) {
            return;
        }
        try {
            Optional<Delivery> previous = get(previousId);
            if (previous.isPresent() && previous.get().state() == DeliveryState.PENDING && previous.get().attempts() == 0) {
                deliveries.delete(previousId);
                log.debug("Delivery '{}' of integration '{}' superseded by a newer message with the same key", previousId, previous.get().integrationId());
            }
        }
        finally {
            deliveries.unlock(previousId);
        }
    }

    /** The delivery {@code id}, if it is in the outbox. */
    public Optional<Delivery> get(String id)
    {
        requireNonNull(id, "id is null");
        String json = deliveries.get(id);
        return json == null ? Optional.empty() : Optional.of(CODEC.decode(json));
    }

    /** The deliveries of an integration that match {@code filter}, oldest first. Reads the whole outbox. */
    public List<Delivery> list(String integrationId, DeliveryFilter filter)
    {
        requireNonNull(integrationId, "integrationId is null");
        requireNonNull(filter, "filter is null");
        MapRecovery.awaitComplete(hazelcast);
        List<Delivery> matching = new ArrayList<>();
        for (String json : deliveries.values()) {
            Delivery delivery = CODEC.decode(json);
            if (delivery.integrationId().equals(integrationId) && filter.matches(delivery)) {
                matching.add(delivery);
            }
        }
        matching.sort(Comparator.comparing(Delivery::createdAt).thenComparing(Delivery::id));
        return List.copyOf(matching);
    }

    /** How many deliveries of an integration are pending and dead, with its circuit state. Reads the whole outbox. */
    DeliveryCounts counts(String integrationId, String circuitState)
    {
        requireNonNull(integrationId, "integrationId is null");
        MapRecovery.awaitComplete(hazelcast);
        long pending = 0;
        long dead = 0;
        for (String json : deliveries.values()) {
            Delivery delivery = CODEC.decode(json);
            if (delivery.integrationId().equals(integrationId)) {
                if (delivery.state() == DeliveryState.PENDING) {
                    pending++;
                }
                else {
                    dead++;
                }
            }
        }
        return new DeliveryCounts(pending, dead, circuitState);
    }

    /**
     * Queues a dead letter again: pending, due now, attempts reset, the same id (so the
     * receiver can still de-duplicate it).
     *
     * @return the re-queued delivery; empty if there is no such delivery
     * @throws IllegalStateException if the delivery is not dead (pending ones are retried anyway)
     */
    public Optional<Delivery> retry(String deliveryId)
    {
        requireNonNull(deliveryId, "deliveryId is null");
        Delivery requeued;
        try {
            if (!deliveries.tryLock(deliveryId, 5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("delivery '" + deliveryId + "' is being sent right now: try again in a moment");
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for delivery '" + deliveryId + "'", e);
        }
        try {
            Optional<Delivery> current = get(deliveryId);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            if (current.get().state() != DeliveryState.DEAD) {
                throw new IllegalStateException("delivery '" + deliveryId + "' is " + current.get().state().name().toLowerCase(Locale.ROOT)
                        + ", not dead: only dead letters can be retried");
            }
            requeued = current.get().requeued(clock.instant());
            deliveries.set(deliveryId, CODEC.encode(requeued));
        }
        finally {
            deliveries.unlock(deliveryId);
        }
        notifyWriteListeners();
        return Optional.of(requeued);
    }

    /**
     * The pending deliveries whose keys this member owns that are due at {@code now},
     * oldest due first. In a cluster, each member sees only its own partitions' keys, so
     * every delivery is picked by exactly one member.
     */
    List<Delivery> dueLocal(Instant now)
    {
        Set<String> keys = deliveries.localKeySet();
        if (keys.isEmpty()) {
            return List.of();
        }
        Map<String, String> values = deliveries.getAll(keys);
        List<Delivery> due = new ArrayList<>();
        for (String json : values.values()) {
            Delivery delivery;
            try {
                delivery = CODEC.decode(json);
            }
            catch (IllegalArgumentException e) {
                // a damaged entry must not stop the others; it stays for a person to inspect
                log.error("Cannot read an outbox entry; it is skipped", e);
                continue;
            }
            if (delivery.state() == DeliveryState.PENDING && !delivery.nextAttemptAt().isAfter(now)) {
                due.add(delivery);
            }
        }
        due.sort(Comparator.comparing(Delivery::nextAttemptAt).thenComparing(Delivery::createdAt).thenComparing(Delivery::id));
        return due;
    }

    /**
     * Locks a due delivery for sending and reads it again under the lock. The lock is
     * owned by the calling thread and expires after {@code leaseMillis} (if this member
     * stalls); {@link #finish} must run on the same thread.
     *
     * @return the delivery, if it is still pending and due and nobody else holds it
     */
    Optional<Delivery> claim(String id, Instant now, long leaseMillis)
            throws InterruptedException
    {
        if (!deliveries.tryLock(id, 0, TimeUnit.MILLISECONDS, leaseMillis, TimeUnit.MILLISECONDS)) {
            return Optional.empty();
        }
        Optional<Delivery> current;
        try {
            current = get(id).filter(delivery -> delivery.state() == DeliveryState.PENDING && !delivery.nextAttemptAt().isAfter(now));
        }
        catch (RuntimeException e) {
            release(id);
            throw e;
        }
        if (current.isEmpty()) {
            release(id);
        }
        return current;
    }

    /**
     * Stores the result of an attempt of a claimed delivery and releases it: the updated
     * delivery, or removal when {@code updated} is empty (delivered).
     */
    void finish(Delivery claimed, Optional<Delivery> updated)
    {
        try {
            if (updated.isPresent()) {
                deliveries.set(claimed.id(), CODEC.encode(updated.get()));
                if (updated.get().state() == DeliveryState.DEAD) {
                    latest.remove(claimed.supersedeKey(), claimed.id());
                }
            }
            else {
                deliveries.delete(claimed.id());
                latest.remove(claimed.supersedeKey(), claimed.id());
            }
        }
        finally {
            release(claimed.id());
        }
    }

    /** Releases a claim without changing the delivery. */
    void release(String id)
    {
        try {
            deliveries.unlock(id);
        }
        catch (IllegalMonitorStateException e) {
            // the lease ran out while the attempt took longer: the lock is gone already
            log.warn("Lock of delivery '{}' expired before its attempt finished", id);
        }
    }

    private void notifyWriteListeners()
    {
        for (Runnable listener : writeListeners) {
            listener.run();
        }
    }

    private String newId()
    {
        StringBuilder id = new StringBuilder("dlv_");
        for (int i = 0; i < ID_LENGTH; i++) {
            id.append(BASE62[random.nextInt(BASE62.length)]);
        }
        return id.toString();
    }
}
