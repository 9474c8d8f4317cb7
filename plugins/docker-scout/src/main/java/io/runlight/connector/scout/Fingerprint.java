package io.runlight.connector.scout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 hex of small values, to keep state keys and values short.
 */
final class Fingerprint
{
    private Fingerprint() {}

    static String sha256(byte[] bytes)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException e) {
            // every Java platform must provide SHA-256 (MessageDigest's documentation)
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    static String sha256(String text)
    {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}
