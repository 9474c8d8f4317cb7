package io.runlight.hub.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import com.hazelcast.internal.partition.IPartitionService;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.operation.IsKeyLoadFinishedOperation;
import com.hazelcast.map.impl.operation.IsPartitionLoadedOperationFactory;
import com.hazelcast.map.impl.proxy.MapProxyImpl;
import com.hazelcast.spi.impl.NodeEngine;
import com.hazelcast.spi.impl.operationservice.OperationService;
import com.hazelcast.spi.impl.operationservice.impl.InvocationFuture;

import static java.util.Objects.requireNonNull;

/**
 * {@code IMap.loadAll(keys, false)}, without its second of sleep. Hazelcast's {@code loadAll}
 * sends each partition its keys to load (the partition loads them on its own threads), then
 * waits until every partition says it has loaded, asking again once a second
 * ({@code MapProxySupport.waitAllTrue}): even a map of one entry took a second to load, and a hub
 * that restarted on data took 1.2 s or more to load its maps where an empty one took 0.2 s. This
 * does the same through the same operations, asking again every {@value #POLL_MILLIS} ms.
 * <p>
 * Internal API of Hazelcast 5 (the map proxy, its operation provider and the two operations
 * {@code waitUntilLoaded} uses); {@code TestHubStoreH2} and {@code TestMapLoading} pin it.
 */
final class MapLoading
{
    private static final long POLL_MILLIS = 10;
    /** Hazelcast's own wait for the map's key loading starts at 10 ms and doubles up to a second; so does this. */
    private static final Duration LONGEST_KEY_POLL = Duration.ofSeconds(1);

    private MapLoading() {}

    /**
     * Loads {@code keys} into {@code map} from its map store, keeping the entries it holds already,
     * and returns once every partition has loaded them.
     */
    static void loadAbsent(IMap<String, String> map, Set<String> keys)
    {
        requireNonNull(map, "map is null");
        requireNonNull(keys, "keys is null");
        if (!(map instanceof MapProxyImpl<String, String> proxy)) {
            // not a member's proxy: Hazelcast's own, with its one-second polls
            map.loadAll(keys, false);
            return;
        }
        NodeEngine nodeEngine = proxy.getNodeEngine();
        OperationService operations = nodeEngine.getOperationService();
        IPartitionService partitions = nodeEngine.getPartitionService();
        SerializationService serialization = nodeEngine.getSerializationService();
        Map<Integer, List<Data>> byPartition = new HashMap<>();
        for (String key : keys) {
            Data data = serialization.toData(key, proxy.getPartitionStrategy());
            byPartition.computeIfAbsent(partitions.getPartitionId(data), partition -> new ArrayList<>()).add(data);
        }
        try {
            List<InvocationFuture<Object>> sent = new ArrayList<>();
            for (Map.Entry<Integer, List<Data>> partition : byPartition.entrySet()) {
                sent.add(operations.invokeOnPartition(MapService.SERVICE_NAME,
                        proxy.getOperationProvider().createLoadAllOperation(proxy.getName(), partition.getValue(), false), partition.getKey()));
            }
            for (InvocationFuture<Object> future : sent) {
                future.get();
            }
            awaitLoaded(proxy, operations, partitions);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while loading map '" + proxy.getName() + "'", e);
        }
        catch (ExecutionException e) {
            throw rethrow(e.getCause() == null ? e : e.getCause());
        }
        catch (Exception e) {
            throw rethrow(e);
        }
    }

    /** {@code MapProxySupport.waitUntilLoaded}: the map's key loading has finished, then every partition has loaded. */
    private static void awaitLoaded(MapProxyImpl<String, String> proxy, OperationService operations, IPartitionService partitions)
            throws Exception
    {
        int keyPartition = partitions.getPartitionId(proxy.getName());
        long pause = POLL_MILLIS;
        while (!Boolean.TRUE.equals(operations.invokeOnPartition(MapService.SERVICE_NAME, new IsKeyLoadFinishedOperation(proxy.getName()), keyPartition).get())) {
            Thread.sleep(pause);
            pause = Math.min(pause * 2, LONGEST_KEY_POLL.toMillis());
        }
        IsPartitionLoadedOperationFactory loaded = new IsPartitionLoadedOperationFactory(proxy.getName());
        Map<Integer, Object> answers = operations.invokeOnAllPartitions(MapService.SERVICE_NAME, loaded);
        while (true) {
            List<Integer> loading = new ArrayList<>();
            answers.forEach((partition, answer) -> {
                if (!Boolean.TRUE.equals(answer)) {
                    loading.add(partition);
                }
            });
            if (loading.isEmpty()) {
                return;
            }
            Thread.sleep(POLL_MILLIS);
            answers = operations.invokeOnPartitions(MapService.SERVICE_NAME, loaded, loading);
        }
    }

    private static RuntimeException rethrow(Throwable failure)
    {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new StoreException("Cannot load map entries: " + failure.getMessage(), failure);
    }
}
