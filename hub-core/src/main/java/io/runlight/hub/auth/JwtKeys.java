package io.runlight.hub.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The keys the hub signs and verifies JWTs with (docs/architecture.md, decision 5). On first use it
 * makes an ES256 key pair in {@code <dataDir>/keys/} (private key PKCS#8 PEM, mode 0600;
 * public key PEM) and reuses it afterwards, so one machine works with no IdP. Configured
 * PEM keys, a JWKS file or URL and an HS256 secret are added for verification.
 * <p>
 * {@link #load} reads files and may fetch a URL: call it at start-up, off the event loop.
 */
public final class JwtKeys
{
    /** The algorithm of the hub's own key. */
    public static final String OWN_ALGORITHM = "ES256";
    public static final String PRIVATE_KEY_FILE = "jwt-es256-private.pem";
    public static final String PUBLIC_KEY_FILE = "jwt-es256-public.pem";
    /** Seconds of clock difference tolerated on {@code exp}, {@code nbf} and {@code iat}. */
    public static final int LEEWAY_SECONDS = 5;

    private static final Logger log = LoggerFactory.getLogger(JwtKeys.class);
    private static final Duration JWKS_TIMEOUT = Duration.ofSeconds(10);
    private static final int MIN_HS256_SECRET_BYTES = 32;
    private static final Pattern PEM_BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private final String ownKeyId;
    private final String ownPrivateKeyPem;
    private final String ownPublicKeyPem;
    private final JWTAuthOptions options;

    private JwtKeys(String ownKeyId, String ownPrivateKeyPem, String ownPublicKeyPem, JWTAuthOptions options)
    {
        this.ownKeyId = ownKeyId;
        this.ownPrivateKeyPem = ownPrivateKeyPem;
        this.ownPublicKeyPem = ownPublicKeyPem;
        this.options = options;
    }

    /** Loads (making the own key pair if it is missing) every key the settings name. Blocking. */
    public static JwtKeys load(JwtKeySettings settings)
    {
        requireNonNull(settings, "settings is null");
        Path keysDir = settings.dataDir().resolve("keys");
        OwnKeyPair own = loadOrCreateOwnKeyPair(keysDir);

        JWTAuthOptions options = new JWTAuthOptions()
                .setJWTOptions(new JWTOptions().setLeeway(LEEWAY_SECONDS))
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm(OWN_ALGORITHM).setId(own.keyId()).setBuffer(own.privatePem()))
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm(OWN_ALGORITHM).setId(own.keyId()).setBuffer(own.publicPem()));
        for (Path file : settings.publicKeyFiles()) {
            for (PubSecKeyOptions key : publicKeyOptions(file)) {
                options.addPubSecKey(key);
            }
        }
        settings.jwksFile().ifPresent(file -> addJwks(options, readJwksFile(file), "file '" + file + "'"));
        settings.jwksUrl().ifPresent(url -> addJwks(options, fetchJwks(url), "URL '" + url + "'"));
        settings.hs256Secret().ifPresent(secret -> {
            if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_HS256_SECRET_BYTES) {
                throw new IllegalArgumentException("the HS256 secret is shorter than " + MIN_HS256_SECRET_BYTES + " bytes: use a random secret of at least 32 characters");
            }
            options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret));
            log.info("JWTs signed with the configured HS256 secret are accepted");
        });
        return new JwtKeys(own.keyId(), own.privatePem(), own.publicPem(), options);
    }

    /** A verifier (and, with the own private key, a signer) over every loaded key. */
    public JWTAuth createAuth(Vertx vertx)
    {
        requireNonNull(vertx, "vertx is null");
        return JWTAuth.create(vertx, authOptions());
    }

    /** A copy of the options {@link #createAuth} uses, which the caller may add keys to. */
    public JWTAuthOptions authOptions()
    {
        // JWTAuthOptions' copy constructor shares the key lists: copy them, or keys added to the copy would land here
        JWTAuthOptions copy = new JWTAuthOptions(options);
        if (options.getPubSecKeys() != null) {
            copy.setPubSecKeys(new ArrayList<>(options.getPubSecKeys()));
        }
        if (options.getJwks() != null) {
            copy.setJwks(new ArrayList<>(options.getJwks()));
        }
        return copy;
    }

    /** The {@code kid} of the hub's own key: the first 16 hex digits of the SHA-256 of its public key. */
    public String ownKeyId()
    {
        return ownKeyId;
    }

    /** The hub's own public key as PEM, for publishing to whoever verifies its tokens. */
    public String ownPublicKeyPem()
    {
        return ownPublicKeyPem;
    }

    @Override
    public String toString()
    {
        int keys = options.getPubSecKeys() == null ? 0 : options.getPubSecKeys().size();
        int jwks = options.getJwks() == null ? 0 : options.getJwks().size();
        return "JwtKeys[ownKeyId=" + ownKeyId + ", keys=" + keys + ", jwks=" + jwks + "]";
    }

    String ownPrivateKeyPem()
    {
        return ownPrivateKeyPem;
    }

    private record OwnKeyPair(String keyId, String privatePem, String publicPem) {}

    private static OwnKeyPair loadOrCreateOwnKeyPair(Path keysDir)
    {
        Path privateFile = keysDir.resolve(PRIVATE_KEY_FILE);
        Path publicFile = keysDir.resolve(PUBLIC_KEY_FILE);
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
        PublicKey publicKey = parsePublicKey(publicFile, publicPem);
        if (!matches(privateKey, publicKey)) {
            throw new IllegalStateException("JWT key files '" + privateFile + "' and '" + publicFile
                    + "' do not belong together: restore the pair, or delete both to make a new one");
        }
        warnIfReadableByOthers(privateFile);
        return new OwnKeyPair(keyId(publicKey), privatePem, publicPem);
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
            createPrivateDirectory(keysDir);
            // the public key is written last: a crash in between leaves a state load() reports clearly
            writeAtomically(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
            writeAtomically(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()), false);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write the JWT key pair to '" + keysDir + "': check that the data folder is writable", e);
        }
        log.info("Created the hub's JWT signing key pair in '{}'", keysDir);
    }

    static void createPrivateDirectory(Path directory)
            throws IOException
    {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (isPosix(directory.toAbsolutePath().getRoot())) {
            Files.createDirectories(directory.toAbsolutePath().getParent());
            try {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            catch (FileAlreadyExistsException e) {
                // another process made it first; it is used as it is
            }
        }
        else {
            Files.createDirectories(directory);
        }
    }

    /** Writes {@code content} to a temporary file (0600 when {@code secret}) and moves it into place. */
    static void writeAtomically(Path file, String content, boolean secret)
            throws IOException
    {
        Path directory = file.toAbsolutePath().getParent();
        Path temporary;
        if (isPosix(directory)) {
            Set<PosixFilePermission> permissions = PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--");
            temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(permissions));
        }
        else {
            temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp");
        }
        try {
            Files.writeString(temporary, content, StandardCharsets.US_ASCII);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static boolean isPosix(Path path)
    {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void warnIfReadableByOthers(Path privateFile)
    {
        if (!isPosix(privateFile.toAbsolutePath())) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(privateFile);
            if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn("JWT private key '{}' is readable by other users: run 'chmod 600 {}'", privateFile, privateFile);
            }
        }
        catch (IOException e) {
            log.warn("Cannot read the permissions of '{}'", privateFile, e);
        }
    }

    static String pem(String type, byte[] der)
    {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
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

    private record PemBlock(String type, byte[] der, String text) {}

    private static List<PemBlock> pemBlocks(Path file, String content)
    {
        List<PemBlock> blocks = new ArrayList<>();
        Matcher matcher = PEM_BLOCK.matcher(content);
        while (matcher.find()) {
            try {
                blocks.add(new PemBlock(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2).strip()), matcher.group()));
            }
            catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("key file '" + file + "' has a " + matcher.group(1) + " block that is not valid base64", e);
            }
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("key file '" + file + "' contains no PEM block: expected '-----BEGIN PUBLIC KEY-----' or '-----BEGIN CERTIFICATE-----'");
        }
        return blocks;
    }

    private static PrivateKey parseEcPrivateKey(Path file, String content)
    {
        PemBlock block = pemBlocks(file, content).get(0);
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

    private static PublicKey parsePublicKey(Path file, String content)
    {
        PemBlock block = pemBlocks(file, content).get(0);
        return publicKeyOf(file, block);
    }

    private static PublicKey publicKeyOf(Path file, PemBlock block)
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

    /** One PubSecKeyOptions per algorithm the key can verify: ES256/384/512 by curve, RS256/384/512 for RSA. */
    private static List<PubSecKeyOptions> publicKeyOptions(Path file)
    {
        String content = readString(file);
        List<PubSecKeyOptions> keys = new ArrayList<>();
        for (PemBlock block : pemBlocks(file, content)) {
            PublicKey key = publicKeyOf(file, block);
            String id = keyId(key);
            for (String algorithm : algorithmsFor(file, key)) {
                keys.add(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(block.text()));
            }
            log.info("JWTs signed by key '{}' from '{}' are accepted", id, file);
        }
        return keys;
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

    private static JsonObject readJwksFile(Path file)
    {
        try {
            return new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read JWKS file '" + file + "': check that it exists and is readable", e);
        }
        catch (DecodeException e) {
            throw new IllegalArgumentException("JWKS file '" + file + "' is not a JSON object: expected {\"keys\": [...]}", e);
        }
    }

    private static JsonObject fetchJwks(URI url)
    {
        HttpClient client = HttpClient.newBuilder().connectTimeout(JWKS_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(JWKS_TIMEOUT).header("Accept", "application/json").GET().build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot fetch the JWKS from URL '" + url + "': " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching the JWKS from URL '" + url + "'", e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the JWKS URL '" + url + "' answered HTTP " + response.statusCode() + ": check the URL");
        }
        try {
            return new JsonObject(response.body());
        }
        catch (DecodeException e) {
            throw new IllegalArgumentException("the JWKS URL '" + url + "' did not return a JSON object: expected {\"keys\": [...]}", e);
        }
    }

    private static void addJwks(JWTAuthOptions options, JsonObject jwks, String source)
    {
        Object keys = jwks.getValue("keys");
        if (!(keys instanceof JsonArray)) {
            throw new IllegalArgumentException("the JWKS " + source + " has no \"keys\" array");
        }
        int added = 0;
        for (Object key : (JsonArray) keys) {
            if (!(key instanceof JsonObject)) {
                throw new IllegalArgumentException("the JWKS " + source + " has a key that is not a JSON object");
            }
            JsonObject jwk = (JsonObject) key;
            if ("enc".equals(jwk.getString("use"))) {
                continue;
            }
            options.addJwk(jwk.copy());
            added++;
        }
        if (added == 0) {
            throw new IllegalArgumentException("the JWKS " + source + " has no signing key");
        }
        log.info("JWTs signed by {} key(s) of the JWKS {} are accepted", added, source);
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

    /** The key id of a PEM public key, computed as {@link #ownKeyId()} is; for checking a key another member published. */
    static String keyIdOf(String publicKeyPem)
    {
        requireNonNull(publicKeyPem, "publicKeyPem is null");
        Path source = Path.of("member-key.pem");
        List<PemBlock> blocks = pemBlocks(source, publicKeyPem);
        if (blocks.size() != 1) {
            throw new IllegalArgumentException("a member key holds " + blocks.size() + " PEM blocks, not one");
        }
        return keyId(publicKeyOf(source, blocks.get(0)));
    }

    private static String keyId(PublicKey key)
    {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256: this Java runtime cannot run Runlight", e);
        }
    }
}
