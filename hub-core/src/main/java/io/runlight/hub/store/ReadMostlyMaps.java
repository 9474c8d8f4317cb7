package io.runlight.hub.store;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.internal.nearcache.NearCache;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.proxy.NearCachedMapProxyImpl;

import static java.util.Objects.requireNonNull;

/**
 * Near caches for the maps that every request reads and that change far less often (tokens,
 * integrations, the workload documents served to Snyk's monitor): each member answers a
 * read of such a map from its own memory instead of a round trip to the partition thread of
 * the key's owner, as Hazelcast intends for read-mostly data.
 * <p>
 * A change on any member invalidates every member's cached copy at once: invalidations
 * are sent one by one as they happen, not in Hazelcast's default batches (which wait up to
 * 10 seconds), so a deleted token is refused everywhere within milliseconds. Entries this
 * member owns are cached too (no partition-thread round trip for them either). The cost is
 * memory: a cached value is held once more, as the object.
 * <p>
 * {@link #getAsync} reads such a map without a thread hand-off when the near cache holds the
 * key: Hazelcast's own {@code IMap.getAsync} answers a near-cache hit with a future that it
 * completes on its async executor, a task and a thread wake-up per read, which on the serve
 * route was half of the event loop's time.
 */
public final class ReadMostlyMaps
{
    /** Hazelcast's switch for batching near-cache invalidations (batched by default). */
    static final String BATCHED_INVALIDATION_PROPERTY = "hazelcast.map.invalidation.batch.enabled";

    private ReadMostlyMaps() {}

    /**
     * {@code map.getAsync(key)}, but completed at once, on this thread, when this member's near
     * cache of the map holds the key (the value, or that there is none); otherwise Hazelcast's
     * {@code getAsync}. What it answers is what {@code map.get(key)} would answer.
     */
    @SuppressWarnings("unchecked")
    public static <K, V> CompletionStage<V> getAsync(IMap<K, V> map, K key)
    {
        requireNonNull(map, "map is null");
        requireNonNull(key, "key is null");
        // an internal API of Hazelcast 5 (a test pins it): the proxy of a map with a near cache, keyed by the key object unless keys are serialised
        if (map instanceof NearCachedMapProxyImpl<K, V> proxy && !proxy.getNearCache().getNearCacheConfig().isSerializeKeys()) {
            Object cached = proxy.getNearCache().get(key);
            if (cached == NearCache.CACHED_AS_NULL) {
                return CompletableFuture.completedFuture(null);
            }
            if (cached != null) {
                return CompletableFuture.completedFuture((V) (cached instanceof Data data ? proxy.getNodeEngine().getSerializationService().toObject(data) : cached));
            }
        }
        return map.getAsync(key);
    }

    /** Adds a near cache to each named map of {@code config} (its other settings are kept) and sends invalidations unbatched. */
    public static Config configure(Config config, Collection<String> mapNames)
    {
        requireNonNull(config, "config is null");
        requireNonNull(mapNames, "mapNames is null");
        if (mapNames.isEmpty()) {
            return config;
        }
        config.setProperty(BATCHED_INVALIDATION_PROPERTY, "false");
        for (String name : mapNames) {
            config.getMapConfig(name).setNearCacheConfig(new NearCacheConfig(name)
                    // values are immutable JSON strings: keep the objects, no copy or deserialisation per read
                    .setInMemoryFormat(InMemoryFormat.OBJECT)
                    .setCacheLocalEntries(true)
                    .setInvalidateOnChange(true)
                    // entries stay until changed; past Hazelcast's default bound (10,000 entries) the least recently used go
                    .setTimeToLiveSeconds(0)
                    .setMaxIdleSeconds(0));
        }
        return config;
    }
}
