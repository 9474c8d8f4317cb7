package io.runlight.hub.plugin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.pf4j.ExtensionPoint;

import io.runlight.plugin.api.connector.ConnectorFactory;

import static java.util.Objects.requireNonNull;

/**
 * Builds real PF4J plugin jars in tests, as a third party would: compiles the Java
 * sources of a test-resources folder (for example {@code plugins/acme-v1}) against the
 * plugin API and PF4J only, writes {@code META-INF/extensions.idx} (one extension class
 * name a line, as PF4J's {@code LegacyExtensionFinder} reads it) and packages the classes
 * with a PF4J manifest. Compile once per source folder, then build as many jars from it
 * as the test needs.
 */
public final class PluginJarBuilder
{
    private static final Map<String, Compiled> COMPILED = new ConcurrentHashMap<>();

    private final Map<String, byte[]> classes;
    private final Map<String, String> manifest = new LinkedHashMap<>();
    private final List<String> extensions = new ArrayList<>();
    private final Map<String, byte[]> extraEntries = new TreeMap<>();

    private PluginJarBuilder(Map<String, byte[]> classes)
    {
        this.classes = classes;
    }

    /**
     * Compiles the sources of a test-resources folder; the result can build many jars. A
     * folder is compiled once per test JVM: several test classes build jars of the same one.
     */
    public static Compiled compile(String resourceFolder)
    {
        return COMPILED.computeIfAbsent(resourceFolder, folder -> new Compiled(compileSources(folder)));
    }

    /** Compiled plugin classes (entry name to bytes). */
    public record Compiled(Map<String, byte[]> classes)
    {
        public Compiled
        {
            classes = Map.copyOf(classes);
        }

        /** A builder for a jar of these classes with a PF4J manifest. */
        public PluginJarBuilder plugin(String pluginId, String version)
        {
            PluginJarBuilder builder = new PluginJarBuilder(classes);
            builder.manifest.put("Plugin-Id", pluginId);
            builder.manifest.put("Plugin-Version", version);
            builder.manifest.put("Plugin-Provider", "ACME Corp");
            builder.manifest.put("Plugin-Description", "ACME Security connector");
            return builder;
        }
    }

    public PluginJarBuilder requires(String requires)
    {
        manifest.put("Plugin-Requires", requires);
        return this;
    }

    public PluginJarBuilder manifestAttribute(String name, String value)
    {
        manifest.put(name, value);
        return this;
    }

    /** An extension class listed in {@code META-INF/extensions.idx}. */
    public PluginJarBuilder extension(String className)
    {
        extensions.add(className);
        return this;
    }

    /** Another entry, for example a bundled copy of an API class. */
    public PluginJarBuilder entry(String name, byte[] content)
    {
        extraEntries.put(name, content.clone());
        return this;
    }

    /** Adds the hub's own copy of the plugin API's {@code ConnectorFactory} class, as a badly packaged plugin would. */
    public PluginJarBuilder bundlingTheApi()
    {
        return entry("io/runlight/plugin/api/connector/ConnectorFactory.class", classBytes(ConnectorFactory.class));
    }

    public byte[] build()
    {
        Manifest jarManifest = new Manifest();
        Attributes main = jarManifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.forEach((name, value) -> main.put(new Attributes.Name(name), value));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, jarManifest)) {
            if (!extensions.isEmpty()) {
                StringWriter index = new StringWriter();
                index.write("# extensions of plugin " + manifest.get("Plugin-Id") + "\n");
                for (String extension : extensions) {
                    index.write(extension + "\n");
                }
                put(jar, "META-INF/extensions.idx", index.toString().getBytes(StandardCharsets.UTF_8));
            }
            for (Map.Entry<String, byte[]> entry : new TreeMap<>(classes).entrySet()) {
                put(jar, entry.getKey(), entry.getValue());
            }
            for (Map.Entry<String, byte[]> entry : extraEntries.entrySet()) {
                put(jar, entry.getKey(), entry.getValue());
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Writes the jar into a folder the way an admin copies a file: under a temporary name first, then renamed. */
    public Path installInto(Path folder, String fileName)
    {
        try {
            Path temporary = folder.resolve(fileName + ".tmp");
            Files.write(temporary, build());
            return Files.move(temporary, folder.resolve(fileName), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the jar straight into its final name (a copy the watcher sees in progress). */
    public Path writeInto(Path folder, String fileName)
    {
        try {
            return Files.write(folder.resolve(fileName), build());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(JarOutputStream jar, String name, byte[] content)
            throws IOException
    {
        jar.putNextEntry(new JarEntry(name));
        jar.write(content);
        jar.closeEntry();
    }

    private static byte[] classBytes(Class<?> type)
    {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            return requireNonNull(in, "no class file for " + type.getName()).readAllBytes();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, byte[]> compileSources(String resourceFolder)
    {
        try {
            URL url = requireNonNull(PluginJarBuilder.class.getClassLoader().getResource(resourceFolder), "no test resource folder '" + resourceFolder + "'");
            Path sources = Path.of(url.toURI());
            List<Path> files;
            try (Stream<Path> walk = Files.walk(sources)) {
                files = walk.filter(path -> path.toString().endsWith(".java")).sorted().toList();
            }
            Path output = Files.createTempDirectory("runlight-plugin-classes-");
            JavaCompiler compiler = requireNonNull(ToolProvider.getSystemJavaCompiler(), "tests need a JDK, not a JRE");
            String classPath = location(ConnectorFactory.class) + java.io.File.pathSeparator + location(ExtensionPoint.class);
            StringWriter diagnostics = new StringWriter();
            try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
                boolean compiled = compiler.getTask(diagnostics, fileManager, null,
                        List.of("-proc:none", "--release", "17", "-classpath", classPath, "-d", output.toString()),
                        null, fileManager.getJavaFileObjectsFromPaths(files)).call();
                if (!compiled) {
                    throw new IllegalStateException("plugin sources of '" + resourceFolder + "' do not compile:\n" + diagnostics);
                }
            }
            Map<String, byte[]> classes = new TreeMap<>();
            try (Stream<Path> walk = Files.walk(output)) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    classes.put(output.relativize(file).toString().replace(java.io.File.separatorChar, '/'), Files.readAllBytes(file));
                }
            }
            try (Stream<Path> walk = Files.walk(output)) {
                for (Path file : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
            return classes;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String location(Class<?> type)
    {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        }
        catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
