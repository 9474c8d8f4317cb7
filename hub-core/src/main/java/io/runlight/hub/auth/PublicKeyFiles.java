package io.runlight.hub.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.vertx.ext.auth.PubSecKeyOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.hub.tls.PemBlocks;

import static java.util.Objects.requireNonNull;

/**
 * Public keys from PEM files (an identity provider's keys, or another member's): which
 * algorithms each verifies, and the key ids the hub names them by.
 */
final class PublicKeyFiles
{
    private static final Logger log = LoggerFactory.getLogger(PublicKeyFiles.class);

    private PublicKeyFiles() {}

    /** One PubSecKeyOptions per algorithm a key of {@code file} can verify: ES256/384/512 by curve, RS256/384/512 for RSA. */
    static List<PubSecKeyOptions> publicKeyOptions(Path file)
    {
        String content = readString(file);
        List<PubSecKeyOptions> keys = new ArrayList<>();
        for (PemBlocks.Block block : PemBlocks.read(file, content)) {
            PublicKey key = publicKeyOf(file, block);
            String id = keyId(key);
            for (String algorithm : algorithmsFor(file, key)) {
                keys.add(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(block.text()));
            }
            log.info("JWTs signed by key '{}' from '{}' are accepted", id, file);
        }
        return keys;
    }

    static PublicKey publicKeyOf(Path file, PemBlocks.Block block)
    {
        try {
            switch (block.type()) {
                case "CERTIFICATE":
                    try (InputStream in = new ByteArrayInputStream(block.der())) {
                        return CertificateFactory.getInstance("X.509").generateCertificate(in).getPublicKey();
                    }
                case "PUBLIC KEY":
                    for (String algorithm : new String[] {"EC", "RSA"}) {
                        try {
                            return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(block.der()));
                        }
                        catch (GeneralSecurityException e) {
                            // not this algorithm: try the next one
                        }
                    }
                    throw new IllegalArgumentException("key file '" + file + "' holds a public key that is neither EC nor RSA");
                default:
                    throw new IllegalArgumentException("key file '" + file + "' holds a '" + block.type()
                            + "' block: expected '-----BEGIN PUBLIC KEY-----' or '-----BEGIN CERTIFICATE-----'");
            }
        }
        catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("key file '" + file + "' holds a certificate that cannot be read", e);
        }
    }

    private static List<String> algorithmsFor(Path file, PublicKey key)
    {
        if (key instanceof RSAPublicKey) {
            return List.of("RS256", "RS384", "RS512");
        }
        if (key instanceof ECPublicKey) {
            int bits = ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize();
            switch (bits) {
                case 256:
                    return List.of("ES256");
                case 384:
                    return List.of("ES384");
                case 521:
                    return List.of("ES512");
                default:
                    throw new IllegalArgumentException("key file '" + file + "' holds an EC key on a " + bits + "-bit curve: use P-256, P-384 or P-521");
            }
        }
        throw new IllegalArgumentException("key file '" + file + "' holds a " + key.getAlgorithm() + " key: use an EC or RSA key");
    }

    /** The key id of a PEM public key, computed as {@link JwtKeys#ownKeyId()} is; for checking a key another member published. */
    static String keyIdOf(String publicKeyPem)
    {
        requireNonNull(publicKeyPem, "publicKeyPem is null");
        Path source = Path.of("member-key.pem");
        List<PemBlocks.Block> blocks = PemBlocks.read(source, publicKeyPem);
        if (blocks.size() != 1) {
            throw new IllegalArgumentException("a member key holds " + blocks.size() + " PEM blocks, not one");
        }
        return keyId(publicKeyOf(source, blocks.get(0)));
    }

    /** The first 16 hex digits of the SHA-256 of the key's encoding. */
    static String keyId(PublicKey key)
    {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256: this Java runtime cannot run Runlight", e);
        }
    }

    private static String readString(Path file)
    {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read key file '" + file + "': check that it exists and is readable", e);
        }
    }
}
