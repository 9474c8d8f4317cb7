package io.runlight.hub.plugin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.hub.auth.AdminTokens;
import io.runlight.hub.auth.Role;
import io.runlight.hub.RunlightVersion;
import io.runlight.hub.config.ConfigLoader;
import io.runlight.hub.config.HubConfig;
import io.runlight.hub.server.Hub;

import static io.runlight.hub.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/plugins} of a running hub while plugin jars come and go in its
 * plugins folder.
 */
class TestPluginsEndpoint
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FACTORY = "com.acme.runlight.AcmeConnectorFactory";

    @TempDir
    static Path dataDir;

    private static Hub hub;
    private static HttpClient http;
    private static URI base;
    private static PluginJarBuilder.Compiled v1;
    private static PluginJarBuilder.Compiled v2;

    @BeforeAll
    static void startHub()
            throws IOException
    {
        v1 = PluginJarBuilder.compile("plugins/acme-v1");
        v2 = PluginJarBuilder.compile("plugins/acme-v2");
        HubConfig config = new ConfigLoader(Map.of()).load(Optional.empty(), Map.of(
                "data-dir", dataDir.toString(),
                "http.port", "0",
                "https.enabled", "false",
                "cluster.port", "0"));
        hub = Hub.start(config, Clock.systemUTC());
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        base = URI.create("http://127.0.0.1:" + hub.httpPort().orElseThrow());
    }

    @AfterAll
    static void stopHub()
    {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void showsPluginsAsTheyAreAddedReplacedRefusedAndRemoved()
            throws Exception
    {
        Path plugins = dataDir.resolve("plugins");
        assertThat(Files.isDirectory(plugins)).isTrue();
        assertThat(get(Role.READ).body()).isEqualTo("[]");
        assertThat(get(null).statusCode()).isEqualTo(401);

        v1.plugin("acme", "1.0.0").requires(">=0.1.0").extension(FACTORY).installInto(plugins, "acme.jar");
        v1.plugin("acme-bundled", "1.0.0").extension(FACTORY).bundlingTheApi().installInto(plugins, "acme-bundled.jar");
        v1.plugin("acme-future", "1.0.0").extension(FACTORY).requires(">=99.0.0").installInto(plugins, "acme-future.jar");
        await("three plugins listed", Duration.ofSeconds(5), () -> listed().size() == 3 && listed().get(0).path("state").asText().equals("STARTED"));

        JsonNode listing = listed();
        assertThat(listing.get(0)).isEqualTo(JSON.readTree("""
                {"id": "acme", "version": "1.0.0", "provider": "ACME Corp", "description": "ACME Security connector", "jar": "acme.jar",
                 "state": "STARTED", "generation": 1,
                 "connectors": [{"id": "acme", "displayName": "ACME Security", "description": "Posts image insights to ACME (library copy: plugin)",
                   "capabilities": ["PUSH"],
                   "configProperties": [
                     {"name": "url", "type": "URL", "required": true, "secret": false, "description": "Where insights are posted"},
                     {"name": "apiKey", "type": "STRING", "required": true, "secret": true, "description": "The ACME API key"},
                     {"name": "mode", "type": "STRING", "default": "normal", "required": false, "secret": false, "description": "normal, fail-create or hang-translate"}]}]}
                """));
        assertThat(listing.get(1).path("state").asText()).isEqualTo("REFUSED");
        assertThat(listing.get(1).path("error").asText()).isEqualTo("plugin jar 'acme-bundled.jar' bundles its own copy of the Runlight plugin API "
                + "(io/runlight/plugin/api/connector/ConnectorFactory.class): declare runlight-plugin-api as provided");
        assertThat(listing.get(2).path("error").asText()).isEqualTo("plugin jar 'acme-future.jar' requires Runlight >=99.0.0 but this hub is "
                + RunlightVersion.current() + ": install a version of the plugin made for this hub, or upgrade the hub");
        assertThat(listing.get(2).path("connectors").size()).isZero();

        v2.plugin("acme", "2.0.0").extension(FACTORY).installInto(plugins, "acme.jar");
        await("acme 2.0.0 listed", Duration.ofSeconds(5), () -> listed().get(0).path("version").asText().equals("2.0.0"));
        assertThat(listed().get(0).path("connectors").get(0).path("displayName").asText()).isEqualTo("ACME Security 2");
        assertThat(listed().get(0).path("generation").asLong()).isEqualTo(2);
        assertThat(hub.plugins().factory("acme").orElseThrow().displayName()).isEqualTo("ACME Security 2");

        Files.delete(plugins.resolve("acme.jar"));
        await("acme unlisted", Duration.ofSeconds(5), () -> listed().size() == 2);
        assertThat(listed()).extracting(node -> node.path("id").asText()).containsExactly("acme-bundled", "acme-future");
        assertThat(hub.plugins().factory("acme")).isEmpty();
        // the hub keeps answering
        assertThat(get(Role.READ).statusCode()).isEqualTo(200);
    }

    private static JsonNode listed()
    {
        try {
            HttpResponse<String> response = get(Role.READ);
            assertThat(response.statusCode()).isEqualTo(200);
            return JSON.readTree(response.body());
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<String> get(Role role)
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/api/v1/plugins")).timeout(Duration.ofSeconds(10));
        if (role != null) {
            request.header("Authorization", "Bearer " + new AdminTokens(hub.jwt(), Clock.systemUTC()).mint(role, Duration.ofMinutes(10), "plugin-test"));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
