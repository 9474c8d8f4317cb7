package io.runlight.hub.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.hub.Await;
import io.runlight.hub.auth.Role;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kept pages of an insights-only route, on a real hub with the echo plugin: a repeated
 * request is answered without the connector while the insights are unchanged; a change of the
 * insights, another query, a changed configuration each get the connector's own answer again;
 * pausing the integration or deleting its token refuses at once, kept page or not; a route that
 * is not insights-only is answered by the connector every time.
 * <p>
 * The echo connector's {@code /v1/echo-images} counts its own answers in its body (which a
 * real insights-only route must not do): a count that stays is a kept page.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class TestServePages
{
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    static Path dataDir;

    private static RunningHub hub;
    private static String admin;
    private static String id;
    private static String token;
    private static String tokenId;

    @BeforeAll
    static void start()
    {
        hub = RunningHub.start(dataDir, Clock.systemUTC());
        TestIntegrationEndpoints.installEcho(hub);
        admin = hub.jwt(Role.ADMIN);
        RunningHub.Response created = hub.postJson("/api/v1/integrations", admin, "{\"plugin\": \"echo\", \"name\": \"Pages\", \"expiresIn\": \"P1M\", "
                + "\"config\": {\"target\": \"http://127.0.0.1:9/\", \"apiKey\": \"key\", \"mode\": \"insights\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        id = created.json().path("id").asText();
        token = created.json().path("token").path("secret").asText();
        tokenId = created.json().path("token").path("id").asText();
    }

    @AfterAll
    static void stop()
    {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    @Order(1)
    void aRepeatedRequestIsAnsweredFromTheKeptPage()
    {
        JsonNode kept = awaitKeptPage("/v1/echo-images?limit=5");
        assertThat(kept.path("images").asInt()).isZero();
        for (int i = 0; i < 20; i++) {
            RunningHub.Response again = hub.get("/v1/echo-images?limit=5", token);
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.header("Content-Type")).contains("application/json");
            assertThat(again.json()).isEqualTo(kept);
        }

        // another query is another page: the connector answers it
        JsonNode other = hub.get("/v1/echo-images?limit=6", token).json();
        assertThat(other.path("answers").asLong()).isGreaterThan(kept.path("answers").asLong());
        assertThat(other.path("query").asText()).isEqualTo("{limit=[6]}");

        // a route that is not insights-only: the connector every time
        long calls = hub.get("/v1/echo", token).json().path("calls").asLong();
        assertThat(hub.get("/v1/echo", token).json().path("calls").asLong()).isEqualTo(calls + 1);
        assertThat(hub.get("/v1/echo", token).json().path("calls").asLong()).isEqualTo(calls + 2);
    }

    @Test
    @Order(2)
    void aChangeOfTheInsightsIsAnsweredByTheConnector()
    {
        JsonNode before = awaitKeptPage("/v1/echo-images?limit=5");
        assertThat(before.path("images").asInt()).isZero();

        String digest = "sha256:" + "cd".repeat(32);
        byte[] sbom = ("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"metadata\": {\"tools\": {\"components\": [{\"name\": \"cyclonedx-npm\"}]}},"
                + " \"components\": [{\"type\": \"library\", \"name\": \"express\", \"version\": \"4.21.2\", \"purl\": \"pkg:npm/express@4.21.2\","
                + " \"properties\": [{\"name\": \"cdx:npm:package:path\", \"value\": \"node_modules/express\"}]}]}").getBytes(StandardCharsets.UTF_8);
        RunningHub.Response ingested = hub.post("/api/v1/sboms?image=" + digest + "&root=/app", hub.jwt(Role.INGEST), "application/json", sbom);
        assertThat(ingested.status()).as(ingested.body()).isEqualTo(201);

        // as soon as the image's insights are stored, the route shows it: never the kept page of before
        Await.await("the new image on the insights-only route", PATIENCE, () -> hub.get("/v1/echo-images?limit=5", token).json().path("images").asInt() == 1);
        JsonNode after = awaitKeptPage("/v1/echo-images?limit=5");
        assertThat(after.path("images").asInt()).isEqualTo(1);
        assertThat(after.path("answers").asLong()).isGreaterThan(before.path("answers").asLong());
    }

    @Test
    @Order(3)
    void pausingOrChangingTheIntegrationIsNotHiddenByAKeptPage()
    {
        JsonNode kept = awaitKeptPage("/v1/echo-images?limit=5");

        assertThat(hub.postJson("/api/v1/integrations/" + id + "/pause", admin, "").status()).isEqualTo(200);
        RunningHub.Response paused = hub.get("/v1/echo-images?limit=5", token);
        assertThat(paused.status()).isEqualTo(503);
        assertThat(paused.json().path("error").asText()).isEqualTo("integration_paused");
        assertThat(hub.postJson("/api/v1/integrations/" + id + "/resume", admin, "").status()).isEqualTo(200);

        // a new configuration is a new connector instance: its own answers, none kept from the old one
        RunningHub.Response updated = hub.send("PUT", "/api/v1/integrations/" + id, admin, "application/json",
                "{\"config\": {\"target\": \"http://127.0.0.1:9/\", \"apiKey\": \"****\", \"mode\": \"insights\", \"greeting\": \"hi\"}}".getBytes(StandardCharsets.UTF_8));
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        JsonNode fresh = hub.get("/v1/echo-images?limit=5", token).json();
        assertThat(fresh.path("answers").asLong()).isEqualTo(1);
        assertThat(fresh.path("images").asInt()).isEqualTo(kept.path("images").asInt());
        assertThat(hub.get("/v1/echo", token).json().path("greeting").asText()).isEqualTo("hi");
    }

    @Test
    @Order(4)
    void aDeletedTokenIsRefusedAtOnce()
    {
        awaitKeptPage("/v1/echo-images?limit=5");
        assertThat(hub.delete("/api/v1/tokens/" + tokenId, admin).status()).isEqualTo(204);
        RunningHub.Response refused = hub.get("/v1/echo-images?limit=5", token);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json()).isEqualTo(RunningHub.errorJson("unauthenticated", "The bearer token is revoked or unknown."));
    }

    /** Asks until two answers in a row are the same: the second came from the kept page. */
    private static JsonNode awaitKeptPage(String path)
    {
        JsonNode[] last = {null};
        Await.await("a kept page of " + path, PATIENCE, () -> {
            RunningHub.Response response = hub.get(path, token);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            JsonNode previous = last[0];
            last[0] = response.json();
            return last[0].equals(previous);
        });
        return last[0];
    }
}
