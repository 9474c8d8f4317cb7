package io.runlight.hub.server;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.runlight.hub.auth.JwtKeySettings;
import io.runlight.hub.auth.JwtKeys;
import io.runlight.hub.config.HubConfig;
import io.runlight.hub.plugin.PluginJarBuilder;
import io.runlight.hub.store.Database;
import io.runlight.hub.store.StoreConfig;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.runlight.hub.Await.await;
import static io.runlight.hub.server.HubTesting.freePort;
import static io.runlight.hub.server.HubTesting.httpUrl;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 4, cluster: three hub members on loopback sharing a real PostgreSQL. Two run in
 * this JVM, the third in its own process so that it can be killed with SIGKILL. Data
 * posted to one member is read on the others; a token deleted on one member is refused
 * on the others within a second; after the kill the two survivors keep answering and
 * nothing acknowledged is lost.
 */
@Tag("cluster")
@Tag("postgresql")
class TestHubCluster
{
    /** The Grype report names 10 CVEs, each in libcrypto3 and libssl3. */
    private static final int REPORTED_VULNERABILITY_IDS = 10;
    private static final Instant FIRST_EVENT = Instant.parse("2026-02-01T10:00:00Z");
    /** The Grype fixture's 20 matches, as the image document counts them. */
    private static final int REPORTED_VULNERABILITIES = 20;

    @TempDir
    static Path directory;

    private static AutoCloseable fastMembers;
    private static EmbeddedPostgres postgres;
    private static final List<Hub> hubs = new ArrayList<>();
    private static HubProcess third;

