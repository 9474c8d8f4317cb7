package io.runlight.hub.insights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A document as received, before it is stored: its bytes in a file, with their SHA-256 and
 * size, which the receiver computes as the bytes arrive so that storing the document does not
 * read the file once more to name its blob.
 *
 * @param file the bytes; the receiver deletes it
 * @param sha256 lowercase hex SHA-256 of exactly the bytes in {@code file}
 * @param size how many bytes {@code file} holds
 */
public record ReceivedDocument(Path file, String sha256, long size)
{
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ReceivedDocument
    {
        requireNonNull(file, "file is null");
        requireNonNull(sha256, "sha256 is null");
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 is not 64 lowercase hex digits: '" + sha256 + "'");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size is negative: " + size);
        }
    }

    /** A document already in a file, read once to take its digest and size. */
    public static ReceivedDocument of(Path file)
            throws IOException
    {
        MessageDigest digest = newDigest();
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = in.read(buffer)) > 0) {
                digest.update(buffer, 0, read);
                size += read;
            }
        }
        return new ReceivedDocument(file, HexFormat.of().formatHex(digest.digest()), size);
    }

    /** A SHA-256 digest, for a receiver that hashes the bytes as they arrive. */
    public static MessageDigest newDigest()
    {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
