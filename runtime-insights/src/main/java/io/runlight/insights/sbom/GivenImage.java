package io.runlight.insights.sbom;

import java.util.List;
import java.util.Optional;

import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageReference;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * The image a user names for a document that does not name one itself ({@code --image} on
 * the command line, {@code ?image=} on the hub): a CI job that catalogs a build folder or a
 * root filesystem (cdxgen, cyclonedx-npm, {@code npm sbom}, {@code trivy rootfs}) has no
 * digest to write into the document, but knows the image from its own pipeline.
 *
 * @param digest the image's digest
 * @param reference the reference as given with the digest ({@code ghcr.io/acme/app@sha256:...}), absent for a bare digest
 */
public record GivenImage(ImageDigest digest, Optional<String> reference)
{
    public GivenImage
    {
        requireNonNull(digest, "digest is null");
        requireNonNull(reference, "reference is null");
    }

    /**
     * Parses {@code sha256:<64 hex>} or {@code <name>@sha256:<64 hex>}.
     *
     * @throws IllegalArgumentException with a message that says what is expected
     */
    public static GivenImage parse(String text)
    {
        requireNonBlank(text, "image");
        String given = text.strip();
        if (given.startsWith("sha256:")) {
            if (!ImageDigest.isValid(given)) {
                throw new IllegalArgumentException("image '" + given + "' is not a digest: expected sha256: and 64 lower-case hex digits, or name@sha256:...");
            }
            return new GivenImage(new ImageDigest(given), Optional.empty());
        }
        ImageReference reference;
        try {
            reference = ImageReference.parse(given);
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("image '" + given + "' is not an image reference: expected sha256:<64 hex digits> or name@sha256:<64 hex digits>", e);
        }
        if (reference.digest().isEmpty()) {
            throw new IllegalArgumentException("image '" + given + "' names no digest: a tag is a name, not an identity; expected sha256:<64 hex digits> or name@sha256:<64 hex digits>");
        }
        return new GivenImage(reference.digest().get(), Optional.of(reference.name() + "@" + reference.digest().get()));
    }

    /**
     * The document's identity with this image: named by it when the document names no
     * digest; unchanged but for the name when the document names this digest among its own.
     *
     * @throws ImageMismatchException when the document names other digests only
     */
    public ImageIdentity applyTo(ImageIdentity documented, String documentKind)
    {
        requireNonNull(documented, "documented is null");
        requireNonNull(documentKind, "documentKind is null");
        if (!documented.digests().isEmpty() && !documented.digests().contains(digest)) {
            throw new ImageMismatchException("the " + documentKind + " names image " + documented.primaryDigest().orElseThrow()
                    + ", not the given " + digest + ": leave out the image option, or give one of the digests the " + documentKind + " records ("
                    + String.join(", ", documented.digests().stream().map(ImageDigest::toString).toList()) + ")");
        }
        ImageIdentity given = new ImageIdentity(List.of(digest), reference.map(List::of).orElse(List.of()));
        return documented.digests().isEmpty() ? given.merge(documented) : documented.merge(given);
    }

    /** The given image contradicts the digest a document names. */
    public static final class ImageMismatchException
            extends IllegalArgumentException
    {
        private static final long serialVersionUID = 1L;

        ImageMismatchException(String message)
        {
            super(message);
        }
    }
}
