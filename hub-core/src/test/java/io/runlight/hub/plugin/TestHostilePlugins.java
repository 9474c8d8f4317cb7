package io.runlight.hub.plugin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.Deflater;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

import io.runlight.plugin.api.connector.ConnectorFactory;
import io.runlight.plugin.api.connector.Pusher;

import static io.runlight.hub.Await.await;
import static io.runlight.hub.plugin.PluginTesting.change;
import static io.runlight.hub.plugin.PluginTesting.config;
import static io.runlight.hub.plugin.PluginTesting.context;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Issue 15, defects 2, 3, 4, 5 and 6: hostile plugin jars, built here, dropped into the
 * watched folder of a real host. Each is refused (or contained) with a reason, and the
 * host keeps loading the jars that come after it.
 */
class TestHostilePlugins
{
    private static final String HUB_VERSION = "1.2.0-SNAPSHOT";
    private static final String FACTORY = "com.acme.runlight.AcmeConnectorFactory";
    private static final Duration APPEARS_WITHIN = Duration.ofSeconds(20);

    private static PluginJarBuilder.Compiled acme;
    private static PluginJarBuilder.Compiled quitter;

    @TempDir
    Path temp;

    private PluginHost host;

    @BeforeAll
    static void compilePlugins()
    {
        acme = PluginJarBuilder.compile("plugins/acme-v1");
        quitter = PluginJarBuilder.compile("plugins/quitter");
    }

