package io.runlight.hub.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.runlight.hub.auth.AdminTokens;
import io.runlight.hub.auth.Role;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.runlight.hub.Await.await;
import static io.runlight.hub.server.HubTesting.freePort;
import static io.runlight.hub.server.HubTesting.httpUrl;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 4, graceful shutdown: {@link Hub#close()} stops accepting, lets the request in
 * flight finish (a collector's slow upload gets its 202), leaves the cluster and leaves
 * the acknowledged data in the database.
 */
class TestGracefulShutdown
{
    private static final Instant FIRST_EVENT = Instant.parse("2026-03-01T09:00:00Z");
    private static final int SLOW_LINES = 60;
    /** Lines sent before the hub is closed; the rest follow once the test has seen the listener closed. */
    private static final int LINES_BEFORE_CLOSE = 5;
    private static final Duration LINE_INTERVAL = Duration.ofMillis(50);

    @TempDir
    Path directory;

    private AutoCloseable fastMembers;
    private final List<Hub> hubs = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private SlowEvents body;

    @BeforeEach
    void fastMembers()
    {
        fastMembers = HubTesting.fastMembersInThisJvm();
    }

    @AfterEach
    void closeHubs()
            throws Exception
    {
        if (body != null) {
            // a test that failed before releasing the upload: the HTTP client's thread is not ours to interrupt
            body.release.countDown();
        }
        threads.shutdownNow();
        hubs.forEach(Hub::close);
        fastMembers.close();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void closeFinishesTheUploadInFlightRefusesNewConnectionsLeavesTheClusterAndKeepsTheData()
            throws Exception
    {
        Path data = directory.resolve("hub");
        Hub hub = start(data);
        int port = hub.httpPort().orElseThrow();
        String admin = new AdminTokens(hub.jwt(), Clock.systemUTC()).mint(Role.ADMIN, Duration.ofHours(1), "h9-test");
        HubClient client = new HubClient(HubClient.newHttpClient(), httpUrl(hub));
        HttpResponse<String> sbom = client.post("/api/v1/sboms", admin, "application/json", HubDocuments.sbom("graceful"));
        assertThat(sbom.statusCode()).as(sbom.body()).isEqualTo(201);
        String digest = new JsonObject(sbom.body()).getString("imageDigest");

        body = new SlowEvents(digest);
        Future<HttpResponse<String>> upload = threads.submit(() -> client.postStreamed("/api/v1/runtime/events", admin, "application/x-ndjson", () -> body));
        assertThat(body.streaming.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(hub::close, threads);

        // the listener stops accepting at once, while the upload still streams
        assertThat(await(Duration.ofSeconds(10), () -> !accepts(port))).as("new connections refused while closing").isTrue();
        assertThat(upload.isDone()).as("upload still in flight when new connections were refused").isFalse();
        assertThat(closing.isDone()).isFalse();

        // the rest of the upload, while the hub waits for it to finish
        body.release.countDown();
        HttpResponse<String> response = upload.get(30, TimeUnit.SECONDS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(new JsonObject(response.body()).getInteger("accepted")).isEqualTo(SLOW_LINES);
        assertThat(body.linesSent).isEqualTo(SLOW_LINES);
        closing.get(40, TimeUnit.SECONDS);

        assertThat(accepts(port)).isFalse();
        assertThat(hub.store().hazelcast().getLifecycleService().isRunning()).isFalse();

        // reopened on the same data folder, the hub has the events of the upload
        Hub reopened = start(data);
        String token = new AdminTokens(reopened.jwt(), Clock.systemUTC()).mint(Role.READ, Duration.ofHours(1), "h9-test");
        HubClient again = new HubClient(HubClient.newHttpClient(), httpUrl(reopened));
        Instant last = FIRST_EVENT.plusSeconds(SLOW_LINES - 1);
        assertThat(await(Duration.ofSeconds(20), () -> again.image(digest, token)
                .map(image -> last.toString().equals(image.getJsonObject("profile").getString("lastSeen")))
                .orElse(false)))
                .as("image %s has the uploaded events after the restart", digest)
                .isTrue();
        JsonObject profile = again.image(digest, token).orElseThrow().getJsonObject("profile");
        assertThat(profile.getString("firstSeen")).isEqualTo(FIRST_EVENT.toString());
        assertThat(profile.getString("state")).isEqualTo("COMPLETE");
    }

    private Hub start(Path data)
    {
        Hub hub = HubTesting.start(HubTesting.config(data, freePort(), Map.of()));
        hubs.add(hub);
        return hub;
    }

    private static boolean accepts(int port)
    {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }

    /**
     * An NDJSON body that yields its first {@link #LINES_BEFORE_CLOSE} event lines one every {@link #LINE_INTERVAL},
     * like a collector streaming a batch, then holds until it is released and sends the rest: the upload is surely
     * in flight while the hub closes, however long closing the listener takes on a busy machine, and no longer.
     */
    private static final class SlowEvents
            extends InputStream
    {
        final CountDownLatch streaming = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile int linesSent;
        private final String digest;
        private byte[] pending = new byte[0];
        private int position;

        SlowEvents(String digest)
        {
            this.digest = digest;
        }

        @Override
        public int read()
        {
            byte[] one = new byte[1];
            int read = read(one, 0, 1);
            return read < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
        {
            if (position == pending.length) {
                if (linesSent == SLOW_LINES) {
                    return -1;
                }
                if (linesSent > 0 && linesSent <= LINES_BEFORE_CLOSE) {
                    try {
                        if (linesSent < LINES_BEFORE_CLOSE) {
                            Thread.sleep(LINE_INTERVAL.toMillis());
                        }
                        else if (!release.await(30, TimeUnit.SECONDS)) {
                            return -1;
                        }
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return -1;
                    }
                }
                pending = HubDocuments.execEvent(digest, "cart-" + (linesSent % 2), FIRST_EVENT.plusSeconds(linesSent)).getBytes(StandardCharsets.UTF_8);
                position = 0;
                linesSent++;
                if (linesSent == LINES_BEFORE_CLOSE) {
                    // four lines are on their way: the request is surely in the server's hands
                    streaming.countDown();
                }
            }
            int count = Math.min(length, pending.length - position);
            System.arraycopy(pending, position, buffer, offset, count);
            position += count;
            return count;
        }
    }
}
