package io.runlight.insights.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import static io.runlight.insights.catalog.ImageArchiveBuilder.write;

/**
 * Real package-manager output made by the real tools, under one root folder as an image
 * would hold it: a Python virtual environment made by {@code python3 -m venv} (pip and
 * setuptools from ensurepip), a {@code node_modules} tree from {@code npm install} of
 * tarballs made by {@code npm pack} (a scoped package, and a bundled package nested under
 * another version of itself), jars from the local Maven repository and a Spring Boot style
 * fat jar holding one, and a Go binary built by {@code go build} with a dependency.
 */
final class RealPackageTrees
{
    static final String VENV = "opt/venv";
    static final String APP = "srv/app";
    static final String GO_BINARY = "usr/local/bin/hello-go";

    private RealPackageTrees() {}

    static Path python(Path root)
    {
        ImageArchiveBuilder.run(List.of(python3(), "-m", "venv", root.resolve(VENV).toString()));
        return root.resolve(VENV);
    }

    static String python3()
    {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /** node_modules: left-pad-like "pad" 1.0.0, "@acme/util" 2.1.0, "dep" 2.0.0 and "withbundle" 1.0.0 bundling "dep" 1.0.0. */
    static Path npm(Path root, Path work)
            throws IOException
    {
        Path sources = Files.createDirectories(work.resolve("npm-sources"));
        pack(sources, "pad", "1.0.0", "module.exports = (s, n) => String(s).padStart(n);\n", Map.of());
        pack(sources, "@acme/util", "2.1.0", "module.exports = { twice: x => x * 2 };\n", Map.of());
        pack(sources, "dep", "2.0.0", "module.exports = 'dep 2';\n", Map.of());
        // withbundle ships dep 1.0.0 inside itself: npm keeps it nested
        Path withBundle = Files.createDirectories(sources.resolve("withbundle"));
        write(withBundle, "package.json", "{\"name\":\"withbundle\",\"version\":\"1.0.0\",\"main\":\"index.js\",\"dependencies\":{\"dep\":\"1.0.0\"},\"bundleDependencies\":[\"dep\"]}\n");
        write(withBundle, "index.js", "module.exports = require('dep');\n");
        write(withBundle, "node_modules/dep/package.json", "{\"name\":\"dep\",\"version\":\"1.0.0\",\"main\":\"index.js\"}\n");
        write(withBundle, "node_modules/dep/index.js", "module.exports = 'dep 1';\n");
        npmCommand(withBundle, "pack", "--pack-destination", sources.toString());

        Path app = Files.createDirectories(root.resolve(APP));
        write(app, "package.json", "{\"name\":\"app\",\"version\":\"1.0.0\",\"private\":true}\n");
        List<String> install = new ArrayList<>(List.of("install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"));
        for (String tarball : List.of("pad-1.0.0.tgz", "acme-util-2.1.0.tgz", "dep-2.0.0.tgz", "withbundle-1.0.0.tgz")) {
            install.add(sources.resolve(tarball).toString());
        }
        npmCommand(app, install.toArray(String[]::new));
        return app;
    }

    private static void pack(Path sources, String name, String version, String index, Map<String, String> dependencies)
            throws IOException
    {
        Path folder = Files.createDirectories(sources.resolve(name.replace("/", "-")));
        write(folder, "package.json", "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"main\":\"index.js\"}\n");
        write(folder, "index.js", index);
        write(folder, "lib/extra.js", "module.exports = 1;\n");
        npmCommand(folder, "pack", "--pack-destination", sources.toString());
    }

    private static void npmCommand(Path folder, String... args)
    {
        List<String> command = new ArrayList<>(List.of("npm", "--cache", folder.getParent().resolve(".npm-cache").toString()));
        command.addAll(List.of(args));
        ImageArchiveBuilder.run(folder, command);
    }

    /** A fat jar with {@code BOOT-INF/lib/<inner>} and its own pom.properties. */
    static Path fatJar(Path target, Path inner)
            throws IOException
    {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Main-Class", "org.springframework.boot.loader.launch.JarLauncher");
        Files.createDirectories(target.getParent());
        try (OutputStream file = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(file, manifest)) {
            jar.putNextEntry(new JarEntry("META-INF/maven/com.example/shop/pom.properties"));
            jar.write("groupId=com.example\nartifactId=shop\nversion=1.4.0\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            jar.closeEntry();
            jar.putNextEntry(new JarEntry("BOOT-INF/classes/com/example/Shop.class"));
            jar.write(new byte[] {(byte) 0xca, (byte) 0xfe});
            jar.closeEntry();
            // Spring Boot stores nested jars uncompressed
            byte[] innerBytes = Files.readAllBytes(inner);
            JarEntry nested = new JarEntry("BOOT-INF/lib/" + inner.getFileName());
            nested.setMethod(ZipEntry.STORED);
            nested.setSize(innerBytes.length);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(innerBytes);
            nested.setCrc(crc.getValue());
            jar.putNextEntry(nested);
            jar.write(innerBytes);
            jar.closeEntry();
        }
        return target;
    }

    /** A jar of the local Maven repository, by its coordinates. */
    static Path mavenJar(String group, String artifact, String version)
    {
        return Path.of(System.getProperty("user.home"), ".m2", "repository").resolve(group.replace('.', '/'))
                .resolve(artifact).resolve(version).resolve(artifact + "-" + version + ".jar");
    }

    /** {@code example.com/hello} requiring {@code example.com/greet v1.2.3} (replaced by a local copy: no network). */
    static Path goBinary(Path root, Path work)
            throws IOException
    {
        Path greet = Files.createDirectories(work.resolve("go/greet"));
        write(greet, "go.mod", "module example.com/greet\n\ngo 1.19\n");
        write(greet, "greet.go", "package greet\n\nfunc Hello() string { return \"hello\" }\n");
        Path hello = Files.createDirectories(work.resolve("go/hello"));
        write(hello, "go.mod", "module example.com/hello\n\ngo 1.19\n\nrequire example.com/greet v1.2.3\n\nreplace example.com/greet => ../greet\n");
        write(hello, "main.go", "package main\n\nimport (\n\t\"fmt\"\n\t\"example.com/greet\"\n)\n\nfunc main() { fmt.Println(greet.Hello()) }\n");
        Path binary = root.resolve(GO_BINARY);
        Files.createDirectories(binary.getParent());
        List<String> command = List.of("env", "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local", "CGO_ENABLED=0",
                "go", "build", "-o", binary.toString(), ".");
        ImageArchiveBuilder.run(hello, command);
        return binary;
    }

    static void copy(Path source, Path target)
            throws IOException
    {
        Files.createDirectories(target.getParent());
        try (InputStream in = Files.newInputStream(source)) {
            Files.copy(in, target);
        }
    }
}
