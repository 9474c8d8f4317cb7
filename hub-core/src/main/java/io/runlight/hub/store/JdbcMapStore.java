package io.runlight.hub.store;

import java.io.Closeable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.hazelcast.map.MapStore;

import static java.util.Objects.requireNonNull;

/**
 * Writes one durable Hazelcast map through to its table {@code rl_map_<name>}, and
 * reads entries back for Hazelcast (a key missing from memory) and for {@link MapRecovery}
 * (which loads the maps at start). Configured write-through ({@code write-delay-seconds: 0}),
 * so a {@code put} returns only after the row is committed, and a failing database
 * fails the {@code put} (a {@link StoreException} reaches the caller; nothing was stored).
 * Batches ({@code storeAll}, {@code deleteAll}) are one transaction each.
 */
public final class JdbcMapStore
        implements MapStore<String, String>
{
    /** Rows per JDBC batch and keys per {@code IN (...)} list. */
    static final int BATCH_SIZE = 500;
    /** Rows fetched per round trip while streaming keys. */
    static final int FETCH_SIZE = 1000;

    private final Database database;
    private final String mapName;
    private final String table;
    private final String upsertSql;
    /**
     * Rows a whole-table scan has read ({@link #readAllExcept}) for a map load under way: Hazelcast's
     * {@link #loadAll} takes its values from here instead of asking the database again, one
     * {@code IN} query per partition, which was most of a start's time.
     */
    private final Map<String, String> readAhead = new ConcurrentHashMap<>();

    /** A store for durable map {@code mapName}, whose table {@link Database#open} created. */
    public JdbcMapStore(Database database, String mapName)
    {
        this.database = requireNonNull(database, "database is null");
        this.mapName = requireNonNull(mapName, "mapName is null");
        this.table = Database.mapTable(mapName);
        this.upsertSql = database.dialect().upsert(table, "map_key", List.of("map_key", "map_value"), "updated_at");
    }

    @Override
    public void store(String key, String value)
    {
        checkKey(key);
        requireNonNull(value, "value is null");
        readAhead.remove(key);
        onConnection("write an entry of", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(upsertSql)) {
                statement.setString(1, key);
                statement.setString(2, value);
                statement.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void storeAll(Map<String, String> entries)
    {
        if (entries.isEmpty()) {
            return;
        }
        entries.keySet().forEach(JdbcMapStore::checkKey);
        entries.keySet().forEach(readAhead::remove);
        inTransaction("write " + entries.size() + " entries of", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(upsertSql)) {
                int pending = 0;
                for (Map.Entry<String, String> entry : entries.entrySet()) {
                    statement.setString(1, entry.getKey());
                    statement.setString(2, requireNonNull(entry.getValue(), "value is null"));
                    statement.addBatch();
                    pending++;
                    if (pending == BATCH_SIZE) {
                        statement.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    statement.executeBatch();
                }
            }
        });
    }

    @Override
    public void delete(String key)
    {
        // a row read ahead for a load under way must not come back once deleted
        readAhead.remove(key);
        onConnection("delete an entry of", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + table + " WHERE map_key = ?")) {
                statement.setString(1, key);
                statement.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void deleteAll(Collection<String> keys)
    {
        if (keys.isEmpty()) {
            return;
        }
        keys.forEach(readAhead::remove);
        inTransaction("delete " + keys.size() + " entries of", connection -> {
            for (List<String> chunk : chunks(keys)) {
                try (PreparedStatement statement = connection.prepareStatement(
                        "DELETE FROM " + table + " WHERE map_key IN (" + placeholders(chunk.size()) + ")")) {
                    bind(statement, chunk);
                    statement.executeUpdate();
                }
            }
        });
    }

    @Override
    public String load(String key)
    {
        return onConnection("read an entry of", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT map_value FROM " + table + " WHERE map_key = ?")) {
                statement.setString(1, key);
                try (ResultSet result = statement.executeQuery()) {
                    return result.next() ? result.getString(1) : null;
                }
            }
        });
    }

    @Override
    public Map<String, String> loadAll(Collection<String> keys)
    {
        Map<String, String> loaded = new HashMap<>();
        List<String> unread = new ArrayList<>();
        for (String key : keys) {
            String value = readAhead.remove(key);
            if (value != null) {
                loaded.put(key, value);
            }
            else {
                unread.add(key);
            }
        }
        if (unread.isEmpty()) {
            return loaded;
        }
        try (Connection connection = database.connection()) {
            for (List<String> chunk : chunks(unread)) {
                try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT map_key, map_value FROM " + table + " WHERE map_key IN (" + placeholders(chunk.size()) + ")")) {
                    bind(statement, chunk);
                    try (ResultSet result = statement.executeQuery()) {
                        while (result.next()) {
                            loaded.put(result.getString(1), result.getString(2));
                        }
                    }
                }
            }
        }
        catch (SQLException e) {
            throw failure("read " + keys.size() + " entries of", e);
        }
        return loaded;
    }

    /**
     * No keys: Hazelcast's own initial load is not used. Its key loading is coordinated by the
     * member that owns the map name's partition and the first backup of it; when both die at once
     * (two of three members), partitions created afterwards wait for a load that nobody finishes,
     * and every call on them answers "still loading" for minutes. The hub loads maps itself
     * ({@link MapRecovery}: the keys the database has and the cluster lacks, through
     * {@code IMap.loadAll(keys, false)}), at start and after members are lost.
     */
    @Override
    public Iterable<String> loadAllKeys()
    {
        return List.of();
    }

    /**
     * Every row of the table whose key {@code skip} rejects, in one scan, kept for the
     * {@link #loadAll} calls that follow ({@link #forgetReadAhead} once they are done): a whole
     * map loaded this way costs one query instead of one per partition.
     */
    Map<String, String> readAllExcept(Predicate<String> skip)
    {
        requireNonNull(skip, "skip is null");
        Map<String, String> rows = new HashMap<>();
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement("SELECT map_key, map_value FROM " + table)) {
                statement.setFetchSize(FETCH_SIZE);
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        String key = result.getString(1);
                        if (!skip.test(key)) {
                            rows.put(key, result.getString(2));
                        }
                    }
                }
            }
            finally {
                connection.rollback();
            }
        }
        catch (SQLException e) {
            throw failure("read the entries of", e);
        }
        readAhead.putAll(rows);
        return rows;
    }

    /** Drops rows {@link #readAllExcept} kept that no {@link #loadAll} took (a partition that moved meanwhile reads them again). */
    void forgetReadAhead(Collection<String> keys)
    {
        keys.forEach(readAhead::remove);
    }

    /**
     * Every key of the table, streamed {@value #FETCH_SIZE} rows at a time; the connection goes
     * back to the pool when the keys run out or the iterable is closed.
     */
    Iterable<String> storedKeys()
    {
        return new KeyCursor();
    }

    @Override
    public String toString()
    {
        return "JdbcMapStore[" + mapName + " in " + database.description() + "]";
    }

    /**
     * Runs one idempotent statement; if its connection turns out to be gone (the database
     * restarted, or went away and came back), once more on a fresh one from the pool, which has
     * dropped the dead one meanwhile. A statement that fails for any other reason fails.
     */
    private <T> T onConnection(String action, ConnectionWork<T> work)
    {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = database.connection()) {
                return work.run(connection);
            }
            catch (SQLException e) {
                if (attempt == 1 && database.isLostConnection(e)) {
                    continue;
                }
                throw failure(action, e);
            }
        }
    }

    private void inTransaction(String action, TransactionBody body)
    {
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try {
                body.run(connection);
                connection.commit();
            }
            catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        }
        catch (SQLException e) {
            throw failure(action, e);
        }
    }

    private static void rollback(Connection connection, Exception failure)
    {
        try {
            connection.rollback();
        }
        catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private StoreException failure(String action, SQLException e)
    {
        return new StoreException("Cannot " + action + " map '" + mapName + "' in database '" + database.description() + "': " + e.getMessage(), e);
    }

    private static void checkKey(String key)
    {
        requireNonNull(key, "key is null");
        if (key.length() > Database.MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("A key of " + key.length() + " characters is longer than the " + Database.MAX_KEY_LENGTH + " a durable map stores: use a shorter key (e.g. a digest)");
        }
    }

    private static List<List<String>> chunks(Collection<String> keys)
    {
        List<List<String>> chunks = new ArrayList<>();
        List<String> current = new ArrayList<>(Math.min(keys.size(), BATCH_SIZE));
        for (String key : keys) {
            current.add(key);
            if (current.size() == BATCH_SIZE) {
                chunks.add(current);
                current = new ArrayList<>(BATCH_SIZE);
            }
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    private static String placeholders(int count)
    {
        return IntStream.range(0, count).mapToObj(i -> "?").collect(Collectors.joining(", "));
    }

    private static void bind(PreparedStatement statement, List<String> keys)
            throws SQLException
    {
        for (int i = 0; i < keys.size(); i++) {
            statement.setString(i + 1, keys.get(i));
        }
    }

    @FunctionalInterface
    private interface ConnectionWork<T>
    {
        T run(Connection connection)
                throws SQLException;
    }

    @FunctionalInterface
    private interface TransactionBody
    {
        void run(Connection connection)
                throws SQLException;
    }

    /**
     * Streams the keys inside a read transaction (PostgreSQL fetches by {@code fetchSize}
     * only outside auto-commit). Each {@link #iterator()} opens its own query; the
     * connection goes back to the pool when the keys run out or on {@link #close()}.
     */
    private final class KeyCursor
            implements Iterable<String>, Closeable
    {
        private final List<KeyIterator> open = new ArrayList<>();

        @Override
        public synchronized Iterator<String> iterator()
        {
            KeyIterator iterator = new KeyIterator();
            open.add(iterator);
            return iterator;
        }

        @Override
        public synchronized void close()
        {
            for (KeyIterator iterator : open) {
                iterator.close();
            }
            open.clear();
        }
    }

    private final class KeyIterator
            implements Iterator<String>
    {
        private Connection connection;
        private PreparedStatement statement;
        private ResultSet result;
        private String next;
        private boolean done;

        KeyIterator()
        {
            try {
                connection = database.connection();
                connection.setAutoCommit(false);
                statement = connection.prepareStatement("SELECT map_key FROM " + table);
                statement.setFetchSize(FETCH_SIZE);
                result = statement.executeQuery();
            }
            catch (SQLException e) {
                close();
                throw failure("list the keys of", e);
            }
        }

        @Override
        public boolean hasNext()
        {
            if (next != null) {
                return true;
            }
            if (done) {
                return false;
            }
            try {
                if (result.next()) {
                    next = result.getString(1);
                    return true;
                }
            }
            catch (SQLException e) {
                close();
                throw failure("list the keys of", e);
            }
            close();
            return false;
        }

        @Override
        public String next()
        {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            String key = next;
            next = null;
            return key;
        }

        void close()
        {
            if (done) {
                return;
            }
            done = true;
            SQLException failure = null;
            for (AutoCloseable resource : new AutoCloseable[] {result, statement, connection}) {
                if (resource == null) {
                    continue;
                }
                try {
                    // the pool rolls the read transaction back when the connection comes back
                    resource.close();
                }
                catch (Exception e) {
                    if (failure == null) {
                        failure = e instanceof SQLException sql ? sql : new SQLException(e);
                    }
                }
            }
            if (failure != null) {
                throw failure("finish listing the keys of", failure);
            }
        }
    }
}
