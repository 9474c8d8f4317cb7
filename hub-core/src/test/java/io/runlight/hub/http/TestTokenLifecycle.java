package io.runlight.hub.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import io.runlight.hub.auth.Role;
import io.runlight.hub.token.MutableClock;
import io.runlight.hub.token.TokenSecrets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acceptance "Tokens" of issue 4, over HTTPS against a real hub: the secret is in the
 * create response and nowhere else (later responses, log lines, database); renew keeps
 * the secret with a new expiry; expired and deleted tokens get 401; the list shows name,
 * prefix, expiry, status and last use.
 */
final class TestTokenLifecycle
{
    private static final String EVENTS = "application/x-ndjson";

    @TempDir
    static Path dataDir;

    private static MutableClock clock;
    private static RunningHub hub;
    private static String admin;
    private static ListAppender<ILoggingEvent> logs;
    private static Level previousLevel;
    /** Every response body and header the tests saw after the create responses. */
    private static final List<String> laterResponses = new ArrayList<>();

    @BeforeAll
    static void startHub()
    {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        // everything the hub logs, down to debug, must be free of secrets
        Logger runlight = (Logger) LoggerFactory.getLogger("io.runlight");
        previousLevel = runlight.getLevel();
        runlight.setLevel(Level.DEBUG);

        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        hub = RunningHub.start(dataDir, clock);
        admin = hub.jwt(Role.ADMIN);
    }

    @AfterAll
    static void stopHub()
    {
        try {
            if (hub != null) {
                hub.close();
            }
        }
        finally {
            Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            root.detachAppender(logs);
            ((Logger) LoggerFactory.getLogger("io.runlight")).setLevel(previousLevel);
        }
    }

