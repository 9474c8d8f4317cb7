package io.runlight.connector.webhook;

import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A Standard Webhooks signing secret: {@code whsec_} followed by the base64 of 24 to 64
 * random bytes. The decoded bytes are the HMAC-SHA256 key. The value is never printed.
 */
final class SigningSecret
{
    static final String PREFIX = "whsec_";
    static final int MIN_KEY_BYTES = 24;
    static final int MAX_KEY_BYTES = 64;

    private final byte[] key;

    private SigningSecret(byte[] key)
    {
        this.key = key;
    }

    /**
     * Parses a secret.
     *
     * @throws IllegalArgumentException if it is not {@code whsec_<base64 of 24 to 64 bytes>};
     *         the message never contains the value
     */
    static SigningSecret parse(String text)
    {
        Optional<String> problem = problem(text);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("signing secret " + problem.get());
        }
        return new SigningSecret(Base64.getDecoder().decode(text.strip().substring(PREFIX.length())));
    }

    /** What is wrong with a secret, in words that never repeat the value; empty when it is valid. */
    static Optional<String> problem(String text)
    {
        requireNonNull(text, "text is null");
        String value = text.strip();
        if (!value.startsWith(PREFIX)) {
            return Optional.of("must start with '" + PREFIX + "' followed by the base64 of " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES
                    + " random bytes, for example 'whsec_' + the output of 'openssl rand -base64 32'");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(value.substring(PREFIX.length()));
        }
        catch (IllegalArgumentException e) {
            return Optional.of("is not valid base64 after '" + PREFIX + "'");
        }
        if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
            return Optional.of("must decode to " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES + " bytes after '" + PREFIX + "', not " + key.length);
        }
        return Optional.empty();
    }

    /** The HMAC key (a copy). */
    byte[] key()
    {
        return key.clone();
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof SigningSecret that && Arrays.equals(key, that.key);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString()
    {
        return PREFIX + "****";
    }
}
