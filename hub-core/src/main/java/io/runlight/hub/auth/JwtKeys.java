package io.runlight.hub.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;

import io.vertx.core.Vertx;
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
    private static final int MIN_HS256_SECRET_BYTES = 32;

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
        OwnKeyPair own = OwnKeyPair.loadOrCreate(keysDir);

        JWTAuthOptions options = new JWTAuthOptions()
                .setJWTOptions(new JWTOptions().setLeeway(LEEWAY_SECONDS))
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm(OWN_ALGORITHM).setId(own.keyId()).setBuffer(own.privatePem()))
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm(OWN_ALGORITHM).setId(own.keyId()).setBuffer(own.publicPem()));
        for (Path file : settings.publicKeyFiles()) {
            for (PubSecKeyOptions key : PublicKeyFiles.publicKeyOptions(file)) {
                options.addPubSecKey(key);
            }
        }
        settings.jwksFile().ifPresent(file -> Jwks.addTo(options, Jwks.readFile(file), "file '" + file + "'"));
        settings.jwksUrl().ifPresent(url -> Jwks.addTo(options, Jwks.fetch(url), "URL '" + url + "'"));
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
}