    @AfterEach
    void closeHost()
    {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void refusesBombsBeforePf4jReadsThemAndKeepsLoadingLaterJars()
            throws IOException
    {
        Path plugins = temp.resolve("plugins");
        host = start(plugins, Duration.ofSeconds(10));

        // 32 MiB of comment lines in extensions.idx, a few KiB compressed
        acme.plugin("idx-bomb", "1.0.0").entry("META-INF/extensions.idx", repeated("#".repeat(1023) + "\n", 32 * 1024)).installInto(plugins, "idx-bomb.jar");
        // a manifest of repeated attributes: the JDK would warn once per line
        Files.write(plugins.resolve("manifest-bomb.jar"), jar(manifest(4 * 1024), "a.txt", new byte[1]));
        // one entry that inflates beyond the per-entry cap
        Files.write(plugins.resolve("entry-bomb.jar"), jar(plainManifest("entry-bomb"), "data.bin", new byte[(64 << 20) + 1]));
        // more entries than the cap
        Files.write(plugins.resolve("many-entries.jar"), manyEntries(plainManifest("many-entries"), 20_001));
        // a small manifest that still says too much
        Files.write(plugins.resolve("big-manifest.jar"), jar(("Manifest-Version: 1.0\nPlugin-Id: big\nPlugin-Version: 1.0.0\nX-Pad: " + "x".repeat(70_000) + "\n").getBytes(StandardCharsets.UTF_8), "a.txt", new byte[1]));
        // the good plugin comes after the bombs and must still start
        acme.plugin("acme", "1.0.0").requires(">=1.0.0").extension(FACTORY).installInto(plugins, "z-acme.jar");

        await("the good plugin after the bombs", APPEARS_WITHIN, () -> host.plugins().size() == 6 && host.connector("acme").isPresent());
        assertThat(host.plugins()).extracting(PluginInfo::jar, PluginInfo::state, PluginInfo::error).containsExactlyInAnyOrder(
                tuple("big-manifest.jar", PluginStatus.REFUSED, Optional.of("plugin jar 'big-manifest.jar' is refused: META-INF/MANIFEST.MF inflates to more than 64 KiB, "
                        + "the limit (a jar that large is damaged or hostile; rebuild the plugin)")),
                tuple("entry-bomb.jar", PluginStatus.REFUSED, Optional.of("plugin jar 'entry-bomb.jar' is refused: entry 'data.bin' inflates to more than 64 MiB, "
                        + "the limit (a jar that large is damaged or hostile; rebuild the plugin)")),
                tuple("idx-bomb.jar", PluginStatus.REFUSED, Optional.of("plugin jar 'idx-bomb.jar' is refused: META-INF/extensions.idx inflates to more than 64 KiB, "
                        + "the limit (a jar that large is damaged or hostile; rebuild the plugin)")),
                tuple("manifest-bomb.jar", PluginStatus.REFUSED, Optional.of("plugin jar 'manifest-bomb.jar' is refused: its META-INF/MANIFEST.MF names attribute 'X-Pad' "
                        + "twice in one section; package it with a plain PF4J manifest")),
                tuple("many-entries.jar", PluginStatus.REFUSED, Optional.of("plugin jar 'many-entries.jar' is refused: it has 20001 entries; the limit is 20000 "
                        + "(a jar that large is damaged or hostile; rebuild the plugin)")),
                tuple("z-acme.jar", PluginStatus.STARTED, Optional.empty()));
        assertThat(host.factory("acme").orElseThrow().create(config("normal"), context()).pusher().orElseThrow().translate(change())).hasSize(1);
    }

    @Test
    void anErrorWhilePf4jLoadsAJarFailsThatJarAndTheWatcherLoadsLaterJars()
    {
        Path plugins = temp.resolve("plugins");
        host = start(plugins, Duration.ofSeconds(10));
        // a class the inspector reads (ASM does not verify) but the JVM refuses to define: PF4J's extension
        // finder lets the ClassFormatError, an Error, out of its class loading
        acme.plugin("malformed", "1.0.0").requires(">=1.0.0").entry("com/bad/Duplicate.class", duplicateFieldClass("com/bad/Duplicate"))
                .extension("com.bad.Duplicate").installInto(plugins, "a-malformed.jar");
        await("the malformed jar to fail", APPEARS_WITHIN, () -> host.plugins().size() == 1);
        assertThat(host.plugins()).extracting(PluginInfo::jar, PluginInfo::state).containsExactly(tuple("a-malformed.jar", PluginStatus.FAILED));
        assertThat(host.plugins().get(0).error().orElseThrow())
                .startsWith("plugin 'malformed' from jar 'a-malformed.jar' failed to load: java.lang.ClassFormatError: ")
                .contains("Duplicate field name");

        acme.plugin("acme", "1.0.0").requires(">=1.0.0").extension(FACTORY).installInto(plugins, "z-acme.jar");
        await("the good plugin after the malformed one", APPEARS_WITHIN, () -> host.connector("acme").isPresent());
        assertThat(host.plugins()).extracting(PluginInfo::jar, PluginInfo::state)
                .containsExactlyInAnyOrder(tuple("a-malformed.jar", PluginStatus.FAILED), tuple("z-acme.jar", PluginStatus.STARTED));
    }

    @Test
    void refusesAJarThatCallsSystemExitOrRuntimeHalt()
    {
        Path plugins = temp.resolve("plugins");
        host = start(plugins, Duration.ofSeconds(10));
        quitter.plugin("quitter", "1.0.0").installInto(plugins, "quitter.jar");

        await("the quitter to be refused", APPEARS_WITHIN, () -> host.plugins().size() == 1);
        assertThat(host.plugins().get(0).state()).isEqualTo(PluginStatus.REFUSED);
        assertThat(host.plugins().get(0).error()).contains("plugin jar 'quitter.jar' may stop the hub: com.quitter.Quitter.giveUp calls java.lang.Runtime.halt "
                + "(and 1 more); a plugin must report failures by throwing, never end the process");
    }

    @Test
    void pluginsSeeTheApiPf4jSlf4jAndTheJdkButNotTheHub()
            throws Exception
    {
        Path plugins = temp.resolve("plugins");
        host = start(plugins, Duration.ofSeconds(10));
        acme.plugin("acme", "1.0.0").requires(">=1.0.0").extension(FACTORY).installInto(plugins, "acme.jar");
        await("acme to start", APPEARS_WITHIN, () -> host.connector("acme").isPresent());
        ClassLoader plugin = host.connector("acme").orElseThrow().calls().classLoader().orElseThrow();

        for (String hubOnly : new String[] {"io.vertx.core.Vertx", "com.hazelcast.core.HazelcastInstance", "com.fasterxml.jackson.databind.ObjectMapper",
                "io.runlight.hub.server.Hub", "io.runlight.insights.correlate.ImageAnalyzer", "ch.qos.logback.classic.Logger"}) {
            assertThatThrownBy(() -> plugin.loadClass(hubOnly)).as(hubOnly).isInstanceOf(ClassNotFoundException.class);
            assertThat(plugin.getResource(hubOnly.replace('.', '/') + ".class")).as(hubOnly).isNull();
        }
        assertThat(plugin.loadClass(ConnectorFactory.class.getName())).isSameAs(ConnectorFactory.class);
        assertThat(plugin.loadClass("org.pf4j.Extension")).isSameAs(org.pf4j.Extension.class);
        assertThat(plugin.loadClass("org.slf4j.LoggerFactory")).isSameAs(org.slf4j.LoggerFactory.class);
        assertThat(plugin.loadClass("java.sql.Connection")).isSameAs(java.sql.Connection.class);
        assertThat(plugin.loadClass("javax.crypto.Mac")).isSameAs(javax.crypto.Mac.class);
        assertThat(plugin.loadClass("org.w3c.dom.Document")).isSameAs(org.w3c.dom.Document.class);
        // the plugin's own copy of a class the hub has too
        assertThat(plugin.loadClass(SharedLibraryProbe.class.getName())).isNotSameAs(SharedLibraryProbe.class);
    }

    @Test
    void aCallThatOutlivesItsTimeoutBlocksFurtherCallsAndMarksThePluginFailedUntilItReturns()
    {
        Path plugins = temp.resolve("plugins");
        host = start(plugins, Duration.ofMillis(500));
        acme.plugin("acme", "1.0.0").requires(">=1.0.0").extension(FACTORY).installInto(plugins, "acme.jar");
        await("acme to start", APPEARS_WITHIN, () -> host.connector("acme").isPresent());
        ConnectorFactory factory = host.factory("acme").orElseThrow();
        Pusher stubborn = factory.create(config("stubborn-translate"), context()).pusher().orElseThrow();

        assertThatThrownBy(() -> stubborn.translate(change()))
                .isInstanceOfSatisfying(PluginCallException.class, e -> assertThat(e.category()).isEqualTo(PluginCallException.Category.TIMED_OUT));
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> stubborn.translate(change()))
                    .isInstanceOfSatisfying(PluginCallException.class, e -> assertThat(e.category()).isEqualTo(PluginCallException.Category.UNAVAILABLE))
                    .hasMessage("plugin 'acme': Pusher.translate (connector 'acme') is refused: 1 earlier call still runs after its timeout; "
                            + "the plugin gets no calls until it returns (fix or remove the plugin)");
        }
        PluginCalls calls = host.connector("acme").orElseThrow().calls();
        assertThat(calls.runningCalls()).hasSize(1);
        assertThat(host.plugins()).extracting(PluginInfo::state, PluginInfo::error).containsExactly(tuple(PluginStatus.FAILED,
                Optional.of("plugin 'acme' has 1 call still running after the call timeout; it gets no calls until they return: fix or remove the plugin")));

