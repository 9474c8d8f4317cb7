package io.runlight.hub.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.runlight.hub.auth.AdminTokens;
import io.runlight.hub.auth.JwtKeySettings;
import io.runlight.hub.auth.JwtKeys;
import io.runlight.hub.auth.Role;
import io.runlight.hub.insights.HubMaps;
import io.runlight.hub.token.FailedAttemptLimiter;
import io.runlight.hub.token.MutableClock;
import io.runlight.hub.token.TokenExpiry;
import io.runlight.hub.token.TokenScope;
import io.runlight.plugin.api.connector.Route;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acceptance of issues 4 and 15: every route of {@link HubRouter} (taken from the router, so
 * a new route cannot skip it) and every route a connector serves (taken from the hub's
 * serve routing) × every kind of credential, forgeries included, gets the documented
 * answer (401 without a valid token, 403 with the wrong role or, on a served route, with
 * anything but an integration's token, success otherwise), and a refused request stores
 * nothing.
 */
final class TestAuthorizationMatrix
{
    /** Expected for a route whose valid request the test does not know: anything but a refusal. */
    private static final int LET_IN = -1;
    private static final String FALCO_ALERT = "{\"time\": \"2026-11-28T12:10:00.000000000Z\", \"rule\": \"Runlight exec\", \"priority\": \"Notice\","
            + " \"source\": \"syscall\", \"output\": \"exec of /bin/busybox\", \"output_fields\": {\"evt.type\": \"execve\","
            + " \"proc.exepath\": \"/bin/busybox\", \"proc.name\": \"busybox\", \"container.id\": \"4f2a9c0d1e12\", \"container.name\": \"cart\","
            + " \"container.image.repository\": \"docker.io/library/alpine\", \"container.image.tag\": \"3.17\","
            + " \"container.image.digest\": \"" + RunningHub.ALPINE_DIGEST + "\", \"k8s.ns.name\": \"shop\", \"k8s.pod.name\": \"cart-7d9f\"}}";

    @TempDir
    static Path dataDir;

    private static MutableClock clock;
    private static RunningHub hub;
    private static final Map<Credential, String> tokens = new EnumMap<>(Credential.class);
    private static String renewTarget;
    private static String foreignIntegrationId;

    /** Who presents what. */
    enum Credential
    {
        NONE, MALFORMED_JWT, MALFORMED_OPAQUE, ADMIN_JWT, INGEST_JWT, READ_JWT, INGEST_TOKEN,
        /** The token of the integration whose connector serves the served routes. */
        INTEGRATION_TOKEN,
        /** The token of another integration, whose connector serves no route. */
        FOREIGN_INTEGRATION_TOKEN,
        /** The token of an integration that was deleted. */
        DELETED_INTEGRATION_TOKEN,
        EXPIRED_JWT, EXPIRED_TOKEN, REVOKED_TOKEN, FOREIGN_KEY_JWT, ALG_NONE_JWT, HS256_WITH_PUBLIC_KEY_JWT, TAMPERED_JWT
    }

    /**
     * One route of the router, with a request that succeeds when the caller is let in; {@code served}
     * for a route a connector serves, which only its integration's token opens.
     */
    record Endpoint(String method, String route, String path, Optional<Role> role, int success, String contentType, Supplier<byte[]> body, boolean served)
    {
        Endpoint(String method, String route, String path, Optional<Role> role, int success, String contentType, Supplier<byte[]> body)
        {
            this(method, route, path, role, success, contentType, body, false);
        }

        Endpoint(String method, String route, Optional<Role> role, int success, String contentType, Supplier<byte[]> body)
        {
            this(method, route, route, role, success, contentType, body);
        }

        @Override
        public String toString()
        {
            return method + " " + route;
        }
    }

    @BeforeAll
    static void startHub()
    {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        hub = RunningHub.start(dataDir, clock);
        String admin = hub.jwt(Role.ADMIN);

        // created first, then the clock passes its expiry; everything else is created after
        tokens.put(Credential.EXPIRED_TOKEN, createToken(admin, "{\"name\": \"expired\", \"expiresIn\": \"P1M\"}"));
        clock.set(clock.instant().atZone(java.time.ZoneOffset.UTC).plusMonths(1).plusDays(1).toInstant());

        // a real integration whose connector serves a route, and one that was deleted
        TestIntegrationEndpoints.installEcho(hub);
        tokens.put(Credential.INTEGRATION_TOKEN, createEcho(admin, "served", "serve-only").path("token").path("secret").asText());
        JsonNode deleted = createEcho(admin, "deleted", "serve-only");
        assertThat(hub.delete("/api/v1/integrations/" + deleted.path("id").asText(), admin).status()).isEqualTo(204);
        tokens.put(Credential.DELETED_INTEGRATION_TOKEN, deleted.path("token").path("secret").asText());
        tokens.put(Credential.INGEST_TOKEN, createToken(admin, "{\"name\": \"collector\", \"expiresIn\": \"P1M\"}"));
        String revoked = createToken(admin, "{\"name\": \"revoked\", \"expiresIn\": \"P1M\"}");
        String revokedId = hub.get("/api/v1/tokens", admin).json().findParents("prefix").stream()
                .filter(token -> token.path("prefix").asText().equals(revoked.substring(0, 8)))
                .findFirst().orElseThrow().path("id").asText();
        assertThat(hub.delete("/api/v1/tokens/" + revokedId, admin).status()).isEqualTo(204);
        tokens.put(Credential.REVOKED_TOKEN, revoked);
        RunningHub.Response renewable = hub.postJson("/api/v1/tokens", admin, "{\"name\": \"renewed\", \"expiresIn\": \"P1M\"}");
        renewTarget = renewable.json().path("id").asText();

        tokens.put(Credential.ADMIN_JWT, admin);
        tokens.put(Credential.INGEST_JWT, hub.jwt(Role.INGEST));
        tokens.put(Credential.READ_JWT, hub.jwt(Role.READ));
        tokens.put(Credential.EXPIRED_JWT, hub.expiredJwt(Role.ADMIN));
        tokens.put(Credential.MALFORMED_JWT, "not-a.jwt");
        JsonNode other = createEcho(admin, "other", "idle");
        foreignIntegrationId = other.path("id").asText();
        tokens.put(Credential.FOREIGN_INTEGRATION_TOKEN, other.path("token").path("secret").asText());
        tokens.put(Credential.FOREIGN_KEY_JWT, foreignKeyJwt());
        JsonObject adminClaims = new JsonObject().put("sub", "mallory").put("iss", "runlight").put("role", "admin")
                .put("iat", Instant.now().getEpochSecond()).put("exp", Instant.now().plusSeconds(3600).getEpochSecond());
        // the classic forgeries: no signature at all, and the public key used as an HMAC secret
        tokens.put(Credential.ALG_NONE_JWT, segment(new JsonObject().put("alg", "none").put("typ", "JWT")) + "." + segment(adminClaims) + ".");
        String kid = header(admin).getString("kid");
        String hmacInput = segment(new JsonObject().put("alg", "HS256").put("typ", "JWT").put("kid", kid)) + "." + segment(adminClaims);
        tokens.put(Credential.HS256_WITH_PUBLIC_KEY_JWT, hmacInput + "." + hmac(hmacInput, ownPublicKeyPem()));
        // a genuine read token whose payload was changed to admin, keeping the signature
        String[] read = hub.jwt(Role.READ).split("\\.");
        JsonObject elevated = new JsonObject(new String(Base64.getUrlDecoder().decode(read[1]), StandardCharsets.UTF_8)).put("role", "admin");
        tokens.put(Credential.TAMPERED_JWT, read[0] + "." + segment(elevated) + "." + read[2]);
        // the right shape, a wrong checksum
        tokens.put(Credential.MALFORMED_OPAQUE, "rlt_000000000000000000000000000000AAAAAA");

        // an image to read
        assertThat(hub.post("/api/v1/sboms", admin, "application/json", RunningHub.fixture("sbom/alpine-3.17.2.syft.json")).status()).isEqualTo(201);
        assertThat(hub.post("/api/v1/runtime/events", admin, "application/x-ndjson", RunningHub.fixture("events/alpine-3.17.2.ndjson")).status()).isEqualTo(202);
        hub.awaitImage(RunningHub.ALPINE_DIGEST, admin, image -> image.path("profile").path("state").asText().equals("COMPLETE"));
        // the first request creates the integration's connector on this member, which declares its routes
        assertThat(hub.get("/v1/echo", tokens.get(Credential.INTEGRATION_TOKEN)).status()).isEqualTo(200);
    }

    @AfterAll
    static void stopHub()
    {
        if (hub != null) {
            hub.close();
        }
    }

    static List<Endpoint> endpoints()
    {
        Supplier<byte[]> none = () -> null;
        String image = "/api/v1/images/" + RunningHub.ALPINE_DIGEST;
        return List.of(
                new Endpoint("GET", "/health/live", Optional.empty(), 200, null, none),
                new Endpoint("GET", "/health/ready", Optional.empty(), 200, null, none),
                new Endpoint("GET", "/metrics", Optional.empty(), 200, null, none),
                new Endpoint("GET", "/openapi.yaml", Optional.empty(), 200, null, none),
                new Endpoint("POST", "/api/v1/sboms", Optional.of(Role.INGEST), 201, "application/json", () -> RunningHub.fixture("sbom/alpine-3.17.2.syft.json")),
                new Endpoint("POST", "/api/v1/vulnerability-reports", Optional.of(Role.INGEST), 201, "application/json", () -> RunningHub.fixture("vulns/alpine-3.17.2.grype.json")),
                new Endpoint("POST", "/api/v1/runtime/events", Optional.of(Role.INGEST), 202, "application/x-ndjson", () -> RunningHub.fixture("events/alpine-3.17.2.ndjson")),
                new Endpoint("POST", "/api/v1/runtime/falco", Optional.of(Role.INGEST), 202, "application/json", () -> FALCO_ALERT.getBytes(StandardCharsets.UTF_8)),
                new Endpoint("GET", "/api/v1/images", Optional.of(Role.READ), 200, null, none),
                new Endpoint("GET", "/api/v1/images/:digest", image, Optional.of(Role.READ), 200, null, none),
                new Endpoint("GET", "/api/v1/images/:digest/vex", image + "/vex?format=cyclonedx", Optional.of(Role.READ), 200, null, none),
                new Endpoint("GET", "/api/v1/workloads", Optional.of(Role.READ), 200, null, none),
                new Endpoint("GET", "/api/v1/plugins", Optional.of(Role.READ), 200, null, none),
                new Endpoint("POST", "/api/v1/tokens", Optional.of(Role.ADMIN), 201, "application/json", () -> "{\"name\": \"matrix\", \"expiresIn\": \"P3M\"}".getBytes(StandardCharsets.UTF_8)),
                new Endpoint("GET", "/api/v1/tokens", Optional.of(Role.ADMIN), 200, null, none),
                new Endpoint("POST", "/api/v1/tokens/:id/renew", "/api/v1/tokens/{renew}/renew", Optional.of(Role.ADMIN), 200, "application/json",
                        () -> "{\"expiresIn\": \"P6M\"}".getBytes(StandardCharsets.UTF_8)),
                new Endpoint("DELETE", "/api/v1/tokens/:id", "/api/v1/tokens/{fresh}", Optional.of(Role.ADMIN), 204, null, none));
    }

    static Stream<Arguments> matrix()
    {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : Stream.concat(everyRoute().stream(), servedRoutes().stream()).toList()) {
            for (Credential credential : Credential.values()) {
                cases.add(Arguments.of(endpoint, credential));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("matrix")
    void answersAsDocumented(Endpoint endpoint, Credential credential)
    {
        String path = endpoint.path().replace("{renew}", renewTarget);
        if (path.contains("{fresh}")) {
            // a token of its own to delete, so the admin's delete and every refusal are checked alike
            path = path.replace("{fresh}", hub.hub().tokens().create("to delete", TokenExpiry.P1M, TokenScope.INGEST, Optional.empty()).record().id());
        }
        Expected expected = expected(endpoint, credential);
        awaitQuiet();
        Map<String, Integer> sizesBefore = hub.mapSizes();
        int blobsBefore = hub.blobCount();
        String renewBefore = hub.hub().store().map("tokens").get(renewTarget);

        RunningHub.Response response = hub.send(endpoint.method(), path, tokens.get(credential), endpoint.contentType(), endpoint.body().get());
        if (expected.status() == LET_IN) {
            assertThat(response.status()).as("%s %s with %s: %s", endpoint.method(), path, credential, response.body()).isNotIn(401, 403, 429);
            return;
        }

        assertThat(response.status()).as("%s %s with %s: %s", endpoint.method(), path, credential, response.body()).isEqualTo(expected.status());
        if (expected.status() >= 400) {
            assertThat(response.json()).isEqualTo(RunningHub.parse("{\"error\": \"" + expected.error() + "\", \"message\": \"" + expected.message() + "\"}"));
            assertThat(hub.mapSizes()).isEqualTo(sizesBefore);
            assertThat(hub.blobCount()).isEqualTo(blobsBefore);
            assertThat(hub.hub().store().map("tokens").get(renewTarget)).isEqualTo(renewBefore);
            if (expected.status() == 401) {
                assertThat(response.header("WWW-Authenticate")).contains("Bearer realm=\"runlight\"");
                // failed attempts from one address are slowed down after a few; let the window pass
                clock.advance(FailedAttemptLimiter.DEFAULT_WINDOW.plusSeconds(1));
            }
        }
    }

    /**
     * The routes above, plus every other route the router has (added since this test was
     * written): for those the test knows no valid request, so a caller let in must only
     * not be refused; ids in their paths name nothing, so nothing is changed. Then every
     * route the connectors serve, as the hub's serve routing knows them.
     */
    static List<Endpoint> everyRoute()
    {
        List<Endpoint> all = new ArrayList<>(endpoints());
        for (HubRouter.RouteSpec route : hub.hub().routes()) {
            boolean known = all.stream().anyMatch(endpoint -> endpoint.method().equals(route.method()) && endpoint.route().equals(route.path()));
            if (!known) {
                String path = route.path().replace(":digest", RunningHub.ALPINE_DIGEST).replaceAll(":[A-Za-z0-9_]+", "absent_id");
                all.add(new Endpoint(route.method(), route.path(), path, route.role(), LET_IN, null, () -> null));
            }
        }
        return all;
    }

    static List<Endpoint> servedRoutes()
    {
        return hub.hub().integrations().routing().servedRoutes().stream()
                .sorted(Comparator.comparing(Route::path).thenComparing(Route::method))
                .map(route -> new Endpoint(route.method(), route.path(), route.path(), Optional.empty(), 200, null, () -> null, true))
                .toList();
    }

    @Test
    void everyRouteIsInTheMatrixWithItsRole()
    {
        List<String> routed = hub.hub().routes().stream().map(route -> route.method() + " " + route.path() + " " + route.role()).sorted().toList();
        List<String> covered = everyRoute().stream().map(endpoint -> endpoint.method() + " " + endpoint.route() + " " + endpoint.role()).sorted().toList();
        assertThat(covered).isEqualTo(routed);
        // the routes this test knows are all still routed, with the same role
        List<String> known = endpoints().stream().map(endpoint -> endpoint.method() + " " + endpoint.route() + " " + endpoint.role()).toList();
        assertThat(routed).containsAll(known);
        // and the echo connector's route is among the served ones
        assertThat(servedRoutes()).extracting(Endpoint::toString).containsExactly("GET /v1/echo");
    }

    @Test
    void repeatedFailuresFromOneAddressAreSlowedDown()
    {
        String admin = tokens.get(Credential.ADMIN_JWT);
        try {
            for (int attempt = 1; attempt < FailedAttemptLimiter.DEFAULT_MAX_FAILURES; attempt++) {
                assertThat(hub.get("/api/v1/tokens", "rlt_000000000000000000000000000000AAAAAA").status()).isEqualTo(401);
            }
            RunningHub.Response last = hub.get("/api/v1/images", "still.not.ajwt");
            assertThat(last.status()).isEqualTo(401);
            RunningHub.Response limited = hub.get("/api/v1/images", "still.not.ajwt");
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.json()).isEqualTo(RunningHub.parse("{\"error\": \"rate_limited\", \"message\": \"Too many failed authentication attempts from this address: try again later.\"}"));
            assertThat(limited.header("Retry-After")).contains(String.valueOf(FailedAttemptLimiter.DEFAULT_COOL_DOWN.toSeconds()));
            // valid credentials from the same address (a NAT, an ingress) are never throttled
            assertThat(hub.get("/api/v1/images", admin).status()).isEqualTo(200);
            assertThat(hub.post("/api/v1/runtime/events", tokens.get(Credential.INGEST_TOKEN), "application/x-ndjson", RunningHub.fixture("events/alpine-3.17.2.ndjson")).status())
                    .isEqualTo(202);
        }
        finally {
            clock.advance(FailedAttemptLimiter.DEFAULT_COOL_DOWN.plusSeconds(1));
        }
        assertThat(hub.get("/api/v1/images", admin).status()).isEqualTo(200);
    }

    private record Expected(int status, String error, String message) {}

    private static Expected expected(Endpoint endpoint, Credential credential)
    {
        if (endpoint.served()) {
            return expectedServed(endpoint, credential);
        }
        if (endpoint.role().isEmpty()) {
            return new Expected(endpoint.success(), null, null);
        }
        Role role = endpoint.role().get();
        Expected forbidden = new Expected(403, "forbidden", "This request needs the '" + role.claimValue() + "' role.");
        Expected success = new Expected(endpoint.success(), null, null);
        return switch (credential) {
            case NONE -> new Expected(401, "unauthenticated", "The request has no bearer token: send 'Authorization: Bearer <token>'.");
            case MALFORMED_JWT, MALFORMED_OPAQUE, ALG_NONE_JWT -> new Expected(401, "unauthenticated", "The bearer token is malformed.");
            case FOREIGN_KEY_JWT, HS256_WITH_PUBLIC_KEY_JWT, TAMPERED_JWT -> new Expected(401, "unauthenticated", "The bearer token is revoked or unknown.");
            case EXPIRED_JWT, EXPIRED_TOKEN -> new Expected(401, "unauthenticated", "The bearer token has expired.");
            case REVOKED_TOKEN, DELETED_INTEGRATION_TOKEN -> new Expected(401, "unauthenticated", "The bearer token is revoked or unknown.");
            case ADMIN_JWT -> success;
            case INGEST_JWT, INGEST_TOKEN -> role == Role.INGEST ? success : forbidden;
            case READ_JWT -> role == Role.READ ? success : forbidden;
            case INTEGRATION_TOKEN, FOREIGN_INTEGRATION_TOKEN -> forbidden;
        };
    }

    /** A served route answers its integration's token only; another integration's token reaches that integration, which does not serve it. */
    private static Expected expectedServed(Endpoint endpoint, Credential credential)
    {
        Expected forbidden = new Expected(403, "forbidden", "This route answers only the token of the integration that serves it.");
        return switch (credential) {
            case NONE -> new Expected(401, "unauthenticated", "The request has no bearer token: send 'Authorization: Bearer <token>'.");
            case MALFORMED_JWT, MALFORMED_OPAQUE, ALG_NONE_JWT -> new Expected(401, "unauthenticated", "The bearer token is malformed.");
            case FOREIGN_KEY_JWT, HS256_WITH_PUBLIC_KEY_JWT, TAMPERED_JWT, REVOKED_TOKEN, DELETED_INTEGRATION_TOKEN ->
                    new Expected(401, "unauthenticated", "The bearer token is revoked or unknown.");
            case EXPIRED_JWT, EXPIRED_TOKEN -> new Expected(401, "unauthenticated", "The bearer token has expired.");
            case ADMIN_JWT, INGEST_JWT, READ_JWT, INGEST_TOKEN -> forbidden;
            case INTEGRATION_TOKEN -> new Expected(endpoint.success(), null, null);
            case FOREIGN_INTEGRATION_TOKEN -> new Expected(404, "not_found", "Integration 'other' (" + foreignIntegrationId + ") has no route "
                    + endpoint.method() + " " + endpoint.path() + ": its connector serves no routes.");
        };
    }

    private static String foreignKeyJwt()
    {
        Vertx vertx = Vertx.vertx();
        try {
            JwtKeys foreign = JwtKeys.load(JwtKeySettings.ownKeyOnly(dataDir.resolve("another-hub")));
            return new AdminTokens(foreign.createAuth(vertx), java.time.Clock.systemUTC()).mint(Role.ADMIN, Duration.ofHours(1), "mallory");
        }
        finally {
            vertx.close();
        }
    }

    private static String ownPublicKeyPem()
    {
        try {
            return java.nio.file.Files.readString(dataDir.resolve("keys").resolve(JwtKeys.PUBLIC_KEY_FILE));
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonObject header(String jwt)
    {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8));
    }

    private static String segment(JsonObject json)
    {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
    }

    private static String hmac(String input, String key)
    {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
        }
        catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode createEcho(String admin, String name, String mode)
    {
        RunningHub.Response created = hub.postJson("/api/v1/integrations", admin, "{\"plugin\": \"echo\", \"name\": \"" + name
                + "\", \"expiresIn\": \"P1M\", \"config\": {\"target\": \"http://127.0.0.1:9/\", \"apiKey\": \"key-" + name + "\", \"mode\": \"" + mode + "\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    private static String createToken(String admin, String body)
    {
        RunningHub.Response created = hub.postJson("/api/v1/tokens", admin, body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("secret").asText();
    }

    /** Waits until no recomputation is pending, so map sizes only change through the request under test. */
    private static void awaitQuiet()
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!hub.hub().store().map(HubMaps.DIRTY).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("insights were still being recomputed after 10 s");
            }
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
