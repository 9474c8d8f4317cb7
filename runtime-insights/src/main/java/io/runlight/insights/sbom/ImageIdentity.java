package io.runlight.insights.sbom;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

import io.runlight.plugin.api.ImageDigest;

import static java.util.Objects.requireNonNull;

/**
 * What a document says about the image it describes: every digest it records (config,
 * manifest, repo digests; the first is the primary one) and every name (tags, repo
 * references). Runlight treats all digests as aliases of one image.
 *
 * @param digests distinct digests, primary first: config digest if known, else manifest digest, else the first repo digest
 * @param names distinct references such as {@code alpine:3.17} or {@code docker.io/library/alpine@sha256:...}
 */
public record ImageIdentity(List<ImageDigest> digests, List<String> names)
{
    /** A document that names no image. */
    public static final ImageIdentity UNKNOWN = new ImageIdentity(List.of(), List.of());

    public ImageIdentity
    {
        digests = List.copyOf(new LinkedHashSet<>(requireNonNull(digests, "digests is null")));
        names = List.copyOf(new LinkedHashSet<>(requireNonNull(names, "names is null")));
    }

    /** The primary digest, if the document recorded any. */
    public Optional<ImageDigest> primaryDigest()
    {
        return digests.isEmpty() ? Optional.empty() : Optional.of(digests.get(0));
    }

    /** Whether the two identities share a digest. */
    public boolean sharesDigestWith(ImageIdentity other)
    {
        return digests.stream().anyMatch(other.digests::contains);
    }

    /** The union of both, this one's primary digest first. */
    public ImageIdentity merge(ImageIdentity other)
    {
        List<ImageDigest> allDigests = new ArrayList<>(digests);
        allDigests.addAll(other.digests);
        List<String> allNames = new ArrayList<>(names);
        allNames.addAll(other.names);
        return new ImageIdentity(allDigests, allNames);
    }
}
