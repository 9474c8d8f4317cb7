package io.runlight.hub.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, defect 7 (part): the data folder, which holds the database with integration
 * secrets and the private keys, is readable by its owner only, even when it existed with
 * wider permissions.
 */
final class TestDataFolderPermissions
{
    @TempDir
    Path temp;

    @Test
    void theDataFolderIsTheOwnersOnly()
            throws IOException
    {
        Path dataDir = Files.createDirectory(temp.resolve("data"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

        try (RunningHub hub = RunningHub.start(dataDir, Clock.systemUTC())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
            try (Stream<Path> files = Files.list(dataDir)) {
                assertThat(files.map(path -> path.getFileName().toString())).contains("db", "keys", "tls");
            }
        }
    }
}
