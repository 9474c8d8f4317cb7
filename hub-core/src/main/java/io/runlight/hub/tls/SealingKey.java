package io.runlight.hub.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The AES-256 key that seals integration secrets at rest. A configured key
 * ({@code secrets.key}, base64 of 32 random bytes) wins: every member of a cluster must
 * seal with the same key, so a cluster is given one. A single hub without one keeps its own
 * in {@code <dataDir>/keys/}{@value #FILE} (mode 0600), made on first start.
 */
public final class SealingKey
{
    public static final String FILE = "secrets.key";
    public static final int BYTES = 32;
    public static final String ALGORITHM = "AES";

    private static final Logger log = LoggerFactory.getLogger(SealingKey.class);

    private SealingKey() {}

    /**
     * The configured key, else the one in {@code keysDir} (made if missing). Blocking.
     *
     * @throws IllegalArgumentException if the configured key or the key file is not base64 of 32 bytes
     * @throws IOException if the key file cannot be read or written
     */
    public static SecretKey load(Optional<String> configured, Path keysDir)
            throws IOException
    {
        requireNonNull(configured, "configured is null");
        requireNonNull(keysDir, "keysDir is null");
        if (configured.isPresent()) {
            return parse(configured.get(), "secrets.key");
        }
        Path file = keysDir.resolve(FILE);
        try {
            return parse(Files.readString(file, StandardCharsets.US_ASCII), "key file '" + file + "'");
        }
        catch (NoSuchFileException e) {
            PrivateFiles.createPrivateDirectory(keysDir);
            byte[] key = new byte[BYTES];
            new SecureRandom().nextBytes(key);
            PrivateFiles.writeAtomically(file, Base64.getEncoder().encodeToString(key) + "\n", true);
            log.info("Made the key that seals integration secrets at rest: '{}' (back it up with the database; a cluster needs secrets.key instead)", file);
            return new SecretKeySpec(key, ALGORITHM);
        }
    }

    /**
     * A key from its base64 text.
     *
     * @throws IllegalArgumentException naming {@code source} if the text is not base64 of exactly 32 bytes
     */
    public static SecretKey parse(String base64, String source)
    {
        requireNonNull(base64, "base64 is null");
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " is not base64: make one with 'openssl rand -base64 32'");
        }
        if (key.length != BYTES) {
            throw new IllegalArgumentException(source + " holds " + key.length + " bytes, not " + BYTES + ": make one with 'openssl rand -base64 32'");
        }
        return new SecretKeySpec(key, ALGORITHM);
    }
}
