package io.runlight.hub.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.hub.auth.Role;
import io.runlight.hub.integration.IntegrationService;
import io.runlight.hub.token.FailedAttemptLimiter;
import io.runlight.hub.token.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Serve routes of a plugin answered with the integration's own token, and the binding of an
 * integration to its token: expiry and deletion sever it at once (401, no push target),
 * renewing or replacing the token resumes it; pausing answers 503; a failing connector 502;
 * a removed plugin jar fails the integration until the jar is back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class TestServeRouting
{
    @TempDir
    static Path dataDir;

    private static MutableClock clock;
    private static RunningHub hub;
    private static String admin;
    private static String alphaId;
    private static String alphaToken;
    private static String alphaTokenId;
    private static String betaToken;

    @BeforeAll
    static void start()
    {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        hub = RunningHub.start(dataDir, clock);
        TestIntegrationEndpoints.installEcho(hub);
        admin = hub.jwt(Role.ADMIN);
        JsonNode alpha = create("Alpha", "normal");
        alphaId = alpha.path("id").asText();
        alphaToken = alpha.path("token").path("secret").asText();
        alphaTokenId = alpha.path("token").path("id").asText();
        betaToken = create("Beta", "normal").path("token").path("secret").asText();
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
    void servesTheRouteWithTheIntegrationsToken()
    {
        RunningHub.Response first = hub.get("/v1/echo?x=1&x=2&y=%C3%A9", alphaToken);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json()).isEqualTo(RunningHub.parse(
                "{\"integration\": \"Alpha\", \"greeting\": \"hello\", \"query\": {\"x\": [\"1\", \"2\"], \"y\": [\"é\"]}, \"calls\": 1, \"authorization\": false}"));
        assertThat(first.header("X-Echo")).contains(alphaId);
        assertThat(first.header("Content-Type")).contains("application/json");
        // the connector's state is durable and its own
        assertThat(hub.get("/v1/echo", alphaToken).json().path("calls").asInt()).isEqualTo(2);
        assertThat(hub.hub().store().map(IntegrationService.CONNECTOR_STATE_MAP).get(alphaId + "|calls")).isEqualTo("2");

        // another integration's token reaches that integration, never this one
        assertThat(hub.get("/v1/echo", betaToken).json().path("integration").asText()).isEqualTo("Beta");
        assertThat(hub.get("/v1/echo", betaToken).json().path("calls").asInt()).isEqualTo(2);
    }

    @Test
    @Order(2)
    void refusesCallersThatAreNotTheIntegration()
    {
        assertThat(hub.get("/v1/echo", null).json()).isEqualTo(RunningHub.errorJson("unauthenticated",
                "The request has no bearer token: send 'Authorization: Bearer <token>'."));
        assertThat(hub.get("/v1/echo", "rlt_000000000000000000000000000000AAAAAA").json()).isEqualTo(RunningHub.errorJson("unauthenticated",
                "The bearer token is malformed."));
        assertThat(hub.get("/v1/echo", admin).json()).isEqualTo(RunningHub.errorJson("forbidden",
                "This route answers only the token of the integration that serves it."));
        assertThat(hub.send("POST", "/v1/echo", alphaToken, "application/json", "{}".getBytes()).json()).isEqualTo(RunningHub.errorJson("not_found",
                "Integration 'Alpha' (" + alphaId + ") has no route POST /v1/echo."));
        assertThat(hub.get("/v1/other", alphaToken).status()).isEqualTo(404);
        assertThat(hub.get("/v1/other", null).json()).isEqualTo(RunningHub.errorJson("not_found", "No such resource."));
        assertThat(hub.get("/api/v1/nothing-here", alphaToken).json()).isEqualTo(RunningHub.errorJson("not_found", "No such resource."));
        // an integration token opens nothing of the API
        assertThat(hub.get("/api/v1/integrations", alphaToken).status()).isEqualTo(403);
        clock.advance(FailedAttemptLimiter.DEFAULT_WINDOW.plusSeconds(1));
    }

    @Test
    @Order(3)
    void aPausedIntegrationAnswers503()
    {
        assertThat(hub.postJson("/api/v1/integrations/" + alphaId + "/pause", admin, "").status()).isEqualTo(200);
        RunningHub.Response paused = hub.get("/v1/echo", alphaToken);
        assertThat(paused.status()).isEqualTo(503);
        assertThat(paused.json()).isEqualTo(RunningHub.errorJson("integration_paused",
                "Integration 'Alpha' (" + alphaId + ") is paused: an admin must resume it before it answers requests."));
        assertThat(hub.hub().integrations().pushTargets().pushTarget(alphaId)).isEmpty();
        assertThat(hub.postJson("/api/v1/integrations/" + alphaId + "/resume", admin, "").status()).isEqualTo(200);
        assertThat(hub.get("/v1/echo", alphaToken).status()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void anExpiredOrDeletedTokenSeversTheIntegrationUntilRenewed()
    {
        assertThat(hub.hub().integrations().pushTargets().pushTarget(alphaId)).hasValueSatisfying(target -> {
            assertThat(target.pluginId()).isEqualTo("echo-plugin");
            assertThat(target.integrationId()).isEqualTo(alphaId);
        });

        clock.advance(Duration.ofDays(40));
        assertThat(hub.get("/v1/echo", alphaToken).json()).isEqualTo(RunningHub.errorJson("unauthenticated", "The bearer token has expired."));
        JsonNode expired = hub.get("/api/v1/integrations/" + alphaId, admin).json();
        assertThat(expired.path("state").asText()).isEqualTo("SEVERED");
        assertThat(expired.path("reason").asText()).startsWith("Its token '" + alphaTokenId + "' expired at ").endsWith(": renew it with POST /api/v1/tokens/"
                + alphaTokenId + "/renew.");
        assertThat(expired.path("token").path("status").asText()).isEqualTo("EXPIRED");
        assertThat(hub.hub().integrations().pushTargets().pushTarget(alphaId)).isEmpty();
        assertThat(hub.hub().integrations().pushTargets().activePushTargets()).extracting(target -> target.integrationId()).doesNotContain(alphaId);

        assertThat(hub.postJson("/api/v1/tokens/" + alphaTokenId + "/renew", admin, "{\"expiresIn\": \"P3M\"}").status()).isEqualTo(200);
        assertThat(hub.get("/api/v1/integrations/" + alphaId, admin).json().path("state").asText()).isEqualTo("ACTIVE");
        assertThat(hub.get("/v1/echo", alphaToken).status()).isEqualTo(200);
        assertThat(hub.hub().integrations().pushTargets().pushTarget(alphaId)).isPresent();

        assertThat(hub.delete("/api/v1/tokens/" + alphaTokenId, admin).status()).isEqualTo(204);
        assertThat(hub.get("/v1/echo", alphaToken).json()).isEqualTo(RunningHub.errorJson("unauthenticated", "The bearer token is revoked or unknown."));
        JsonNode deleted = hub.get("/api/v1/integrations/" + alphaId, admin).json();
        assertThat(deleted.path("state").asText()).isEqualTo("SEVERED");
        assertThat(deleted.path("reason").asText()).isEqualTo("Its token was deleted: create a new one with POST /api/v1/tokens and \"integrationId\": \"" + alphaId + "\".");
        assertThat(deleted.has("token")).isFalse();
        assertThat(hub.hub().integrations().pushTargets().pushTarget(alphaId)).isEmpty();

        RunningHub.Response replaced = hub.postJson("/api/v1/tokens", admin, "{\"name\": \"Alpha again\", \"expiresIn\": \"P1M\", \"integrationId\": \"" + alphaId + "\"}");
        assertThat(replaced.status()).isEqualTo(201);
        alphaToken = replaced.json().path("secret").asText();
        alphaTokenId = replaced.json().path("id").asText();
        assertThat(hub.get("/api/v1/integrations/" + alphaId, admin).json().path("state").asText()).isEqualTo("ACTIVE");
        assertThat(hub.get("/v1/echo", alphaToken).status()).isEqualTo(200);
        assertThat(hub.hub().integrations().pushTargets().pushTarget(alphaId)).isPresent();
        clock.advance(FailedAttemptLimiter.DEFAULT_WINDOW.plusSeconds(1));
    }

    @Test
    @Order(5)
    void aFailingConnectorAnswers502AndRecordsTheError()
    {
        JsonNode gamma = create("Gamma", "fail-serve");
        String id = gamma.path("id").asText();
        RunningHub.Response failed = hub.get("/v1/echo", gamma.path("token").path("secret").asText());
        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.json()).isEqualTo(RunningHub.errorJson("connector_failed",
                "The connector of integration 'Gamma' (" + id + ") failed; the integration's status has the reason."));
        assertThat(hub.get("/api/v1/integrations/" + id, admin).json().path("lastError").asText()).isEqualTo(
                "Serving GET /v1/echo failed: plugin 'echo-plugin': Connector.serve (connector 'echo') threw java.lang.IllegalStateException: echo was told to fail");
        // the others keep working
        assertThat(hub.get("/v1/echo", alphaToken).status()).isEqualTo(200);
    }

    @Test
    @Order(6)
    void removingThePluginJarFailsTheIntegrationUntilItIsBack()
            throws Exception
    {
        Files.delete(hub.hub().plugins().pluginsDir().resolve("echo.jar"));
        hub.hub().plugins().rescan();
        assertThat(hub.hub().plugins().connector("echo")).isEmpty();

        JsonNode failed = hub.get("/api/v1/integrations/" + alphaId, admin).json();
        assertThat(failed.path("state").asText()).isEqualTo("FAILED");
        assertThat(failed.path("reason").asText()).isEqualTo("Connector 'echo' is not loaded: no started plugin provides it (see GET /api/v1/plugins).");
        assertThat(hub.get("/v1/echo", alphaToken).json()).isEqualTo(RunningHub.errorJson("integration_unavailable",
                "Integration 'Alpha' (" + alphaId + ") cannot answer: its connector 'echo' is not loaded."));
        assertThat(hub.hub().integrations().pushTargets().pushTarget(alphaId)).isEmpty();

        TestIntegrationEndpoints.installEcho(hub);
        assertThat(hub.get("/api/v1/integrations/" + alphaId, admin).json().path("state").asText()).isEqualTo("ACTIVE");
        RunningHub.Response back = hub.get("/v1/echo", alphaToken);
        assertThat(back.status()).isEqualTo(200);
        assertThat(hub.hub().integrations().pushTargets().pushTarget(alphaId).orElseThrow().generation()).isEqualTo(2);
    }

    private static JsonNode create(String name, String mode)
    {
        RunningHub.Response created = hub.postJson("/api/v1/integrations", hub.jwt(Role.ADMIN), "{\"plugin\": \"echo\", \"name\": \"" + name
                + "\", \"expiresIn\": \"P1M\", \"config\": {\"target\": \"http://127.0.0.1:9/\", \"apiKey\": \"key-" + name + "\", \"mode\": \"" + mode + "\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }
}
