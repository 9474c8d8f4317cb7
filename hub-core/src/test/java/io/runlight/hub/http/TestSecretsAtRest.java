package io.runlight.hub.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.hazelcast.map.IMap;
import com.sun.net.httpserver.HttpServer;
import io.runlight.hub.auth.Role;
import io.runlight.hub.integration.IntegrationService;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, defect 7: an integration's secret configuration values never land in the
 * database in plaintext (they are sealed with AES-256-GCM under the key in keys/), a
 * deleted integration leaves no plaintext behind, records stored in plaintext by an
 * earlier version are still read and get sealed, and the database files are the hub
 * user's only. Checked on the bytes of the real H2 file and on the rows of an embedded
 * PostgreSQL.
 */
final class TestSecretsAtRest
{
    @TempDir
    static Path folder;

    /** H2's own system property, which store.Database takes instead of its 5 s when a test JVM sets it. */
    private static final String NO_COMPACTION = "h2.maxCompactTime";

    private static HttpServer receiver;
    private static String receiverUrl;
    private static volatile String expectedKey = "";

    @BeforeAll
    static void startReceiver()
            throws IOException
    {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // the echo connector's connection test sends its apiKey: 200 only with the key the admin gave
        receiver.createContext("/health", exchange -> {
            boolean authorized = ("Bearer " + expectedKey).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (authorized ? "{\"ok\":true}" : "{\"error\":\"bad key\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(authorized ? 200 : 401, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        receiver.start();
        receiverUrl = "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    @AfterAll
    static void stopReceiver()
    {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void secretsNeverLandInTheH2FileAndDeletedOnesLeaveNoTrace()
            throws Exception
    {
        // hub-core's tests close H2 files without compacting them (store.Database); this test is about the compaction
        String noCompaction = System.clearProperty(NO_COMPACTION);
        try {
            secretsLeaveNoTraceInACompactedFile();
        }
        finally {
            if (noCompaction != null) {
                System.setProperty(NO_COMPACTION, noCompaction);
            }
        }
    }

    private void secretsLeaveNoTraceInACompactedFile()
            throws Exception
    {
        Path dataDir = folder.resolve("h2");
        String kept = "apikey-kept-" + UUID.randomUUID();
        String deleted = "apikey-deleted-" + UUID.randomUUID();
        String keptId;
        String deletedId;
        String deletedSealed;
        String keptSealed;
        try (RunningHub hub = RunningHub.start(dataDir, Clock.systemUTC())) {
            TestIntegrationEndpoints.installEcho(hub);
            String admin = hub.jwt(Role.ADMIN);
            keptId = create(hub, admin, "kept", kept);
            deletedId = create(hub, admin, "deleted", deleted);
            // every change writes the whole record again: many versions of it pass through the file
            for (int i = 0; i < 2; i++) {
                assertThat(hub.postJson("/api/v1/integrations/" + keptId + "/pause", admin, "").status()).isEqualTo(200);
                assertThat(hub.postJson("/api/v1/integrations/" + keptId + "/resume", admin, "").status()).isEqualTo(200);
            }
            expectedKey = kept;
            assertThat(hub.postJson("/api/v1/integrations/" + keptId + "/test", admin, "").json().path("ok").asBoolean()).isTrue();
            assertThat(hub.hub().store().map(IntegrationService.INTEGRATIONS_MAP).get(keptId)).doesNotContain(kept).contains("\"apiKey\":\"rlsealed:v1:");
            deletedSealed = sealedValue(hub.hub().store().map(IntegrationService.INTEGRATIONS_MAP).get(deletedId));
            keptSealed = sealedValue(hub.hub().store().map(IntegrationService.INTEGRATIONS_MAP).get(keptId));
            assertThat(hub.delete("/api/v1/integrations/" + deletedId, admin).status()).isEqualTo(204);
            // while the hub runs, earlier versions of records stay in the file until H2 rewrites their chunks: only sealed values
            assertThat(count(Files.readAllBytes(dataDir.resolve("db").resolve("runlight.mv.db")), deletedSealed)).isPositive();
        }
        byte[] file = Files.readAllBytes(dataDir.resolve("db").resolve("runlight.mv.db"));
        assertThat(contains(file, kept)).as("the kept integration's secret in the H2 file").isFalse();
        assertThat(contains(file, deleted)).as("the deleted integration's secret in the H2 file").isFalse();
        assertThat(contains(file, keptSealed)).as("the kept integration's sealed secret in the H2 file").isTrue();
        // a clean shutdown compacts the file: not even the deleted secret's sealed value is left
        assertThat(count(file, deletedSealed)).as("copies of the deleted integration's sealed secret in the H2 file after shutdown").isZero();
        // the database folder and its files, and the key, are the hub user's only
        try (Stream<Path> paths = Files.walk(dataDir.resolve("db"))) {
            for (Path path : paths.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).as("%s", path)
                        .isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------");
            }
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("keys").resolve("secrets.key")))).isEqualTo("rw-------");

        // a hub given another key (secrets.key wins over keys/secrets.key) skips what it cannot open, and changes nothing
        try (RunningHub hub = RunningHub.start(dataDir, Clock.systemUTC(), Map.of("secrets.key", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="))) {
            String admin = hub.jwt(Role.ADMIN);
            assertThat(hub.get("/api/v1/integrations/" + keptId, admin).status()).isEqualTo(404);
            assertThat(hub.get("/api/v1/integrations", admin).json()).isEmpty();
        }

        // with its own key again, the hub opens the sealed secret: the connector uses it
        try (RunningHub hub = RunningHub.start(dataDir, Clock.systemUTC())) {
            TestIntegrationEndpoints.installEcho(hub);
            String admin = hub.jwt(Role.ADMIN);
            assertThat(hub.get("/api/v1/integrations/" + keptId, admin).json().path("config").path("apiKey").asText()).isEqualTo("****");
            assertThat(hub.postJson("/api/v1/integrations/" + keptId + "/test", admin, "").json().path("ok").asBoolean()).isTrue();
            assertThat(hub.get("/api/v1/integrations/" + deletedId, admin).status()).isEqualTo(404);
        }
    }

    @Test
    void aRecordStoredInPlaintextByAnEarlierVersionIsReadAndSealed()
            throws Exception
    {
        Path dataDir = folder.resolve("legacy");
        String secret = "apikey-legacy-" + UUID.randomUUID();
        String id;
        try (RunningHub hub = RunningHub.start(dataDir, Clock.systemUTC())) {
            TestIntegrationEndpoints.installEcho(hub);
            String admin = hub.jwt(Role.ADMIN);
            id = create(hub, admin, "legacy", secret);
            // what an earlier version stored: the same record with the secret as plain JSON
            IMap<String, String> integrations = hub.hub().store().map(IntegrationService.INTEGRATIONS_MAP);
            String sealed = integrations.get(id);
            String plaintext = sealed.replaceFirst("\"apiKey\":\"rlsealed:v1:[A-Za-z0-9+/=]+\"", "\"apiKey\":\"" + secret + "\"");
            assertThat(plaintext).isNotEqualTo(sealed).contains(secret);
            integrations.set(id, plaintext);
        }

        try (RunningHub hub = RunningHub.start(dataDir, Clock.systemUTC())) {
            TestIntegrationEndpoints.installEcho(hub);
            String admin = hub.jwt(Role.ADMIN);
            expectedKey = secret;
            assertThat(hub.get("/api/v1/integrations/" + id, admin).json().path("config").path("apiKey").asText()).isEqualTo("****");
            assertThat(hub.postJson("/api/v1/integrations/" + id + "/test", admin, "").json().path("ok").asBoolean()).isTrue();
            // read once, stored sealed
            assertThat(hub.hub().store().map(IntegrationService.INTEGRATIONS_MAP).get(id)).doesNotContain(secret).contains("\"apiKey\":\"rlsealed:v1:");
        }
    }

    @Test
    @Tag("postgresql")
    void secretsNeverLandInPostgresql()
            throws Exception
    {
        String secret = "apikey-pg-" + UUID.randomUUID();
        String legacySecret = "apikey-pg-legacy-" + UUID.randomUUID();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            Map<String, String> database = Map.of(
                    "database.url", postgres.getJdbcUrl("postgres", "postgres"),
                    "database.user", "postgres",
                    "database.password", "postgres");
            String legacyId;
            try (RunningHub hub = RunningHub.start(folder.resolve("pg"), Clock.systemUTC(), database)) {
                TestIntegrationEndpoints.installEcho(hub);
                String admin = hub.jwt(Role.ADMIN);
                create(hub, admin, "pg", secret);
                legacyId = create(hub, admin, "pg-legacy", legacySecret);
                IMap<String, String> integrations = hub.hub().store().map(IntegrationService.INTEGRATIONS_MAP);
                integrations.set(legacyId, integrations.get(legacyId).replaceFirst("\"apiKey\":\"rlsealed:v1:[A-Za-z0-9+/=]+\"", "\"apiKey\":\"" + legacySecret + "\""));
                assertThat(rows(postgres)).anyMatch(row -> row.contains(legacySecret));
                assertThat(rows(postgres)).noneMatch(row -> row.contains(secret)).anyMatch(row -> row.contains("\"apiKey\":\"rlsealed:v1:"));
            }
            try (RunningHub hub = RunningHub.start(folder.resolve("pg"), Clock.systemUTC(), database)) {
                assertThat(hub.get("/api/v1/integrations/" + legacyId, hub.jwt(Role.ADMIN)).status()).isEqualTo(200);
                assertThat(rows(postgres)).hasSize(2).noneMatch(row -> row.contains(secret) || row.contains(legacySecret));
            }
        }
    }

    private static String create(RunningHub hub, String admin, String name, String apiKey)
    {
        RunningHub.Response created = hub.postJson("/api/v1/integrations", admin,
                "{\"plugin\": \"echo\", \"name\": \"" + name + "\", \"expiresIn\": \"P1M\", \"config\": {\"target\": \"" + receiverUrl + "\", \"apiKey\": \"" + apiKey + "\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    private static List<String> rows(EmbeddedPostgres postgres)
            throws SQLException
    {
        List<String> rows = new ArrayList<>();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT map_value FROM rl_map_integrations")) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }

    private static String sealedValue(String record)
    {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("rlsealed:v1:[A-Za-z0-9+/=]+").matcher(record);
        assertThat(matcher.find()).as(record).isTrue();
        return matcher.group();
    }

    private static int count(byte[] haystack, String needle)
    {
        String text = new String(haystack, StandardCharsets.ISO_8859_1);
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }

    private static boolean contains(byte[] haystack, String needle)
    {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
    }
}
