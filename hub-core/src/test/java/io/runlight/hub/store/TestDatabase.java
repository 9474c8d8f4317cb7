package io.runlight.hub.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.runlight.hub.Await.await;
import static io.runlight.hub.store.StoreFixtures.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The database's connection pool (HikariCP) as the hub sets it up. */
class TestDatabase
{
    private static final Database.Timeouts SHORT_PING = new Database.Timeouts(Database.Timeouts.DEFAULT.borrow(), Duration.ofMillis(250));

    @TempDir
    Path dataDirectory;

    @Test
    void unreachableDatabaseFailsAtOpenNamingItWithoutTheCredentials()
    {
        int port = freePort();
        StoreConfig.Jdbc jdbc = new StoreConfig.Jdbc("jdbc:postgresql://127.0.0.1:" + port + "/runlight", Optional.of("hub"), Optional.of("s3cret"));
        StoreConfig config = new StoreConfig(dataDirectory, Optional.of(jdbc), StoreConfig.Cluster.single(), List.of("things"));

        assertThatThrownBy(() -> Database.open(config))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Cannot connect to database 'jdbc:postgresql:...': Connection to 127.0.0.1:" + port + " refused.")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void readinessCheckFailsWhileEveryConnectionIsBorrowed()
            throws Exception
    {
        // the readiness check waits its own timeout (2 s in the hub), not the 10 s a writer waits; shorter here
        try (Database database = Database.open(StoreConfig.local(dataDirectory, List.of("things")), SHORT_PING)) {
            List<Connection> borrowed = new ArrayList<>();
            try {
                for (int i = 0; i < Database.MAX_CONNECTIONS; i++) {
                    borrowed.add(database.connection());
                }
                assertThat(database.ping()).isFalse();
            }
            finally {
                for (Connection connection : borrowed) {
                    connection.close();
                }
            }
            // awaited: on a starved machine one borrow of a returned connection may outlast the short ping
            await("the database answers the readiness check again", Duration.ofSeconds(30), database::ping);
        }
    }

    @Test
    void closedDatabaseRefusesToLendAConnection()
    {
        Database database = Database.open(StoreConfig.local(dataDirectory, List.of("things")));
        database.close();

        assertThatThrownBy(database::connection)
                .isInstanceOf(SQLTransientConnectionException.class)
                .hasMessage("Database '" + dataDirectory.resolve("db/runlight.mv.db") + "' is closed");
        assertThat(database.ping()).isFalse();
    }
}
