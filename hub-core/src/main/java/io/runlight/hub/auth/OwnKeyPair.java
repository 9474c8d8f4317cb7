package io.runlight.hub.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.hub.tls.PemBlocks;
import io.runlight.hub.tls.PrivateFiles;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;

/**
 * The hub's own ES256 key pair, kept in its data folder: {@value JwtKeys#PRIVATE_KEY_FILE}
 * (PKCS#8 PEM, mode 0600) and {@value JwtKeys#PUBLIC_KEY_FILE}. Made on first use, checked
 * to belong together on every later one.
 *
 * @param keyId the first 16 hex digits of the SHA-256 of the public key
 * @param privatePem the private key as PEM
 * @param publicPem the public key as PEM
 */
record OwnKeyPair(String keyId, String privatePem, String publicPem)
{
    private static final Logger log = LoggerFactory.getLogger(OwnKeyPair.class);

    OwnKeyPair
    {
        requireNonBlank(keyId, "keyId");
        requireNonBlank(privatePem, "privatePem");
        requireNonBlank(publicPem, "publicPem");
    }

    /** Loads the pair from {@code keysDir}, making it first if neither file exists. Blocking. */
    static OwnKeyPair loadOrCreate(Path keysDir)
    {
        Path privateFile = keysDir.resolve(JwtKeys.PRIVATE_KEY_FILE);
        Path publicFile = keysDir.resolve(JwtKeys.PUBLIC_KEY_FILE);
        boolean privateExists = Files.exists(privateFile);
        boolean publicExists = Files.exists(publicFile);
        if (!privateExists && !publicExists) {
            createOwnKeyPair(keysDir, privateFile, publicFile);
        }
        else if (!privateExists || !publicExists) {
            Path missing = privateExists ? publicFile : privateFile;
            Path present = privateExists ? privateFile : publicFile;
            throw new IllegalStateException("JWT key file '" + missing + "' is missing but '" + present
                    + "' exists: restore the missing file, or delete both to make a new key pair (tokens already issued stop working)");
        }
        String privatePem = readString(privateFile);
        String publicPem = readString(publicFile);
        PrivateKey privateKey = parseEcPrivateKey(privateFile, privatePem);
        PublicKey publicKey = PublicKeyFiles.publicKeyOf(publicFile, PemBlocks.read(publicFile, publicPem).get(0));
        if (!matches(privateKey, publicKey)) {
            throw new IllegalStateException("JWT key files '" + privateFile + "' and '" + publicFile
                    + "' do not belong together: restore the pair, or delete both to make a new one");
        }
        warnIfReadableByOthers(privateFile);
        return new OwnKeyPair(PublicKeyFiles.keyId(publicKey), privatePem, publicPem);
    }

    private static void createOwnKeyPair(Path keysDir, Path privateFile, Path publicFile)
    {
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            pair = generator.generateKeyPair();
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime cannot make an EC P-256 key pair", e);
        }
        try {
            PrivateFiles.createPrivateDirectory(keysDir);
            // the public key is written last: a crash in between leaves a state load() reports clearly
            PrivateFiles.writeAtomically(privateFile, PemBlocks.write("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
            PrivateFiles.writeAtomically(publicFile, PemBlocks.write("PUBLIC KEY", pair.getPublic().getEncoded()), false);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write the JWT key pair to '" + keysDir + "': check that the data folder is writable", e);
        }
        log.info("Created the hub's JWT signing key pair in '{}'", keysDir);
    }

    private static void warnIfReadableByOthers(Path privateFile)
    {
        try {
            if (PrivateFiles.isReadableByOthers(privateFile)) {
                log.warn("JWT private key '{}' is readable by other users: run 'chmod 600 {}'", privateFile, privateFile);
            }
        }
        catch (IOException e) {
            log.warn("Cannot read the permissions of '{}'", privateFile, e);
        }
    }

    private static PrivateKey parseEcPrivateKey(Path file, String content)
    {
        PemBlocks.Block block = PemBlocks.read(file, content).get(0);
        if (!block.type().equals("PRIVATE KEY")) {
            throw new IllegalArgumentException("key file '" + file + "' holds a '" + block.type() + "' block: expected a PKCS#8 'PRIVATE KEY'");
        }
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(block.der()));
        }
        catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("key file '" + file + "' does not hold an EC private key", e);
        }
    }

    private static boolean matches(PrivateKey privateKey, PublicKey publicKey)
    {
        try {
            byte[] probe = "runlight key pair check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        }
        catch (GeneralSecurityException e) {
            return false;
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
