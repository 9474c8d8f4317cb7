package io.runlight.hub.store;

import java.sql.SQLException;
import java.util.Set;

import com.zaxxer.hikari.SQLExceptionOverride;

import static java.util.Objects.requireNonNull;

/**
 * Tells HikariCP which failures mean the connection is gone, so the pool drops it and
 * the next borrower gets a fresh one. HikariCP knows the SQL states of a lost
 * connection (08xxx, PostgreSQL's 57P01 on a restart), but embedded H2 reports a closed
 * or exclusively held database with codes of its own; without this, a connection to a
 * database that went away and came back would be handed out again and fail once more.
 */
final class LostConnections
        implements SQLExceptionOverride
{
    /**
     * H2's {@code ErrorCode}s of a connection that cannot be used again: object closed,
     * connection broken, database closed, closed at shutdown, in exclusive mode.
     */
    private static final Set<Integer> H2_LOST = Set.of(90007, 90067, 90098, 90121, 90135);

    private final SqlDialect dialect;

    LostConnections(SqlDialect dialect)
    {
        this.dialect = requireNonNull(dialect, "dialect is null");
    }

    /**
     * Whether {@code failure} means the connection it came from is gone (dropped from the pool
     * since), so that the same idempotent statement may be tried once more on a fresh one.
     */
    boolean isLost(SQLException failure)
    {
        if (dialect == SqlDialect.H2 && H2_LOST.contains(failure.getErrorCode())) {
            return true;
        }
        String state = failure.getSQLState();
        // connection exceptions, and PostgreSQL's administrator shutdown / crash shutdown / cannot connect now
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"));
    }

    // spelled out: the interface's nested enum Override hides java.lang.Override here
    @java.lang.Override
    public Override adjudicate(SQLException failure)
    {
        if (dialect == SqlDialect.H2 && H2_LOST.contains(failure.getErrorCode())) {
            return Override.MUST_EVICT;
        }
        // HikariCP's own judgement: evict on the SQL states of a lost connection only
        return Override.CONTINUE_EVICT;
    }
}
