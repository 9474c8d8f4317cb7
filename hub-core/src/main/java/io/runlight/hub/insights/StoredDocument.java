package io.runlight.hub.insights;

import java.time.Instant;

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
 */
public record StoredDocument(String blobKey, String format, String sha256, long size, Instant receivedAt)
{
    public StoredDocument
    {
        requireNonBlank(blobKey, "blobKey");
        requireNonBlank(format, "format");
        requireNonBlank(sha256, "sha256");
        requireNonNull(receivedAt, "receivedAt is null");
    }
}
