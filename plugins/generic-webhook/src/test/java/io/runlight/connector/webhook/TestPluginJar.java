package io.runlight.connector.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built plugin jar, as the hub will load it from its plugins folder. Runs after
 * {@code package} (see the module's pom), with the jar's path in {@code plugin.jar}.
 */
final class TestPluginJar
{
    @Test
    void jarIsAPf4jPluginWithItsLibrariesShadedAndNoApi()
            throws IOException
    {
        Path path = Path.of(System.getProperty("plugin.jar", "target/runlight-plugin-generic-webhook-0.1.0-SNAPSHOT.jar"));
        assertThat(path).exists();
        try (JarFile jar = new JarFile(path.toFile())) {
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertThat(manifest.getValue("Plugin-Id")).isEqualTo("generic-webhook");
            assertThat(manifest.getValue("Plugin-Version")).isEqualTo("0.1.0-SNAPSHOT");
            assertThat(manifest.getValue("Plugin-Requires")).isEqualTo(">=0.1.0");
            assertThat(manifest.getValue("Plugin-Provider")).isEqualTo("Runlight");
            assertThat(manifest.getValue("Plugin-License")).isEqualTo("Apache-2.0");
            assertThat(manifest.getValue("Plugin-Description")).isEqualTo("Posts signed insights changes to any URL (Standard Webhooks)");

            JarEntry index = jar.getJarEntry("META-INF/extensions.idx");
            assertThat(index).isNotNull();
            try (InputStream in = jar.getInputStream(index)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(line -> !line.startsWith("#")))
                        .containsExactly("io.runlight.connector.webhook.WebhookConnectorFactory");
            }

            List<String> classes = Collections.list(jar.entries()).stream()
                    .map(JarEntry::getName)
                    .filter(name -> name.endsWith(".class"))
                    .toList();
            assertThat(classes).contains(
                    "io/runlight/connector/webhook/WebhookConnectorFactory.class",
                    "io/runlight/connector/webhook/shaded/jackson/core/JsonFactory.class");
            assertThat(classes).allSatisfy(name -> assertThat(name).startsWith("io/runlight/connector/webhook/"));
            assertThat(classes).noneMatch(name -> name.startsWith("io/runlight/plugin/api/") || name.startsWith("org/pf4j/")
                    || name.startsWith("com/fasterxml/") || name.contains("/Test"));
        }
        assertThat(Files.size(path)).isLessThan(2L * 1024 * 1024);
    }
}
