package io.runlight.connector.scout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke test of the built plugin jar (runs in the verify phase, after shading): a PF4J
 * plugin with its extension index and manifest, Jackson inside and relocated, and no
 * copy of the plugin API or PF4J.
 */
final class TestPluginJar
{
    @Test
    void jarIsAPf4jPluginWithItsLibrariesInside()
            throws IOException
    {
        Path path = Path.of(System.getProperty("plugin.jar", "target/runlight-plugin-docker-scout-0.1.0-SNAPSHOT.jar"));
        assertThat(path).exists();
        try (JarFile jar = new JarFile(path.toFile())) {
            List<String> names = Collections.list(jar.entries()).stream().map(JarEntry::getName).toList();

            JarEntry index = jar.getJarEntry("META-INF/extensions.idx");
            assertThat(index).isNotNull();
            String extensions = new String(jar.getInputStream(index).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(extensions.lines().filter(line -> !line.startsWith("#")).toList())
                    .containsExactly("io.runlight.connector.scout.DockerScoutConnectorFactory");

            Manifest manifest = jar.getManifest();
            assertThat(manifest.getMainAttributes().getValue("Plugin-Id")).isEqualTo("docker-scout");
            assertThat(manifest.getMainAttributes().getValue("Plugin-Version")).isEqualTo("0.1.0-SNAPSHOT");
            assertThat(manifest.getMainAttributes().getValue("Plugin-Requires")).isEqualTo(">=0.1.0");
            assertThat(manifest.getMainAttributes().getValue("Plugin-Description")).startsWith("Assigns images to Docker Scout environments");

            assertThat(names).contains(
                    "io/runlight/connector/scout/DockerScoutConnectorFactory.class",
                    "io/runlight/connector/scout/shaded/jackson/databind/ObjectMapper.class",
                    "io/runlight/connector/scout/shaded/jackson/core/JsonFactory.class");
            assertThat(names).noneMatch(name -> name.startsWith("io/runlight/plugin/api/"));
            assertThat(names).noneMatch(name -> name.startsWith("org/pf4j/"));
            assertThat(names).noneMatch(name -> name.contains("com/fasterxml/"));
            assertThat(names).noneMatch(name -> name.endsWith("module-info.class"));
        }
        assertThat(Files.size(path)).isLessThan(5L * 1024 * 1024);
    }
}
