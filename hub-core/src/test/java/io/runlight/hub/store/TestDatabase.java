package io.runlight.hub.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.runlight.hub.store.StoreFixtures.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The database's connection pool (HikariCP) as the hub sets it up. */
class TestDatabase
{
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
        try (Database database = Database.open(StoreConfig.local(dataDirectory, List.of("things")))) {
            List<Connection> borrowed = new ArrayList<>();
            try {
                for (int i = 0; i < Database.MAX_CONNECTIONS; i++) {
                    borrowed.add(database.connection());
                }
                // the readiness check waits 2 s, not the 10 s a writer waits
                assertThat(database.ping()).isFalse();
            }
            finally {
                for (Connection connection : borrowed) {
                    connection.close();
                }
            }
            assertThat(database.ping()).isTrue();
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
