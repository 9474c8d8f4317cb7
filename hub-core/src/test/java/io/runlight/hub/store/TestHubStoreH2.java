package io.runlight.hub.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.hazelcast.map.IMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.runlight.hub.Await.await;
import static io.runlight.hub.store.StoreFixtures.freePort;
import static io.runlight.hub.store.StoreFixtures.h2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestHubStoreH2
{
    @TempDir
    Path dataDirectory;

    @Test
    void restartedMemberHasEveryEntryLoadedEagerly()
    {
        try (HubStore store = HubStore.start(h2(dataDirectory, freePort()))) {
            IMap<String, String> images = store.map("images");
            for (int i = 0; i < 250; i++) {
                images.set("sha256:" + i, "{\"n\":" + i + "}");
            }
            images.delete("sha256:7");
            store.map("tokens").set("tok_1", "{\"name\":\"snyk\"}");
            store.map("scratch").set("not", "durable");
            assertThat(store.isReady()).isTrue();
        }

        try (HubStore store = HubStore.start(h2(dataDirectory, freePort()))) {
            // counted before any read could load an entry lazily: the start loaded them all
            assertThat(store.map("images").getLocalMapStats().getOwnedEntryCount()).isEqualTo(249);
            assertThat(store.map("images").size()).isEqualTo(249);
            assertThat(store.map("images").get("sha256:42")).isEqualTo("{\"n\":42}");
            assertThat(store.map("images").get("sha256:7")).isNull();
            assertThat(store.map("tokens").get("tok_1")).isEqualTo("{\"name\":\"snyk\"}");
            assertThat(store.map("outbox").size()).isZero();
            assertThat(store.map("scratch").size()).isZero();
            assertThat(store.isDurable("tokens")).isTrue();
            assertThat(store.isDurable("scratch")).isFalse();
        }
    }

    @Test
    void writesThroughBeforePutReturns()
            throws SQLException
    {
        try (HubStore store = HubStore.start(h2(dataDirectory, freePort()))) {
            IMap<String, String> tokens = store.map("tokens");

            tokens.put("tok_1", "{\"name\":\"scout\"}");
            assertThat(rows(store, "tokens")).containsExactly("tok_1={\"name\":\"scout\"}");

            tokens.set("tok_1", "{\"name\":\"scout\",\"renewed\":true}");
            tokens.putAll(java.util.Map.of("tok_2", "{}", "tok_3", "[]"));
            assertThat(rows(store, "tokens")).containsExactly("tok_1={\"name\":\"scout\",\"renewed\":true}", "tok_2={}", "tok_3=[]");

            tokens.delete("tok_2");
            tokens.remove("tok_3");
            assertThat(rows(store, "tokens")).containsExactly("tok_1={\"name\":\"scout\",\"renewed\":true}");

            store.map("scratch").set("k", "v");
            try (Connection connection = store.database().connection();
                    ResultSet tables = connection.getMetaData().getTables(null, null, "RL_MAP_SCRATCH", null)) {
                assertThat(tables.next()).isFalse();
            }
        }
    }

    @Test
    void failingDatabaseFailsThePutAndAcknowledgesNothing()
            throws SQLException
    {
        // a borrower and the readiness check give up sooner than the hub's 10 s and 2 s, while the database is gone
        Database.Timeouts gone = new Database.Timeouts(Duration.ofSeconds(1), Duration.ofMillis(250));
        try (HubStore store = HubStore.start(h2(dataDirectory, freePort()), List.of(), gone)) {
            IMap<String, String> outbox = store.map("outbox");
            outbox.set("before", "{}");
            String url = "jdbc:h2:file:" + store.database().description().replace(".mv.db", "") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";

            try (Connection admin = DriverManager.getConnection(url, "sa", "");
                    Statement statement = admin.createStatement()) {
                // the database goes away under the member: every other session is closed, new ones are refused
                // (a plain SHUTDOWN would not do: embedded H2 reopens the file on the next connection)
                statement.execute("SET EXCLUSIVE 2");

                assertThatThrownBy(() -> outbox.set("during", "{\"lost\":true}"))
                        .isInstanceOf(StoreException.class)
                        .hasMessageStartingWith("Cannot write an entry of map 'outbox' in database '" + store.database().description() + "': ");
                // not in memory either: size() does not consult the database
                assertThat(outbox.size()).isEqualTo(1);
                assertThat(store.isReady()).isFalse();

                statement.execute("SET EXCLUSIVE 0");
            }

            // the pool dropped the dead connections; writes work again
            outbox.set("after", "{}");
            assertThat(rows(store, "outbox")).containsExactly("after={}", "before={}");
            assertThat(outbox.get("during")).isNull();
            // awaited: on a starved machine one borrow may outlast the short readiness check
            await("the store ready again", Duration.ofSeconds(30), store::isReady);
        }
    }

    @Test
    void closedStoreIsNotReady()
    {
        HubStore store = HubStore.start(h2(dataDirectory, freePort()));
        assertThat(store.isReady()).isTrue();

        store.close();
        store.close();

        assertThat(store.isReady()).isFalse();
        assertThat(store.database().ping()).isFalse();
    }

    static List<String> rows(HubStore store, String mapName)
            throws SQLException
    {
        List<String> rows = new ArrayList<>();
        try (Connection connection = store.database().connection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT map_key, map_value, updated_at FROM " + Database.mapTable(mapName) + " ORDER BY map_key");
                ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                assertThat(result.getTimestamp(3)).isNotNull();
                rows.add(result.getString(1) + "=" + result.getString(2));
            }
        }
        return rows;
    }
}
