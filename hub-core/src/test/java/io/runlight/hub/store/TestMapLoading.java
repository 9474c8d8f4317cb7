package io.runlight.hub.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;

import com.hazelcast.map.IMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.runlight.hub.store.StoreFixtures.freePort;
import static io.runlight.hub.store.StoreFixtures.h2;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link MapLoading}: Hazelcast's {@code IMap.loadAll(keys, false)} through its internal operations. */
class TestMapLoading
{
    @TempDir
    Path dataDirectory;

    @Test
    void loadsTheAbsentKeysFromTheStoreAndKeepsTheHeldOnes()
            throws SQLException
    {
        try (HubStore store = HubStore.start(h2(dataDirectory, freePort()))) {
            IMap<String, String> images = store.map("images");
            images.set("held", "{\"in\":\"memory\"}");
            for (int i = 0; i < 100; i++) {
                insertRow(store, "sha256:" + i, "{\"n\":" + i + "}");
            }
            // in the database only (as after a restart): the map does not have it
            insertRow(store, "held", "{\"in\":\"database\"}");
            assertThat(images.getLocalMapStats().getOwnedEntryCount()).isEqualTo(1);

            MapLoading.loadAbsent(images, Set.of("held", "sha256:0", "sha256:42", "sha256:99", "absent"));

            // counted before any read could load an entry itself: the call returned with the partitions loaded
            assertThat(images.getLocalMapStats().getOwnedEntryCount()).isEqualTo(4);
            assertThat(images.get("held")).isEqualTo("{\"in\":\"memory\"}");
            assertThat(images.get("sha256:42")).isEqualTo("{\"n\":42}");
            assertThat(images.get("sha256:99")).isEqualTo("{\"n\":99}");
            assertThat(images.containsKey("sha256:1")).isTrue();
        }
    }

    private static void insertRow(HubStore store, String key, String value)
            throws SQLException
    {
        try (Connection connection = store.database().connection();
                PreparedStatement statement = connection.prepareStatement(
                        "MERGE INTO " + Database.mapTable("images") + " (map_key, map_value, updated_at) KEY (map_key) VALUES (?, ?, CURRENT_TIMESTAMP)")) {
            statement.setString(1, key);
            statement.setString(2, value);
            statement.executeUpdate();
        }
    }
}
