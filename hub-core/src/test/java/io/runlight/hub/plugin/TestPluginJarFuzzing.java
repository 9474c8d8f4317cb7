package io.runlight.hub.plugin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of plugin jar inspection (docs/reliability.md): whatever is
 * dropped into the plugins folder, reading it either succeeds or fails with an
 * IOException that names the problem ({@link PluginJarContents.TooLarge} for a broken
 * cap), and the inspector answers with a jar or a refusal that says why; nothing else
 * escapes. The fuzzer writes zip files of entries it chooses (a manifest, an
 * extensions index, class files, anything) as well as raw bytes.
 *
 * <p>A normal build replays {@code src/test/resources/io/runlight/hub/plugin/TestPluginJarFuzzingInputs/jars/};
 * {@code mvn -Pfuzz} fuzzes.
 */
class TestPluginJarFuzzing
{
    private static final List<String> NAMES = List.of("META-INF/MANIFEST.MF", "META-INF/extensions.idx", "com/example/Plugin.class",
            "io/runlight/plugin/api/Connector.class", "lib/inner.jar", "META-INF/", "plugin.properties");
    // small caps, so that the fuzzer reaches them
    private static final PluginJarLimits LIMITS = new PluginJarLimits(1 << 20, 64, 64 << 10, 256 << 10, 4 << 10, 4 << 10);

    private final PluginJarInspector inspector = new PluginJarInspector("0.1.0-SNAPSHOT", LIMITS);

    @FuzzTest(maxDuration = "5m")
    void jars(FuzzedDataProvider data)
            throws IOException
    {
        byte[] jar = data.consumeBoolean() ? zip(data) : data.consumeRemainingAsBytes();
        Path file = Files.createTempFile("fuzzed", ".jar");
        try {
            Files.write(file, jar);
            try {
                PluginJarContents.read(file, LIMITS);
            }
            catch (IOException e) {
                assertThat(e.getMessage()).as("what an unreadable jar says").isNotBlank();
            }
            PluginJar inspected = inspector.inspect("fuzzed.jar", jar.length, FileTime.fromMillis(0), "0", file);
            inspected.refusal().ifPresent(reason -> assertThat(reason).startsWith("plugin jar 'fuzzed.jar' "));
        }
        finally {
            Files.delete(file);
        }
    }

    private static byte[] zip(FuzzedDataProvider data)
            throws IOException
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            int entries = data.consumeInt(0, 8);
            for (int i = 0; i < entries; i++) {
                String name = data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(40);
                try {
                    out.putNextEntry(new ZipEntry(name.isEmpty() ? "x" : name));
                }
                catch (IOException | IllegalArgumentException e) {
                    // a duplicate or unwritable name: the zip just has fewer entries
                    continue;
                }
                out.write(data.consumeBytes(data.consumeInt(0, 8192)));
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
