package io.runlight.hub.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.runlight.hub.auth.Role;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event batches are read into memory when they declare a small length and spooled to a file
 * otherwise: both are ingested alike, and no spool file is left behind.
 */
@ExtendWith(SharedHub.class)
final class TestEventBodies
{
    @Test
    void smallAndLargeBatchesAreIngestedAlikeAndLeaveNoSpoolFile(RunningHub hub)
            throws IOException
    {
        String ingest = hub.jwt(Role.INGEST);
        String small = events(10);
        String large = events(2_000);
        assertThat(small.length()).isLessThan(BodySpooler.IN_MEMORY_BYTES);
        assertThat(large.length()).isGreaterThan(BodySpooler.IN_MEMORY_BYTES);

        for (String batch : new String[] {small, large}) {
            RunningHub.Response answer = hub.post("/api/v1/runtime/events", ingest, "application/x-ndjson", batch.getBytes(StandardCharsets.UTF_8));
            assertThat(answer.status()).as(answer.body()).isEqualTo(202);
            assertThat(answer.json().path("accepted").asInt()).isEqualTo((int) batch.lines().count());
            assertThat(answer.json().path("rejected").asInt()).isZero();
        }
        assertThat(spoolFiles(hub.dataDir())).isEmpty();
    }

    private static Stream<Path> spoolFiles(Path dataDir)
            throws IOException
    {
        Path spool = dataDir.resolve("spool");
        if (!Files.isDirectory(spool)) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.list(spool)) {
            return files.toList().stream();
        }
    }

    private static String events(int count)
    {
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < count; i++) {
            ndjson.append("{\"time\":\"2026-11-28T12:00:00Z\",\"cluster\":\"prod-eu\",\"namespace\":\"shop\",\"workloadKind\":\"Deployment\",")
                    .append("\"workloadName\":\"cart\",\"pod\":\"cart-7d9f\",\"container\":\"cart\",\"imageDigest\":\"").append(RunningHub.ALPINE_DIGEST).append("\",")
                    .append("\"kind\":\"mmap\",\"path\":\"/usr/lib/lib").append(i).append(".so\",\"process\":\"/usr/bin/cart\"}\n");
        }
        return ndjson.toString();
    }
}
