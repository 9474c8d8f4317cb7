package io.runlight.hub.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Large documents (raw SBOMs, scan reports) kept in the database table {@code rl_blobs}
 * rather than in map values, so that Hazelcast partitions and backups stay small. A
 * blob is streamed in and out; on H2 it never sits whole in memory. On PostgreSQL the
 * column is {@code bytea}: the driver spools a large upload to a temporary file, but
 * reading one back holds it in memory once (up to PostgreSQL's 1 GB value limit).
 *
 * <p>Blocking: every method does JDBC I/O; call it off the event loop.
 */
public final class BlobStore
{
    private static final String SELECT_CONTENT = "SELECT content FROM " + Database.BLOB_TABLE + " WHERE blob_key = ?";

    private final Database database;
    private final String upsertSql;

    /** Blobs in {@code database}'s table {@value Database#BLOB_TABLE}, which {@link Database#open} created. */
    public BlobStore(Database database)
    {
        this.database = requireNonNull(database, "database is null");
        this.upsertSql = database.dialect().upsert(Database.BLOB_TABLE, "blob_key", List.of("blob_key", "sha256", "size_bytes", "content"), "created_at");
    }

    /**
     * Stores (or replaces) the blob {@code key}, reading {@code content} to its end; the
     * caller still closes {@code content}. The row appears complete or not at all.
     *
     * @return the lowercase hex SHA-256 of the bytes stored
     * @throws StoreException if the database or the stream fails
     */
    public String put(String key, InputStream content)
    {
        checkKey(key);
        requireNonNull(content, "content is null");
        MeasuringInputStream measured = new MeasuringInputStream(content);
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement insert = connection.prepareStatement(upsertSql)) {
                    // digest and size are known only once the stream is consumed: written in the same transaction below
                    insert.setString(1, key);
                    insert.setString(2, "0".repeat(64));
                    insert.setLong(3, 0);
                    insert.setBinaryStream(4, measured);
                    insert.executeUpdate();
                }
                String sha256 = measured.sha256();
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE " + Database.BLOB_TABLE + " SET sha256 = ?, size_bytes = ? WHERE blob_key = ?")) {
                    update.setString(1, sha256);
                    update.setLong(2, measured.size());
                    update.setString(3, key);
                    update.executeUpdate();
                }
                connection.commit();
                return sha256;
            }
            catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        }
        catch (SQLException e) {
            throw new StoreException("Cannot store a blob in table '" + Database.BLOB_TABLE + "' of database '" + database.description() + "': " + e.getMessage(), e);
        }
    }

    /**
     * The content of blob {@code key}, or empty if there is none. The stream holds one of
     * the pool's few connections (and, on H2, a read transaction that keeps the blob
     * readable even if it is replaced meanwhile) until it is closed: close it promptly,
     * in a try-with-resources block.
     */
    public Optional<InputStream> open(String key)
    {
        requireNonNull(key, "key is null");
        Connection connection = null;
        PreparedStatement statement = null;
        ResultSet result = null;
        try {
            connection = database.connection();
            connection.setAutoCommit(false);
            statement = connection.prepareStatement(SELECT_CONTENT);
            statement.setString(1, key);
            result = statement.executeQuery();
            if (!result.next()) {
                closeAll(result, statement, connection);
                return Optional.empty();
            }
            return Optional.of(new BlobInputStream(result.getBinaryStream(1), result, statement, connection));
        }
        catch (SQLException | RuntimeException e) {
            try {
                closeAll(result, statement, connection);
            }
            catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StoreException("Cannot read a blob from table '" + Database.BLOB_TABLE + "' of database '" + database.description() + "': " + e.getMessage(), e);
        }
    }

    /** Whether blob {@code key} exists. */
    public boolean exists(String key)
    {
        requireNonNull(key, "key is null");
        try (Connection connection = database.connection();
                PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM " + Database.BLOB_TABLE + " WHERE blob_key = ?")) {
            statement.setString(1, key);
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        }
        catch (SQLException e) {
            throw new StoreException("Cannot look up a blob in table '" + Database.BLOB_TABLE + "' of database '" + database.description() + "': " + e.getMessage(), e);
        }
    }

    /**
     * Deletes blob {@code key}.
     *
     * @return whether it existed
     */
    public boolean delete(String key)
    {
        requireNonNull(key, "key is null");
        try (Connection connection = database.connection();
                PreparedStatement statement = connection.prepareStatement("DELETE FROM " + Database.BLOB_TABLE + " WHERE blob_key = ?")) {
            statement.setString(1, key);
            return statement.executeUpdate() > 0;
        }
        catch (SQLException e) {
            throw new StoreException("Cannot delete a blob from table '" + Database.BLOB_TABLE + "' of database '" + database.description() + "': " + e.getMessage(), e);
        }
    }

    private static void checkKey(String key)
    {
        requireNonNull(key, "key is null");
        if (key.isEmpty() || key.length() > Database.MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("A blob key must have 1 to " + Database.MAX_KEY_LENGTH + " characters, not " + key.length() + ": use a shorter key (e.g. a digest)");
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

    private static void closeAll(AutoCloseable... resources)
            throws SQLException
    {
        SQLException failure = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            }
            catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof SQLException sql ? sql : new SQLException(e);
                }
                else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Computes the SHA-256 and size of what passes through. */
    private static final class MeasuringInputStream
            extends FilterInputStream
    {
        private final MessageDigest digest;
        private long size;

        MeasuringInputStream(InputStream in)
        {
            super(in);
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            }
            catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("Every Java runtime has SHA-256", e);
            }
        }

        @Override
        public int read()
                throws IOException
        {
            int value = in.read();
            if (value >= 0) {
                digest.update((byte) value);
                size++;
            }
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
                throws IOException
        {
            int count = in.read(buffer, offset, length);
            if (count > 0) {
                digest.update(buffer, offset, count);
                size += count;
            }
            return count;
        }

        @Override
        public long skip(long count)
                throws IOException
        {
            // skipping would leave bytes out of the digest; read them instead
            byte[] buffer = new byte[8192];
            long skipped = 0;
            while (skipped < count) {
                int read = read(buffer, 0, (int) Math.min(buffer.length, count - skipped));
                if (read < 0) {
                    break;
                }
                skipped += read;
            }
            return skipped;
        }

        @Override
        public boolean markSupported()
        {
            return false;
        }

        @Override
        public void close()
        {
            // the caller owns the underlying stream and closes it
        }

        String sha256()
        {
            return HexFormat.of().formatHex(digest.digest());
        }

        long size()
        {
            return size;
        }
    }

    /** The blob's bytes; closing it closes the result, the statement and gives the connection back. */
    private static final class BlobInputStream
            extends FilterInputStream
    {
        private final ResultSet result;
        private final PreparedStatement statement;
        private final Connection connection;
        private boolean closed;

        BlobInputStream(InputStream content, ResultSet result, PreparedStatement statement, Connection connection)
        {
            super(content);
            this.result = result;
            this.statement = statement;
            this.connection = connection;
        }

        @Override
        public void close()
                throws IOException
        {
            if (closed) {
                return;
            }
            closed = true;
            try {
                closeAll(in, result, statement, connection);
            }
            catch (SQLException e) {
                throw new IOException("Cannot release the connection of a blob stream", e);
            }
        }
    }
}
