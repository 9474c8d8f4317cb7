package io.runlight.connector.snyk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.api.connector.ConnectorFactory;
import io.runlight.plugin.api.connector.ServeRequest;
import io.runlight.plugin.api.connector.ServeResponse;
import io.runlight.plugin.testing.TestingConnectorContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.JarPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged plugin jar, as the hub's plugins folder receives it. Runs after
 * {@code package} (see the module's pom), with the jar's path in {@code plugin.jar}.
 */
final class TestPluginJar
{
    @Test
    void isAPf4jPluginWithItsLibrariesInsideAndNoCopyOfTheApi()
            throws IOException
    {
        Path path = jarPath();
        assertThat(path).exists();
        try (JarFile jar = new JarFile(path.toFile())) {
            JarEntry index = jar.getJarEntry("META-INF/extensions.idx");
            assertThat(index).isNotNull();
            String extensions = new String(jar.getInputStream(index).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(extensions.lines().filter(line -> !line.startsWith("#")).toList()).containsExactly(SnykConnectorFactory.class.getName());

            Attributes manifest = jar.getManifest().getMainAttributes();
            assertThat(manifest.getValue("Plugin-Id")).isEqualTo("snyk");
            assertThat(manifest.getValue("Plugin-Version")).isEqualTo("0.1.0-SNAPSHOT");
            assertThat(manifest.getValue("Plugin-Requires")).isEqualTo(">=0.1.0");
            assertThat(manifest.getValue("Plugin-Provider")).isEqualTo("Runlight");
            assertThat(manifest.getValue("Plugin-Description")).isNotBlank();

            List<String> names = jar.stream().map(JarEntry::getName).toList();
            assertThat(names).contains(
                    "io/runlight/connector/snyk/SnykConnectorFactory.class",
                    "io/runlight/connector/snyk/shaded/jackson/databind/ObjectMapper.class",
                    "io/runlight/connector/snyk/shaded/jackson/core/JsonFactory.class",
                    "io/runlight/connector/snyk/shaded/jackson/annotation/JsonProperty.class");
            assertThat(names).noneMatch(name -> name.startsWith("io/runlight/plugin/api/"));
            assertThat(names).noneMatch(name -> name.startsWith("org/pf4j/"));
            assertThat(names).noneMatch(name -> name.startsWith("com/fasterxml/"));
            assertThat(names).noneMatch(name -> name.endsWith("module-info.class"));
        }
        // the relocated references: the factory's bytecode names the shaded ObjectMapper
        try (JarFile jar = new JarFile(path.toFile())) {
            byte[] factory = jar.getInputStream(jar.getJarEntry("io/runlight/connector/snyk/SnykConnectorFactory.class")).readAllBytes();
            String constants = new String(factory, StandardCharsets.ISO_8859_1);
            assertThat(constants).contains("io/runlight/connector/snyk/shaded/jackson/databind/ObjectMapper").doesNotContain("com/fasterxml/jackson");
        }
        assertThat(Files.size(path)).isPositive();
    }

    @Test
    void loadsFromAPluginsFolderAndServes(@TempDir Path plugins)
            throws IOException
    {
        Path jar = Files.copy(jarPath(), plugins.resolve("runlight-plugin-snyk.jar"));
        PluginManager manager = new JarPluginManager(plugins);
        try {
            manager.loadPlugins();
            manager.startPlugins();
            assertThat(manager.getPlugin("snyk").getPluginState()).isEqualTo(PluginState.STARTED);
            assertThat(manager.getPlugin("snyk").getPluginPath()).isEqualTo(jar);

            List<ConnectorFactory> factories = manager.getExtensions(ConnectorFactory.class, "snyk");
            assertThat(factories).hasSize(1);
            ConnectorFactory factory = factories.get(0);
            // loaded from the jar by the plugin's class loader, not from this module's classes
            assertThat(factory.getClass().getClassLoader()).isSameAs(manager.getPluginClassLoader("snyk"));
            assertThat(factory.id()).isEqualTo("snyk");

            ServeResponse response = factory.create(new ConnectorConfig(Map.of("v1Cluster", "prod")), new TestingConnectorContext().withIntegration("int-7f3a", "snyk-prod"))
                    .serve(ServeRequest.of("GET", "/v1/runtimeimages", Map.of("limit", List.of("10"), "cursor", List.of("")), Map.of(), new byte[0]));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body().toUtf8()).isEqualTo("{\"data\":[],\"page\":{\"returned\":0}}");
        }
        finally {
            manager.stopPlugins();
            manager.unloadPlugins();
        }
    }

    private static Path jarPath()
    {
        return Path.of(System.getProperty("plugin.jar", "target/runlight-plugin-snyk-0.1.0-SNAPSHOT.jar"));
    }
}
