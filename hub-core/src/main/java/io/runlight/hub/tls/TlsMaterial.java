package io.runlight.hub.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import static java.util.Objects.requireNonNull;

/**
 * A PEM certificate chain and its private key, checked once at start-up: both files are
 * readable, hold what they should, and the key belongs to the first certificate. A
 * mistake is reported naming the file instead of surfacing later as a failed handshake.
 * The key may be PKCS#8 or "EC/RSA PRIVATE KEY"; encrypted keys are refused.
 * <p>
 * Vert.x gets the pair as a key manager made here, not as PEM: from PEM, Vert.x builds a
 * PKCS#12 key store in memory, and putting a key into one encrypts it with 10,000 rounds of
 * PBKDF2, a tenth of a second of CPU at every start (and the JIT's work on it) for a store
 * that never leaves the heap. The in-memory store here is a JKS one, whose key protection
 * costs nothing; what it protects is in the same heap anyway.
 */
public final class TlsMaterial
{
    /** Only inside the in-memory key store below: it protects nothing the heap does not. */
    private static final char[] IN_MEMORY_PASSWORD = "runlight".toCharArray();
    private static final String ALIAS = "runlight";

    private final Path certificateFile;
    private final Path keyFile;
    private final List<X509Certificate> chain;
    private final String certificatePem;
    private final KeyManagerFactory keyManagerFactory;

    private TlsMaterial(Path certificateFile, Path keyFile, List<X509Certificate> chain, String certificatePem, KeyManagerFactory keyManagerFactory)
    {
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
        this.chain = List.copyOf(chain);
        this.certificatePem = certificatePem;
        this.keyManagerFactory = keyManagerFactory;
    }

    /** Reads and checks a PEM pair. Blocking: call it at start-up, off the event loop. */
    public static TlsMaterial load(Path certificateFile, Path keyFile)
    {
        requireNonNull(certificateFile, "certificateFile is null");
        requireNonNull(keyFile, "keyFile is null");
        String certificatePem = read(certificateFile, "certificate");
        String keyPem = read(keyFile, "key");
        List<X509Certificate> chain = parseCertificates(certificateFile, certificatePem);
        PrivateKey key = parseKey(keyFile, keyPem);
        if (!belongTogether(key, chain.get(0).getPublicKey())) {
            throw new IllegalArgumentException("TLS key '" + keyFile + "' does not belong to certificate '" + certificateFile
                    + "': give the key the certificate was issued for");
        }
        return new TlsMaterial(certificateFile, keyFile, chain, certificatePem, keyManagerFactory(keyFile, key, chain));
    }

    /** The pair as Vert.x key material. */
    public KeyCertOptions keyCertOptions()
    {
        return KeyCertOptions.wrap(keyManagerFactory);
    }

