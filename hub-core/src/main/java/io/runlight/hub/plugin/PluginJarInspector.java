package io.runlight.hub.plugin;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Enumeration;
import java.util.Optional;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.pf4j.DefaultVersionManager;
import org.pf4j.VersionManager;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;

/**
 * Reads a staged plugin jar before any of its code is loaded and decides whether the hub
 * may load it: it needs a PF4J manifest, must not bundle the plugin API (its classes
 * would not be the hub's, and nothing would match), and must accept this hub's version.
 */
final class PluginJarInspector
{
    static final String API_PREFIX = "io/runlight/plugin/api/";

    private final String hubVersion;
    private final String comparableHubVersion;
    private final VersionManager versions = new DefaultVersionManager();

    /**
     * @param hubVersion the hub's version, for example {@code 0.1.0} or {@code 0.1.0-SNAPSHOT}
     */
    PluginJarInspector(String hubVersion)
    {
        this.hubVersion = requireNonBlank(hubVersion, "hubVersion");
        this.comparableHubVersion = comparable(hubVersion);
    }

    /**
     * The version plugins' {@code Plugin-Requires} is checked against: the hub's version
     * without pre-release or build suffix, so that a {@code 0.1.0-SNAPSHOT} build runs
     * plugins written for {@code 0.1.0}.
     */
    static String comparable(String version)
    {
        String plain = version.strip();
        int suffix = indexOfAny(plain, '-', '+');
        if (suffix >= 0) {
            plain = plain.substring(0, suffix);
        }
        if (!plain.matches("\\d+\\.\\d+\\.\\d+")) {
            throw new IllegalArgumentException("hub version '" + version + "' is not a semantic version (major.minor.patch)");
        }
        return plain;
    }

    String comparableHubVersion()
    {
        return comparableHubVersion;
    }

    VersionManager versions()
    {
        return versions;
    }

    PluginJar inspect(String jarName, long size, FileTime modified, String sha256, Path staged)
    {
        PluginJar unknown = new PluginJar(jarName, size, modified, sha256, staged, "", "", "", "", Optional.empty());
        Manifest manifest;
        TreeSet<String> apiEntries = new TreeSet<>();
        try (JarFile jar = new JarFile(staged.toFile(), false)) {
            manifest = jar.getManifest();
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.startsWith(API_PREFIX) && name.endsWith(".class")) {
                    apiEntries.add(name);
                }
            }
        }
        catch (IOException | RuntimeException e) {
            return unknown.refused("plugin jar '" + jarName + "' cannot be read as a jar (" + e.getMessage() + "): copy a complete jar file into the plugins folder");
        }
        if (manifest == null) {
            return unknown.refused("plugin jar '" + jarName + "' has no META-INF/MANIFEST.MF: package it with a PF4J manifest (Plugin-Id, Plugin-Version, Plugin-Requires)");
        }
        Attributes attributes = manifest.getMainAttributes();
        PluginJar described = new PluginJar(jarName, size, modified, sha256, staged,
                value(attributes, "Plugin-Id"), value(attributes, "Plugin-Version"), value(attributes, "Plugin-Provider"), value(attributes, "Plugin-Description"),
                Optional.empty());
        if (described.id().isEmpty()) {
            return described.refused("plugin jar '" + jarName + "' has no Plugin-Id in its manifest: package it with a PF4J manifest (Plugin-Id, Plugin-Version, Plugin-Requires)");
        }
        if (!described.id().matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            return described.refused("plugin jar '" + jarName + "' has an invalid Plugin-Id '" + described.id() + "': use letters, digits, '.', '_' and '-'");
        }
        if (described.version().isEmpty()) {
            return described.refused("plugin jar '" + jarName + "' has no Plugin-Version in its manifest: set it, for example 1.0.0");
        }
        if (!apiEntries.isEmpty()) {
            return described.refused("plugin jar '" + jarName + "' bundles its own copy of the Runlight plugin API (" + apiEntries.first()
                    + "): declare runlight-plugin-api as provided");
        }
        String requires = value(attributes, "Plugin-Requires");
        if (!requires.isEmpty() && !requires.equals("*")) {
            String constraint = requires.matches("\\d+\\.\\d+\\.\\d+") ? ">=" + requires : requires;
            boolean satisfied;
            try {
                satisfied = versions.checkVersionConstraint(comparableHubVersion, constraint);
            }
            catch (RuntimeException e) {
                return described.refused("plugin jar '" + jarName + "' has an invalid Plugin-Requires '" + requires + "' (" + e.getMessage()
                        + "): use a version range such as >=0.1.0");
            }
            if (!satisfied) {
                return described.refused("plugin jar '" + jarName + "' requires Runlight " + requires + " but this hub is " + hubVersion
                        + ": install a version of the plugin made for this hub, or upgrade the hub");
            }
        }
        return described;
    }

    private static String value(Attributes attributes, String name)
    {
        String value = attributes.getValue(name);
        return value == null ? "" : value.strip();
    }

    private static int indexOfAny(String text, char first, char second)
    {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == first || text.charAt(i) == second) {
                return i;
            }
        }
        return -1;
    }
}
