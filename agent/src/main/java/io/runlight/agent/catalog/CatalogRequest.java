package io.runlight.agent.catalog;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import io.runlight.plugin.api.ImageDigest;

import static java.util.Objects.requireNonNull;

/**
 * An image seen running, and where its files can be read.
 *
 * @param digest the image's digest
 * @param name the image reference, if known
 * @param root its file system: {@code /proc/<pid>/root} of a process of a container, or the host's root
 * @param excluded folders below the root not to catalog (the host's container storage)
 */
public record CatalogRequest(ImageDigest digest, Optional<String> name, Path root, Set<String> excluded)
{
    public CatalogRequest
    {
        requireNonNull(digest, "digest is null");
        requireNonNull(name, "name is null");
        requireNonNull(root, "root is null");
        excluded = Set.copyOf(requireNonNull(excluded, "excluded is null"));
    }
}