    private static KeyManagerFactory keyManagerFactory(Path keyFile, PrivateKey key, List<X509Certificate> chain)
    {
        try {
            KeyStore store = KeyStore.getInstance("JKS");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, IN_MEMORY_PASSWORD, chain.toArray(new Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, IN_MEMORY_PASSWORD);
            return factory;
        }
        catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("TLS key file '" + keyFile + "' holds a key that Java's TLS cannot use: " + e.getMessage(), e);
        }
    }

    /**
     * The only protocols and cipher suites the hub offers: TLS 1.3, and TLS 1.2 with forward
     * secrecy and AEAD ciphers (no CBC suite: Lucky 13 and its kin), as Mozilla's
     * "intermediate" configuration.
     */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** Turns TLS on in {@code options} with this pair, the {@link #PROTOCOLS} and the {@link #CIPHER_SUITES}, and returns them. */
    public HttpServerOptions applyTo(HttpServerOptions options)
    {
        requireNonNull(options, "options is null");
        options.setSsl(true).setKeyCertOptions(keyCertOptions()).setEnabledSecureTransportProtocols(new LinkedHashSet<>(PROTOCOLS));
        CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
        return options;
    }

    /** The server certificate (the first of the chain). */
    public X509Certificate certificate()
    {
        return chain.get(0);
    }

    public List<X509Certificate> chain()
    {
        return chain;
    }

    /** The certificate file's PEM text, for clients that pin or trust it. */
    public String certificatePem()
    {
        return certificatePem;
    }

    public Instant notAfter()
    {
        return certificate().getNotAfter().toInstant();
    }

    /** SHA-256 of the server certificate, as colon-separated uppercase hex, for people to compare. */
    public String sha256Fingerprint()
    {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate().getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot compute the fingerprint of certificate '" + certificateFile + "'", e);
        }
    }

    public Path certificateFile()
    {
        return certificateFile;
    }

    public Path keyFile()
    {
        return keyFile;
    }

    @Override
    public String toString()
    {
        return "TlsMaterial[certificate=" + certificateFile + ", key=" + keyFile + ", subject=" + certificate().getSubjectX500Principal().getName() + "]";
    }

    private static String read(Path file, String what)
    {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("TLS " + what + " file '" + file + "' cannot be read: check the path and its permissions");
        }
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        }
        catch (IOException e) {
            throw new IllegalArgumentException("TLS " + what + " file '" + file + "' cannot be read: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> parseCertificates(Path file, String pem)
    {
        Collection<? extends Certificate> certificates;
        try {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        }
        catch (CertificateException e) {
            throw new IllegalArgumentException("TLS certificate file '" + file + "' does not hold a PEM certificate: expected '-----BEGIN CERTIFICATE-----'", e);
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate certificate : certificates) {
            chain.add((X509Certificate) certificate);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("TLS certificate file '" + file + "' does not hold a PEM certificate: expected '-----BEGIN CERTIFICATE-----'");
        }
        return chain;
    }

    private static PrivateKey parseKey(Path file, String pem)
    {
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            parsed = parser.readObject();
            while (parsed != null && !(parsed instanceof PEMKeyPair || parsed instanceof PrivateKeyInfo
                    || parsed instanceof PEMEncryptedKeyPair || parsed instanceof PKCS8EncryptedPrivateKeyInfo)) {
                // skip parameters blocks such as "EC PARAMETERS" that openssl writes before the key
                parsed = parser.readObject();
            }
        }
        catch (IOException e) {
            throw new IllegalArgumentException("TLS key file '" + file + "' is not valid PEM: " + e.getMessage(), e);
        }
        if (parsed instanceof PEMEncryptedKeyPair || parsed instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new IllegalArgumentException("TLS key file '" + file + "' is encrypted: give an unencrypted key (and protect it with file permissions)");
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            if (parsed instanceof PEMKeyPair) {
                // only the private half: an "EC PRIVATE KEY" may omit its public key
                return converter.getPrivateKey(((PEMKeyPair) parsed).getPrivateKeyInfo());
            }
            if (parsed instanceof PrivateKeyInfo) {
                return converter.getPrivateKey((PrivateKeyInfo) parsed);
            }
        }
        catch (IOException e) {
            throw new IllegalArgumentException("TLS key file '" + file + "' holds a key that cannot be read: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("TLS key file '" + file + "' holds no private key: expected '-----BEGIN PRIVATE KEY-----'");
    }

    private static boolean belongTogether(PrivateKey key, PublicKey certificateKey)
    {
        String algorithm;
        switch (key.getAlgorithm()) {
            case "EC":
            case "ECDSA":
                algorithm = "SHA256withECDSA";
                break;
            case "RSA":
                algorithm = "SHA256withRSA";
                break;
            case "Ed25519":
            case "EdDSA":
                algorithm = "Ed25519";
                break;
            default:
                return false;
        }
        try {
            byte[] probe = "runlight tls key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificateKey);
            verifier.update(probe);
            return verifier.verify(signature);
        }
        catch (GeneralSecurityException e) {
            // a key of another type or curve than the certificate's: they do not belong together
            return false;
        }
    }
}
