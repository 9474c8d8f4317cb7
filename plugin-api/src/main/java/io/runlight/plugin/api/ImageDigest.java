package io.runlight.plugin.api;

import java.util.Locale;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A content digest that identifies an image: a config digest (Docker's "image ID"), a
 * manifest digest or an index digest, always in the form {@code algorithm:hex}.
 *
 * <p>An image usually has several digests; Runlight keeps all it learns as aliases of
 * one image. Hex digits are stored in lower case.
 *
 * @param value the digest, for example {@code sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501}
 */
public record ImageDigest(String value)
{
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern SHA512 = Pattern.compile("sha512:[0-9a-f]{128}");

    public ImageDigest
    {
        requireNonNull(value, "value is null");
        value = value.strip().toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(value).matches() && !SHA512.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid image digest '" + abbreviate(value) + "': expected sha256:<64 hex digits> or sha512:<128 hex digits>");
        }
    }

    /**
     * Parses a digest, accepting a bare 64-digit hex string as sha256.
     */
    public static ImageDigest parse(String text)
    {
        requireNonNull(text, "text is null");
        String trimmed = text.strip();
        if (trimmed.length() == 64 && trimmed.indexOf(':') < 0) {
            return new ImageDigest("sha256:" + trimmed);
        }
        return new ImageDigest(trimmed);
    }

    /**
     * Returns whether {@code text} is a digest this type accepts.
     */
    public static boolean isValid(String text)
    {
        if (text == null) {
            return false;
        }
        String lower = text.strip().toLowerCase(Locale.ROOT);
        return SHA256.matcher(lower).matches() || SHA512.matcher(lower).matches();
    }

    /** The algorithm, {@code sha256} or {@code sha512}. */
    public String algorithm()
    {
        return value.substring(0, value.indexOf(':'));
    }

    /** The hex digits after the colon. */
    public String hex()
    {
        return value.substring(value.indexOf(':') + 1);
    }

    /** The first twelve hex digits, as {@code docker images} shows them. */
    public String shortHex()
    {
        return hex().substring(0, 12);
    }

    @Override
    public String toString()
    {
        return value;
    }

    private static String abbreviate(String text)
    {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
