package io.runlight.hub.plugin;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A settled plugin jar of the plugins folder, copied to the staging folder and read:
 * its PF4J manifest, and the refusal if it breaks a rule. The hub loads the staged copy,
 * never the file in the plugins folder, so replacing that file in place is safe.
 *
 * @param jar the file name in the plugins folder
 * @param size the size in bytes when it was copied
 * @param modified the modification time when it was copied
 * @param sha256 the content's SHA-256, hex
 * @param staged the copy in the staging folder
 * @param id {@code Plugin-Id}, empty if absent
 * @param version {@code Plugin-Version}, empty if absent
 * @param provider {@code Plugin-Provider}, empty if absent
 * @param description {@code Plugin-Description}, empty if absent
 * @param refusal why the jar is not loaded; empty if it may be
 */
record PluginJar(String jar, long size, FileTime modified, String sha256, Path staged, String id, String version, String provider, String description,
        Optional<String> refusal)
{
    PluginJar
    {
        requireNonNull(jar, "jar is null");
        requireNonNull(modified, "modified is null");
        requireNonNull(sha256, "sha256 is null");
        requireNonNull(staged, "staged is null");
        requireNonNull(id, "id is null");
        requireNonNull(version, "version is null");
        requireNonNull(provider, "provider is null");
        requireNonNull(description, "description is null");
        requireNonNull(refusal, "refusal is null");
    }

    boolean accepted()
    {
        return refusal.isEmpty();
    }

    PluginJar refused(String reason)
    {
        return new PluginJar(jar, size, modified, sha256, staged, id, version, provider, description, Optional.of(reason));
    }

    /** The same content seen with another size or time (touched, or copied again unchanged). */
    PluginJar touched(long newSize, FileTime newModified)
    {
        return new PluginJar(jar, newSize, newModified, sha256, staged, id, version, provider, description, refusal);
    }

    PluginInfo info(PluginStatus state, Optional<String> error, long generation)
    {
        return new PluginInfo(id, version, provider, description, jar, state, error, List.of(), generation);
    }
}
