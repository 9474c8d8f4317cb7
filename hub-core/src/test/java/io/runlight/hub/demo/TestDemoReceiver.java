package io.runlight.hub.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's stand-in receiver over real HTTP on 127.0.0.1: what it answers the
 * connectors, and the one line it logs for each request (console and file alike).
 */
class TestDemoReceiver
{
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path folder;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private DemoReceiver receiver;

    @BeforeEach
    void start()
    {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        receiver = DemoReceiver.start(new WebhookSignatureCheck(SECRET, clock), folder.resolve("demo-receiver.log"),
                new PrintStream(console, true, StandardCharsets.UTF_8), clock);
    }

    @AfterEach
    void stop()
    {
        receiver.close();
    }

    @Test
    void answersASignedWebhookWith204AndAForgedOneWith401()
            throws Exception
    {
        byte[] body = "{\"type\":\"runlight.image.insights.changed\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
        String timestamp = Long.toString(NOW.getEpochSecond());

        HttpResponse<String> signed = send(webhook(body, "msg_one", timestamp, sign("msg_one", timestamp, body)));
        HttpResponse<String> forged = send(webhook(body, "msg_two", timestamp, sign("msg_other", timestamp, body)));

        assertThat(signed.statusCode()).isEqualTo(204);
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(logLines()).containsExactly(
                "2026-11-28T12:00:00Z POST /webhook [demo-webhook] 52 bytes -> 204 signature verified (msg_one, runlight.image.insights.changed)",
                "2026-11-28T12:00:00Z POST /webhook [demo-webhook] 52 bytes -> 401 signature INVALID: no v1 signature matches the secret");
        assertThat(console.toString(StandardCharsets.UTF_8).lines().skip(1).toList()).containsExactly(
                "receiver | " + logLines().get(0),
                "receiver | " + logLines().get(1));
    }

    @Test
    void logsInAsDockerHubAndAnswersScoutGraphql()
            throws Exception
    {
        HttpResponse<String> login = send(HttpRequest.newBuilder(uri(DemoReceiver.DOCKER_HUB + "/v2/users/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"runlight-demo\",\"password\":\"dckr_pat_x\"}")));
        assertThat(login.statusCode()).isEqualTo(200);
        String token = new ObjectMapper().readTree(login.body()).path("token").asText();
        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(claims.path("exp").asLong()).isEqualTo(NOW.plusSeconds(3600).getEpochSecond());

        HttpResponse<String> exception = send(HttpRequest.newBuilder(uri(DemoReceiver.SCOUT + "/v1/graphql"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"mutation AddException($ctx: Context!, $in: AddVulnerabilityExceptionInput!) "
                        + "{ addVulnerabilityException(context: $ctx, input: $in) { exception { id } } }\","
                        + "\"variables\":{\"in\":{\"cveId\":\"CVE-2023-0464\",\"justification\":\"VULNERABLE_CODE_NOT_IN_EXECUTE_PATH\"}}}")));
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(uri(DemoReceiver.SCOUT + "/v1/graphql"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{}\"}")));

        assertThat(exception.statusCode()).isEqualTo(200);
        assertThat(exception.body()).isEqualTo("{\"data\":{\"addVulnerabilityException\":{\"exception\":{\"id\":\"exc_demo_1\"}}}}");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(logLines()).containsExactly(
                "2026-11-28T12:00:00Z POST /docker-hub/v2/users/login [demo-docker-scout] 52 bytes -> 200 Docker Hub login: token valid until 2026-11-28T13:00:00Z",
                "2026-11-28T12:00:00Z POST /scout/v1/graphql [demo-docker-scout] 264 bytes -> 200 GraphQL addVulnerabilityException: CVE-2023-0464 (VULNERABLE_CODE_NOT_IN_EXECUTE_PATH)",
                "2026-11-28T12:00:00Z POST /scout/v1/graphql [demo-docker-scout] 14 bytes -> 401 GraphQL without a bearer token");
    }

    @Test
    void acceptsSnykRuntimeResultsAndAnswersUnknownPathsWith404()
            throws Exception
    {
        HttpResponse<String> results = send(HttpRequest.newBuilder(uri(DemoReceiver.SNYK_UPSTREAM + "/api/v1/runtime-results?version=2023-02-10"))
                .header("Authorization", "token demo")
                .POST(HttpRequest.BodyPublishers.ofString("{\"target\":{\"cluster\":\"prod-eu\"},\"facts\":[{\"type\":\"loadedPackages\",\"data\":[{},{}]}]}")));
        HttpResponse<String> unknown = send(HttpRequest.newBuilder(uri("/elsewhere")).GET());

        assertThat(results.statusCode()).isEqualTo(200);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(logLines()).containsExactly(
                "2026-11-28T12:00:00Z POST /snyk/v2/kubernetes-upstream/api/v1/runtime-results?version=2023-02-10 [demo-snyk] 83 bytes -> 200 runtime results: 2 workload container(s) for Snyk cluster 'prod-eu'",
                "2026-11-28T12:00:00Z GET /elsewhere [(unknown)] 0 bytes -> 404 no such route");
    }

    private HttpRequest.Builder webhook(byte[] body, String id, String timestamp, String signature)
    {
        return HttpRequest.newBuilder(uri(DemoReceiver.WEBHOOK))
                .header("webhook-id", id)
                .header("webhook-timestamp", timestamp)
                .header("webhook-signature", "v1," + signature)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static String sign(String id, String timestamp, byte[] body)
            throws Exception
    {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET.substring("whsec_".length())), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    private URI uri(String path)
    {
        return URI.create(receiver.baseUrl() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request)
            throws IOException, InterruptedException
    {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The log file's request lines (the first line says where the receiver listens). */
    private List<String> logLines()
            throws IOException
    {
        return Files.readAllLines(receiver.logFile()).stream().skip(1).toList();
    }
}