    @Test
    void secretIsShownOnceAndRenewKeepsItWorking()
            throws Exception
    {
        Instant createdAt = clock.instant();
        RunningHub.Response created = tlsText("POST", "/api/v1/tokens", admin, "application/json", "{\"name\": \"ci pipeline\", \"expiresIn\": \"P1M\"}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode createdJson = created.json();
        String secret = createdJson.path("secret").asText();
        String id = createdJson.path("id").asText();
        assertThat(secret).matches(TokenSecrets.FORMAT);
        assertThat(TokenSecrets.hasValidChecksum(secret)).isTrue();
        assertThat(id).matches("tok_[0-9A-Za-z]{16}");
        assertThat(createdJson).isEqualTo(RunningHub.parse("{"
                + "\"id\": \"" + id + "\", \"name\": \"ci pipeline\", \"prefix\": \"" + secret.substring(0, 8) + "\", \"scope\": \"ingest\","
                + "\"expiresAt\": \"" + createdAt.atZone(ZoneOffset.UTC).plusMonths(1).toInstant() + "\", \"secret\": \"" + secret + "\"}"));

        // the token works for ingest
        RunningHub.Response posted = later(tls("POST", "/api/v1/runtime/events", secret, EVENTS, RunningHub.fixture("events/alpine-3.17.2.ndjson")));
        assertThat(posted.status()).isEqualTo(202);
        assertThat(posted.json()).isEqualTo(RunningHub.parse("{\"accepted\": 3, \"rejected\": 0, \"errors\": []}"));
        RunningHub.Response sbom = later(tls("POST", "/api/v1/sboms", secret, "application/json", RunningHub.fixture("sbom/alpine-3.17.2.syft.json")));
        assertThat(sbom.status()).isEqualTo(201);

        // the list shows it with its last use, never the secret
        JsonNode listed = awaitLastUse(id);
        assertThat(listed).isEqualTo(RunningHub.parse("{"
                + "\"id\": \"" + id + "\", \"name\": \"ci pipeline\", \"prefix\": \"" + secret.substring(0, 8) + "\", \"scope\": \"ingest\","
                + "\"createdAt\": \"" + createdAt + "\", \"expiresAt\": \"" + createdAt.atZone(ZoneOffset.UTC).plusMonths(1).toInstant() + "\","
                + "\"lastUsedAt\": \"" + createdAt + "\", \"status\": \"ACTIVE\"}"));

        // renew for a year, a day later: same secret, new expiry in UTC calendar terms
        clock.advance(Duration.ofDays(1));
        Instant renewedAt = clock.instant();
        RunningHub.Response renewed = later(tlsText("POST", "/api/v1/tokens/" + id + "/renew", admin, "application/json", "{\"expiresIn\": \"P1Y\"}"));
        assertThat(renewed.status()).isEqualTo(200);
        Instant expectedExpiry = renewedAt.atZone(ZoneOffset.UTC).plusYears(1).toInstant();
        assertThat(renewed.json().path("expiresAt").asText()).isEqualTo(expectedExpiry.toString());
        assertThat(renewed.json().path("status").asText()).isEqualTo("ACTIVE");
        assertThat(renewed.json().has("secret")).isFalse();

        // past the old expiry, before the new one, the same secret still works
        clock.set(createdAt.atZone(ZoneOffset.UTC).plusMonths(2).toInstant());
        try {
            RunningHub.Response again = later(tls("POST", "/api/v1/runtime/events", secret, EVENTS, RunningHub.fixture("events/alpine-3.17.2.ndjson")));
            assertThat(again.status()).isEqualTo(202);
            JsonNode afterRenewal = findToken(id);
            assertThat(afterRenewal.path("expiresAt").asText()).isEqualTo(expectedExpiry.toString());
            assertThat(afterRenewal.path("status").asText()).isEqualTo("ACTIVE");
        }
        finally {
            clock.set(renewedAt);
        }

        // responses that carry errors or other resources
        RunningHub.Response forbidden = later(tlsGet("/api/v1/images", secret));
        assertThat(forbidden.status()).isEqualTo(403);
        RunningHub.Response malformed = later(tls("POST", "/api/v1/sboms", secret, "application/json", "{\"truncated\": ".getBytes(StandardCharsets.UTF_8)));
        assertThat(malformed.status()).isEqualTo(400);
        later(hub.awaitImage(RunningHub.ALPINE_DIGEST, admin, image -> true).toString());
        RunningHub.Response image = later(tlsGet("/api/v1/images/" + RunningHub.ALPINE_DIGEST, admin));
        assertThat(image.status()).isEqualTo(200);
        later(tlsGet("/api/v1/tokens", admin));
        later(tlsGet("/metrics", null));

        assertSecretNowhereButCreate(secret);
    }

    @Test
    void deletedTokenGets401()
            throws Exception
    {
        RunningHub.Response created = tlsText("POST", "/api/v1/tokens", admin, "application/json", "{\"name\": \"collector\", \"expiresIn\": \"P3M\"}");
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().path("secret").asText();
        String id = created.json().path("id").asText();
        assertThat(later(tls("POST", "/api/v1/runtime/events", secret, EVENTS, RunningHub.fixture("events/alpine-3.17.2.ndjson"))).status()).isEqualTo(202);

        RunningHub.Response deleted = later(tlsDelete("/api/v1/tokens/" + id, admin));
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();

        RunningHub.Response refused = later(tls("POST", "/api/v1/runtime/events", secret, EVENTS, RunningHub.fixture("events/alpine-3.17.2.ndjson")));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json()).isEqualTo(RunningHub.parse("{\"error\": \"unauthenticated\", \"message\": \"The bearer token is revoked or unknown.\"}"));
        assertThat(refused.header("WWW-Authenticate")).contains("Bearer realm=\"runlight\"");

        RunningHub.Response list = later(tlsGet("/api/v1/tokens", admin));
        assertThat(list.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        list.json().forEach(token -> ids.add(token.path("id").asText()));
        assertThat(ids).doesNotContain(id);

        RunningHub.Response again = later(tlsDelete("/api/v1/tokens/" + id, admin));
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json()).isEqualTo(RunningHub.parse("{\"error\": \"not_found\", \"message\": \"No token '" + id + "'.\"}"));

        assertSecretNowhereButCreate(secret);
    }

    @Test
    void expiredTokenGets401UntilRenewed()
            throws Exception
    {
        Instant start = clock.instant();
        RunningHub.Response created = tlsText("POST", "/api/v1/tokens", admin, "application/json", "{\"name\": \"short lived\", \"expiresIn\": \"P1M\"}");
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().path("secret").asText();
        String id = created.json().path("id").asText();
        Instant expiresAt = start.atZone(ZoneOffset.UTC).plusMonths(1).toInstant();
        try {
            clock.set(expiresAt.minusSeconds(1));
            assertThat(later(tls("POST", "/api/v1/runtime/events", secret, EVENTS, RunningHub.fixture("events/alpine-3.17.2.ndjson"))).status()).isEqualTo(202);

            clock.set(expiresAt);
            RunningHub.Response refused = later(tls("POST", "/api/v1/runtime/events", secret, EVENTS, RunningHub.fixture("events/alpine-3.17.2.ndjson")));
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.json()).isEqualTo(RunningHub.parse("{\"error\": \"unauthenticated\", \"message\": \"The bearer token has expired.\"}"));
            assertThat(findToken(id).path("status").asText()).isEqualTo("EXPIRED");
            assertThat(findToken(id).path("expiresAt").asText()).isEqualTo(expiresAt.toString());

            RunningHub.Response renewed = later(tlsText("POST", "/api/v1/tokens/" + id + "/renew", admin, "application/json", "{\"expiresIn\": \"P1M\"}"));
            assertThat(renewed.status()).isEqualTo(200);
            assertThat(renewed.json().path("expiresAt").asText()).isEqualTo(expiresAt.atZone(ZoneOffset.UTC).plusMonths(1).toInstant().toString());
            assertThat(renewed.json().path("status").asText()).isEqualTo("ACTIVE");
            assertThat(later(tls("POST", "/api/v1/runtime/events", secret, EVENTS, RunningHub.fixture("events/alpine-3.17.2.ndjson"))).status()).isEqualTo(202);
        }
        finally {
            clock.set(start);
        }
        RunningHub.Response unknown = later(tlsText("POST", "/api/v1/tokens/tok_0000000000000000/renew", admin, "application/json", "{\"expiresIn\": \"P1M\"}"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json()).isEqualTo(RunningHub.parse("{\"error\": \"not_found\", \"message\": \"No token 'tok_0000000000000000'.\"}"));

        assertSecretNowhereButCreate(secret);
    }

