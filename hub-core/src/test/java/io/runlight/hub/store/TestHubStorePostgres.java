package io.runlight.hub.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.hazelcast.map.IMap;
import io.runlight.hub.Await;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.runlight.hub.store.StoreFixtures.DURABLE;
import static io.runlight.hub.store.StoreFixtures.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store on a real PostgreSQL: restart, a three-member cluster losing a member, and the SQL dialect. */
@Tag("postgresql")
class TestHubStorePostgres
{
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    @TempDir
    Path dataDirectory;

    private final List<HubStore> stores = new ArrayList<>();

    @BeforeAll
    static void startPostgres()
            throws Exception
    {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres()
            throws Exception
    {
        postgres.close();
    }

    @AfterEach
    void closeStores()
    {
        stores.forEach(HubStore::close);
    }

    @Test
    void restartedMemberHasEveryEntryLoadedEagerly()
            throws SQLException
    {
        StoreConfig.Jdbc jdbc = newDatabase();
        try (HubStore store = HubStore.start(config(jdbc, StoreFixtures.single(freePort())))) {
            IMap<String, String> images = store.map("images");
            for (int i = 0; i < 250; i++) {
                images.set("sha256:" + i, "{\"n\":" + i + "}");
            }
            images.delete("sha256:7");
            store.map("tokens").set("tok_1", "{\"name\":\"snyk\"}");
            assertThat(TestHubStoreH2.rows(store, "tokens")).containsExactly("tok_1={\"name\":\"snyk\"}");
            assertThat(store.isReady()).isTrue();
        }

        try (HubStore store = HubStore.start(config(jdbc, StoreFixtures.single(freePort())))) {
            assertThat(store.map("images").getLocalMapStats().getOwnedEntryCount()).isEqualTo(249);
            assertThat(store.map("images").size()).isEqualTo(249);
            assertThat(store.map("images").get("sha256:42")).isEqualTo("{\"n\":42}");
            assertThat(store.map("images").get("sha256:7")).isNull();
            assertThat(store.map("tokens").get("tok_1")).isEqualTo("{\"name\":\"snyk\"}");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void threeMembersShareStateAndLoseNoAcknowledgedEntryWhenOneDies()
            throws Exception
    {
        StoreConfig.Jdbc jdbc = newDatabase();
        List<Integer> ports = List.of(freePort(), freePort(), freePort());
        String clusterName = "runlight-three-" + ports.get(0);
        ExecutorService starter = Executors.newFixedThreadPool(3);
        try {
            List<Future<HubStore>> starting = new ArrayList<>();
            for (int port : ports) {
                StoreConfig config = config(jdbc, StoreFixtures.tcp(clusterName, port, ports));
                starting.add(starter.submit(() -> HubStore.start(config)));
            }
            for (Future<HubStore> store : starting) {
                stores.add(store.get(90, TimeUnit.SECONDS));
            }
        }
        finally {
            starter.shutdownNow();
        }
        HubStore first = stores.get(0);
        HubStore second = stores.get(1);
        HubStore third = stores.get(2);
        awaitMembers(List.of(first, second, third), 3);

        int count = 300;
        IMap<String, String> outbox = first.map("outbox");
        for (int i = 0; i < count; i++) {
            outbox.set("delivery-" + i, "{\"n\":" + i + "}");
        }
        for (HubStore member : List.of(second, third)) {
            assertThat(member.map("outbox").get("delivery-0")).isEqualTo("{\"n\":0}");
            assertThat(member.map("outbox").get("delivery-299")).isEqualTo("{\"n\":299}");
            assertThat(member.map("outbox").size()).isEqualTo(count);
        }

        // abrupt: no graceful leave, no partition hand-over
        second.hazelcast().getLifecycleService().terminate();

        for (HubStore member : List.of(first, third)) {
            IMap<String, String> survivor = member.map("outbox");
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                if (!("{\"n\":" + i + "}").equals(survivor.get("delivery-" + i))) {
                    missing.add(i);
                }
            }
            assertThat(missing).isEmpty();
        }
        third.map("outbox").set("after-the-loss", "{}");
        assertThat(first.map("outbox").get("after-the-loss")).isEqualTo("{}");
        awaitMembers(List.of(first, third), 2);
        assertThat(first.map("outbox").size()).isEqualTo(count + 1);
        assertThat(third.map("outbox").size()).isEqualTo(count + 1);
        // nothing was lost (two backups): the survivors are ready (a write racing their check may hold one DOWN a moment)
        assertThat(Await.await(Duration.ofSeconds(10), () -> first.isReady() && third.isReady())).isTrue();
        assertThat(second.isReady()).isFalse();
        assertThat(rowCount(first, "outbox")).isEqualTo(count + 1);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoMembersLostAtOnceLoseNothingWithTheDefaultTwoBackups()
            throws Exception
    {
        StoreConfig.Jdbc jdbc = newDatabase();
        List<HubStore> members = startThree(jdbc, StoreConfig.Cluster.DEFAULT_BACKUP_COUNT);
        int count = 300;
        fill(members.get(0), count);

        terminateAtOnce(members.get(1), members.get(2));
        HubStore survivor = members.get(0);
        awaitMembers(List.of(survivor), 1);

        // every entry had copies on all three: the survivor holds them all without reading the database
        assertThat(survivor.map("outbox").size()).isEqualTo(count);
        assertThat(survivor.map("tokens").size()).isEqualTo(count);
        assertThat(survivor.map("images").size()).isEqualTo(count);
        // ready again once it has checked that against the database
        assertThat(Await.await(Duration.ofSeconds(30), survivor::isReady)).isTrue();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void entriesOfPartitionsLostWithTwoMembersAreReloadedFromTheDatabase()
            throws Exception
    {
        StoreConfig.Jdbc jdbc = newDatabase();
        // no backups: every partition the two dead members owned is lost from memory
        List<HubStore> members = startThree(jdbc, 0);
        int count = 300;
        fill(members.get(0), count);
        HubStore survivor = members.get(0);
        long ownedBySurvivor = survivor.map("outbox").getLocalMapStats().getOwnedEntryCount();
        assertThat(ownedBySurvivor).isLessThan(count);

        terminateAtOnce(members.get(1), members.get(2));
        awaitMembers(List.of(survivor), 1);

        // the lost entries come back within seconds: then the survivor shows everything the database holds, and is ready
        boolean recovered = Await.await(Duration.ofSeconds(30), () -> survivor.map("outbox").size() == count
                && survivor.map("tokens").size() == count && survivor.map("images").size() == count);
        assertThat(recovered).as("entries back: outbox %s, tokens %s, images %s of %s", survivor.map("outbox").size(),
                survivor.map("tokens").size(), survivor.map("images").size(), count).isTrue();
        survivor.recovery().awaitComplete(Duration.ofSeconds(30));
        assertThat(survivor.isReady()).isTrue();
        for (String map : List.of("outbox", "tokens", "images")) {
            assertThat(survivor.map(map).size()).as("entries of %s", map).isEqualTo(count);
            assertThat(Set.copyOf(survivor.map(map).keySet())).as("keys of %s", map).hasSize(rowCount(survivor, map));
        }
        assertThat(survivor.map("outbox").get("delivery-299")).isEqualTo("{\"n\":299}");

        // a member that joins the survivor later sees everything too
        int port = freePort();
        HubStore rejoined = HubStore.start(config(jdbc, StoreFixtures.tcp(clusterNameOf(survivor), port, List.of(memberPort(survivor), port)).withBackupCount(0)));
        stores.add(rejoined);
        awaitMembers(List.of(survivor, rejoined), 2);
        assertThat(rejoined.map("outbox").size()).isEqualTo(count);
        assertThat(rejoined.map("tokens").values()).hasSize(count);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aMapWithFewEntriesTakesWritesOnEveryPartitionAfterTwoMembersAreLost()
            throws Exception
    {
        StoreConfig.Jdbc jdbc = newDatabase();
        List<HubStore> members = startThree(jdbc, StoreConfig.Cluster.DEFAULT_BACKUP_COUNT);
        // like the hub's 'dirty' map: entries come and go, most partitions hold none
        members.get(1).map("outbox").set("only", "{}");
        members.get(1).map("outbox").delete("only");
        members.get(2).map("tokens").set("one", "{}");

        terminateAtOnce(members.get(1), members.get(2));
        HubStore survivor = members.get(0);
        awaitMembers(List.of(survivor), 1);

        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> writes = writer.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    survivor.map("outbox").set("after-" + i, "{}");
                    survivor.map("tokens").set("after-" + i, "{}");
                }
                survivor.map("outbox").localKeySet();
                return null;
            });
            writes.get(60, TimeUnit.SECONDS);
        }
        finally {
            writer.shutdownNow();
        }
        survivor.recovery().awaitComplete(Duration.ofSeconds(30));
        assertThat(survivor.map("outbox").size()).isEqualTo(200);
        assertThat(survivor.map("tokens").size()).isEqualTo(201);
    }

    @Test
    void aWrongPasswordIsALoginFailureThatNamesTheUser()
            throws SQLException
    {
        // embedded PostgreSQL trusts local logins, so no password is wrong there; a role that does not exist is
        // refused in the same SQL state class (28) as a wrong password (28P01)
        StoreConfig.Jdbc wrongRole = new StoreConfig.Jdbc(newDatabase().url(), Optional.of("no_such_role"), Optional.of("x"));

        assertThatThrownBy(() -> HubStore.start(config(wrongRole, StoreFixtures.single(freePort()))))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Cannot log in to database 'jdbc:postgresql:...' as user 'no_such_role': the database refused the login (")
                .hasMessageEndingWith("). Check database.user and database.password (RUNLIGHT_DATABASE_USER, RUNLIGHT_DATABASE_PASSWORD)");
    }

    @Test
    void mapStoreSpeaksPostgresql()
            throws Exception
    {
        StoreConfig.Jdbc jdbc = newDatabase();
        try (Database database = Database.open(new StoreConfig(dataDirectory, Optional.of(jdbc), StoreConfig.Cluster.single(), List.of("things")))) {
            assertThat(database.dialect()).isEqualTo(SqlDialect.POSTGRESQL);
            assertThat(database.description()).isEqualTo("jdbc:postgresql:...");
            TestJdbcMapStore.exercise(database);
            TestBlobStore.exercise(database);
        }
    }

    @Test
    void refusesADatabaseWithANewerSchema()
            throws SQLException
    {
        StoreConfig.Jdbc jdbc = newDatabase();
        StoreConfig config = config(jdbc, StoreFixtures.single(freePort()));
        Database.open(config).close();
        // opening again is a no-op for the schema
        try (Database database = Database.open(config);
                Connection connection = database.connection();
                Statement statement = connection.createStatement()) {
            try (ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM rl_schema_version")) {
                result.next();
                assertThat(result.getInt(1)).isEqualTo(1);
            }
            statement.executeUpdate("INSERT INTO rl_schema_version (schema_version, applied_at) VALUES (2, CURRENT_TIMESTAMP)");
        }

        assertThatThrownBy(() -> HubStore.start(config))
                .isInstanceOf(StoreException.class)
                .hasMessage("Database 'jdbc:postgresql:...' has schema version 2, newer than this hub's 1: run a hub of the version that wrote it, or a newer one");
    }

    private StoreConfig config(StoreConfig.Jdbc jdbc, StoreConfig.Cluster cluster)
    {
        return new StoreConfig(dataDirectory, Optional.of(jdbc), cluster, DURABLE);
    }

    /** A fresh database on the shared server, so tests do not see each other's tables. */
    private static StoreConfig.Jdbc newDatabase()
            throws SQLException
    {
        String name = "hub_" + DATABASES.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return new StoreConfig.Jdbc("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + name, Optional.of("postgres"), Optional.of("postgres"));
    }

    private static void awaitMembers(List<HubStore> members, int expected)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (HubStore member : members) {
            while (member.hazelcast().getCluster().getMembers().size() != expected && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(member.hazelcast().getCluster().getMembers()).hasSize(expected);
        }
    }

    private List<HubStore> startThree(StoreConfig.Jdbc jdbc, int backupCount)
            throws Exception
    {
        List<Integer> ports = List.of(freePort(), freePort(), freePort());
        String clusterName = "runlight-loss-" + ports.get(0);
        ExecutorService starter = Executors.newFixedThreadPool(3);
        List<HubStore> started = new ArrayList<>();
        try {
            List<Future<HubStore>> starting = new ArrayList<>();
            for (int port : ports) {
                StoreConfig config = config(jdbc, StoreFixtures.tcp(clusterName, port, ports).withBackupCount(backupCount));
                starting.add(starter.submit(() -> HubStore.start(config)));
            }
            for (Future<HubStore> store : starting) {
                HubStore member = store.get(90, TimeUnit.SECONDS);
                stores.add(member);
                started.add(member);
            }
        }
        finally {
            starter.shutdownNow();
        }
        awaitMembers(started, 3);
        // members that start together migrate partitions among themselves for a moment; a write in that moment may have
        // fewer copies than the backup count promises, and these tests are about what a settled cluster keeps
        for (HubStore member : started) {
            assertThat(Await.await(Duration.ofSeconds(60), () -> member.hazelcast().getPartitionService().isClusterSafe()))
                    .as("partitions settled on %s", member.hazelcast().getCluster().getLocalMember())
                    .isTrue();
        }
        return started;
    }

    private static void fill(HubStore member, int count)
    {
        for (int i = 0; i < count; i++) {
            member.map("outbox").set("delivery-" + i, "{\"n\":" + i + "}");
            member.map("tokens").set("tok_" + i, "{\"n\":" + i + "}");
            member.map("images").set("sha256:" + i, "{\"n\":" + i + "}");
        }
    }

    /** Both die in the same instant, as with kill -9 of two processes: no graceful leave, no hand-over. */
    private static void terminateAtOnce(HubStore first, HubStore second)
            throws Exception
    {
        ExecutorService killers = Executors.newFixedThreadPool(2);
        try {
            Future<?> one = killers.submit(() -> first.hazelcast().getLifecycleService().terminate());
            Future<?> two = killers.submit(() -> second.hazelcast().getLifecycleService().terminate());
            one.get(30, TimeUnit.SECONDS);
            two.get(30, TimeUnit.SECONDS);
        }
        finally {
            killers.shutdownNow();
        }
    }

    private static String clusterNameOf(HubStore member)
    {
        return member.hazelcast().getConfig().getClusterName();
    }

    private static int memberPort(HubStore member)
    {
        return member.hazelcast().getCluster().getLocalMember().getAddress().getPort();
    }

    private static int rowCount(HubStore store, String mapName)
            throws SQLException
    {
        try (Connection connection = store.database().connection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM " + Database.mapTable(mapName))) {
            result.next();
            return result.getInt(1);
        }
    }
}
