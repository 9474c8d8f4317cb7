package io.runlight.hub.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MapStoreConfig;
import io.runlight.hub.store.StoreConfig.Cluster;
import io.runlight.hub.store.StoreConfig.JoinMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class TestHazelcastMemberConfig
{
    @TempDir
    Path dataDirectory;

    private Database database;

    @BeforeEach
    void openDatabase()
    {
        database = Database.open(StoreConfig.local(dataDirectory, List.of("images", "tokens")));
    }

    @AfterEach
    void closeDatabase()
    {
        database.close();
    }

    @Test
    void tcpMemberBindsToItsAddressAndWritesDurableMapsThrough()
    {
        Cluster cluster = Cluster.tcp("127.0.0.1", 5801, List.of("127.0.0.1:5801", "127.0.0.1:5802"))
                .withHazelcastProperties(Map.of("hazelcast.partition.count", "31"));
        Config config = HazelcastMemberConfig.create(new StoreConfig(dataDirectory, Optional.empty(), cluster, List.of("images", "tokens")), database);

        assertThat(config.getClusterName()).isEqualTo("runlight");
        assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
        assertThat(config.getProperty("hazelcast.logging.type")).isEqualTo("slf4j");
        assertThat(config.getProperty("hazelcast.shutdownhook.enabled")).isEqualTo("false");
        assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
        assertThat(config.getProperty("hazelcast.partition.count")).isEqualTo("31");
        assertThat(config.getNetworkConfig().getPort()).isEqualTo(5801);
        assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
        assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
        assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
        assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
        assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
        assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:5801", "127.0.0.1:5802");

        for (String name : List.of("images", "tokens")) {
            MapConfig map = config.getMapConfig(name);
            assertThat(map.getBackupCount()).isEqualTo(StoreConfig.Cluster.DEFAULT_BACKUP_COUNT);
            assertThat(map.getAsyncBackupCount()).isZero();
            MapStoreConfig mapStore = map.getMapStoreConfig();
            assertThat(mapStore.isEnabled()).isTrue();
            assertThat(mapStore.getWriteDelaySeconds()).isZero();
            assertThat(mapStore.getInitialLoadMode()).isEqualTo(MapStoreConfig.InitialLoadMode.EAGER);
            // the H2 file in the data folder is written on the partition thread, not handed to an executor and back
            assertThat(mapStore.isOffload()).isFalse();
            assertThat(mapStore.getImplementation()).isInstanceOf(JdbcMapStore.class);
            assertThat(mapStore.getImplementation().toString()).isEqualTo("JdbcMapStore[" + name + " in " + database.description() + "]");
        }
        assertThat(config.getMapConfig("scratch").getMapStoreConfig().isEnabled()).isFalse();
    }

    @Test
    void durableMapsOnADatabaseOverTheNetworkAreWrittenOffThePartitionThread()
    {
        // only the configuration is made: the URL is never connected to
        StoreConfig external = new StoreConfig(dataDirectory, Optional.of(new StoreConfig.Jdbc("jdbc:postgresql://db.example:5432/runlight", Optional.of("runlight"),
                Optional.empty())), Cluster.single(), List.of("images", "profiles"));

        Config config = HazelcastMemberConfig.create(external, database);

        for (String name : List.of("images", "profiles")) {
            assertThat(config.getMapConfig(name).getMapStoreConfig().isEnabled()).isTrue();
            assertThat(config.getMapConfig(name).getMapStoreConfig().isOffload()).isTrue();
        }
    }

    @Test
    void kubernetesMemberUsesDnsLookupOnEveryInterface()
    {
        Cluster cluster = new Cluster("prod", "0.0.0.0", 5701, false, JoinMode.KUBERNETES, List.of(), Optional.of("runlight-hz.runlight.svc.cluster.local"), Map.of());
        Config config = HazelcastMemberConfig.create(new StoreConfig(dataDirectory, Optional.empty(), cluster, List.of()), database);

        assertThat(config.getClusterName()).isEqualTo("prod");
        assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("true");
        assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isFalse();
        JoinConfig join = config.getNetworkConfig().getJoin();
        assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
        assertThat(join.getKubernetesConfig().getProperties()).isEqualTo(Map.of(
                "service-dns", "runlight-hz.runlight.svc.cluster.local",
                "service-port", "5701"));
    }

    @Test
    void singleMemberJoinsNobody()
    {
        Config config = HazelcastMemberConfig.create(StoreConfig.local(dataDirectory, List.of()), database);

        JoinConfig join = config.getNetworkConfig().getJoin();
        assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
        assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
        assertThat(config.getNetworkConfig().getPort()).isEqualTo(5701);
    }
}
