package io.runlight.hub.store;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.config.NetworkConfig;

import static java.util.Objects.requireNonNull;

/**
 * Builds the embedded member's programmatic Hazelcast {@link Config} from a
 * {@link StoreConfig}: cluster name, bind address and port, join mode (none, TCP list,
 * Kubernetes DNS lookup; multicast and auto-detection always off), and a write-through
 * {@link JdbcMapStore} on every durable map (Hazelcast's initial load finds no keys: the hub loads
 * the maps itself, see {@link MapRecovery}), and near caches on the
 * read-mostly maps.
 */
final class HazelcastMemberConfig
{
    private HazelcastMemberConfig() {}

    static Config create(StoreConfig store, Database database)
    {
        return create(store, database, List.of());
    }

    /** As {@link #create(StoreConfig, Database)}, with near caches on {@code readMostlyMaps} ({@link ReadMostlyMaps}). */
    static Config create(StoreConfig store, Database database, List<String> readMostlyMaps)
    {
        requireNonNull(store, "store is null");
        requireNonNull(database, "database is null");
        StoreConfig.Cluster cluster = store.cluster();

        Config config = new Config();
        config.setClusterName(cluster.name());
        config.setClassLoader(HazelcastMemberConfig.class.getClassLoader());
        Map<String, String> properties = new TreeMap<>();
        properties.put("hazelcast.phone.home.enabled", "false");
        properties.put("hazelcast.logging.type", "slf4j");
        // HubStore.close() leaves the cluster gracefully; a JVM hook of Hazelcast's own would race it
        properties.put("hazelcast.shutdownhook.enabled", "false");
        boolean anyAddress = cluster.bindAddress().equals(StoreConfig.Cluster.ANY_ADDRESS);
        properties.put("hazelcast.socket.bind.any", String.valueOf(anyAddress));
        properties.putAll(cluster.hazelcastProperties());
        properties.forEach(config::setProperty);

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(cluster.port());
        network.setPortAutoIncrement(cluster.portAutoIncrement());
        if (!anyAddress) {
            network.getInterfaces().setEnabled(true).addInterface(cluster.bindAddress());
        }
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(false);
        switch (cluster.join()) {
            case NONE -> {
                // a single member: no discovery at all
            }
            case TCP -> join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
            case KUBERNETES -> join.getKubernetesConfig().setEnabled(true)
                    .setProperty("service-dns", cluster.kubernetesServiceDns().orElseThrow())
                    .setProperty("service-port", String.valueOf(cluster.port()));
        }

        // The write-through to the H2 file in this member's data folder is an in-process call: the partition thread
        // makes it itself. Offloaded (Hazelcast's default), each write went from the partition thread to an executor
        // thread and back, two thread wake-ups per write, which the events ingest paid on every group of batches. A
        // database over the network (PostgreSQL, every cluster) stays offloaded, so a slow round trip does not hold
        // the partition thread and every other partition it serves.
        boolean offload = store.jdbc().isPresent();
        for (String mapName : store.durableMaps()) {
            MapStoreConfig mapStore = new MapStoreConfig()
                    .setEnabled(true)
                    .setImplementation(new JdbcMapStore(database, mapName))
                    .setOffload(offload)
                    .setWriteDelaySeconds(0)
                    .setInitialLoadMode(MapStoreConfig.InitialLoadMode.EAGER);
            config.addMapConfig(new MapConfig(mapName)
                    .setBackupCount(cluster.backupCount())
                    .setAsyncBackupCount(0)
                    .setMapStoreConfig(mapStore));
        }
        return ReadMostlyMaps.configure(config, readMostlyMaps);
    }
}
