package io.runlight.hub.server;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.runlight.hub.Await;
import io.runlight.hub.auth.MemberKeys;
import io.runlight.hub.config.HubConfig;
import io.runlight.hub.delivery.Outbox;
import io.runlight.hub.integration.IntegrationService;
import io.runlight.hub.plugin.PluginJarBuilder;
import io.runlight.hub.store.Database;
import io.runlight.hub.token.TokenService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.runlight.hub.Await.await;
import static io.runlight.hub.server.HubTesting.freePort;
import static io.runlight.hub.server.HubTesting.httpUrl;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19: three members on loopback and a real PostgreSQL; members 2 and 3 run in
 * processes of their own and are killed with SIGKILL at the same instant. Member 1, in this
 * JVM, must then list everything the database holds within seconds (or say it is not
 * ready), every admin and integration token must keep working on every member once the
 * two are back, and every pending delivery must arrive exactly once. The second test kills
 * the two while clients post events through all three: every acknowledged event is seen.
 */
@Tag("cluster")
@Tag("postgresql")
@Tag("kill9")
class TestClusterMemberLoss
{
    private static final Logger log = LoggerFactory.getLogger(TestClusterMemberLoss.class);
    private static final String FACTORY = "com.example.beacon.BeaconConnectorFactory";
    private static final String EVENTS_PATH = "/beacon/events";
    private static final int INTEGRATIONS = 8;
    private static final int IMAGES = 125;
    private static final int DELIVERIES = INTEGRATIONS * IMAGES;
    private static final int INGEST_TOKENS = 6;
    /** Each check reads the whole outbox: check every 250 ms, not every 25. */
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Instant FIRST_EVENT = Instant.parse("2026-03-01T10:00:00Z");

    private static AutoCloseable fastMembers;
    private static EmbeddedPostgres postgres;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir
    Path directory;

    private final List<Hub> hubs = new ArrayList<>();
    private final List<HubProcess> processes = new ArrayList<>();
    private WireMockServer receiver;

