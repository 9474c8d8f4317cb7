package io.runlight.hub.auth;

import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.runlight.hub.auth.JwtTesting.await;
import static io.runlight.hub.auth.JwtTesting.header;
import static io.runlight.hub.auth.JwtTesting.payload;
import static io.runlight.hub.auth.JwtTesting.withPayload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestAdminTokens
{
    private static final String HS256_SECRET = "0123456789abcdef0123456789abcdef-test-secret";

    @TempDir
    Path hubDir;
    @TempDir
    Path otherDir;

    private Vertx vertx;
    private JwtKeys keys;
    private JWTAuth jwt;

    @BeforeEach
    void setUp()
    {
        vertx = Vertx.vertx();
        keys = JwtKeys.load(JwtKeySettings.ownKeyOnly(hubDir));
        jwt = keys.createAuth(vertx);
    }

    @AfterEach
    void tearDown()
            throws Throwable
    {
        await(vertx.close());
    }

    @Test
    void mintedTokensVerifyWithTheirClaims()
            throws Throwable
    {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String token = new AdminTokens(jwt, Clock.fixed(now, ZoneOffset.UTC)).mint(Role.ADMIN, Duration.ofHours(1), "alice");

        assertThat(header(token).getString("alg")).isEqualTo("ES256");
        assertThat(payload(token)).isEqualTo(new JsonObject()
                .put("sub", "alice").put("iss", "runlight").put("role", "admin")
                .put("iat", now.getEpochSecond()).put("exp", now.getEpochSecond() + 3600));
        User user = await(jwt.authenticate(new TokenCredentials(token)));
        assertThat(user.principal().getString("sub")).isEqualTo("alice");
        assertThat(user.principal().getString("role")).isEqualTo("admin");
        // a second verifier over the same data folder (another start of the hub) accepts it too
        assertThat(await(JwtKeys.load(JwtKeySettings.ownKeyOnly(hubDir)).createAuth(vertx).authenticate(new TokenCredentials(token)))
                .principal().getString("sub")).isEqualTo("alice");
    }

    @Test
    void tamperedExpiredAndForeignTokensAreRefused()
    {
        String token = new AdminTokens(jwt, Clock.systemUTC()).mint(Role.READ, Duration.ofMinutes(15), "bob");
        String promoted = withPayload(token, payload(token).put("role", "admin"));
        String[] parts = token.split("\\.");
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        signature[10] ^= 1;
        String badSignature = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        String expired = new AdminTokens(jwt, Clock.offset(Clock.systemUTC(), Duration.ofHours(-2))).mint(Role.ADMIN, Duration.ofHours(1), "bob");
        JWTAuth otherHub = JwtKeys.load(JwtKeySettings.ownKeyOnly(otherDir)).createAuth(vertx);
        String foreign = new AdminTokens(otherHub, Clock.systemUTC()).mint(Role.ADMIN, Duration.ofMinutes(15), "mallory");

        assertThatThrownBy(() -> await(jwt.authenticate(new TokenCredentials(promoted)))).hasMessageContaining("Signature verification failed");
        assertThatThrownBy(() -> await(jwt.authenticate(new TokenCredentials(badSignature)))).hasMessageContaining("Signature verification failed");
        assertThatThrownBy(() -> await(jwt.authenticate(new TokenCredentials(expired)))).hasMessage("Invalid JWT token: token expired.");
        assertThatThrownBy(() -> await(jwt.authenticate(new TokenCredentials(foreign))))
                .hasMessage("algorithm [ES256]: " + header(foreign).getString("kid"));
        assertThat(header(token).getString("kid")).isEqualTo(keys.ownKeyId());
    }

    @Test
    void refusesANonPositiveLifetimeOrBlankSubject()
    {
        AdminTokens tokens = new AdminTokens(jwt, Clock.systemUTC());
        assertThatThrownBy(() -> tokens.mint(Role.ADMIN, Duration.ZERO, "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("token lifetime 'PT0S' is not positive: give at least one second, such as 15m");
        assertThatThrownBy(() -> tokens.mint(Role.ADMIN, Duration.ofMinutes(1), " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a token needs a subject: say who or what uses it");
    }

    @Test
    void anHs256SecretWorksWhenConfigured()
            throws Throwable
    {
        JwtKeySettings withSecret = new JwtKeySettings(hubDir, List.of(), Optional.empty(), Optional.empty(), Optional.of(HS256_SECRET));
        JWTAuth signer = JwtKeys.load(withSecret).createAuth(vertx);
        String token = new AdminTokens(signer, Clock.systemUTC(), "HS256").mint(Role.INGEST, Duration.ofMinutes(5), "ci");
        JWTAuth verifier = JwtKeys.load(new JwtKeySettings(otherDir, List.of(), Optional.empty(), Optional.empty(), Optional.of(HS256_SECRET))).createAuth(vertx);

        assertThat(header(token).getString("alg")).isEqualTo("HS256");
        assertThat(await(verifier.authenticate(new TokenCredentials(token))).principal().getString("role")).isEqualTo("ingest");
        // the hub that was given no HS256 secret refuses the token for its algorithm
        assertThatThrownBy(() -> await(jwt.authenticate(new TokenCredentials(token)))).hasMessageStartingWith("algorithm [HS256]");
    }

    @Test
    void aConfiguredPemPublicKeyVerifiesAnotherIssuersTokens()
            throws Throwable
    {
        JwtKeys issuer = JwtKeys.load(JwtKeySettings.ownKeyOnly(otherDir));
        String token = new AdminTokens(issuer.createAuth(vertx), Clock.systemUTC()).mint(Role.READ, Duration.ofMinutes(5), "idp-user");
        Path pem = hubDir.resolve("idp-public.pem");
        Files.writeString(pem, issuer.ownPublicKeyPem());

        JWTAuth verifier = JwtKeys.load(new JwtKeySettings(hubDir, List.of(pem), Optional.empty(), Optional.empty(), Optional.empty())).createAuth(vertx);

        assertThat(await(verifier.authenticate(new TokenCredentials(token))).principal().getString("sub")).isEqualTo("idp-user");
    }

    @Test
    void aJwksFileOrUrlWithThePublicKeyVerifies()
            throws Throwable
    {
        JwtKeys issuer = JwtKeys.load(JwtKeySettings.ownKeyOnly(otherDir));
        String token = new AdminTokens(issuer.createAuth(vertx), Clock.systemUTC()).mint(Role.ADMIN, Duration.ofMinutes(5), "carol");
        JsonObject jwks = new JsonObject().put("keys", new JsonArray()
                .add(new JsonObject().put("kty", "RSA").put("use", "enc").put("n", "AQAB").put("e", "AQAB"))
                .add(jwk(issuer)));
        Path file = hubDir.resolve("jwks.json");
        Files.writeString(file, jwks.encodePrettily());

        JWTAuth fromFile = JwtKeys.load(new JwtKeySettings(hubDir, List.of(), Optional.of(file), Optional.empty(), Optional.empty())).createAuth(vertx);
        assertThat(await(fromFile.authenticate(new TokenCredentials(token))).principal().getString("sub")).isEqualTo("carol");

        HttpServer server = await(vertx.createHttpServer()
                .requestHandler(request -> request.response().putHeader("content-type", "application/json").end(jwks.encode()))
                .listen(0, "127.0.0.1"));
        try {
            URI url = URI.create("http://127.0.0.1:" + server.actualPort() + "/.well-known/jwks.json");
            JWTAuth fromUrl = JwtKeys.load(new JwtKeySettings(hubDir, List.of(), Optional.empty(), Optional.of(url), Optional.empty())).createAuth(vertx);
            assertThat(await(fromUrl.authenticate(new TokenCredentials(token))).principal().getString("sub")).isEqualTo("carol");
        }
        finally {
            await(server.close());
        }
    }

    private static JsonObject jwk(JwtKeys keys)
            throws Exception
    {
        String base64 = keys.ownPublicKeyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        return new JsonObject()
                .put("kty", "EC")
                .put("crv", "P-256")
                .put("alg", "ES256")
                .put("use", "sig")
                .put("kid", keys.ownKeyId())
                .put("x", coordinate(key.getW().getAffineX()))
                .put("y", coordinate(key.getW().getAffineY()));
    }

    private static String coordinate(BigInteger value)
    {
        byte[] bytes = value.toByteArray();
        byte[] fixed = new byte[32];
        if (bytes.length > 32) {
            bytes = Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length);
        }
        System.arraycopy(bytes, 0, fixed, 32 - bytes.length, bytes.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
    }
}