    @BeforeAll
    static void startPostgres()
            throws Exception
    {
        fastMembers = HubTesting.fastMembersInThisJvm();
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopEverything()
            throws Exception
    {
        try {
            if (third != null) {
                third.close();
            }
            for (Hub hub : hubs) {
                hub.close();
            }
        }
        finally {
            if (postgres != null) {
                postgres.close();
            }
            fastMembers.close();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void membersShareDataRevokeTokensAtOnceAndSurviveTheLossOfOne()
            throws Exception
    {
        String jdbcUrl = newDatabase("cluster_hub");
        List<Integer> ports = List.of(freePort(), freePort(), freePort());
        String members = String.join(",", ports.stream().map(port -> "127.0.0.1:" + port).toList());
        String clusterName = "runlight-h9-" + ports.get(0);
        Path firstDir = directory.resolve("member-1");
        // member 1's own key signs the admin JWT; the others trust its public key as they would an IdP's
        JwtKeys.load(JwtKeySettings.ownKeyOnly(firstDir));
        Path trustedKey = firstDir.resolve("keys").resolve(JwtKeys.PUBLIC_KEY_FILE);
        assertThat(trustedKey).exists();
        Map<String, String> shared = new LinkedHashMap<>();
        shared.put("cluster.name", clusterName);
        shared.put("cluster.join", "tcp");
        shared.put("cluster.members", members);
        shared.put("database.url", jdbcUrl);
        shared.put("database.user", "postgres");
        shared.put("database.password", "postgres");
        // every member seals integration secrets with the same key
        shared.put("secrets.key", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");

        Map<String, String> othersTrust = new LinkedHashMap<>(shared);
        othersTrust.put("auth.jwt-public-keys", trustedKey.toString());
        HubConfig firstConfig = HubTesting.config(firstDir, ports.get(0), shared);
        HubConfig secondConfig = HubTesting.config(directory.resolve("member-2"), ports.get(1), othersTrust);
        ExecutorService starter = Executors.newFixedThreadPool(2);
        try {
            Future<Hub> firstStarting = starter.submit(() -> HubTesting.start(firstConfig));
            Future<Hub> secondStarting = starter.submit(() -> HubTesting.start(secondConfig));
            Map<String, String> environment = new LinkedHashMap<>();
            othersTrust.forEach((key, value) -> environment.put("RUNLIGHT_" + key.toUpperCase().replace('.', '_').replace('-', '_'), value));
            environment.put("RUNLIGHT_INSIGHTS_LEARNING_WINDOW", "0");
            Path thirdDir = directory.resolve("member-3");
            third = HubProcess.start(
                    List.of("--data-dir", thirdDir.toString(), "--port", "0", "--tls-port", "0", "--cluster-port", String.valueOf(ports.get(2))),
                    environment,
                    directory.resolve("member-3.log"));
            hubs.add(firstStarting.get(90, TimeUnit.SECONDS));
            hubs.add(secondStarting.get(90, TimeUnit.SECONDS));
        }
        finally {
            starter.shutdownNow();
        }
        Hub first = hubs.get(0);
        Hub second = hubs.get(1);
        assertThat(await(Duration.ofSeconds(30), () -> first.store().hazelcast().getCluster().getMembers().size() == 3
                && second.store().hazelcast().getCluster().getMembers().size() == 3))
                .as("three members joined; member 3 log:\n%s", third.log())
                .isTrue();

        String admin = HubClient.adminToken(firstDir);
        HubClient one = new HubClient(HubClient.newHttpClient(), httpUrl(first));
        HubClient two = new HubClient(HubClient.newHttpClient(), httpUrl(second));
        HubClient three = new HubClient(HubClient.newHttpClient(), third.httpUrl());

        // data posted through member 1 is read through members 2 and 3
        Map<String, Instant> lastEvents = new LinkedHashMap<>();
        for (int image = 0; image < 12; image++) {
            lastEvents.put(postImage(one, admin, "cluster-" + image, image), FIRST_EVENT.plusSeconds(image * 10L + 2));
        }
        for (HubClient reader : List.of(two, three)) {
            assertImagesRead(reader, admin, lastEvents);
        }

        // a token made on member 2 works on 1 and 3; deleted on 3, it is refused on 1 and 2 within a second
        HubClient.CreatedIngestToken token = two.createIngestToken(admin, "collector on node-a");
        assertThat(one.presentIngestToken(token.secret())).isEqualTo(202);
        assertThat(three.presentIngestToken(token.secret())).isEqualTo(202);
        HttpResponse<String> deleted = three.delete("/api/v1/tokens/" + token.id(), admin);
        assertThat(deleted.statusCode()).isEqualTo(204);
        long deletedAt = System.nanoTime();
        for (HubClient other : List.of(one, two)) {
            boolean refused = await(Duration.ofSeconds(1), () -> other.presentIngestToken(token.secret()) == 401);
            assertThat(refused).as("deleted token refused on the other members").isTrue();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - deletedAt)).isLessThan(Duration.ofSeconds(1));

        // an integration changed on member 1 answers with its new configuration on member 2, whose connector was made before the change
        for (Hub member : List.of(first, second)) {
            PluginJarBuilder.compile("plugins/echo").plugin("echo-plugin", "1.0.0").extension("com.example.echo.EchoConnectorFactory")
                    .installInto(member.plugins().pluginsDir(), "echo.jar");
            assertThat(await(Duration.ofSeconds(10), () -> {
                member.plugins().rescan();
                return member.plugins().connector("echo").isPresent();
            })).as("the echo plugin started").isTrue();
        }
        JsonObject echo = new JsonObject(one.post("/api/v1/integrations", admin, "application/json", "{\"plugin\": \"echo\", \"name\": \"Echo\", "
                + "\"expiresIn\": \"P1M\", \"config\": {\"target\": \"http://127.0.0.1:9/\", \"apiKey\": \"k\", \"mode\": \"insights\"}}").body());
        String echoToken = echo.getJsonObject("token").getString("secret");
        assertThat(new JsonObject(two.get("/v1/echo", echoToken).body()).getString("greeting")).isEqualTo("hello");
        assertThat(one.put("/api/v1/integrations/" + echo.getString("id"), admin, "application/json",
                "{\"config\": {\"target\": \"http://127.0.0.1:9/\", \"apiKey\": \"****\", \"mode\": \"insights\", \"greeting\": \"hi\"}}").statusCode())
                .isEqualTo(200);
        assertThat(await(Duration.ofSeconds(5), () -> new JsonObject(two.get("/v1/echo", echoToken).body()).getString("greeting").equals("hi")))
                .as("member 2 answers with the new configuration").isTrue();

        // writes acknowledged by member 3, and tokens made there, survive its SIGKILL
        List<HubClient.CreatedIngestToken> tokens = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tokens.add(three.createIngestToken(admin, "collector " + i));
        }
        for (int image = 12; image < 18; image++) {
            lastEvents.put(postImage(three, admin, "cluster-" + image, image), FIRST_EVENT.plusSeconds(image * 10L + 2));
        }
        third.kill();

        for (HubClient survivor : List.of(one, two)) {
            assertThat(await(Duration.ofSeconds(10), () -> survivor.get("/health/ready", null).statusCode() == 200)).isTrue();
            for (HubClient.CreatedIngestToken survivingToken : tokens) {
                assertThat(survivor.presentIngestToken(survivingToken.secret())).isEqualTo(202);
            }
            assertThat(survivor.presentIngestToken(token.secret())).isEqualTo(401);
        }
        for (HubClient survivor : List.of(one, two)) {
            assertImagesRead(survivor, admin, lastEvents);
        }
        assertThat(await(Duration.ofSeconds(30), () -> first.store().hazelcast().getCluster().getMembers().size() == 2
                && second.store().hazelcast().getCluster().getMembers().size() == 2))
                .isTrue();

        // the two keep taking writes
        lastEvents.put(postImage(two, admin, "cluster-after", 30), FIRST_EVENT.plusSeconds(302));
        assertImagesRead(one, admin, Map.of(HubDocuments.sbomDigest("cluster-after"), FIRST_EVENT.plusSeconds(302)));
        assertThat(rowCount(jdbcUrl, "images")).isEqualTo(lastEvents.size());

        // every member's fleet-wide list counts every image, whichever member computed it (and member 3's, gone)
        for (HubClient member : List.of(one, two)) {
            boolean counted = await(Duration.ofSeconds(20), () -> {
                JsonObject list = new JsonObject(member.get("/api/v1/vulnerabilities", admin).body());
                return list.getJsonObject("summary").getInteger("vulnerabilities") == REPORTED_VULNERABILITY_IDS
                        && list.getJsonArray("vulnerabilities").stream().allMatch(row -> ((JsonObject) row).getInteger("images") == lastEvents.size());
            });
            assertThat(counted).as("fleet list of a member: %s", member.get("/api/v1/vulnerabilities?limit=1", admin).body()).isTrue();
        }
    }

    @Test
    void memberWithoutSharedDatabaseIsRefused()
            throws Exception
    {
        Path log = directory.resolve("refused.log");
        int exitCode = HubProcess.run(
                List.of("--data-dir", directory.resolve("refused").toString(), "--port", "0", "--tls-port", "0", "--cluster-port", String.valueOf(freePort())),
                Map.of("RUNLIGHT_CLUSTER_JOIN", "tcp", "RUNLIGHT_CLUSTER_MEMBERS", "127.0.0.1:" + freePort()),
                log);
        assertThat(exitCode).isEqualTo(2);
        assertThat(Files.readAllLines(log)).contains("runlight: invalid configuration: " + StoreConfig.CLUSTER_NEEDS_SHARED_DATABASE);
        assertThat(StoreConfig.CLUSTER_NEEDS_SHARED_DATABASE).startsWith("cluster mode needs a shared database: ");
    }

    /** Posts image copy {@code seed}'s SBOM, report and two event batches; returns its digest. */
    private static String postImage(HubClient client, String admin, String seed, int index)
            throws Exception
    {
        HttpResponse<String> sbom = client.post("/api/v1/sboms", admin, "application/json", HubDocuments.sbom(seed));
        assertThat(sbom.statusCode()).as(sbom.body()).isEqualTo(201);
        String digest = new JsonObject(sbom.body()).getString("imageDigest");
        assertThat(digest).isEqualTo(HubDocuments.sbomDigest(seed));
        HttpResponse<String> report = client.post("/api/v1/vulnerability-reports", admin, "application/json", HubDocuments.report(seed));
        assertThat(report.statusCode()).as(report.body()).isEqualTo(201);
        for (int batch = 1; batch <= 2; batch++) {
            Instant time = FIRST_EVENT.plusSeconds(index * 10L + batch);
            HttpResponse<String> events = client.post("/api/v1/runtime/events", admin, "application/x-ndjson",
                    HubDocuments.execEvent(digest, "cart-" + batch, time) + HubDocuments.execEvent(digest, "cart-0", time));
            assertThat(events.statusCode()).as(events.body()).isEqualTo(202);
            assertThat(new JsonObject(events.body()).getInteger("accepted")).isEqualTo(2);
        }
        return digest;
    }

    /** Every image is listed with its report and its newest event (waiting for recomputation). */
    private static void assertImagesRead(HubClient reader, String admin, Map<String, Instant> lastEvents)
            throws Exception
    {
        for (Map.Entry<String, Instant> expected : lastEvents.entrySet()) {
            boolean current = await(Duration.ofSeconds(20), () -> {
                Optional<JsonObject> image = reader.image(expected.getKey(), admin);
                return image.isPresent() && expected.getValue().toString().equals(image.get().getJsonObject("profile").getString("lastSeen"));
            });
            assertThat(current).as("image %s with events up to %s", expected.getKey(), expected.getValue()).isTrue();
            JsonObject image = reader.image(expected.getKey(), admin).orElseThrow();
            assertThat(image.getString("digest")).isEqualTo(expected.getKey());
            assertThat(image.getJsonObject("summary").getInteger("vulnerabilities")).isEqualTo(REPORTED_VULNERABILITIES);
            assertThat(image.getJsonObject("profile").getString("state")).isEqualTo("COMPLETE");
        }
    }

    private static String newDatabase(String name)
            throws Exception
    {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return postgres.getJdbcUrl("postgres", name);
    }

    private static int rowCount(String jdbcUrl, String map)
            throws Exception
    {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM " + Database.mapTable(map))) {
            result.next();
            return result.getInt(1);
        }
    }
}
