package io.runlight.hub.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.hub.Await;
import io.runlight.hub.auth.Role;
import io.runlight.hub.insights.HubMaps;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code http.idle-timeout}: a client that stops sending in the middle of an upload, or keeps
 * a connection it no longer uses, loses it; what it had sent of a document is dropped and
 * nothing of it is stored.
 */
final class TestIdleConnections
{
    /** Far longer than the hub's idle timeout: a read that waits this long means the connection was kept. */
    private static final int READ_TIMEOUT_MILLIS = 60_000;

    @TempDir
    static Path dataDir;

    private static RunningHub hub;

    @BeforeAll
    static void start()
    {
        hub = RunningHub.start(dataDir, Clock.systemUTC(), Map.of("http.idle-timeout", "1s"));
    }

    @AfterAll
    static void stop()
    {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void aStalledUploadIsClosedAndLeavesNothingBehind()
            throws Exception
    {
        String ingest = hub.jwt(Role.INGEST);
        String digest = "sha256:" + "ab".repeat(32);
        byte[] sbom = TestDocumentBodies.cycloneDx(2_000, "stalled");
        int blobs = hub.blobCount();
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/sboms?image=" + digest + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ingest
                    + "\r\nContent-Type: application/vnd.cyclonedx+json\r\nContent-Length: " + sbom.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(sbom, 0, sbom.length / 2);
            out.flush();
            // then nothing more: the hub closes the connection without an answer
            assertThat(readUntilClosed(socket.getInputStream())).isEmpty();
        }
        Await.await("the spooled part of the stalled upload to be deleted", Duration.ofSeconds(10), () -> spoolFiles() == 0);
        assertThat(hub.hub().store().<String, String>map(HubMaps.IMAGES).get(digest)).isNull();
        assertThat(hub.blobCount()).isEqualTo(blobs);

        // the same document sent whole is stored
        RunningHub.Response answer = hub.post("/api/v1/sboms?image=" + digest, ingest, "application/vnd.cyclonedx+json", sbom);
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    }

    @Test
    void aKeptAliveConnectionThatCarriesNothingIsClosedAfterItsAnswer()
            throws Exception
    {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // the answer arrives, then, once the connection has been idle, the end of the stream
            assertThat(readUntilClosed(socket.getInputStream())).startsWith("HTTP/1.1 200 OK").contains("UP");
        }
    }

    private static Socket connect()
            throws IOException
    {
        Socket socket = new Socket(hub.httpBase().getHost(), hub.httpBase().getPort());
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    /** Everything the hub sends until it closes the connection; fails if it is still open after {@link #READ_TIMEOUT_MILLIS}. */
    private static String readUntilClosed(InputStream in)
            throws IOException
    {
        StringBuilder received = new StringBuilder();
        byte[] buffer = new byte[8192];
        try {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                received.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
        }
        catch (SocketException reset) {
            // closed while unread bytes were in flight: a reset, which is a close as well
        }
        return received.toString();
    }

    private static long spoolFiles()
            throws IOException
    {
        Path spool = hub.dataDir().resolve("spool");
        if (!Files.isDirectory(spool)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(spool)) {
            return files.count();
        }
    }
}
