package io.runlight.hub.server;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.hub.plugin.PluginJarBuilder;

import static io.runlight.hub.server.HubTesting.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, defect 4: a plugin that ends the hub's process through a reflective
 * {@code System.exit} (which no bytecode check sees) stops the hub once, not at every
 * start: the next start refuses that jar and names what it did.
 */
@Tag("kill9")
class TestPluginThatStopsTheHub
{
    @TempDir
    Path directory;

    @Test
    void thePluginThatStoppedTheHubIsRefusedAtTheNextStart()
            throws Exception
    {
        Path data = directory.resolve("hub");
        Path plugins = Files.createDirectories(directory.resolve("plugins"));
        PluginJarBuilder.compile("plugins/reflective-exit").plugin("exiter", "1.0.0")
                .extension("com.exiter.ExitingConnectorFactory").installInto(plugins, "exiter.jar");
        List<String> arguments = List.of("--data-dir", data.toString(), "--port", "0", "--tls-port", "0", "--cluster-port", String.valueOf(freePort()));
        Map<String, String> environment = Map.of("RUNLIGHT_PLUGINS_DIR", plugins.toString());

        Path firstLog = directory.resolve("first.log");
        assertThat(HubProcess.run(arguments, environment, firstLog)).as("exit code; log:\n%s", Files.readString(firstLog)).isEqualTo(7);

        try (HubProcess second = HubProcess.start(arguments, environment, directory.resolve("second.log"))) {
            HubClient client = new HubClient(HubClient.newHttpClient(), second.httpUrl());
            HttpResponse<String> listed = client.get("/api/v1/plugins", HubClient.adminToken(data));
            assertThat(listed.statusCode()).isEqualTo(200);
            JsonObject plugin = new JsonArray(listed.body()).getJsonObject(0);
            assertThat(plugin.getString("jar")).isEqualTo("exiter.jar");
            assertThat(plugin.getString("state")).isEqualTo("REFUSED");
            assertThat(plugin.getString("error")).startsWith("plugin jar 'exiter.jar' stopped the hub during an earlier run "
                    + "(plugin 'exiter' called System.exit in ConnectorFactory.describe (com.exiter.ExitingConnectorFactory)); "
                    + "it stays refused while its content is the same: fix the plugin, or remove the jar and its line from ");
        }
    }
}
