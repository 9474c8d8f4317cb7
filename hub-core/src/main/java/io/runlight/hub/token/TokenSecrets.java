package io.runlight.hub.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import static java.util.Objects.requireNonNull;

/**
 * Makes and checks opaque token secrets: {@code rlt_} + 30 random base62 characters + a
 * 6-character base62 CRC32 of those 30. The fixed prefix and the checksum let a secret
 * scanner recognise a leaked token offline, and let the hub refuse a mistyped or forged
 * token without looking anything up (docs/architecture.md, decision 4).
 */
public final class TokenSecrets
{
    /** Every secret starts with this. */
    public static final String PREFIX = "rlt_";
    /** The secret's shape, for scanners and tests. */
    public static final Pattern FORMAT = Pattern.compile("^rlt_[0-9A-Za-z]{30}[0-9A-Za-z]{6}$");
    /** How many characters of a secret are stored and shown to identify it ({@code rlt_AbCd}). */
    public static final int DISPLAY_PREFIX_LENGTH = 8;

    static final int RANDOM_LENGTH = 30;
    static final int CHECKSUM_LENGTH = 6;
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int SECRET_LENGTH = PREFIX.length() + RANDOM_LENGTH + CHECKSUM_LENGTH;

    private final SecureRandom random;

    public TokenSecrets(SecureRandom random)
    {
        this.random = requireNonNull(random, "random is null");
    }

    /** A new secret; 30 base62 characters carry about 178 bits of randomness. */
    public String generate()
    {
        String body = randomBase62(RANDOM_LENGTH);
        return PREFIX + body + checksum(body);
    }

    /** A new token id such as {@code tok_4fQ9zX2mB7kLp0Ws}; ids are not secret. */
    public String newTokenId()
    {
        return "tok_" + randomBase62(16);
    }

    /** Whether {@code secret} has the token format and a checksum that matches its body. */
    public static boolean hasValidChecksum(String secret)
    {
        if (secret == null || secret.length() != SECRET_LENGTH || !FORMAT.matcher(secret).matches()) {
            return false;
        }
        String body = secret.substring(PREFIX.length(), PREFIX.length() + RANDOM_LENGTH);
        String checksum = secret.substring(PREFIX.length() + RANDOM_LENGTH);
        return checksum(body).equals(checksum);
    }

    /** The lowercase hex SHA-256 of the secret's UTF-8 bytes: the only form the hub stores. */
    public static String sha256Hex(String secret)
    {
        requireNonNull(secret, "secret is null");
        return HexFormat.of().formatHex(sha256(secret));
    }

    /** The first characters of a secret, stored and shown so a person can tell tokens apart. */
    public static String displayPrefix(String secret)
    {
        requireNonNull(secret, "secret is null");
        if (secret.length() < DISPLAY_PREFIX_LENGTH) {
            throw new IllegalArgumentException("a token secret has at least " + DISPLAY_PREFIX_LENGTH + " characters");
        }
        return secret.substring(0, DISPLAY_PREFIX_LENGTH);
    }

    static byte[] sha256(String secret)
    {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256: this Java runtime cannot run Runlight", e);
        }
    }

    /** CRC32 of the body's ASCII bytes in base62, left-padded with '0' to 6 characters. */
    static String checksum(String body)
    {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] digits = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            digits[i] = ALPHABET.charAt((int) (value % 62));
            value /= 62;
        }
        // 62^6 > 2^32, so every CRC32 fits in six digits
        return new String(digits);
    }

    private String randomBase62(int length)
    {
        StringBuilder builder = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            builder.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return builder.toString();
    }
}