        await("the stubborn call to end", Duration.ofSeconds(10), () -> calls.abandonedCalls() == 0);
        assertThat(host.plugins()).extracting(PluginInfo::state).containsExactly(PluginStatus.STARTED);
        assertThat(factory.create(config("normal"), context()).pusher().orElseThrow().translate(change())).hasSize(1);
    }

    private PluginHost start(Path plugins, Duration callTimeout)
    {
        return PluginHost.start(PluginHostOptions.defaults(plugins, HUB_VERSION)
                .withStagingDir(temp.resolve("staging"))
                .withCallTimeout(callTimeout)
                .withSettleTime(Duration.ofMillis(200))
                .withRescanInterval(Duration.ofSeconds(1)));
    }

    // a public class with two fields named 'x': well-formed for ASM, a ClassFormatError for the JVM
    private static byte[] duplicateFieldClass(String internalName)
    {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, internalName, null, "java/lang/Object", null);
        writer.visitField(Opcodes.ACC_PUBLIC, "x", "I", null, null).visitEnd();
        writer.visitField(Opcodes.ACC_PUBLIC, "x", "I", null, null).visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    private static byte[] repeated(String line, int times)
    {
        return line.repeat(times).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] manifest(int padLines)
    {
        StringBuilder text = new StringBuilder("Manifest-Version: 1.0\nPlugin-Id: bomb\nPlugin-Version: 1.0.0\n");
        for (int i = 0; i < padLines; i++) {
            text.append("X-Pad: ").append(i).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] plainManifest(String pluginId)
    {
        return ("Manifest-Version: 1.0\nPlugin-Id: " + pluginId + "\nPlugin-Version: 1.0.0\n").getBytes(StandardCharsets.UTF_8);
    }

    // the manifest written as a plain entry, byte for byte, as a hostile packager would
    private static byte[] jar(byte[] manifest, String entryName, byte[] content)
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes)) {
            jar.setLevel(Deflater.BEST_COMPRESSION);
            put(jar, "META-INF/MANIFEST.MF", manifest);
            put(jar, entryName, content);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] manyEntries(byte[] manifest, int entries)
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes)) {
            put(jar, "META-INF/MANIFEST.MF", manifest);
            for (int i = 1; i < entries; i++) {
                put(jar, "e/" + i, new byte[0]);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void put(JarOutputStream jar, String name, byte[] content)
            throws IOException
    {
        jar.putNextEntry(new JarEntry(name));
        jar.write(content);
        jar.closeEntry();
    }
}
