package io.runlight.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.runlight.hub.config.ConfigOption;
import io.runlight.hub.config.ConfigReference;
import io.runlight.hub.config.HubOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestDistributionTree
{
    private static final List<String> CONNECTOR_JARS = List.of(
            "runlight-plugin-docker-scout-" + version() + ".jar",
            "runlight-plugin-generic-webhook-" + version() + ".jar",
            "runlight-plugin-snyk-" + version() + ".jar");

    private final Path tree = Distribution.unpackedTree();

    @Test
    void launcherIsAnExecutablePosixShellScript()
            throws IOException
    {
        Path launcher = tree.resolve("bin/runlight");

        assertThat(launcher).isRegularFile();
        assertThat(Files.getPosixFilePermissions(launcher)).contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_EXECUTE);
        String script = Files.readString(launcher);
        assertThat(script).startsWith("#!/bin/sh\n")
                .doesNotContain("\r")
                .contains("-cp \"$RUNLIGHT_HOME/lib/*\" io.runlight.hub.cli.Main \"$@\"",
                        "export RUNLIGHT_HOME",
                        "${RUNLIGHT_JAVA_OPTS:-}",
                        "--add-opens java.base/sun.nio.ch=ALL-UNNAMED");
    }

    @Test
    void libHoldsTheHubAndNoConnector()
            throws IOException
    {
        List<String> lib = names(tree.resolve("lib"));

        assertThat(lib).contains("runlight-hub-core-" + version() + ".jar", "runlight-plugin-api-" + version() + ".jar",
                "runlight-runtime-insights-" + version() + ".jar", "hazelcast-5.7.0.jar", "vertx-core-5.0.7.jar", "pf4j-3.14.1.jar");
        assertThat(lib).allMatch(name -> name.endsWith(".jar")).noneMatch(name -> name.startsWith("runlight-plugin-") && !name.startsWith("runlight-plugin-api-"));
        // not even inside another jar: the connectors reach the hub through plugins/ only
        for (String jar : lib) {
            try (JarFile file = new JarFile(tree.resolve("lib").resolve(jar).toFile())) {
                assertThat(file.stream().map(JarEntry::getName).filter(name -> name.startsWith("io/runlight/connector/")).toList())
                        .as("connector classes in lib/%s", jar)
                        .isEmpty();
            }
        }
    }

    @Test
    void noJarInLibIsSigned()
            throws IOException
    {
        List<String> lib = names(tree.resolve("lib"));

        // a signed jar's classes stay out of runlight cds's archive and cost a signature check at every start
        assertThat(lib).contains("bcprov-jdk18on-1.82.jar", "bcpkix-jdk18on-1.82.jar", "bcutil-jdk18on-1.82.jar");
        for (String jar : lib) {
            try (JarFile file = new JarFile(tree.resolve("lib").resolve(jar).toFile())) {
                assertThat(file.stream().map(JarEntry::getName).filter(name -> name.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)")).toList())
                        .as("signature files in lib/%s", jar)
                        .isEmpty();
            }
        }
        try (JarFile bouncyCastle = new JarFile(tree.resolve("lib/bcprov-jdk18on-1.82.jar").toFile())) {
            assertThat(bouncyCastle.getEntry("org/bouncycastle/util/io/pem/PemReader.class")).as("classes kept").isNotNull();
        }
    }

    @Test
    void pluginsHoldsExactlyTheThreeConnectorJars()
            throws IOException
    {
        assertThat(names(tree.resolve("plugins"))).containsExactlyElementsOf(CONNECTOR_JARS);
        for (String jar : CONNECTOR_JARS) {
            try (JarFile file = new JarFile(tree.resolve("plugins").resolve(jar).toFile())) {
                assertThat(file.getManifest().getMainAttributes().getValue("Plugin-Id")).isIn("snyk", "docker-scout", "generic-webhook");
            }
        }
    }

    @Test
    void confListsEveryOptionOfTheHub()
            throws IOException
    {
        String yaml = Files.readString(tree.resolve("conf/runlight.yaml"));

        assertThat(yaml).isEqualTo(ConfigReference.yaml(HubOptions.ALL));
        for (ConfigOption option : HubOptions.ALL) {
            String key = option.key();
            String leaf = key.contains(".") ? key.substring(key.indexOf('.') + 1) : key;
            assertThat(yaml).as("option %s", key).contains("# " + leaf + ":", "# Environment variable: " + option.environmentVariable());
        }
    }

    @Test
    void docsShipWithTheDistribution()
            throws IOException
    {
        Path source = Path.of(System.getProperty("runlight.examples.dir")).resolveSibling("docs").normalize();
        for (String guide : new String[] {"getting-started.md", "operator-guide.md", "configuration.md", "plugin-author-guide.md",
                "integrations/snyk.md", "integrations/docker-scout.md", "integrations/webhooks.md", "integrations/falco.md",
                "integrations/tetragon.md", "integrations/ci-pipelines.md"}) {
            assertThat(tree.resolve("docs").resolve(guide)).as("docs/%s", guide).hasSameTextualContentAs(source.resolve(guide));
        }
    }

    @Test
    void licenseAndReadme()
            throws IOException
    {
        assertThat(Files.readString(tree.resolve("LICENSE"))).contains("Apache License", "Version 2.0, January 2004",
                "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION");
        assertThat(Files.readString(tree.resolve("README"))).contains("bin/runlight serve", "bin/runlight admin-token", "$RUNLIGHT_HOME/plugins");
    }

    @Test
    void tarballHoldsTheSameTreeUnderItsTopFolder()
            throws IOException
    {
        List<TarEntries.Entry> entries = TarEntries.read(Distribution.tarball());
        String top = Distribution.name() + "/";

        Set<String> files = new TreeSet<>();
        for (TarEntries.Entry entry : entries) {
            assertThat(entry.name()).startsWith(top);
            if (!entry.directory()) {
                files.add(entry.name().substring(top.length()));
            }
        }
        assertThat(files).isEqualTo(filesOf(tree));
        assertThat(entries).filteredOn(entry -> entry.name().equals(top + "bin/runlight")).singleElement()
                .satisfies(entry -> assertThat(entry.mode() & 0777).isEqualTo(0755));
        assertThat(entries).filteredOn(entry -> entry.name().equals(top + "conf/runlight.yaml")).singleElement()
                .satisfies(entry -> assertThat(entry.mode() & 0777).isEqualTo(0644));
    }

    private static Set<String> filesOf(Path root)
            throws IOException
    {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).map(path -> root.relativize(path).toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static List<String> names(Path folder)
            throws IOException
    {
        try (Stream<Path> paths = Files.list(folder)) {
            return paths.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    private static String version()
    {
        return Distribution.name().substring("runlight-".length());
    }
}
