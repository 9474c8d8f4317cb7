package io.runlight.plugin.api;

import java.util.Locale;
import java.util.Optional;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * A container image reference as people and runtimes write it, normalised the way the
 * Docker CLI normalises it: {@code alpine:3.17} becomes registry {@code docker.io},
 * repository {@code library/alpine}, tag {@code 3.17}.
 *
 * <p>A tag is a name, not an identity: only a digest identifies an image.
 *
 * @param registry the registry host (and port), for example {@code docker.io}
 * @param repository the repository path, for example {@code acme/cart}
 * @param tag the tag, if the reference had one
 * @param digest the digest, if the reference had one
 */
public record ImageReference(String registry, String repository, Optional<String> tag, Optional<ImageDigest> digest)
{
    /** The registry that references without a registry part name. */
    public static final String DEFAULT_REGISTRY = "docker.io";

    public ImageReference
    {
        requireNonBlank(registry, "registry");
        requireNonBlank(repository, "repository");
        requireNonNull(tag, "tag is null");
        requireNonNull(digest, "digest is null");
        tag.ifPresent(value -> checkArgument(!value.isBlank() && value.length() <= 128, "invalid tag '" + value + "'"));
    }

    /**
     * Parses a reference such as {@code alpine:3.17}, {@code ghcr.io/acme/app@sha256:...}
     * or Kubernetes' {@code docker-pullable://repo@sha256:...}.
     *
     * @throws IllegalArgumentException if the text is not an image reference
     */
    public static ImageReference parse(String text)
    {
        requireNonNull(text, "text is null");
        String rest = text.strip();
        for (String prefix : new String[] {"docker-pullable://", "docker://", "oci://"}) {
            if (rest.startsWith(prefix)) {
                rest = rest.substring(prefix.length());
            }
        }
        checkArgument(!rest.isEmpty(), "image reference is empty");
        checkArgument(rest.length() <= 1024, "image reference is longer than 1024 characters");
        checkArgument(rest.chars().noneMatch(c -> c <= ' ' || c == 0x7f), "invalid image reference '" + text + "': it contains whitespace or control characters");

        Optional<ImageDigest> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Optional.of(new ImageDigest(rest.substring(at + 1)));
            rest = rest.substring(0, at);
        }
        Optional<String> tag = Optional.empty();
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = Optional.of(rest.substring(colon + 1));
            rest = rest.substring(0, colon);
        }
        checkArgument(!rest.isEmpty() && !rest.startsWith("/") && !rest.endsWith("/"), "invalid image reference '" + text + "'");

        String registry = DEFAULT_REGISTRY;
        String repository = rest;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                repository = rest.substring(slash + 1);
            }
        }
        if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
            registry = DEFAULT_REGISTRY;
        }
        if (registry.equals(DEFAULT_REGISTRY) && repository.indexOf('/') < 0) {
            repository = "library/" + repository;
        }
        checkArgument(repository.equals(repository.toLowerCase(Locale.ROOT)), "invalid image reference '" + text + "': repository names are lower case");
        return new ImageReference(registry, repository, tag, digest);
    }

    /** The repository with its registry, for example {@code docker.io/library/alpine}. */
    public String name()
    {
        return registry + "/" + repository;
    }

    /** The reference without its digest, for example {@code docker.io/library/alpine:3.17}. */
    public String nameWithTag()
    {
        return name() + tag.map(value -> ":" + value).orElse("");
    }

    /** A copy that carries the given digest. */
    public ImageReference withDigest(ImageDigest newDigest)
    {
        return new ImageReference(registry, repository, tag, Optional.of(newDigest));
    }

    @Override
    public String toString()
    {
        return nameWithTag() + digest.map(value -> "@" + value).orElse("");
    }
}