    private static void assertSecretNowhereButCreate(String secret)
            throws SQLException, IOException
    {
        // the random part alone, in case something strips the prefix
        String body = secret.substring(TokenSecrets.PREFIX.length());
        synchronized (laterResponses) {
            for (String response : laterResponses) {
                assertThat(response).doesNotContain(body);
            }
        }
        // the hub's threads keep logging while this reads: the appender adds under its own lock
        List<ILoggingEvent> logged;
        synchronized (logs) {
            logged = List.copyOf(logs.list);
        }
        for (ILoggingEvent event : logged) {
            assertThat(event.getFormattedMessage()).doesNotContain(body);
            if (event.getThrowableProxy() != null) {
                assertThat(ThrowableProxyUtil.asString(event.getThrowableProxy())).doesNotContain(body);
            }
        }
        assertThat(logged).isNotEmpty();

        int cells = 0;
        try (Connection connection = hub.hub().store().database().connection()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = connection.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rows.next()) {
                    if (!"INFORMATION_SCHEMA".equalsIgnoreCase(rows.getString("TABLE_SCHEM"))) {
                        tables.add("\"" + rows.getString("TABLE_SCHEM") + "\".\"" + rows.getString("TABLE_NAME") + "\"");
                    }
                }
            }
            assertThat(tables).anyMatch(table -> table.contains("rl_map_tokens") || table.contains("RL_MAP_TOKENS"));
            for (String table : tables) {
                try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData meta = rows.getMetaData();
                    while (rows.next()) {
                        for (int column = 1; column <= meta.getColumnCount(); column++) {
                            String value = cellText(rows, meta.getColumnType(column), column);
                            if (value != null) {
                                cells++;
                                assertThat(value).as("%s column %s", table, meta.getColumnName(column)).doesNotContain(body);
                            }
                        }
                    }
                }
            }
        }
        assertThat(cells).isGreaterThan(0);

        // and not in any file the hub keeps (the H2 file, spooled bodies, keys)
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as("file %s", file).doesNotContain(body);
            }
        }
    }

    private static String cellText(ResultSet rows, int type, int column)
            throws SQLException
    {
        switch (type) {
            case Types.BLOB, Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> {
                byte[] bytes = rows.getBytes(column);
                return bytes == null ? null : new String(bytes, StandardCharsets.ISO_8859_1);
            }
            default -> {
                Object value = rows.getObject(column);
                return value == null ? null : value.toString();
            }
        }
    }

    private static JsonNode awaitLastUse(String id)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode token = findToken(id);
        while (!token.has("lastUsedAt") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            token = findToken(id);
        }
        return token;
    }

    private static JsonNode findToken(String id)
    {
        RunningHub.Response list = later(tlsGet("/api/v1/tokens", admin));
        assertThat(list.status()).isEqualTo(200);
        for (JsonNode token : list.json()) {
            if (token.path("id").asText().equals(id)) {
                return token;
            }
        }
        throw new AssertionError("token '" + id + "' is not listed: " + list.body());
    }

    private static RunningHub.Response tls(String method, String path, String token, String contentType, byte[] body)
    {
        return hub.sendTls(method, path, token, contentType, body);
    }

    private static RunningHub.Response tlsGet(String path, String token)
    {
        return hub.sendTls("GET", path, token, null, null);
    }

    private static RunningHub.Response tlsDelete(String path, String token)
    {
        return hub.sendTls("DELETE", path, token, null, null);
    }

    private static RunningHub.Response tlsText(String method, String path, String token, String contentType, String body)
    {
        return hub.sendTls(method, path, token, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static RunningHub.Response later(RunningHub.Response response)
    {
        synchronized (laterResponses) {
            laterResponses.add(response.headers() + "\n" + response.body());
        }
        return response;
    }

    private static void later(String text)
    {
        synchronized (laterResponses) {
            laterResponses.add(text);
        }
    }
}
