package io.runlight.dist;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8 acceptance: the tarball, unpacked into a temporary folder, runs with
 * {@code bin/runlight serve}, and the three bundled connectors load from its
 * {@code plugins/} folder (issue 6: "each plugin jar loads from the plugins folder of
 * the distribution", not from the classpath).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestBundledPluginsLoad
{
    @TempDir
    static Path folder;

    private Path home;
    private DistributionHub hub;
    private String adminToken;

    @BeforeAll
    void startTheDistribution()
            throws IOException, InterruptedException
    {
        home = Distribution.unpack(folder);
        hub = DistributionHub.start(home, folder.resolve("data"), folder.resolve("hub.log"));
        adminToken = hub.adminToken();
    }

    @AfterAll
    void stop()
            throws InterruptedException
    {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void theThreeBundledPluginsStartFromThePluginsFolder()
            throws IOException, InterruptedException
    {
        HubHttp.Response response = new HubHttp().get(hub.httpUrl() + "/api/v1/plugins", adminToken);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonArray plugins = new JsonArray(response.body());
        String version = Distribution.name().substring("runlight-".length());
        assertThat(plugins.stream().map(JsonObject.class::cast).map(plugin -> List.of(
                plugin.getString("id"),
                plugin.getString("jar"),
                plugin.getString("state"),
                plugin.getString("version"),
                plugin.getJsonArray("connectors").stream().map(JsonObject.class::cast).map(connector -> connector.getString("id")).toList().toString(),
                String.valueOf(plugin.containsKey("error")))))
                .containsExactly(
                        List.of("docker-scout", "runlight-plugin-docker-scout-" + version + ".jar", "STARTED", version, "[docker-scout]", "false"),
                        List.of("generic-webhook", "runlight-plugin-generic-webhook-" + version + ".jar", "STARTED", version, "[webhook]", "false"),
                        List.of("snyk", "runlight-plugin-snyk-" + version + ".jar", "STARTED", version, "[snyk]", "false"));
    }

    @Test
    void aPluginIdCreatesAnIntegrationOfItsOnlyConnector()
            throws IOException, InterruptedException
    {
        // GET /api/v1/plugins lists plugin 'generic-webhook'; its one connector is 'webhook'
        HubHttp.Response created = new HubHttp().post(hub.httpUrl() + "/api/v1/integrations", adminToken, "application/json",
                "{\"plugin\": \"generic-webhook\", \"name\": \"receiver\", \"expiresIn\": \"P1M\", \"config\": {\"url\": \"https://receiver.example/hook\", \"secret\": \"whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"}}");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonObject integration = new JsonObject(created.body());
        assertThat(integration.getString("plugin")).isEqualTo("generic-webhook");
        assertThat(integration.getString("connector")).isEqualTo("webhook");
        assertThat(integration.getString("state")).isEqualTo("ACTIVE");
        HubHttp.Response deleted = new HubHttp().delete(hub.httpUrl() + "/api/v1/integrations/" + integration.getString("id"), adminToken);
        assertThat(deleted.status()).isEqualTo(204);
    }

    @Test
    void aDefaultSnykIntegrationPassesItsConnectionTest()
            throws IOException, InterruptedException
    {
        // Snyk's default configuration serves and does not push (push=false): the test must not ask for a pusher
        HubHttp http = new HubHttp();
        HubHttp.Response created = http.post(hub.httpUrl() + "/api/v1/integrations", adminToken, "application/json",
                "{\"plugin\": \"snyk\", \"name\": \"monitor\", \"expiresIn\": \"P1M\", \"config\": {}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = new JsonObject(created.body()).getString("id");

        HubHttp.Response tested = http.post(hub.httpUrl() + "/api/v1/integrations/" + id + "/test", adminToken, "application/json", "");

        assertThat(tested.status()).as(tested.body()).isEqualTo(200);
        assertThat(new JsonObject(tested.body())).isEqualTo(new JsonObject()
                .put("ok", true)
                .put("message", "The connector was created and serves 2 route(s): GET /api/scanning/eveintegration/v2/runtimeimages, GET /v1/runtimeimages."));
        assertThat(http.delete(hub.httpUrl() + "/api/v1/integrations/" + id, adminToken).status()).isEqualTo(204);
    }

    @Test
    void theLauncherPointsThePluginHostAtTheDistribution()
            throws IOException
    {
        Path plugins = home.resolve("plugins").toRealPath();

        assertThat(hub.output()).contains("Plugin host following '" + plugins + "'");
        assertThat(hub.output()).contains("Plugin 'snyk' " + Distribution.name().substring("runlight-".length())
                + " started from jar 'runlight-plugin-snyk-" + Distribution.name().substring("runlight-".length()) + ".jar'");
        // the default folder (plugins/ in the data folder) was not used
        assertThat(folder.resolve("data/plugins")).doesNotExist();
    }

    @Test
    void theHubAnswersHealthChecks()
            throws IOException, InterruptedException
    {
        HubHttp http = new HubHttp();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(hub.httpUrl() + "/health/ready")).GET()).status()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(hub.httpsUrl() + "/health/live")).GET()).status()).isEqualTo(200);
        assertThat(Files.exists(folder.resolve("data/keys"))).isTrue();
    }
}
