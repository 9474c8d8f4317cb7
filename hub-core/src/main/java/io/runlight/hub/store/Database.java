package io.runlight.hub.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.pool.HikariPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The JDBC database that makes the hub's maps durable: the H2 file in the data folder
 * by default, PostgreSQL when a JDBC URL is given. Opening it creates the schema (one
 * table {@code rl_map_<name>} per durable map, the blob table and a schema-version
 * table) and a small connection pool (HikariCP).
 *
 * <p>The H2 file is opened with {@code WRITE_DELAY=0}: H2's default (500 ms) keeps
 * committed changes in memory for up to half a second, and a {@code kill -9} then
 * loses acknowledged writes. With 0, every commit is written to the file before it
 * returns. It is not forced to the disk ({@code fsync}), so a power cut can still lose
 * the last commits; a process crash cannot. PostgreSQL commits are durable on its side.
 * {@code TRACE_LEVEL_FILE=0}: H2 writes no {@code .trace.db} of its own (a file made with
 * the process's umask, beside a database the hub keeps to its user); its errors reach the
 * hub as exceptions, which the hub logs. {@code MAX_COMPACT_TIME=5000}: at a clean shutdown H2
 * compacts the file for up to 5 s (its default, 200 ms, may stop part way on a busy machine):
 * live chunks move to the front and the rest is cut off, so earlier versions of records
 * (a deleted integration's sealed secrets among them) leave the file. H2 keeps moving chunks
 * until that time is up: closing the small files of tests took the whole 5 s. H2's own system property
 * {@code h2.maxCompactTime}, which the URL's setting would override, replaces the 5 s when it is
 * set: hub-core's tests set 0 (no compaction) for all but the test of the compaction.
 */
public final class Database
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    /** The schema this hub writes; a database with a newer version is refused. */
    public static final int SCHEMA_VERSION = 1;
    public static final String BLOB_TABLE = "rl_blobs";
    public static final String SCHEMA_VERSION_TABLE = "rl_schema_version";
    public static final String MAP_TABLE_PREFIX = "rl_map_";
    /**
     * Longest document (bytes) the embedded H2 file keeps in its row. H2 keeps a
     * {@code CHARACTER LARGE OBJECT} longer than its default of 256 bytes in LOB storage of its own,
     * and reading one back costs several look-ups: a start with 10,000 images (52 MB of insights of
     * about 5 KB each) read them five to seven times slower than in-row documents, and wrote them
     * nearly three times slower. Longer documents (the profiles and insights of very large images)
     * still go to LOB storage, where their size dwarfs that cost. Rows written before this setting
     * move in-row when next written.
     */
    static final int MAX_INLINE_DOCUMENT = 256 * 1024;

    /** Longest key a durable map or the blob store accepts (the key column's length). */
    public static final int MAX_KEY_LENGTH = 512;

    static final int MAX_CONNECTIONS = 10;
    private static final int MIN_IDLE_CONNECTIONS = 2;
    private static final int MAX_COMPACT_MILLIS = 5000;
    /** Any constant: PostgreSQL advisory lock that serialises schema creation across members. */
    private static final long SCHEMA_LOCK_ID = 0x72756e6c69676874L;

    private final String description;
    private final SqlDialect dialect;
    private final HikariPool pool;
    private final Timeouts timeouts;
    private final LostConnections lostConnections;
    private volatile boolean closed;

    private Database(String description, SqlDialect dialect, HikariPool pool, Timeouts timeouts)
    {
        this.description = requireNonNull(description, "description is null");
        this.dialect = requireNonNull(dialect, "dialect is null");
        this.pool = requireNonNull(pool, "pool is null");
        this.timeouts = requireNonNull(timeouts, "timeouts is null");
        this.lostConnections = new LostConnections(dialect);
    }

    /**
     * How long a borrower waits for a connection ({@code borrow}: 10 s) and the readiness check for
     * a connection and its answer ({@code ping}: 2 s, shorter, so that a probe answers while writers
     * still wait). Not a setting: tests of a database that is gone give shorter ones, so that they
     * do not wait out the hub's.
     */
    record Timeouts(Duration borrow, Duration ping)
    {
        /** HikariCP's shortest connection and validation timeouts (declared first: {@link #DEFAULT} checks against it). */
        private static final Duration SHORTEST = Duration.ofMillis(250);
        static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(2));

        Timeouts
        {
            requireNonNull(borrow, "borrow is null");
            requireNonNull(ping, "ping is null");
            if (borrow.compareTo(SHORTEST) < 0 || ping.compareTo(SHORTEST) < 0 || ping.compareTo(borrow) > 0) {
                throw new IllegalArgumentException("timeouts must be at least " + SHORTEST + ", the ping's no longer than the borrow's: " + borrow + ", " + ping);
            }
        }

        /** The ping's query timeout: JDBC counts whole seconds, and 0 would mean none. */
        int pingQuerySeconds()
        {
            return (int) Math.max(1, (ping.toMillis() + 999) / 1000);
        }
    }

    /** Whether {@code failure} came from a connection that is gone: an idempotent statement may be tried once more. */
    boolean isLostConnection(SQLException failure)
    {
        return lostConnections.isLost(failure);
    }

    /**
     * Opens the configured database and creates any missing table for {@code config.durableMaps()}.
     *
     * @throws io.runlight.hub.ConfigException if the configuration is invalid
     * @throws StoreException if the database cannot be reached or its schema is newer than this hub
     */
    public static Database open(StoreConfig config)
    {
        return open(config, Timeouts.DEFAULT);
    }

    /** As {@link #open(StoreConfig)}, with {@code timeouts} instead of the hub's. */
    static Database open(StoreConfig config, Timeouts timeouts)
    {
        requireNonNull(config, "config is null").requireValid();
        requireNonNull(timeouts, "timeouts is null");
        String description;
        SqlDialect dialect;
        HikariConfig pooling = new HikariConfig();
        if (config.jdbc().isEmpty()) {
            Path file = config.h2File();
            try {
                Files.createDirectories(file.getParent());
            }
            catch (IOException e) {
                throw new StoreException("Cannot create the database folder '" + file.getParent() + "': check that the data folder is writable", e);
            }
            description = file + ".mv.db";
            dialect = SqlDialect.H2;
            // documents up to MAX_INLINE_DOCUMENT bytes are kept in the row instead of H2's separate LOB storage
            pooling.setJdbcUrl("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;TRACE_LEVEL_FILE=0;MAX_COMPACT_TIME=" + Integer.getInteger("h2.maxCompactTime", MAX_COMPACT_MILLIS)
                    + ";MAX_LENGTH_INPLACE_LOB=" + MAX_INLINE_DOCUMENT);
            pooling.setUsername("sa");
            pooling.setPassword("");
        }
        else {
            StoreConfig.Jdbc jdbc = config.jdbc().get();
            description = jdbc.scheme() + "...";
            dialect = jdbc.isH2() ? SqlDialect.H2 : SqlDialect.POSTGRESQL;
            pooling.setJdbcUrl(jdbc.url());
            Properties properties = new Properties();
            jdbc.user().ifPresent(user -> properties.setProperty("user", user));
            jdbc.password().ifPresent(password -> properties.setProperty("password", password));
            if (dialect == SqlDialect.POSTGRESQL) {
                // defaults only: settings in the URL win
                properties.setProperty("ApplicationName", "runlight-hub");
                properties.setProperty("connectTimeout", "10");
                properties.setProperty("tcpKeepAlive", "true");
            }
            pooling.setDataSourceProperties(properties);
        }
        String user = config.jdbc().map(jdbc -> jdbc.user().map(name -> "'" + name + "'").orElse("named in the URL")).orElse("'sa'");
        HikariPool pool = openPool(description, dialect, pooling, user, timeouts);
        Database database = new Database(description, dialect, pool, timeouts);
        try {
            database.createSchema(config.durableMaps());
        }
        catch (RuntimeException e) {
            shutDown(pool, description);
            throw e;
        }
        log.info("Opened database '{}' ({} durable maps)", description, config.durableMaps().size());
        return database;
    }

    /**
     * A pooled connection in auto-commit mode; close it to give it back. There are
     * {@value #MAX_CONNECTIONS} connections: waiting longer than 10 s for one fails
     * ({@link Timeouts#borrow}).
     */
    public Connection connection()
            throws SQLException
    {
        if (closed) {
            throw new SQLTransientConnectionException("Database '" + description + "' is closed");
        }
        return pool.getConnection();
    }

    /** Whether the database answers {@code SELECT 1} within 2 s ({@link Timeouts#ping}); for readiness checks. */
    public boolean ping()
    {
        if (closed) {
            return false;
        }
        try (Connection connection = pool.getConnection(timeouts.ping().toMillis());
                Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(timeouts.pingQuerySeconds());
            try (ResultSet result = statement.executeQuery("SELECT 1")) {
                return result.next() && result.getInt(1) == 1;
            }
        }
        catch (SQLException e) {
            log.debug("Database '{}' does not answer", description, e);
            return false;
        }
    }

    /** The table that holds durable map {@code mapName}. */
    public static String mapTable(String mapName)
    {
        return MAP_TABLE_PREFIX + requireNonNull(mapName, "mapName is null");
    }

    /** Where the data lives, without credentials: the H2 file or the URL's scheme. */
    public String description()
    {
        return description;
    }

    SqlDialect dialect()
    {
        return dialect;
    }

    /**
     * Closes the pool and its connections, also those still borrowed (Hazelcast, the only
     * writer, is shut down first); with the H2 file this closes the database.
     */
    @Override
    public void close()
    {
        closed = true;
        shutDown(pool, description);
        log.info("Closed database '{}'", description);
    }

    /**
     * HikariCP with the settings the hub needs: at most {@value #MAX_CONNECTIONS}
     * connections, a borrower waits {@link Timeouts#borrow} (10 s), a connection idle for a moment is validated
     * before reuse, and one that failed because the database went away is dropped
     * ({@link LostConnections}). The pool is used directly rather than through
     * {@code HikariDataSource} because the readiness check borrows with a shorter timeout.
     */
    private static HikariPool openPool(String description, SqlDialect dialect, HikariConfig pooling, String user, Timeouts timeouts)
    {
        pooling.setPoolName("runlight-database");
        pooling.setMaximumPoolSize(MAX_CONNECTIONS);
        pooling.setMinimumIdle(MIN_IDLE_CONNECTIONS);
        pooling.setConnectionTimeout(timeouts.borrow().toMillis());
        pooling.setValidationTimeout(timeouts.ping().toMillis());
        pooling.setAutoCommit(true);
        pooling.setExceptionOverride(new LostConnections(dialect));
        pooling.validate();
        try {
            return new HikariPool(pooling);
        }
        catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof SQLException sql && isLoginFailure(sql)) {
                throw new StoreException("Cannot log in to database '" + description + "' as user " + user + ": the database refused the login ("
                        + sql.getMessage() + "). Check database.user and database.password (RUNLIGHT_DATABASE_USER, RUNLIGHT_DATABASE_PASSWORD)", e);
            }
            throw new StoreException("Cannot connect to database '" + description + "': " + cause.getMessage(), e);
        }
    }

    /** SQL state class 28, invalid authorization (PostgreSQL: 28P01 wrong password, 28000 no such role or not allowed). */
    private static boolean isLoginFailure(SQLException e)
    {
        return e.getSQLState() != null && e.getSQLState().startsWith("28");
    }

    private static void shutDown(HikariPool pool, String description)
    {
        try {
            pool.shutdown();
        }
        catch (InterruptedException e) {
            // the pool stops waiting for borrowed connections; what is left is closed by the database side
            Thread.currentThread().interrupt();
            log.warn("Interrupted while closing the connections to database '{}'", description);
        }
    }

    private void createSchema(Collection<String> durableMaps)
    {
        try (Connection connection = connection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                if (dialect == SqlDialect.POSTGRESQL) {
                    // members starting together would race on CREATE TABLE IF NOT EXISTS; DDL is transactional here
                    statement.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK_ID + ")");
                }
                statement.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA_VERSION_TABLE + " ("
                        + "schema_version INTEGER PRIMARY KEY, "
                        + "applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
                int current = currentVersion(statement);
                if (current > SCHEMA_VERSION) {
                    throw new StoreException("Database '" + description + "' has schema version " + current
                            + ", newer than this hub's " + SCHEMA_VERSION + ": run a hub of the version that wrote it, or a newer one");
                }
                for (String sql : tableDefinitions(durableMaps)) {
                    statement.execute(sql);
                }
                if (current < SCHEMA_VERSION) {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO " + SCHEMA_VERSION_TABLE + " (schema_version, applied_at) VALUES (?, CURRENT_TIMESTAMP)")) {
                        insert.setInt(1, SCHEMA_VERSION);
                        insert.executeUpdate();
                    }
                }
            }
            connection.commit();
        }
        catch (SQLException e) {
            throw new StoreException("Cannot create the tables in database '" + description + "': " + e.getMessage(), e);
        }
    }

    private static int currentVersion(Statement statement)
            throws SQLException
    {
        try (ResultSet result = statement.executeQuery("SELECT MAX(schema_version) FROM " + SCHEMA_VERSION_TABLE)) {
            result.next();
            return result.getInt(1);
        }
    }

    private List<String> tableDefinitions(Collection<String> durableMaps)
    {
        List<String> definitions = new ArrayList<>();
        for (String mapName : durableMaps) {
            definitions.add("CREATE TABLE IF NOT EXISTS " + mapTable(mapName) + " ("
                    + "map_key VARCHAR(" + MAX_KEY_LENGTH + ") PRIMARY KEY, "
                    + "map_value " + dialect.textType() + " NOT NULL, "
                    + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        }
        definitions.add("CREATE TABLE IF NOT EXISTS " + BLOB_TABLE + " ("
                + "blob_key VARCHAR(" + MAX_KEY_LENGTH + ") PRIMARY KEY, "
                + "sha256 CHAR(64) NOT NULL, "
                + "size_bytes BIGINT NOT NULL, "
                + "content " + dialect.binaryType() + " NOT NULL, "
                + "created_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        return definitions;
    }
}
