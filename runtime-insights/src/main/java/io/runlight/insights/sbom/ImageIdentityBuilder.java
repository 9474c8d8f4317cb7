package io.runlight.insights.sbom;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.runlight.plugin.api.ImageDigest;

/**
 * Gathers the digests and names a document records for its image, whatever order it
 * gives them in, and orders the digests as {@link ImageIdentity} wants them: config
 * digest, then manifest digest, then repo digests, then any other. Text that is not a
 * valid digest (Syft's golden files say {@code sha256:redacted}) is not a digest.
 * SBOM readers and vulnerability readers share it, so both order an image's digests alike.
 */
public final class ImageIdentityBuilder
{
    private final List<ImageDigest> configDigests = new ArrayList<>();
    private final List<ImageDigest> manifestDigests = new ArrayList<>();
    private final List<ImageDigest> repoDigests = new ArrayList<>();
    private final List<ImageDigest> otherDigests = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    /** The image's config digest (Docker's image ID). */
    public void configDigest(Optional<String> text)
    {
        text.flatMap(ImageIdentityBuilder::digest).ifPresent(configDigests::add);
    }

    /** The digest of the image's manifest (or of the index that names it). */
    public void manifestDigest(Optional<String> text)
    {
        text.flatMap(ImageIdentityBuilder::digest).ifPresent(manifestDigests::add);
    }

    /** A digest of unknown kind, ordered after all others. */
    public void otherDigest(Optional<String> text)
    {
        text.flatMap(ImageIdentityBuilder::digest).ifPresent(otherDigests::add);
    }

    /**
     * A reference such as {@code alpine:3.17} or {@code alpine@sha256:...}: always a name,
     * and its digest, if it has one, a repo digest.
     */
    public void reference(Optional<String> text)
    {
        if (text.isEmpty() || text.get().isBlank()) {
            return;
        }
        String reference = text.get().strip();
        names.add(reference);
        int at = reference.lastIndexOf('@');
        if (at >= 0) {
            digest(reference.substring(at + 1)).ifPresent(repoDigests::add);
        }
    }

    /** A name that is not a reference to parse (a file name, a user's input). */
    public void name(Optional<String> text)
    {
        text.filter(value -> !value.isBlank()).map(String::strip).ifPresent(names::add);
    }

    public ImageIdentity build()
    {
        List<ImageDigest> digests = new ArrayList<>(configDigests);
        digests.addAll(manifestDigests);
        digests.addAll(repoDigests);
        digests.addAll(otherDigests);
        return new ImageIdentity(digests, names);
    }

    private static Optional<ImageDigest> digest(String text)
    {
        if (!ImageDigest.isValid(text)) {
            return Optional.empty();
        }
        return Optional.of(ImageDigest.parse(text));
    }
}