    @BeforeAll
    static void startPostgres()
            throws Exception
    {
        fastMembers = HubTesting.fastMembersInThisJvm();
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres()
            throws Exception
    {
        try {
            postgres.close();
        }
        finally {
            fastMembers.close();
        }
    }

    @AfterEach
    void stopMembers()
            throws Exception
    {
        for (HubProcess process : processes) {
            process.close();
        }
        for (Hub hub : hubs) {
            hub.close();
        }
        if (receiver != null) {
            receiver.stop();
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void twoMembersKilledAtOnceLoseNoIntegrationTokenKeyOrPendingDelivery()
            throws Exception
    {
        Members members = startThree(true);
        HubClient one = members.client(0);
        String admin = HubClient.adminToken(members.dataDir(0));
        for (int member = 0; member < 3; member++) {
            HubClient client = members.client(member);
            assertThat(await(Duration.ofSeconds(20), () -> client.pluginStarted(admin, "beacon"))).as("beacon started on member %s", member + 1).isTrue();
        }
        // nothing listens here until every member is back
        int receiverPort = freePort();
        List<String> integrationIds = new ArrayList<>();
        List<String> integrationSecrets = new ArrayList<>();
        for (int i = 0; i < INTEGRATIONS; i++) {
            HttpResponse<String> created = members.client(i % 3).post("/api/v1/integrations", admin, "application/json", new JsonObject()
                    .put("plugin", "beacon")
                    .put("name", "lossy " + i)
                    .put("config", new JsonObject().put("url", "http://127.0.0.1:" + receiverPort).put("apiKey", "key-" + i))
                    .put("expiresIn", "P1M")
                    .encode());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonObject integration = new JsonObject(created.body());
            integrationIds.add(integration.getString("id"));
            integrationSecrets.add(integration.getJsonObject("token").getString("secret"));
        }
        List<HubClient.CreatedIngestToken> ingestTokens = new ArrayList<>();
        for (int i = 0; i < INGEST_TOKENS; i++) {
            ingestTokens.add(members.client(i % 3).createIngestToken(admin, "collector " + i));
        }
        postSboms(members, admin);
        Set<String> pendingBeforeKill = new TreeSet<>();
        boolean allPending = Await.holdsWithin(Duration.ofSeconds(60), POLL, () -> {
            pendingBeforeKill.clear();
            pendingBeforeKill.addAll(pending(one, admin, integrationIds));
            return pendingBeforeKill.size() >= DELIVERIES;
        });
        assertThat(allPending).as("pending deliveries: %s", pendingBeforeKill.size()).isTrue();
        Thread.sleep(1000);
        pendingBeforeKill.clear();
        pendingBeforeKill.addAll(pending(one, admin, integrationIds));
        assertThat(pendingBeforeKill).hasSize(DELIVERIES);
        Map<String, Integer> stored = rowCounts(members.jdbcUrl());
        log.info("Before the kill the database holds {}", stored);
        assertThat(stored.get(MemberKeys.MAP)).isEqualTo(3);

        members.killTwoAtOnce();

        // the survivor lists what the database holds within seconds, and is ready once it does
        Hub survivor = hubs.get(0);
        boolean complete = Await.holdsWithin(Duration.ofSeconds(20), POLL, () -> one.get("/health/ready", null).statusCode() == 200
                && listed(one, admin, "/api/v1/integrations") == stored.get(IntegrationService.INTEGRATIONS_MAP)
                && listed(one, admin, "/api/v1/tokens") == stored.get(TokenService.TOKENS_MAP)
                && survivor.store().map(MemberKeys.MAP).size() == stored.get(MemberKeys.MAP)
                && survivor.store().map(Outbox.MAP).size() == stored.get(Outbox.MAP)
                && pending(one, admin, integrationIds).size() == DELIVERIES);
        assertThat(complete)
                .as("survivor: integrations %s, tokens %s, member keys %s, outbox %s; database %s",
                        listed(one, admin, "/api/v1/integrations"), listed(one, admin, "/api/v1/tokens"),
                        survivor.store().map(MemberKeys.MAP).size(), survivor.store().map(Outbox.MAP).size(), stored)
                .isTrue();
        assertThat(new TreeSet<>(pending(one, admin, integrationIds))).isEqualTo(pendingBeforeKill);

        JsonObject alone = new JsonObject(one.get("/api/v1/cluster", admin).body());
        assertThat(alone.getJsonArray("members")).hasSize(1);
        assertThat(alone.getJsonArray("maps")).allSatisfy(map -> assertThat(((JsonObject) map).getBoolean("complete")).isTrue());

        members.restartTwo();
        JsonObject three = new JsonObject(members.client(2).get("/api/v1/cluster", admin).body());
        assertThat(three.getString("state")).isEqualTo("ACTIVE");
        assertThat(three.getJsonArray("members")).hasSize(3);
        assertThat(three.getJsonArray("members")).filteredOn(member -> ((JsonObject) member).getBoolean("local")).hasSize(1);
        List<String> adminTokens = List.of(admin, HubClient.adminToken(members.dataDir(1)), HubClient.adminToken(members.dataDir(2)));
        for (int member = 0; member < 3; member++) {
            HubClient client = members.client(member);
            for (int signer = 0; signer < 3; signer++) {
                String token = adminTokens.get(signer);
                boolean accepted = await(Duration.ofSeconds(20), () -> client.get("/api/v1/tokens", token).statusCode() == 200);
                assertThat(accepted).as("admin token of member %s's data folder on member %s", signer + 1, member + 1).isTrue();
            }
            assertThat(listed(client, admin, "/api/v1/integrations")).isEqualTo(INTEGRATIONS);
            for (String secret : integrationSecrets) {
                assertThat(await(Duration.ofSeconds(20), () -> client.get("/v1/beacon", secret).statusCode() == 200))
                        .as("integration token on member %s", member + 1).isTrue();
            }
            for (HubClient.CreatedIngestToken token : ingestTokens) {
                assertThat(client.presentIngestToken(token.secret())).as("ingest token on member %s", member + 1).isEqualTo(202);
            }
        }

        receiver = new WireMockServer(options().bindAddress("127.0.0.1").port(receiverPort).containerThreads(40));
        receiver.stubFor(post(urlEqualTo(EVENTS_PATH)).willReturn(aResponse().withStatus(200)));
        receiver.start();
        // the relays first wait out the circuits their failed calls opened (30 s), then send 10 per second per integration
        boolean delivered = Await.holdsWithin(Duration.ofSeconds(120), POLL, () -> pending(one, admin, integrationIds).isEmpty());
        assertThat(delivered).as("deliveries still pending: %s", pending(one, admin, integrationIds).size()).isTrue();
        Thread.sleep(1000);
        Map<String, Integer> perKey = new HashMap<>();
        for (LoggedRequest request : receiver.findAll(postRequestedFor(urlEqualTo(EVENTS_PATH)))) {
            perKey.merge(request.getHeader("Idempotency-Key"), 1, Integer::sum);
        }
        Map<String, Integer> twice = new HashMap<>(perKey);
        twice.values().removeIf(count -> count == 1);
        assertThat(twice).as("idempotency keys received more than once").isEmpty();
        assertThat(new TreeSet<>(perKey.keySet())).isEqualTo(pendingBeforeKill);
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void eventsAcknowledgedWhileTwoMembersAreKilledAreAllSeen()
            throws Exception
    {
        Members members = startThree(false);
        String admin = HubClient.adminToken(members.dataDir(0));
        int writers = 6;
        List<String> digests = new ArrayList<>();
        for (int writer = 0; writer < writers; writer++) {
            HttpResponse<String> sbom = members.client(0).post("/api/v1/sboms", admin, "application/json", HubDocuments.sbom("ingest-" + writer));
            assertThat(sbom.statusCode()).as(sbom.body()).isEqualTo(201);
            digests.add(new JsonObject(sbom.body()).getString("imageDigest"));
        }
        HubClient.CreatedIngestToken token = members.client(0).createIngestToken(admin, "collector");

        // each writer posts one event per request for its own image, a new workload each time, through members 1, 2 and 3 in turn
        Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int writer = 0; writer < writers; writer++) {
                String digest = digests.get(writer);
                int first = writer;
                running.add(pool.submit(() -> {
                    Set<String> mine = acknowledged.computeIfAbsent(digest, key -> ConcurrentHashMap.newKeySet());
                    for (int n = 0; !stop.get(); n++) {
                        String workload = "w-" + n;
                        HubClient client = members.client((first + n) % 3);
                        try {
                            HttpResponse<String> response = client.post("/api/v1/runtime/events", token.secret(), "application/x-ndjson",
                                    event(digest, workload, FIRST_EVENT.plusSeconds(n)));
                            sent.incrementAndGet();
                            if (response.statusCode() == 202 && new JsonObject(response.body()).getInteger("accepted") == 1) {
                                mine.add(workload);
                            }
                        }
                        catch (IOException | RuntimeException e) {
                            // a killed member: not acknowledged, so nothing is promised
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(3000);
            members.killTwoAtOnce();
            Thread.sleep(4000);
        }
        finally {
            stop.set(true);
            for (Future<?> writer : running) {
                writer.get(60, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
        }
        int total = acknowledged.values().stream().mapToInt(Set::size).sum();
        log.info("{} events sent, {} acknowledged", sent.get(), total);
        assertThat(total).isGreaterThan(writers * 5);

        // every acknowledged event's workload is seen on the survivor, and on the two once they are back
        HubClient one = members.client(0);
        for (String digest : digests) {
            assertWorkloadsSeen(one, admin, digest, acknowledged.get(digest));
        }
        members.restartTwo();
        for (int member = 1; member < 3; member++) {
            for (String digest : digests) {
                assertWorkloadsSeen(members.client(member), admin, digest, acknowledged.get(digest));
            }
        }
    }

    private void assertWorkloadsSeen(HubClient client, String admin, String digest, Set<String> expected)
            throws Exception
    {
        Set<String> seen = new TreeSet<>();
        boolean all = Await.holdsWithin(Duration.ofSeconds(60), POLL, () -> {
            seen.clear();
            HttpResponse<String> response = client.get("/api/v1/workloads?limit=1000&image=" + digest, admin);
            if (response.statusCode() != 200) {
                return false;
            }
            for (Object item : new JsonObject(response.body()).getJsonArray("workloads")) {
                seen.add(((JsonObject) item).getJsonObject("workload").getString("name"));
            }
            return seen.containsAll(expected);
        });
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(seen);
        assertThat(all).as("acknowledged workloads of %s not seen: %s", digest, missing).isTrue();
    }

    private static String event(String digest, String workload, Instant time)
    {
        return new JsonObject()
                .put("time", time.toString())
                .put("cluster", "test")
                .put("namespace", "shop")
                .put("workloadKind", "Deployment")
                .put("workloadName", workload)
                .put("pod", workload + "-pod")
                .put("container", "app")
                .put("containerId", "containerd://" + workload)
                .put("imageDigest", digest)
                .put("kind", "exec")
                .put("path", "/bin/busybox")
                .put("process", "/bin/busybox")
                .encode() + "\n";
    }

    /** Member 1 in this JVM, members 2 and 3 in processes of their own, on one new database. */
    private Members startThree(boolean withBeacon)
            throws Exception
    {
        String database = "loss_" + DATABASES.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        String jdbcUrl = postgres.getJdbcUrl("postgres", database);
        List<Integer> ports = List.of(freePort(), freePort(), freePort());
        Map<String, String> shared = new LinkedHashMap<>();
        shared.put("cluster.name", "runlight-loss-" + ports.get(0));
        shared.put("cluster.join", "tcp");
        shared.put("cluster.members", String.join(",", ports.stream().map(port -> "127.0.0.1:" + port).toList()));
        shared.put("database.url", jdbcUrl);
        shared.put("database.user", "postgres");
        shared.put("database.password", "postgres");
        shared.put("secrets.key", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        if (withBeacon) {
            Path plugins = directory.resolve("plugins");
            Files.createDirectories(plugins);
            PluginJarBuilder.compile("plugins/beacon-v1").plugin("beacon", "1.0.0").extension(FACTORY).installInto(plugins, "beacon.jar");
            shared.put("plugins.dir", plugins.toString());
        }
        Members members = new Members(jdbcUrl, ports, shared);
        HubConfig firstConfig = HubTesting.config(members.dataDir(0), ports.get(0), shared);
        ExecutorService starter = Executors.newSingleThreadExecutor();
        try {
            Future<Hub> first = starter.submit(() -> HubTesting.start(firstConfig));
            members.startProcess(1);
            members.startProcess(2);
            hubs.add(first.get(90, TimeUnit.SECONDS));
        }
        finally {
            starter.shutdownNow();
        }
        Hub first = hubs.get(0);
        assertThat(await(Duration.ofSeconds(30), () -> first.store().hazelcast().getCluster().getMembers().size() == 3)).isTrue();
        members.clients.set(0, new HubClient(HubClient.newHttpClient(), httpUrl(first)));
        return members;
    }

    /** The three members' settings, data folders, processes and clients. */
    private final class Members
    {
        private final String jdbcUrl;
        private final List<Integer> ports;
        private final Map<String, String> shared;
        private final HubProcess[] running = new HubProcess[3];
        private final List<HubClient> clients = new ArrayList<>(java.util.Arrays.asList(null, null, null));
        private int restarts;

        Members(String jdbcUrl, List<Integer> ports, Map<String, String> shared)
        {
            this.jdbcUrl = jdbcUrl;
            this.ports = ports;
            this.shared = shared;
        }

        String jdbcUrl()
        {
            return jdbcUrl;
        }

        Path dataDir(int member)
        {
            return directory.resolve("member-" + (member + 1));
        }

        HubClient client(int member)
        {
            return clients.get(member);
        }

        void startProcess(int member)
                throws Exception
        {
            Map<String, String> environment = new LinkedHashMap<>();
            shared.forEach((key, value) -> environment.put("RUNLIGHT_" + key.toUpperCase().replace('.', '_').replace('-', '_'), value));
            environment.put("RUNLIGHT_INSIGHTS_LEARNING_WINDOW", "0");
            HubProcess process = HubProcess.start(
                    List.of("--data-dir", dataDir(member).toString(), "--port", "0", "--tls-port", "0", "--cluster-port", String.valueOf(ports.get(member))),
                    environment,
                    directory.resolve("member-" + (member + 1) + "-" + restarts + ".log"));
            processes.add(process);
            running[member] = process;
            clients.set(member, new HubClient(HubClient.newHttpClient(), process.httpUrl()));
        }

        /** SIGKILL to members 2 and 3 in the same instant, then waits until member 1 sees itself alone. */
        void killTwoAtOnce()
                throws Exception
        {
            ProcessHandle.of(running[1].pid()).ifPresent(ProcessHandle::destroyForcibly);
            ProcessHandle.of(running[2].pid()).ifPresent(ProcessHandle::destroyForcibly);
            running[1].kill();
            running[2].kill();
            Hub first = hubs.get(0);
            assertThat(await(Duration.ofSeconds(30), () -> first.store().hazelcast().getCluster().getMembers().size() == 1)).isTrue();
        }

        /** Members 2 and 3 again, on their data folders, and waits until the three are one cluster. */
        void restartTwo()
                throws Exception
        {
            restarts++;
            startProcess(1);
            startProcess(2);
            Hub first = hubs.get(0);
            assertThat(await(Duration.ofSeconds(60), () -> first.store().hazelcast().getCluster().getMembers().size() == 3)).isTrue();
        }
    }

    /** The SBOMs of {@value #IMAGES} distinct images, through the three members in turn. */
    private static void postSboms(Members members, String admin)
            throws Exception
    {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<List<String>>> writers = new ArrayList<>();
            for (int writer = 0; writer < 3; writer++) {
                HubClient client = members.client(writer);
                writers.add(pool.submit(() -> {
                    List<String> problems = new ArrayList<>();
                    for (int image = next.getAndIncrement(); image < IMAGES; image = next.getAndIncrement()) {
                        HttpResponse<String> response = client.post("/api/v1/sboms", admin, "application/json", HubDocuments.sbom("lossy-" + image));
                        if (response.statusCode() != 201) {
                            problems.add("SBOM " + image + " answered " + response.statusCode() + ": " + response.body());
                        }
                    }
                    return problems;
                }));
            }
            List<String> problems = new ArrayList<>();
            for (Future<List<String>> writer : writers) {
                problems.addAll(writer.get(120, TimeUnit.SECONDS));
            }
            assertThat(problems).isEmpty();
        }
        finally {
            pool.shutdownNow();
        }
    }

    private static int listed(HubClient client, String admin, String path)
            throws Exception
    {
        HttpResponse<String> response = client.get(path, admin);
        if (response.statusCode() != 200) {
            return -1;
        }
        return new JsonArray(response.body()).size();
    }

    /** The ids of every pending delivery of the integrations; none while a listing fails (it may, while lost entries come back). */
    private static List<String> pending(HubClient client, String admin, List<String> integrationIds)
            throws Exception
    {
        try {
            return client.deliveryIds(admin, integrationIds, "pending");
        }
        catch (IllegalStateException e) {
            return List.of();
        }
    }

    private static Map<String, Integer> rowCounts(String jdbcUrl)
            throws Exception
    {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
                Statement statement = connection.createStatement()) {
            for (String map : List.of(IntegrationService.INTEGRATIONS_MAP, TokenService.TOKENS_MAP, MemberKeys.MAP, Outbox.MAP)) {
                try (ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM " + Database.mapTable(map))) {
                    result.next();
                    counts.put(map, result.getInt(1));
                }
            }
        }
        return counts;
    }
}
