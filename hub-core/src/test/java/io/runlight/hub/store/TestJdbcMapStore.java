package io.runlight.hub.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestJdbcMapStore
{
    @Test
    void storesLoadsStreamsAndDeletesOnH2(@TempDir Path dataDirectory)
            throws IOException
    {
        try (Database database = Database.open(StoreConfig.local(dataDirectory, List.of("things")))) {
            exercise(database);
        }
    }

    /** Also run against PostgreSQL by {@link TestHubStorePostgres}. */
    static void exercise(Database database)
            throws IOException
    {
        JdbcMapStore store = new JdbcMapStore(database, "things");
        // more than one JDBC batch and more keys than one fetch
        int count = JdbcMapStore.BATCH_SIZE * 2 + JdbcMapStore.FETCH_SIZE / 2 + 7;
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            entries.put("key-" + i, "{\"n\":" + i + "}");
        }
        store.storeAll(entries);
        store.store("key-0", "{\"n\":\"replaced\"}");
        store.store("ünïcode-kéy", "{\"text\":\"naïve ✓ " + "x".repeat(100_000) + "\"}");

        assertThat(store.load("key-0")).isEqualTo("{\"n\":\"replaced\"}");
        assertThat(store.load("key-" + (count - 1))).isEqualTo("{\"n\":" + (count - 1) + "}");
        assertThat(store.load("ünïcode-kéy")).isEqualTo("{\"text\":\"naïve ✓ " + "x".repeat(100_000) + "\"}");
        assertThat(store.load("missing")).isNull();

        // Hazelcast's own initial load is not used: the hub loads the maps itself (MapRecovery)
        assertThat(store.loadAllKeys()).isEmpty();
        List<String> keys = new ArrayList<>();
        store.storedKeys().forEach(keys::add);
        assertThat(keys).hasSize(count + 1).contains("key-0", "key-" + (count - 1), "ünïcode-kéy");

        List<String> wanted = new ArrayList<>(entries.keySet());
        wanted.add("missing");
        Map<String, String> loaded = store.loadAll(wanted);
        assertThat(loaded).hasSize(count).containsEntry("key-0", "{\"n\":\"replaced\"}").containsEntry("key-17", "{\"n\":17}").doesNotContainKey("missing");

        store.deleteAll(wanted.subList(0, count - 2));
        store.delete("ünïcode-kéy");
        store.delete("never-there");
        List<String> remaining = new ArrayList<>();
        store.storedKeys().forEach(remaining::add);
        assertThat(remaining).containsExactlyInAnyOrder("key-" + (count - 2), "key-" + (count - 1));

        // a cursor closed half-way gives its connection back
        Iterable<String> cursor = store.storedKeys();
        for (int i = 0; i < Database.MAX_CONNECTIONS + 2; i++) {
            Iterator<String> iterator = cursor.iterator();
            assertThat(iterator.hasNext()).isTrue();
            ((Closeable) cursor).close();
        }
        assertThat(database.ping()).isTrue();

        // a whole-table read serves the loadAll calls that follow it, once each, until forgotten; a write by another
        // member's store does not reach it (a start loads with loadAll(keys, false): entries the cluster holds stay)
        String first = "key-" + (count - 2);
        String second = "key-" + (count - 1);
        JdbcMapStore otherMember = new JdbcMapStore(database, "things");
        store.store("skipped", "{}");
        Map<String, String> read = store.readAllExcept("skipped"::equals);
        assertThat(read).containsOnlyKeys(first, second);
        otherMember.store(first, "{\"n\":\"newer\"}");
        assertThat(store.loadAll(List.of(first, "skipped"))).containsExactlyInAnyOrderEntriesOf(Map.of(first, read.get(first), "skipped", "{}"));
        assertThat(store.loadAll(List.of(first))).containsExactlyEntriesOf(Map.of(first, "{\"n\":\"newer\"}"));
        // deleted or written through this store after the read: not handed out from it (a deleted entry would come back)
        store.delete(second);
        assertThat(store.loadAll(List.of(second))).isEmpty();
        store.readAllExcept(key -> false);
        store.store("skipped", "{\"v\":2}");
        assertThat(store.loadAll(List.of("skipped"))).containsExactlyEntriesOf(Map.of("skipped", "{\"v\":2}"));
        store.forgetReadAhead(List.of(first, "skipped"));
        otherMember.delete(first);
        assertThat(store.loadAll(List.of(first))).isEmpty();
        store.delete("skipped");

        // documents on either side of what the H2 file keeps in the row, in characters of two and three bytes
        String justInRow = "{\"t\":\"" + "é".repeat((Database.MAX_INLINE_DOCUMENT - 10) / 2) + "\"}";
        String justOutOfRow = "{\"t\":\"" + "✓".repeat(Database.MAX_INLINE_DOCUMENT / 3 + 10) + "\"}";
        store.storeAll(Map.of("in-row", justInRow, "out-of-row", justOutOfRow));
        assertThat(store.load("in-row")).isEqualTo(justInRow);
        assertThat(store.load("out-of-row")).isEqualTo(justOutOfRow);
        assertThat(store.readAllExcept(key -> false)).containsExactlyInAnyOrderEntriesOf(Map.of("in-row", justInRow, "out-of-row", justOutOfRow));
        store.forgetReadAhead(List.of("in-row", "out-of-row"));
        store.deleteAll(List.of("in-row", "out-of-row"));

        assertThatThrownBy(() -> store.store("k".repeat(513), "{}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A key of 513 characters is longer than the 512 a durable map stores: use a shorter key (e.g. a digest)");
    }
}
