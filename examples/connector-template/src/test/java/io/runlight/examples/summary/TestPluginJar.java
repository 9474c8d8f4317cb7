package io.runlight.examples.summary;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built jar, as the hub reads it from its plugins folder: the PF4J manifest, the
 * extension index, this plugin's classes and its relocated Jackson, and no copy of the
 * plugin API or PF4J (the hub refuses a jar that bundles the API). Runs in the
 * {@code package} phase, after the shade plugin.
 */
final class TestPluginJar
{
    @Test
    void theJarIsAPf4jPluginTheHubAccepts()
            throws IOException
    {
        Path path = Path.of(System.getProperty("plugin.jar"));
        try (JarFile jar = new JarFile(path.toFile())) {
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertThat(manifest.getValue("Plugin-Id")).isEqualTo(System.getProperty("plugin.id"));
            assertThat(manifest.getValue("Plugin-Version")).isEqualTo(System.getProperty("plugin.version"));
            assertThat(manifest.getValue("Plugin-Requires")).isEqualTo(">=0.1.0");
            assertThat(manifest.getValue("Plugin-Provider")).isNotBlank();
            assertThat(manifest.getValue("Plugin-Description")).isNotBlank();

            JarEntry index = jar.getJarEntry("META-INF/extensions.idx");
            assertThat(index).as("META-INF/extensions.idx").isNotNull();
            try (InputStream in = jar.getInputStream(index)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(line -> !line.startsWith("#")))
                        .containsExactly("io.runlight.examples.summary.SummaryConnectorFactory");
            }

            List<String> classes = Collections.list(jar.entries()).stream()
                    .map(JarEntry::getName)
                    .filter(name -> name.endsWith(".class"))
                    .toList();
            assertThat(classes).contains(
                    "io/runlight/examples/summary/SummaryConnectorFactory.class",
                    "io/runlight/examples/summary/shaded/jackson/core/JsonFactory.class");
            assertThat(classes).allSatisfy(name -> assertThat(name).startsWith("io/runlight/examples/summary/"));
            assertThat(classes).noneMatch(name -> name.startsWith("io/runlight/plugin/api/") || name.startsWith("org/pf4j/")
                    || name.startsWith("com/fasterxml/") || name.contains("/Test"));
        }
    }
}
