package io.runlight.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8 acceptance: "the template plugin in the author guide builds with mvn package
 * and loads into a running hub". The jar that {@code examples/connector-template} builds
 * is dropped into the {@code plugins/} folder of a running {@code bin/runlight serve}
 * (unpacked from the tarball, which does not bundle it) exactly as the guide tells a
 * platform team to: the hub loads it without a restart, lists it with its version,
 * capabilities and configuration form, validates an integration against that form,
 * pushes a change to a receiver (WireMock) through the hub's outbox, and routes a
 * request with the integration's token to the connector's own serve route.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestTemplatePluginLoads
{
    private static final String PLUGIN_ID = "http-summary";
    private static final String VERSION = "1.0.0-SNAPSHOT";
    private static final String JAR = "runlight-connector-template-" + VERSION + ".jar";
    private static final String ALPINE = "sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d";
    private static final String HOOK_PATH = "/hooks/summary";
    private static final String RECEIVER_TOKEN = "chat-receiver-token-0001";
    private static final Duration WAIT = Duration.ofSeconds(45);

    @TempDir
    static Path folder;

    private Path home;
    private DistributionHub hub;
    private HubHttp http;
    private String adminToken;
    private WireMockServer receiver;
    private String integrationId;
    private String integrationToken;

    @BeforeAll
    void startTheDistributionAndAReceiver()
            throws IOException, InterruptedException
    {
        home = Distribution.unpack(folder);
        assertThat(home.resolve("plugins").resolve(JAR)).as("the distribution must not bundle the template").doesNotExist();
        hub = DistributionHub.start(home, folder.resolve("data"), folder.resolve("hub.log"));
        http = new HubHttp();
        adminToken = hub.adminToken();
        receiver = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        receiver.start();
        receiver.stubFor(post(urlEqualTo(HOOK_PATH)).willReturn(aResponse().withStatus(204)));
    }

    @AfterAll
    void stop()
            throws InterruptedException
    {
        if (receiver != null) {
            receiver.stop();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    @Order(1)
    void theJarDroppedIntoPluginsIsLoadedWithoutARestart()
            throws IOException, InterruptedException
    {
        Path jar = Path.of(System.getProperty("runlight.template.jar"));
        assertThat(jar).isRegularFile();
        // copied under a hidden name, then renamed: the hub never sees a half-written jar
        Path partial = home.resolve("plugins").resolve("." + JAR + ".part");
        Files.copy(jar, partial);
        Files.move(partial, home.resolve("plugins").resolve(JAR), StandardCopyOption.ATOMIC_MOVE);

        JsonObject plugin = awaitPlugin();

        assertThat(plugin.getString("state")).as(plugin.encode()).isEqualTo("STARTED");
        assertThat(plugin.getString("version")).isEqualTo(VERSION);
        assertThat(plugin.getString("jar")).isEqualTo(JAR);
        assertThat(plugin.getString("provider")).isEqualTo("Runlight examples");
        assertThat(plugin.getString("description")).isEqualTo("Posts a one-line summary of each insights change to a URL with a bearer token");
        assertThat(plugin.containsKey("error")).isFalse();
        JsonArray connectors = plugin.getJsonArray("connectors");
        assertThat(connectors).hasSize(1);
        JsonObject connector = connectors.getJsonObject(0);
        assertThat(connector.getString("id")).isEqualTo("http-summary");
        assertThat(connector.getString("displayName")).isEqualTo("HTTP summary");
        assertThat(connector.getJsonArray("capabilities")).isEqualTo(new JsonArray().add("PUSH").add("SERVE"));
        assertThat(connector.getJsonArray("configProperties")).isEqualTo(new JsonArray("""
                [{"name": "url", "type": "URL", "required": true, "secret": false,
                  "description": "Where each summary is POSTed as JSON; https, or http on this machine only"},
                 {"name": "token", "type": "STRING", "required": true, "secret": true,
                  "description": "Sent as 'Authorization: Bearer <token>' with every request"},
                 {"name": "timeout", "type": "DURATION", "default": "10s", "required": false, "secret": false,
                  "description": "How long to wait for the receiver's answer, at most 60s"}]
                """));
        assertThat(hub.output()).contains("Plugin '" + PLUGIN_ID + "' " + VERSION + " started from jar '" + JAR + "'");
    }

    @Test
    @Order(2)
    void anIntegrationIsCheckedAgainstTheConfigForm()
            throws IOException, InterruptedException
    {
        HubHttp.Response refused = http.post(hub.httpUrl() + "/api/v1/integrations", adminToken, "application/json",
                "{\"plugin\":\"http-summary\",\"name\":\"team-chat\",\"config\":{\"url\":\"http://chat.example.com/hooks\",\"channel\":\"#sec\"},\"expiresIn\":\"P1M\"}");

        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        JsonObject body = new JsonObject(refused.body());
        assertThat(body.getString("error")).isEqualTo("invalid_config");
        assertThat(body.getJsonArray("errors").stream().map(JsonObject.class::cast).map(error -> error.getString("property")).sorted().toList())
                .containsExactly("channel", "token");

        HubHttp.Response created = http.post(hub.httpUrl() + "/api/v1/integrations", adminToken, "application/json",
                "{\"plugin\":\"http-summary\",\"name\":\"team-chat\",\"config\":{\"url\":\"" + receiver.baseUrl() + HOOK_PATH
                        + "\",\"token\":\"" + RECEIVER_TOKEN + "\",\"timeout\":\"5s\"},\"expiresIn\":\"P1M\"}");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonObject integration = new JsonObject(created.body());
        integrationId = integration.getString("id");
        integrationToken = integration.getJsonObject("token").getString("secret");
        assertThat(integrationToken).startsWith("rlt_");
        assertThat(created.body()).doesNotContain(RECEIVER_TOKEN);

        HubHttp.Response shown = http.get(hub.httpUrl() + "/api/v1/integrations/" + integrationId, adminToken);
        assertThat(shown.status()).as(shown.body()).isEqualTo(200);
        assertThat(shown.body()).doesNotContain(RECEIVER_TOKEN);
        JsonObject config = new JsonObject(shown.body()).getJsonObject("config");
        assertThat(config.getString("token")).isEqualTo("****");
        assertThat(config.getString("url")).isEqualTo(receiver.baseUrl() + HOOK_PATH);
    }

    @Test
    @Order(3)
    void aChangeReachesTheReceiverWithTheBearerToken()
            throws IOException, InterruptedException
    {
        Path sample = Distribution.examples().resolve("alpine-3.17");
        HubHttp.Response sbom = http.post(hub.httpUrl() + "/api/v1/sboms", adminToken, "application/json", Files.readString(sample.resolve("sbom.syft.json")));
        assertThat(sbom.status()).as(sbom.body()).isEqualTo(201);

        LoggedRequest request = awaitDelivery();

        assertThat(request.getMethod().getName()).isEqualTo("POST");
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + RECEIVER_TOKEN);
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(request.getHeader("Idempotency-Key")).startsWith("dlv_");
        JsonObject body = new JsonObject(request.getBodyAsString());
        assertThat(body.fieldNames()).containsExactlyInAnyOrder("text", "event", "imageDigest", "time");
        assertThat(body.getString("event")).isEqualTo("runlight.image.insights.changed");
        assertThat(body.getString("imageDigest")).isEqualTo(ALPINE);
        assertThat(Instant.parse(body.getString("time"))).isBetween(Instant.now().minus(Duration.ofMinutes(5)), Instant.now());
        assertThat(body.getString("text")).isEqualTo("alpine (sha256:b2aa39c304c2): 0 of 15 packages in use, 0 of 0 vulnerabilities in use, profile none");

        HubHttp.Response deliveries = http.get(hub.httpUrl() + "/api/v1/integrations/" + integrationId + "/deliveries?state=failed", adminToken);
        assertThat(deliveries.status()).as(deliveries.body()).isEqualTo(200);
        assertThat(deliveries.body()).doesNotContain(ALPINE);
    }

    @Test
    @Order(4)
    void theConnectorsServeRouteAnswersTheIntegrationsToken()
            throws IOException, InterruptedException
    {
        HubHttp.Response page = http.get(hub.httpsUrl() + "/summary/v1/images?limit=10", integrationToken);

        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.contentType()).contains("application/json");
        assertThat(new JsonObject(page.body())).isEqualTo(new JsonObject("{\"data\":[{\"imageDigest\":\"" + ALPINE + "\","
                + "\"text\":\"alpine (sha256:b2aa39c304c2): 0 of 15 packages in use, 0 of 0 vulnerabilities in use, profile none\"}]}"));

        assertThat(http.get(hub.httpsUrl() + "/summary/v1/images", "rlt_not-a-real-token").status()).isEqualTo(401);
    }

    private JsonObject awaitPlugin()
            throws IOException, InterruptedException
    {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            HubHttp.Response response = http.get(hub.httpUrl() + "/api/v1/plugins", adminToken);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            Optional<JsonObject> plugin = new JsonArray(response.body()).stream()
                    .map(JsonObject.class::cast)
                    .filter(item -> item.getString("id").equals(PLUGIN_ID))
                    .findFirst();
            if (plugin.isPresent() && !plugin.get().getString("state").equals("LOADED")) {
                return plugin.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the hub did not load '" + JAR + "' within " + WAIT + "; plugins: " + response.body() + "\n" + hub.log());
            }
            Thread.sleep(200);
        }
    }

    private LoggedRequest awaitDelivery()
            throws InterruptedException
    {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            List<LoggedRequest> requests = receiver.findAll(postRequestedFor(urlEqualTo(HOOK_PATH)));
            if (!requests.isEmpty()) {
                return requests.get(requests.size() - 1);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the receiver got no summary within " + WAIT + "\n" + hub.log());
            }
            Thread.sleep(200);
        }
    }
}
