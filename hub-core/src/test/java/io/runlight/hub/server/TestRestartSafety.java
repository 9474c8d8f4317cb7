package io.runlight.hub.server;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import static io.runlight.hub.Await.await;
import static io.runlight.hub.server.HubTesting.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 4, restart safety: everything the hub acknowledged with 2xx before {@code kill -9}
 * of its process is there after a restart. Four clients write tokens, SBOMs, scan
 * reports and event batches to a hub in its own JVM; once hundreds of writes are
 * acknowledged the process is killed with requests in flight, restarted on the same
 * data folder, and every acknowledged write is looked up.
 */
@Tag("kill9")
class TestRestartSafety
{
    private static final Logger log = LoggerFactory.getLogger(TestRestartSafety.class);
    private static final int WRITERS = 4;
    private static final int KILL_AFTER_ACKNOWLEDGED = 400;
    private static final Instant FIRST_EVENT = Instant.parse("2026-01-05T08:00:00Z");
    private static final int EVENTS_PER_BATCH = 5;
    /** The Grype fixture's 20 matches, as the image document counts them. */
    private static final int REPORTED_VULNERABILITIES = 20;

    @TempDir
    Path directory;

    private final List<HubProcess> hubs = new ArrayList<>();

    @AfterEach
    void killHubs()
            throws InterruptedException
    {
        for (HubProcess hub : hubs) {
            hub.close();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everythingAcknowledgedBeforeKillMinus9IsThereAfterRestart()
            throws Exception
    {
        Path data = directory.resolve("hub");
        HubProcess first = startHub(data, "first");
        String admin = HubClient.adminToken(data);
        HubClient client = new HubClient(HubClient.newHttpClient(), first.httpUrl());
        Ledger ledger = new Ledger();

        AtomicBoolean killing = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<List<String>>> writers = new ArrayList<>();
        for (int writer = 0; writer < WRITERS; writer++) {
            int id = writer;
            writers.add(pool.submit(() -> write(client, admin, id, ledger, killing)));
        }
        boolean enough = await(Duration.ofSeconds(45), () -> ledger.acknowledged.get() >= KILL_AFTER_ACKNOWLEDGED || writers.stream().anyMatch(Future::isDone));
        int inFlightAtKill = ledger.inFlight.get();
        killing.set(true);
        first.kill();
        pool.shutdown();
        assertThat(pool.awaitTermination(40, TimeUnit.SECONDS)).isTrue();
        List<String> problems = new ArrayList<>();
        for (Future<List<String>> writer : writers) {
            problems.addAll(writer.get());
        }
        assertThat(problems).as("unexpected answers before the kill; hub log:\n%s", first.log()).isEmpty();
        assertThat(enough).as("acknowledged %d writes in 45 s", ledger.acknowledged.get()).isTrue();
        assertThat(ledger.cutByKill.get()).as("requests cut by the kill (%d in flight when it was sent)", inFlightAtKill).isPositive();
        assertThat(ledger.tokens).isNotEmpty();
        assertThat(ledger.images).isNotEmpty();
        assertThat(ledger.reports).isNotEmpty();
        assertThat(ledger.newestEvent).isNotEmpty();
        log.info("Killed the hub after {} acknowledged writes ({} tokens, {} SBOMs, {} reports, events for {} images); {} in flight, {} cut",
                ledger.acknowledged.get(), ledger.tokens.size(), ledger.images.size(), ledger.reports.size(), ledger.newestEvent.size(),
                inFlightAtKill, ledger.cutByKill.get());

        HubProcess second = startHub(data, "second");
        HubClient restarted = new HubClient(HubClient.newHttpClient(), second.httpUrl());

        // every acknowledged token is still listed and still authenticates
        HttpResponse<String> listed = restarted.get("/api/v1/tokens", admin);
        assertThat(listed.statusCode()).isEqualTo(200);
        Set<String> listedIds = new HashSet<>();
        new JsonArray(listed.body()).forEach(item -> listedIds.add(((JsonObject) item).getString("id")));
        assertThat(listedIds).containsAll(ledger.tokens.keySet());
        List<String> refused = new ArrayList<>();
        for (Map.Entry<String, String> token : ledger.tokens.entrySet()) {
            int status = restarted.presentIngestToken(token.getValue());
            if (status != 202) {
                refused.add(token.getKey() + " -> " + status);
            }
        }
        assertThat(refused).as("acknowledged tokens refused after the restart").isEmpty();

        // every acknowledged SBOM's image has insights (recomputed after the restart if it was pending)
        List<String> missingImages = new ArrayList<>(ledger.images);
        await(Duration.ofSeconds(30), () -> {
            missingImages.removeIf(digest -> exists(restarted, digest, admin));
            return missingImages.isEmpty();
        });
        assertThat(missingImages).as("acknowledged images missing after the restart; hub log:\n%s", second.log()).isEmpty();

        // every acknowledged report is joined to its image
        for (String digest : ledger.reports) {
            JsonObject image = restarted.image(digest, admin).orElseThrow();
            assertThat(image.getJsonObject("summary").getInteger("vulnerabilities")).as("vulnerabilities of %s", digest).isEqualTo(REPORTED_VULNERABILITIES);
        }

        // every image's profile holds its newest acknowledged event (or a newer one that was in flight at the kill)
        List<String> stale = new ArrayList<>(ledger.newestEvent.keySet());
        await(Duration.ofSeconds(30), () -> {
            stale.removeIf(digest -> !lastSeen(restarted, digest, admin).isBefore(ledger.newestEvent.get(digest)));
            return stale.isEmpty();
        });
        assertThat(stale).as("images whose profile lost acknowledged events").isEmpty();
        for (Map.Entry<String, Instant> newest : ledger.newestEvent.entrySet()) {
            assertThat(ledger.sentEvents.get(newest.getKey())).contains(lastSeen(restarted, newest.getKey(), admin));
        }
        hubs.remove(second);
        second.kill();
    }

    private HubProcess startHub(Path data, String name)
            throws IOException, InterruptedException
    {
        HubProcess hub = HubProcess.start(
                List.of("--data-dir", data.toString(), "--port", "0", "--tls-port", "0", "--cluster-port", String.valueOf(freePort())),
                Map.of("RUNLIGHT_INSIGHTS_LEARNING_WINDOW", "0"),
                directory.resolve(name + ".log"));
        hubs.add(hub);
        return hub;
    }

    /** One client's loop: a mix of writes, recording in the ledger only what was answered 2xx. */
    private static List<String> write(HubClient client, String admin, int writer, Ledger ledger, AtomicBoolean killing)
    {
        List<String> problems = new ArrayList<>();
        for (int step = 0; !killing.get() && problems.isEmpty(); step++) {
            ledger.inFlight.incrementAndGet();
            try {
                switch (step % 4) {
                    case 0 -> createToken(client, admin, writer + "-" + step, ledger, problems);
                    case 1 -> postSbom(client, admin, writer + "-" + step, ledger, problems);
                    case 2 -> postEvents(client, admin, writer + "-" + step, ledger, problems);
                    default -> {
                        if (step % 8 == 3) {
                            postReport(client, admin, ledger, problems);
                        }
                        else {
                            postEvents(client, admin, writer + "-" + step, ledger, problems);
                        }
                    }
                }
            }
            catch (IOException e) {
                if (!killing.get()) {
                    problems.add("writer " + writer + " step " + step + ": " + e);
                }
                else {
                    ledger.cutByKill.incrementAndGet();
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return problems;
            }
            finally {
                ledger.inFlight.decrementAndGet();
            }
        }
        return problems;
    }

    private static void createToken(HubClient client, String admin, String name, Ledger ledger, List<String> problems)
            throws IOException, InterruptedException
    {
        HttpResponse<String> response = client.post("/api/v1/tokens", admin, "application/json",
                new JsonObject().put("name", "collector " + name).put("expiresIn", "P1M").encode());
        if (accepted(response, 201, problems)) {
            JsonObject json = new JsonObject(response.body());
            ledger.tokens.put(json.getString("id"), json.getString("secret"));
            ledger.acknowledged.incrementAndGet();
        }
    }

    private static void postSbom(HubClient client, String admin, String seed, Ledger ledger, List<String> problems)
            throws IOException, InterruptedException
    {
        HttpResponse<String> response = client.post("/api/v1/sboms", admin, "application/json", HubDocuments.sbom(seed));
        if (accepted(response, 201, problems)) {
            String digest = new JsonObject(response.body()).getString("imageDigest");
            ledger.seeds.put(digest, seed);
            ledger.images.add(digest);
            ledger.acknowledged.incrementAndGet();
        }
    }

    private static void postReport(HubClient client, String admin, Ledger ledger, List<String> problems)
            throws IOException, InterruptedException
    {
        if (ledger.images.isEmpty()) {
            return;
        }
        String digest = ledger.images.get(ThreadLocalRandom.current().nextInt(ledger.images.size()));
        HttpResponse<String> response = client.post("/api/v1/vulnerability-reports", admin, "application/json", HubDocuments.report(ledger.seeds.get(digest)));
        if (accepted(response, 201, problems)) {
            ledger.reports.add(digest);
            ledger.acknowledged.incrementAndGet();
        }
    }

    private static void postEvents(HubClient client, String admin, String batch, Ledger ledger, List<String> problems)
            throws IOException, InterruptedException
    {
        if (ledger.images.isEmpty()) {
            return;
        }
        String digest = ledger.images.get(ThreadLocalRandom.current().nextInt(ledger.images.size()));
        Instant time = FIRST_EVENT.plusSeconds(ledger.eventClock.incrementAndGet());
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < EVENTS_PER_BATCH; i++) {
            body.append(HubDocuments.execEvent(digest, "cart-" + (i % 3), time));
        }
        ledger.sentEvents.computeIfAbsent(digest, ignored -> ConcurrentHashMap.newKeySet()).add(time);
        HttpResponse<String> response = client.post("/api/v1/runtime/events", admin, "application/x-ndjson", body.toString());
        if (accepted(response, 202, problems)) {
            JsonObject json = new JsonObject(response.body());
            if (json.getInteger("accepted") != EVENTS_PER_BATCH) {
                problems.add("batch " + batch + " accepted " + json.encode());
                return;
            }
            ledger.newestEvent.merge(digest, time, (a, b) -> a.isAfter(b) ? a : b);
            ledger.acknowledged.incrementAndGet();
        }
    }

    private static boolean accepted(HttpResponse<String> response, int expected, List<String> problems)
    {
        if (response.statusCode() == expected) {
            return true;
        }
        problems.add(response.request().method() + " " + response.uri().getPath() + " answered " + response.statusCode() + ": " + response.body());
        return false;
    }

    private static boolean exists(HubClient client, String digest, String admin)
    {
        try {
            return client.image(digest, admin).isPresent();
        }
        catch (IOException e) {
            throw HubClient.unchecked(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Instant lastSeen(HubClient client, String digest, String admin)
    {
        try {
            JsonObject profile = client.image(digest, admin).orElseThrow().getJsonObject("profile");
            String lastSeen = profile.getString("lastSeen");
            return lastSeen == null ? Instant.EPOCH : Instant.parse(lastSeen);
        }
        catch (IOException e) {
            throw HubClient.unchecked(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** What the clients sent and what the hub acknowledged. */
    private static final class Ledger
    {
        final AtomicInteger acknowledged = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger cutByKill = new AtomicInteger();
        final AtomicLong eventClock = new AtomicLong();
        /** Token id → secret. */
        final Map<String, String> tokens = new ConcurrentHashMap<>();
        /** Image digests of acknowledged SBOMs. */
        final List<String> images = new CopyOnWriteArrayList<>();
        /** Image digest → the seed its documents were made from. */
        final Map<String, String> seeds = new ConcurrentHashMap<>();
        /** Image digests with an acknowledged report. */
        final ConcurrentLinkedQueue<String> reports = new ConcurrentLinkedQueue<>();
        /** Image digest → time of its newest acknowledged event. */
        final Map<String, Instant> newestEvent = new ConcurrentHashMap<>();
        /** Image digest → times of every event batch sent, acknowledged or not. */
        final Map<String, Set<Instant>> sentEvents = new ConcurrentHashMap<>();
    }
}
