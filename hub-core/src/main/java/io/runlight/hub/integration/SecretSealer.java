package io.runlight.hub.integration;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import static java.util.Objects.requireNonNull;

/**
 * Seals the secret values of an integration's configuration (a webhook secret, a header
 * map, an access token) with AES-256-GCM before they are stored, so that neither the
 * database file nor the cluster's copies of the record hold them in plaintext. A sealed
 * value is the text {@value #PREFIX} and the base64 of a fresh 12-byte nonce followed by
 * the ciphertext and tag of the value's JSON. The integration id and the configuration
 * key are authenticated with it, so a sealed value moved to another integration or key
 * does not open.
 */
public final class SecretSealer
{
    static final String PREFIX = "rlsealed:v1:";

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SecretKey key;
    private final SecureRandom random;

    public SecretSealer(SecretKey key, SecureRandom random)
    {
        this.key = requireNonNull(key, "key is null");
        this.random = requireNonNull(random, "random is null");
        if (!"AES".equals(key.getAlgorithm()) || key.getEncoded() == null || key.getEncoded().length != 32) {
            throw new IllegalArgumentException("the sealing key must be an AES key of 32 bytes");
        }
    }

    /** Whether {@code value} is a sealed value (else it is a plaintext value stored before secrets were sealed). */
    static boolean isSealed(Object value)
    {
        return value instanceof String text && text.startsWith(PREFIX);
    }

    /** {@code value} (any JSON value) sealed for {@code configKey} of integration {@code integrationId}. */
    String seal(String integrationId, String configKey, Object value)
    {
        requireNonNull(value, "value is null");
        byte[] plaintext;
        try {
            plaintext = MAPPER.writeValueAsBytes(value);
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("secret '" + configKey + "' of integration '" + integrationId + "' is not a JSON value", e);
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(integrationId, configKey));
            byte[] sealed = cipher.doFinal(plaintext);
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal secret '" + configKey + "' of integration '" + integrationId + "' with AES-GCM", e);
        }
    }

    /**
     * The value {@link #seal} sealed.
     *
     * @throws IllegalArgumentException if it does not open with this key (another key sealed it, or it was changed)
     */
    Object open(String integrationId, String configKey, String sealed)
    {
        requireNonNull(sealed, "sealed is null");
        if (!isSealed(sealed)) {
            throw new IllegalArgumentException("secret '" + configKey + "' of integration '" + integrationId + "' is not sealed");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret '" + configKey + "' of integration '" + integrationId + "' is damaged: its sealed value is not base64");
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("secret '" + configKey + "' of integration '" + integrationId + "' is damaged: its sealed value is too short");
        }
        byte[] plaintext;
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(integrationId, configKey));
            plaintext = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("secret '" + configKey + "' of integration '" + integrationId
                    + "' does not open with this hub's sealing key: it was sealed with another key (every member needs the same secrets.key) or changed");
        }
        try {
            return MAPPER.readValue(plaintext, Object.class);
        }
        catch (java.io.IOException e) {
            throw new IllegalArgumentException("secret '" + configKey + "' of integration '" + integrationId + "' opened to something that is not JSON", e);
        }
    }

    private static byte[] associatedData(String integrationId, String configKey)
    {
        return (integrationId + "\u0000" + configKey).getBytes(StandardCharsets.UTF_8);
    }
}
