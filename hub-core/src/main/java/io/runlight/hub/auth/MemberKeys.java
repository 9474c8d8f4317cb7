package io.runlight.hub.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryLoadedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.runlight.hub.store.JsonCodec;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Every member's own public key, shared through a durable map. Each member signs with a
 * key of its own (made in its data folder), so without this a JWT that
 * {@code runlight admin-token} minted on one member's data folder would be refused by
 * every other member. Only public keys travel; a member's private key never leaves its
 * data folder. A key stays trusted after its member is gone (its tokens keep working
 * until they expire). To stop trusting a member whose data folder was lost, remove its
 * entry from the map (every member stops at once), or delete its row from the
 * {@code member_keys} table while the cluster is down. Whoever can write that table can
 * add a key, so the database is inside the trust boundary of admin tokens.
 */
public final class MemberKeys
{
    /** The durable map of member keys: key id → {@link MemberKey} JSON. */
    public static final String MAP = "member_keys";

    private static final Logger log = LoggerFactory.getLogger(MemberKeys.class);
    private static final JsonCodec<MemberKey> CODEC = JsonCodec.of(MemberKey.class);

    private final Vertx vertx;
    private final JwtKeys own;
    private final NavigableMap<String, MemberKey> others = new ConcurrentSkipListMap<>();
    private volatile JWTAuth current;

    private MemberKeys(Vertx vertx, JwtKeys own)
    {
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.own = requireNonNull(own, "own is null");
        this.current = own.createAuth(vertx);
    }

    /**
     * Publishes this member's public key to {@code map} and follows the keys the other
     * members publish. Blocking (map calls): call it at start, off the event loop.
     */
    public static MemberKeys publish(Vertx vertx, JwtKeys own, IMap<String, String> map, String member, Clock clock)
    {
        requireNonNull(map, "map is null");
        requireNonNull(member, "member is null");
        requireNonNull(clock, "clock is null");
        MemberKeys keys = new MemberKeys(vertx, own);
        // listen first, then read: a key published in between is seen either way; the listener
        // lives as long as the member (it ends with the Hazelcast instance)
        UUID ignored = map.addEntryListener(keys.new Listener(), true);
        map.put(own.ownKeyId(), CODEC.encode(new MemberKey(own.ownKeyId(), own.ownPublicKeyPem(), member, clock.instant())));
        for (Map.Entry<String, String> entry : map.entrySet()) {
            keys.learn(entry.getKey(), entry.getValue());
        }
        keys.rebuild();
        return keys;
    }

    /** A verifier over the configured keys plus every member's published key; changes as members publish theirs. */
    public JWTAuth current()
    {
        return current;
    }

    /** The key ids of the other members this member trusts now. */
    public Set<String> otherMemberKeyIds()
    {
        return Set.copyOf(others.keySet());
    }

    private boolean learn(String keyId, String json)
    {
        if (keyId.equals(own.ownKeyId()) || json == null) {
            return false;
        }
        try {
            MemberKey key = CODEC.decode(json);
            if (!key.keyId().equals(keyId) || !PublicKeyFiles.keyIdOf(key.publicKeyPem()).equals(keyId)) {
                log.warn("Ignoring the member key '{}': its id does not match its public key", keyId);
                return false;
            }
            return others.put(keyId, key) == null;
        }
        catch (RuntimeException e) {
            log.warn("Ignoring the member key '{}': {}", keyId, e.getMessage());
            return false;
        }
    }

    private synchronized void rebuild()
    {
        JWTAuthOptions options = own.authOptions();
        for (MemberKey key : others.values()) {
            options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(JwtKeys.OWN_ALGORITHM).setId(key.keyId()).setBuffer(key.publicKeyPem()));
        }
        current = JWTAuth.create(vertx, options);
    }

    /** One member's published key. */
    public record MemberKey(String keyId, String publicKeyPem, String member, Instant publishedAt)
    {
        public MemberKey
        {
            requireNonNull(keyId, "keyId is null");
            requireNonNull(publicKeyPem, "publicKeyPem is null");
            requireNonNull(member, "member is null");
            requireNonNull(publishedAt, "publishedAt is null");
        }
    }

    /**
     * Runs on Hazelcast's event threads: uses the event's value, never calls the map. Loaded
     * entries count as added: a key lost with members and put back from the database
     * ({@link io.runlight.hub.store.MapRecovery}) arrives as a load, not as an addition.
     */
    private final class Listener
            implements EntryAddedListener<String, String>, EntryLoadedListener<String, String>, EntryUpdatedListener<String, String>,
            EntryRemovedListener<String, String>
    {
        @Override
        public void entryAdded(EntryEvent<String, String> event)
        {
            if (learn(event.getKey(), event.getValue())) {
                log.info("Trusting the JWT key '{}' of another member", event.getKey());
                rebuild();
            }
        }

        @Override
        public void entryLoaded(EntryEvent<String, String> event)
        {
            entryAdded(event);
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> event)
        {
            // a restarting member publishes its unchanged key again: nothing to rebuild then
            MemberKey before = others.get(event.getKey());
            others.remove(event.getKey());
            learn(event.getKey(), event.getValue());
            MemberKey after = others.get(event.getKey());
            if (before == null || after == null || !before.publicKeyPem().equals(after.publicKeyPem())) {
                rebuild();
            }
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event)
        {
            if (others.remove(event.getKey()) != null) {
                log.info("No longer trusting the JWT key '{}'", event.getKey());
                rebuild();
            }
        }
    }
}
