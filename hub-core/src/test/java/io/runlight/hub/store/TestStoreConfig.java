package io.runlight.hub.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.runlight.hub.ConfigException;
import io.runlight.hub.store.StoreConfig.Cluster;
import io.runlight.hub.store.StoreConfig.Jdbc;
import io.runlight.hub.store.StoreConfig.JoinMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestStoreConfig
{
    private static final Path DATA = Path.of("/var/lib/runlight");
    private static final Optional<Jdbc> POSTGRES = Optional.of(new Jdbc("jdbc:postgresql://db:5432/runlight", Optional.of("hub"), Optional.of("s3cret")));

    @Test
    void defaultsAreOneMemberOnTheH2FileInTheDataFolder()
    {
        StoreConfig config = StoreConfig.local(DATA, List.of("images", "tokens"));

        assertThat(config.jdbc()).isEmpty();
        assertThat(config.cluster()).isEqualTo(new Cluster("runlight", "127.0.0.1", 5701, false, JoinMode.NONE, List.of(), Optional.empty(), Map.of()));
        assertThat(config.h2File()).isEqualTo(Path.of("/var/lib/runlight/db/runlight"));
        assertThat(config.isCluster()).isFalse();
        assertThat(config.validate()).isEmpty();
        assertThat(config.requireValid()).isSameAs(config);
    }

    @Test
    void refusesTcpClusterOnTheH2File()
    {
        StoreConfig config = new StoreConfig(DATA, Optional.empty(), Cluster.tcp("10.0.0.1", 5701, List.of("10.0.0.1:5701", "10.0.0.2:5701")), List.of("images"));

        assertThat(config.isCluster()).isTrue();
        assertThat(config.validate()).containsExactly(
                "cluster mode needs a shared database: set database.url to a PostgreSQL JDBC URL (an H2 file in one member's data folder cannot be shared)");
        assertThatThrownBy(config::requireValid)
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: cluster mode needs a shared database: set database.url to a PostgreSQL JDBC URL (an H2 file in one member's data folder cannot be shared)");
    }

    @Test
    void refusesKubernetesClusterOnAnExplicitH2Url()
    {
        Cluster kubernetes = new Cluster("runlight", "0.0.0.0", 5701, false, JoinMode.KUBERNETES, List.of(), Optional.of("runlight-hz.runlight.svc.cluster.local"), Map.of());
        StoreConfig config = new StoreConfig(DATA, Optional.of(new Jdbc("jdbc:h2:file:/shared/runlight", Optional.empty(), Optional.empty())), kubernetes, List.of("images"));

        assertThat(config.validate()).containsExactly(StoreConfig.CLUSTER_NEEDS_SHARED_DATABASE);
    }

    @Test
    void acceptsClusterOnPostgresqlAndTcpListingOnlyItselfOnH2()
    {
        Cluster three = Cluster.tcp("10.0.0.1", 5701, List.of("10.0.0.1:5701", "10.0.0.2:5701", "10.0.0.3:5701"));
        assertThat(new StoreConfig(DATA, POSTGRES, three, List.of("images")).validate()).isEmpty();

        StoreConfig alone = new StoreConfig(DATA, Optional.empty(), Cluster.tcp("127.0.0.1", 5701, List.of("127.0.0.1:5701", "localhost:5701")), List.of("images"));
        assertThat(alone.isCluster()).isFalse();
        assertThat(alone.validate()).isEmpty();
    }

    @Test
    void reportsEveryProblemAtOnce()
    {
        Cluster cluster = new Cluster(" ", "localhost", 70000, false, JoinMode.TCP, List.of("db", "10.0.0.2:0"), Optional.of("hz.svc"), Map.of("partition.count", "7"));
        StoreConfig config = new StoreConfig(DATA, Optional.of(new Jdbc("jdbc:mysql://db/runlight?password=x", Optional.empty(), Optional.empty())), cluster,
                List.of("images", "Tokens", "images", "a-b"));

        assertThat(config.validate()).containsExactly(
                "database URL 'jdbc:mysql:...' is not supported: use a jdbc:postgresql:// URL, or leave it unset for the H2 file in the data folder",
                "cluster name is blank: set a name (default 'runlight')",
                "cluster bind address 'localhost' is not an IPv4 address: use e.g. 127.0.0.1, this host's address, or 0.0.0.0 for every interface",
                "cluster port 70000 is out of range: use 1 to 65535 (default 5701), or 0 for a free port on a member alone",
                "cluster member 'db' is not host:port: write it as e.g. 10.0.0.12:5701",
                "cluster member '10.0.0.2:0' is not host:port: write it as e.g. 10.0.0.12:5701",
                "a Kubernetes service is set but the join mode is TCP: set the join mode to KUBERNETES, or remove the service",
                "Hazelcast property 'partition.count' does not start with 'hazelcast.': check its name",
                "durable map name 'Tokens' is invalid: use 1 to 48 lower-case letters, digits or '_', starting with a letter",
                "durable map name 'images' is listed twice",
                "durable map name 'a-b' is invalid: use 1 to 48 lower-case letters, digits or '_', starting with a letter");
        assertThatThrownBy(config::requireValid)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid configuration (11 problems):\n  - database URL 'jdbc:mysql:...' is not supported");
    }

    @Test
    void portZeroPicksAFreePortOnlyForAMemberAlone()
    {
        Cluster alone = new Cluster("runlight", "127.0.0.1", 0, false, JoinMode.NONE, List.of(), Optional.empty(), Map.of());
        Cluster inCluster = Cluster.tcp("10.0.0.1", 0, List.of("10.0.0.1:5701", "10.0.0.2:5701"));

        assertThat(new StoreConfig(DATA, Optional.empty(), alone, List.of("images")).validate()).isEmpty();
        assertThat(new StoreConfig(DATA, POSTGRES, inCluster, List.of("images")).validate()).containsExactly(
                "cluster port 0 (a free port) is only for a member alone: with join mode TCP the other members must know this member's port, so set one (default 5701)");
    }

    @Test
    void joinModesNeedTheirSettings()
    {
        Cluster tcpWithoutMembers = new Cluster("runlight", "127.0.0.1", 5701, false, JoinMode.TCP, List.of(), Optional.empty(), Map.of());
        Cluster kubernetesOnLoopback = new Cluster("runlight", "127.0.0.1", 5701, false, JoinMode.KUBERNETES, List.of(), Optional.empty(), Map.of());
        Cluster noneWithMembers = new Cluster("runlight", "127.0.0.1", 5701, false, JoinMode.NONE, List.of("10.0.0.2:5701"), Optional.empty(), Map.of());

        assertThat(new StoreConfig(DATA, POSTGRES, tcpWithoutMembers, List.of()).validate())
                .containsExactly("cluster join mode TCP needs members: list them as host:port");
        assertThat(new StoreConfig(DATA, POSTGRES, kubernetesOnLoopback, List.of()).validate()).containsExactly(
                "cluster join mode KUBERNETES needs the headless service DNS name, e.g. runlight-hz.runlight.svc.cluster.local",
                "cluster join mode KUBERNETES cannot bind to loopback '127.0.0.1': bind to the pod's address or 0.0.0.0");
        assertThat(new StoreConfig(DATA, POSTGRES, noneWithMembers, List.of()).validate())
                .containsExactly("cluster members are listed but the join mode is NONE: set the join mode to TCP, or remove the members");
    }

    @Test
    void neverPrintsThePassword()
    {
        Jdbc jdbc = new Jdbc("jdbc:postgresql://db:5432/runlight?password=s3cret", Optional.of("hub"), Optional.of("s3cret"));

        assertThat(jdbc.toString()).isEqualTo("Jdbc[url=jdbc:postgresql:..., user=hub, password=****]");
        assertThat(new StoreConfig(DATA, Optional.of(jdbc), Cluster.single(), List.of()).toString()).doesNotContain("s3cret");
    }

    @Test
    void recordsCheckForNull()
    {
        assertThatThrownBy(() -> new StoreConfig(null, Optional.empty(), Cluster.single(), List.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("dataDirectory is null");
        assertThatThrownBy(() -> new Jdbc("jdbc:postgresql://db/x", Optional.empty(), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("password is null");
    }
}
