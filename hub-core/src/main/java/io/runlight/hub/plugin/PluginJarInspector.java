package io.runlight.hub.plugin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

import org.pf4j.DefaultVersionManager;
import org.pf4j.VersionManager;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * Reads a staged plugin jar before any of its code is loaded and decides whether the hub
 * may load it: it must stay within the {@link PluginJarLimits}, needs a PF4J manifest, must
 * not call what stops the JVM, must not bundle the plugin API (its classes would not be
 * the hub's, and nothing would match), and must accept this hub's version.
 */
final class PluginJarInspector
{
    static final String API_PREFIX = "io/runlight/plugin/api/";

    private final String hubVersion;
    private final String comparableHubVersion;
    private final PluginJarLimits limits;
    private final VersionManager versions = new DefaultVersionManager();

    /**
     * @param hubVersion the hub's version, for example {@code 0.1.0} or {@code 0.1.0-SNAPSHOT}
     * @param limits the caps checked before anything else reads a jar
     */
    PluginJarInspector(String hubVersion, PluginJarLimits limits)
    {
        this.hubVersion = requireNonBlank(hubVersion, "hubVersion");
        this.limits = requireNonNull(limits, "limits is null");
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
        if (size > limits.maxJarBytes()) {
            return unknown.refused(tooLarge(jarName, "it is " + size + " bytes; the limit is " + PluginJarLimits.size(limits.maxJarBytes())));
        }
        PluginJarContents contents;
        try {
            contents = PluginJarContents.read(staged, limits);
        }
        catch (PluginJarContents.TooLarge e) {
            return unknown.refused(tooLarge(jarName, e.getMessage()));
        }
        catch (IOException | RuntimeException e) {
            return unknown.refused("plugin jar '" + jarName + "' cannot be read as a jar (" + e.getMessage() + "): copy a complete jar file into the plugins folder");
        }
        if (contents.manifest().isEmpty()) {
            return unknown.refused("plugin jar '" + jarName + "' has no META-INF/MANIFEST.MF: package it with a PF4J manifest (Plugin-Id, Plugin-Version, Plugin-Requires)");
        }
        Optional<String> manifestProblem = PluginJarContents.manifestProblem(contents.manifest().get());
        if (manifestProblem.isPresent()) {
            return unknown.refused("plugin jar '" + jarName + "' is refused: " + manifestProblem.get() + "; package it with a plain PF4J manifest");
        }
        Manifest manifest;
        try {
            manifest = new Manifest(new ByteArrayInputStream(contents.manifest().get()));
        }
        catch (IOException | RuntimeException e) {
            return unknown.refused("plugin jar '" + jarName + "' has a malformed META-INF/MANIFEST.MF (" + e.getMessage() + "): package it with a PF4J manifest");
        }
        TreeSet<String> apiEntries = contents.apiEntries();
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
        if (!contents.stopCalls().isEmpty()) {
            return described.refused("plugin jar '" + jarName + "' may stop the hub: " + contents.stopCalls().first()
                    + (contents.stopCalls().size() > 1 ? " (and " + (contents.stopCalls().size() - 1) + " more)" : "")
                    + "; a plugin must report failures by throwing, never end the process");
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

    private static String tooLarge(String jarName, String why)
    {
        return "plugin jar '" + jarName + "' is refused: " + why + " (a jar that large is damaged or hostile; rebuild the plugin)";
    }

    /** At most 80 characters of {@code text}, control and format characters as '?': jar contents are echoed in messages. */
    static String printable(String text)
    {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 80; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c);
        }
        return text.length() > 80 ? out + "..." : out.toString();
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
