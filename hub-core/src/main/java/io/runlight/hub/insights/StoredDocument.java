package io.runlight.hub.insights;

import java.time.Instant;
import java.util.Optional;

import io.runlight.insights.sbom.GivenImage;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * A raw input document kept in the blob table, as the image records refer to it.
 *
 * @param blobKey the blob's key
 * @param format the format it was read as (for example {@code syft-json})
 * @param sha256 hex digest of its bytes
 * @param size its size in bytes
 * @param receivedAt when the hub accepted it
 * @param image the image named with the upload ({@code ?image=}), applied whenever the document is read again
 * @param root where the scanned folder is in the container ({@code ?root=}); relative paths are resolved against it
 */
public record StoredDocument(String blobKey, String format, String sha256, long size, Instant receivedAt, Optional<String> image, Optional<String> root)
{
    public StoredDocument
    {
        requireNonBlank(blobKey, "blobKey");
        requireNonBlank(format, "format");
        requireNonBlank(sha256, "sha256");
        requireNonNull(receivedAt, "receivedAt is null");
        // records stored before these fields existed decode with nulls
        image = image == null ? Optional.empty() : image;
        root = root == null ? Optional.empty() : root;
    }

    /** A document uploaded without naming an image or a root. */
    public StoredDocument(String blobKey, String format, String sha256, long size, Instant receivedAt)
    {
        this(blobKey, format, sha256, size, receivedAt, Optional.empty(), Optional.empty());
    }

    /** This document as uploaded naming an image and a root. */
    public StoredDocument named(Optional<String> givenImage, Optional<String> givenRoot)
    {
        return new StoredDocument(blobKey, format, sha256, size, receivedAt, givenImage, givenRoot);
    }

    /** The given image, parsed (it was checked when the document was stored). */
    public Optional<GivenImage> givenImage()
    {
        return image.map(GivenImage::parse);
    }

    /** The root relative paths are resolved against. */
    public String rootOrDefault()
    {
        return root.orElse("/");
    }
}
