package io.runlight.hub.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * A small JDBC connection pool, so the hub needs no pool library. It hands out at most
 * {@code maxConnections} connections, reuses the most recently returned one, checks a
 * connection that sat idle for a while before reuse, and drops a connection that
 * failed and no longer answers (a restarted PostgreSQL, a shut-down H2 database), so
 * the next borrower gets a fresh one. H2's own {@code JdbcConnectionPool} keeps such
 * connections, which is why it is not used.
 */
final class ConnectionPool
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(ConnectionPool.class);

    /** A connection idle for longer than this is checked with {@link Connection#isValid} before reuse. */
    private static final long VALIDATE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int VALIDATION_TIMEOUT_SECONDS = 2;

    /** Opens a new physical connection. */
    @FunctionalInterface
    interface ConnectionFactory
    {
        Connection open()
                throws SQLException;
    }

    private final String name;
    private final ConnectionFactory factory;
    private final int maxConnections;
    private final Duration borrowTimeout;
    private final Semaphore permits;
    private final Deque<IdleConnection> idle = new ArrayDeque<>();
    private boolean closed;

    ConnectionPool(String name, ConnectionFactory factory, int maxConnections, Duration borrowTimeout)
    {
        this.name = requireNonNull(name, "name is null");
        this.factory = requireNonNull(factory, "factory is null");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
        }
        this.maxConnections = maxConnections;
        this.borrowTimeout = requireNonNull(borrowTimeout, "borrowTimeout is null");
        this.permits = new Semaphore(maxConnections, true);
    }

    /** A connection in auto-commit mode; closing it returns it to the pool. */
    Connection borrow()
            throws SQLException
    {
        return borrow(borrowTimeout);
    }

    Connection borrow(Duration timeout)
            throws SQLException
    {
        try {
            if (!permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SQLTransientConnectionException("No connection to database '" + name + "' became free within "
                        + timeout.toMillis() + " ms (all " + maxConnections + " in use): close connections and blob streams promptly");
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("Interrupted while waiting for a connection to database '" + name + "'", e);
        }
        try {
            Connection physical = takeIdleOrOpen();
            return (Connection) Proxy.newProxyInstance(
                    ConnectionPool.class.getClassLoader(),
                    new Class<?>[] {Connection.class},
                    new PooledConnection(physical));
        }
        catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    private Connection takeIdleOrOpen()
            throws SQLException
    {
        while (true) {
            IdleConnection candidate;
            synchronized (this) {
                if (closed) {
                    throw new SQLTransientConnectionException("Database '" + name + "' is closed");
                }
                candidate = idle.pollFirst();
            }
            if (candidate == null) {
                return factory.open();
            }
            if (System.nanoTime() - candidate.returnedAt() < VALIDATE_AFTER_NANOS || isValid(candidate.connection())) {
                return candidate.connection();
            }
            log.debug("Dropping a connection to database '{}' that no longer answers", name);
            closeQuietly(candidate.connection());
        }
    }

    private void giveBack(Connection physical, boolean failed)
    {
        try {
            if (physical.isClosed() || (failed && !isValid(physical))) {
                // the database went away or restarted: the other idle connections are most likely dead too
                log.debug("Dropping the connections to database '{}' after one stopped answering", name);
                closeQuietly(physical);
                dropIdle();
                return;
            }
            if (!physical.getAutoCommit()) {
                physical.rollback();
                physical.setAutoCommit(true);
            }
            synchronized (this) {
                if (!closed) {
                    idle.offerFirst(new IdleConnection(physical, System.nanoTime()));
                    return;
                }
            }
            closeQuietly(physical);
        }
        catch (SQLException e) {
            log.debug("Dropping a connection to database '{}' that failed to reset", name, e);
            closeQuietly(physical);
        }
        finally {
            permits.release();
        }
    }

    private void dropIdle()
    {
        Deque<IdleConnection> toClose;
        synchronized (this) {
            toClose = new ArrayDeque<>(idle);
            idle.clear();
        }
        for (IdleConnection connection : toClose) {
            closeQuietly(connection.connection());
        }
    }

    /** Closes the idle connections; connections still borrowed are closed when they come back. */
    @Override
    public void close()
    {
        synchronized (this) {
            closed = true;
        }
        dropIdle();
    }

    private static boolean isValid(Connection connection)
    {
        try {
            return connection.isValid(VALIDATION_TIMEOUT_SECONDS);
        }
        catch (SQLException e) {
            return false;
        }
    }

    private void closeQuietly(Connection connection)
    {
        try {
            connection.close();
        }
        catch (SQLException e) {
            // the connection is being discarded; a failure to close it leaves nothing to undo
            log.debug("Closing a connection to database '{}' failed", name, e);
        }
    }

    private record IdleConnection(Connection connection, long returnedAt) {}

    /**
     * The handle a borrower holds: {@code close()} gives the physical connection back
     * once. Statements made from it are wrapped too, so that a failure anywhere marks
     * the connection for a check before it is reused.
     */
    private final class PooledConnection
            implements InvocationHandler
    {
        private final Connection physical;
        private boolean returned;
        private volatile boolean failed;

        PooledConnection(Connection physical)
        {
            this.physical = physical;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args)
                throws Throwable
        {
            switch (method.getName()) {
                case "close":
                    synchronized (this) {
                        if (returned) {
                            return null;
                        }
                        returned = true;
                    }
                    giveBack(physical, failed);
                    return null;
                case "isClosed":
                    synchronized (this) {
                        if (returned) {
                            return true;
                        }
                    }
                    break;
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "PooledConnection[" + name + "]";
                default:
                    synchronized (this) {
                        if (returned) {
                            throw new SQLException("Connection to database '" + name + "' was already closed");
                        }
                    }
            }
            Object result = delegate(physical, method, args);
            if (result instanceof Statement && method.getReturnType().isInterface()) {
                return Proxy.newProxyInstance(
                        ConnectionPool.class.getClassLoader(),
                        new Class<?>[] {method.getReturnType()},
                        new TrackedStatement((Statement) result, (Connection) proxy));
            }
            return result;
        }

        private Object delegate(Object target, Method method, Object[] args)
                throws Throwable
        {
            try {
                return method.invoke(target, args);
            }
            catch (InvocationTargetException e) {
                if (e.getCause() instanceof SQLException) {
                    failed = true;
                }
                throw e.getCause();
            }
        }

        /** A statement whose failures mark its connection; {@code getConnection()} answers the pooled handle. */
        private final class TrackedStatement
                implements InvocationHandler
        {
            private final Statement statement;
            private final Connection handle;

            TrackedStatement(Statement statement, Connection handle)
            {
                this.statement = statement;
                this.handle = handle;
            }

            @Override
            public Object invoke(Object proxy, Method method, Object[] args)
                    throws Throwable
            {
                switch (method.getName()) {
                    case "getConnection":
                        return handle;
                    case "equals":
                        return proxy == args[0];
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    default:
                        return delegate(statement, method, args);
                }
            }
        }
    }
}
