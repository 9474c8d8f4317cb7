package io.runlight.hub.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.runlight.hub.token.CreatedToken;
import io.runlight.hub.token.FailedAttemptLimiter;
import io.runlight.hub.token.HazelcastMembers;
import io.runlight.hub.token.MutableClock;
import io.runlight.hub.token.TokenExpiry;
import io.runlight.hub.token.TokenScope;
import io.runlight.hub.token.TokenSecrets;
import io.runlight.hub.token.TokenService;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.hub.store.HazelcastAsyncExecutor;

import static io.runlight.hub.auth.JwtTesting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestBearerAuthenticator
{
    private static final String ADDRESS = "192.0.2.30";

    @TempDir
    static Path dataDir;

    private static HazelcastMembers members;
    private static Vertx vertx;
    private static JWTAuth jwt;

    private MutableClock clock;
    private FailedAttemptLimiter limiter;
    private TokenService tokens;
    private BearerAuthenticator authenticator;

    @BeforeAll
    static void start()
    {
        members = HazelcastMembers.start(1);
        vertx = Vertx.vertx();
        jwt = JwtKeys.load(JwtKeySettings.ownKeyOnly(dataDir)).createAuth(vertx);
    }

    @AfterAll
    static void stop()
            throws Throwable
    {
        await(vertx.close());
        members.close();
    }

    @BeforeEach
    void setUp()
    {
        clock = new MutableClock(Instant.now());
        limiter = FailedAttemptLimiter.withDefaults(clock);
        tokens = new TokenService(members.member(0), clock, new TokenSecrets(new SecureRandom()), limiter, HazelcastAsyncExecutor.executor());
        authenticator = new BearerAuthenticator(vertx, jwt, tokens, limiter);
    }

    @Test
    void aMissingOrNonBearerHeaderIsUnauthenticated()
    {
        for (String header : new String[] {null, "", "Bearer", "Bearer   ", "Basic YWxpY2U6c2VjcmV0"}) {
            assertRefused(header, AuthException.Category.UNAUTHENTICATED, "The request has no bearer token: send 'Authorization: Bearer <token>'.");
        }
    }

    @Test
    void anAdminJwtGrantsEveryRole()
            throws Throwable
    {
        String token = new AdminTokens(jwt, Clock.systemUTC()).mint(Role.ADMIN, Duration.ofMinutes(5), "alice");

        Principal principal = await(authenticator.authenticate("bearer " + token, ADDRESS));

        assertThat(principal).isEqualTo(Principal.jwt("alice", Set.of(Role.ADMIN)));
        assertThat(principal.hasRole(Role.READ)).isTrue();
        assertThat(principal.hasRole(Role.INGEST)).isTrue();
    }

    @Test
    void aRolesArrayIsAcceptedAndUnknownRolesAreIgnored()
            throws Throwable
    {
        long now = Instant.now().getEpochSecond();
        String token = jwt.generateToken(new JsonObject()
                        .put("sub", "pipeline")
                        .put("iss", AdminTokens.ISSUER)
                        .put("roles", new JsonArray().add("read").add("offline_access").add("INGEST"))
                        .put("exp", now + 60),
                new JWTOptions().setAlgorithm("ES256"));

        Principal principal = await(authenticator.authenticate("Bearer " + token, ADDRESS));

        assertThat(principal.roles()).containsExactly(Role.INGEST, Role.READ);
        assertThat(principal.hasRole(Role.ADMIN)).isFalse();
    }

    @Test
    void badJwtsAreRefusedWithoutSayingWhichCheckFailed()
    {
        String expired = new AdminTokens(jwt, Clock.offset(Clock.systemUTC(), Duration.ofHours(-2))).mint(Role.ADMIN, Duration.ofHours(1), "alice");
        String valid = new AdminTokens(jwt, Clock.systemUTC()).mint(Role.READ, Duration.ofMinutes(5), "alice");
        String tampered = JwtTesting.withPayload(valid, JwtTesting.payload(valid).put("role", "admin"));

        assertRefused("Bearer " + expired, AuthException.Category.UNAUTHENTICATED, "The bearer token has expired.");
        assertRefused("Bearer " + tampered, AuthException.Category.UNAUTHENTICATED, "The bearer token is revoked or unknown.");
        assertRefused("Bearer not-a-token", AuthException.Category.UNAUTHENTICATED, "The bearer token is malformed.");
        assertRefused("Bearer a.b.c", AuthException.Category.UNAUTHENTICATED, "The bearer token is malformed.");
    }

    @Test
    void opaqueTokensBecomeTokenPrincipals()
            throws Throwable
    {
        CreatedToken ingest = tokens.create("ci", TokenExpiry.P1M, TokenScope.INGEST, Optional.empty());
        CreatedToken snyk = tokens.create("snyk", TokenExpiry.P1M, TokenScope.INTEGRATION, Optional.of("int_1"));

        Principal ingestPrincipal = await(authenticator.authenticate("Bearer " + ingest.secret(), ADDRESS));
        Principal snykPrincipal = await(authenticator.authenticate("Bearer " + snyk.secret(), ADDRESS));

        assertThat(ingestPrincipal).isEqualTo(new Principal("token:" + ingest.record().id(), PrincipalKind.INGEST_TOKEN,
                Set.of(Role.INGEST), Optional.of(ingest.record().id()), Optional.empty()));
        assertThat(ingestPrincipal.hasRole(Role.READ)).isFalse();
        assertThat(snykPrincipal.kind()).isEqualTo(PrincipalKind.INTEGRATION_TOKEN);
        assertThat(snykPrincipal.roles()).isEmpty();
        assertThat(snykPrincipal.isIntegration("int_1")).isTrue();
        assertThat(snykPrincipal.isIntegration("int_2")).isFalse();
        assertThat(snykPrincipal.hasRole(Role.INGEST)).isFalse();
    }

    @Test
    void aTokenAsTheBasicPasswordIsAcceptedOnlyWhereARouteAllowsIt()
            throws Throwable
    {
        CreatedToken ingest = tokens.create("falco", TokenExpiry.P1M, TokenScope.INGEST, Optional.empty());
        CreatedToken deleted = tokens.create("old falco", TokenExpiry.P1M, TokenScope.INGEST, Optional.empty());
        tokens.delete(deleted.record().id());
        String noBearer = "The request has no bearer token: send 'Authorization: Bearer <token>'.";

        Principal principal = await(authenticator.authenticateAllowingBasic("Basic " + basic("falco:" + ingest.secret()), ADDRESS));

        assertThat(principal).isEqualTo(new Principal("token:" + ingest.record().id(), PrincipalKind.INGEST_TOKEN,
                Set.of(Role.INGEST), Optional.of(ingest.record().id()), Optional.empty()));
        assertThat(await(authenticator.authenticateAllowingBasic("basic " + basic(":" + ingest.secret()), ADDRESS))).isEqualTo(principal);
        // bearer tokens still work there
        assertThat(await(authenticator.authenticateAllowingBasic("Bearer " + ingest.secret(), ADDRESS))).isEqualTo(principal);
        assertRefused(authenticator.authenticateAllowingBasic("Basic " + basic("falco:" + deleted.secret()), ADDRESS),
                AuthException.Category.UNAUTHENTICATED, "The bearer token is revoked or unknown.");
        // a JWT or any other password is not taken from Basic credentials
        String jwtToken = new AdminTokens(jwt, Clock.systemUTC()).mint(Role.ADMIN, Duration.ofMinutes(5), "alice");
        assertRefused(authenticator.authenticateAllowingBasic("Basic " + basic("alice:" + jwtToken), ADDRESS), AuthException.Category.UNAUTHENTICATED, noBearer);
        assertRefused(authenticator.authenticateAllowingBasic("Basic " + basic(ingest.secret()), ADDRESS), AuthException.Category.UNAUTHENTICATED, noBearer);
        assertRefused(authenticator.authenticateAllowingBasic("Basic %%%not-base64", ADDRESS), AuthException.Category.UNAUTHENTICATED, noBearer);
        // everywhere else, Basic credentials are not read at all
        assertRefused("Basic " + basic("falco:" + ingest.secret()), AuthException.Category.UNAUTHENTICATED, noBearer);
    }

    private static String basic(String credentials)
    {
        return Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void badOpaqueTokensAreRefused()
    {
        CreatedToken deleted = tokens.create("old", TokenExpiry.P1M, TokenScope.INGEST, Optional.empty());
        tokens.delete(deleted.record().id());
        CreatedToken expiring = tokens.create("short", TokenExpiry.P1M, TokenScope.INGEST, Optional.empty());
        String badChecksum = expiring.secret().substring(0, 39) + (expiring.secret().charAt(39) == 'a' ? 'b' : 'a');

        assertRefused("Bearer " + deleted.secret(), AuthException.Category.UNAUTHENTICATED, "The bearer token is revoked or unknown.");
        assertRefused("Bearer " + badChecksum, AuthException.Category.UNAUTHENTICATED, "The bearer token is malformed.");
        clock.advance(Duration.ofDays(32));
        assertRefused("Bearer " + expiring.secret(), AuthException.Category.UNAUTHENTICATED, "The bearer token has expired.");
    }

    @Test
    void repeatedFailuresGet429ButValidCredentialsFromTheSameAddressAlwaysPass()
            throws Throwable
    {
        CreatedToken ingest = tokens.create("ci", TokenExpiry.P1M, TokenScope.INGEST, Optional.empty());
        String admin = new AdminTokens(jwt, Clock.systemUTC()).mint(Role.ADMIN, Duration.ofMinutes(5), "alice");
        for (int i = 0; i < 10; i++) {
            assertRefused("Bearer garbage" + i, AuthException.Category.UNAUTHENTICATED, "The bearer token is malformed.");
        }

        AuthException guess = refusal(authenticator.authenticate("Bearer garbage-11", ADDRESS));
        AuthException tamperedJwt = refusal(authenticator.authenticate("Bearer " + admin.substring(0, admin.length() - 4) + "AAAA", ADDRESS));
        AuthException tokenGuess = refusal(authenticator.authenticate("Bearer " + new TokenSecrets(new SecureRandom()).generate(), ADDRESS));

        assertThat(guess.category()).isEqualTo(AuthException.Category.RATE_LIMITED);
        assertThat(guess.category().statusCode()).isEqualTo(429);
        assertThat(guess.getMessage()).isEqualTo("Too many failed authentication attempts from this address: try again later.");
        assertThat(guess.retryAfter()).contains(Duration.ofMinutes(5));
        assertThat(tamperedJwt.category()).isEqualTo(AuthException.Category.RATE_LIMITED);
        assertThat(tokenGuess.category()).isEqualTo(AuthException.Category.RATE_LIMITED);
        // the owner behind the same NAT is never locked out
        assertThat(await(authenticator.authenticate("Bearer " + admin, ADDRESS)).subject()).isEqualTo("alice");
        assertThat(await(authenticator.authenticate("Bearer " + ingest.secret(), ADDRESS)).kind()).isEqualTo(PrincipalKind.INGEST_TOKEN);
    }

    @Test
    void aSignedJwtWithClaimsOfTheWrongTypeOrNoExpiryIs401()
            throws Throwable
    {
        for (JsonObject claims : List.of(
                new JsonObject().put("sub", "mallory").put("role", "admin").put("exp", "tomorrow"),
                new JsonObject().put("sub", "mallory").put("role", "admin").put("exp", Instant.now().plusSeconds(600).getEpochSecond()).put("iat", "now"),
                new JsonObject().put("sub", "mallory").put("role", "admin").put("exp", Instant.now().plusSeconds(600).getEpochSecond()).put("nbf", List.of(1)))) {
            String token = jwt.generateToken(claims, new JWTOptions().setAlgorithm("ES256").setNoTimestamp(true));
            AuthException refused = refusal(authenticator.authenticate("Bearer " + token, "192.0.2.40"));
            assertThat(refused.category()).as("%s", claims).isEqualTo(AuthException.Category.UNAUTHENTICATED);
        }
        String forever = jwt.generateToken(new JsonObject().put("sub", "mallory").put("role", "admin"), new JWTOptions().setAlgorithm("ES256").setNoTimestamp(true));
        assertRefused("Bearer " + forever, AuthException.Category.UNAUTHENTICATED, "The bearer token has no expiry ('exp' claim): use a token that expires.");
    }

    @Test
    void aJwtOfAnotherIssuerOrOfNoneIsRefused()
            throws Throwable
    {
        long exp = Instant.now().plusSeconds(600).getEpochSecond();
        JsonObject claims = new JsonObject().put("sub", "mallory").put("role", "admin").put("exp", exp);
        String noIssuer = jwt.generateToken(claims.copy(), new JWTOptions().setAlgorithm("ES256").setNoTimestamp(true));
        String otherIssuer = jwt.generateToken(claims.copy().put("iss", "https://idp.example.com/"), new JWTOptions().setAlgorithm("ES256").setNoTimestamp(true));
        String numericIssuer = jwt.generateToken(claims.copy().put("iss", 42), new JWTOptions().setAlgorithm("ES256").setNoTimestamp(true));

        for (String token : List.of(noIssuer, otherIssuer, numericIssuer)) {
            assertRefused("Bearer " + token, AuthException.Category.UNAUTHENTICATED, "The bearer token's issuer ('iss' claim) is not one this hub accepts.");
        }

        // an identity provider's issuer, once configured beside the hub's own, is accepted; the hub's own tokens still are
        BearerAuthenticator withIdp = new BearerAuthenticator(vertx, () -> jwt, tokens, limiter, Set.of(AdminTokens.ISSUER, "https://idp.example.com/"));
        assertThat(await(withIdp.authenticate("Bearer " + otherIssuer, ADDRESS))).isEqualTo(Principal.jwt("mallory", Set.of(Role.ADMIN)));
        String own = new AdminTokens(jwt, Clock.systemUTC()).mint(Role.READ, Duration.ofMinutes(5), "alice");
        assertThat(await(withIdp.authenticate("Bearer " + own, ADDRESS))).isEqualTo(Principal.jwt("alice", Set.of(Role.READ)));
        assertThatThrownBy(() -> new BearerAuthenticator(vertx, () -> jwt, tokens, limiter, Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no JWT issuer is accepted: give at least one, such as runlight");
    }

    @Test
    void completesOnTheCallersEventLoop()
            throws Throwable
    {
        CreatedToken ingest = tokens.create("ci", TokenExpiry.P1M, TokenScope.INGEST, Optional.empty());
        Context context = vertx.getOrCreateContext();
        Promise<Boolean> onEventLoop = Promise.promise();

        context.runOnContext(ignored -> authenticator.authenticate("Bearer " + ingest.secret(), ADDRESS)
                .onComplete(result -> onEventLoop.complete(result.succeeded() && Context.isOnEventLoopThread() && Vertx.currentContext() == context)));

        assertThat(await(onEventLoop.future())).isTrue();
    }

    private void assertRefused(String header, AuthException.Category category, String message)
    {
        assertRefused(authenticator.authenticate(header, ADDRESS), category, message);
    }

    private void assertRefused(Future<Principal> result, AuthException.Category category, String message)
    {
        AuthException refusal = refusal(result);
        assertThat(refusal.category()).isEqualTo(category);
        assertThat(refusal.getMessage()).isEqualTo(message);
    }

    private AuthException refusal(Future<Principal> result)
    {
        Throwable[] failure = new Throwable[1];
        assertThatThrownBy(() -> {
            try {
                await(result);
            }
            catch (Throwable e) {
                failure[0] = e;
                throw e;
            }
        }).isInstanceOf(AuthException.class);
        return (AuthException) failure[0];
    }
}
