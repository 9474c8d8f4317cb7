package io.runlight.hub.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.runlight.hub.token.FailedAttemptLimiter;
import io.runlight.hub.token.TokenAuthentication;
import io.runlight.hub.token.TokenSecrets;
import io.runlight.hub.token.TokenService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;

import static java.util.Objects.requireNonNull;

/**
 * Turns an {@code Authorization} header into a {@link Principal} or an {@link AuthException}.
 * {@code rlt_} tokens (as a bearer token, or where a route allows it as the password of Basic credentials) go to the {@link TokenService} (through the asynchronous map API, so
 * the event loop never waits); anything else must be a JWT signed by a trusted key. Failures
 * from one address count towards the shared {@link FailedAttemptLimiter}.
 */
public final class BearerAuthenticator
{
    private static final Pattern BASE64URL_SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");
    private static final String BEARER = "bearer ";
    private static final String BASIC = "basic ";

    private final Vertx vertx;
    private final Supplier<JWTAuth> jwt;
    private final TokenService tokens;
    private final FailedAttemptLimiter limiter;
    private final Set<String> issuers;

    /** Accepts JWTs of the hub's own issuer ({@value AdminTokens#ISSUER}) only. */
    public BearerAuthenticator(Vertx vertx, JWTAuth jwt, TokenService tokens, FailedAttemptLimiter limiter)
    {
        this(vertx, constant(requireNonNull(jwt, "jwt is null")), tokens, limiter, Set.of(AdminTokens.ISSUER));
    }

    /**
     * Verifies JWTs with whatever verifier {@code jwt} gives at the time, e.g. {@link MemberKeys#current()}, and accepts
     * those whose {@code iss} is one of {@code issuers}: a key trusted for one issuer must not let tokens of another in.
     */
    public BearerAuthenticator(Vertx vertx, Supplier<JWTAuth> jwt, TokenService tokens, FailedAttemptLimiter limiter, Set<String> issuers)
    {
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.jwt = requireNonNull(jwt, "jwt is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.limiter = requireNonNull(limiter, "limiter is null");
        this.issuers = Set.copyOf(requireNonNull(issuers, "issuers is null"));
        if (this.issuers.isEmpty()) {
            throw new IllegalArgumentException("no JWT issuer is accepted: give at least one, such as " + AdminTokens.ISSUER);
        }
    }

    /**
     * Authenticates the header's bearer token. Fails with an {@link AuthException} when the
     * caller is not let in; any other failure is the hub's own fault.
     */
    public Future<Principal> authenticate(String authorizationHeader, String remoteAddress)
    {
        requireNonNull(remoteAddress, "remoteAddress is null");
        if (authorizationHeader == null || authorizationHeader.length() <= BEARER.length()
                || !authorizationHeader.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return Future.failedFuture(AuthException.missingToken());
        }
        String token = authorizationHeader.substring(BEARER.length()).strip();
        if (token.isEmpty()) {
            return Future.failedFuture(AuthException.missingToken());
        }
        if (token.startsWith(TokenSecrets.PREFIX)) {
            return Future.fromCompletionStage(tokens.authenticateAsync(token, remoteAddress), vertx.getOrCreateContext())
                    .compose(result -> toPrincipal(result, remoteAddress));
        }
        return authenticateJwt(token, remoteAddress);
    }

    /**
     * As {@link #authenticate}, but a Runlight token may also come as the password of HTTP
     * Basic credentials. Only for the routes of senders that can set a URL but no header
     * (Falco's {@code http_output}): everywhere else a token in a URL is a token in proxy
     * configurations and shell histories.
     */
    public Future<Principal> authenticateAllowingBasic(String authorizationHeader, String remoteAddress)
    {
        requireNonNull(remoteAddress, "remoteAddress is null");
        Optional<String> basicToken = basicAuthToken(authorizationHeader);
        if (basicToken.isPresent()) {
            return Future.fromCompletionStage(tokens.authenticateAsync(basicToken.get(), remoteAddress), vertx.getOrCreateContext())
                    .compose(result -> toPrincipal(result, remoteAddress));
        }
        return authenticate(authorizationHeader, remoteAddress);
    }

    private Future<Principal> toPrincipal(TokenAuthentication result, String remoteAddress)
    {
        if (result instanceof TokenAuthentication.Accepted) {
            return Future.succeededFuture(Principal.token(((TokenAuthentication.Accepted) result).token()));
        }
        switch (((TokenAuthentication.Refused) result).reason()) {
            case MALFORMED:
                return Future.failedFuture(AuthException.malformed());
            case UNKNOWN:
                return Future.failedFuture(AuthException.revokedOrUnknown());
            case EXPIRED:
                return Future.failedFuture(AuthException.expired());
            case RATE_LIMITED:
                return Future.failedFuture(rateLimited(remoteAddress));
        }
        throw new IllegalStateException("token failure '" + ((TokenAuthentication.Refused) result).reason() + "' is not handled");
    }

    private Future<Principal> authenticateJwt(String token, String remoteAddress)
    {
        if (!looksLikeJwt(token)) {
            return failed(remoteAddress, AuthException.malformed());
        }
        Future<User> verified;
        try {
            verified = jwt.get().authenticate(new TokenCredentials(token));
        }
        catch (RuntimeException e) {
            // a signed token with a claim of the wrong type (a text 'exp') can make the library throw: it is a bad token, not our failure
            verified = Future.failedFuture(e);
        }
        return verified
                .recover(failure -> {
                    String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
                    if (message.contains("expired")) {
                        // a genuine but stale token: its owner should see 401 "expired", not be slowed down
                        return Future.failedFuture(AuthException.expired());
                    }
                    return failed(remoteAddress, AuthException.revokedOrUnknown());
                })
                .compose(user -> toPrincipal(user, token, remoteAddress));
    }

    private Future<Principal> toPrincipal(User user, String token, String remoteAddress)
    {
        JsonObject claims = user.principal();
        // the signature is verified: read the time claims from the payload as signed, whatever the library kept of them.
        // A token without an expiry would be valid for ever once leaked; time claims must be NumericDate values.
        JsonObject payload = decodesToObject(token.split("\\.", -1)[1]).orElseGet(JsonObject::new);
        if (!(payload.getValue("exp") instanceof Number)) {
            return failed(remoteAddress, payload.containsKey("exp") ? AuthException.malformed() : AuthException.noExpiry());
        }
        for (String timeClaim : List.of("iat", "nbf")) {
            if (payload.containsKey(timeClaim) && !(payload.getValue(timeClaim) instanceof Number)) {
                return failed(remoteAddress, AuthException.malformed());
            }
        }
        if (!(payload.getValue("iss") instanceof String issuer) || !issuers.contains(issuer)) {
            return failed(remoteAddress, AuthException.untrustedIssuer());
        }
        Object subject = claims.getValue("sub");
        if (!(subject instanceof String) || ((String) subject).isBlank()) {
            return failed(remoteAddress, AuthException.malformed());
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        addRoles(roles, claims.getValue(AdminTokens.ROLE_CLAIM));
        addRoles(roles, claims.getValue(AdminTokens.ROLES_CLAIM));
        return Future.succeededFuture(Principal.jwt((String) subject, roles));
    }

    /** Accepts a single string or an array of strings; values that are not Runlight roles are ignored. */
    private static void addRoles(Set<Role> roles, Object claim)
    {
        if (claim instanceof String) {
            Role.fromClaim((String) claim).ifPresent(roles::add);
        }
        else if (claim instanceof JsonArray) {
            for (Object value : (JsonArray) claim) {
                if (value instanceof String) {
                    Role.fromClaim((String) value).ifPresent(roles::add);
                }
            }
        }
    }

    private static Supplier<JWTAuth> constant(JWTAuth jwt)
    {
        return () -> jwt;
    }

    /** A failed attempt: 429 while the address (or the hub) failed too often, else counted and {@code failure}; valid tokens never get here. */
    private <T> Future<T> failed(String remoteAddress, AuthException failure)
    {
        if (limiter.isLimited(remoteAddress)) {
            return Future.failedFuture(rateLimited(remoteAddress));
        }
        limiter.recordFailure(remoteAddress);
        return Future.failedFuture(failure);
    }

    private AuthException rateLimited(String remoteAddress)
    {
        return AuthException.rateLimited(limiter.retryAfter(remoteAddress).orElse(FailedAttemptLimiter.DEFAULT_COOL_DOWN));
    }

    /**
     * The Runlight token carried as the password of HTTP Basic credentials, for senders that
     * can set a URL but no header: libcurl turns {@code https://falco:rlt_…@hub/…} into
     * {@code Authorization: Basic …} (Falco's {@code http_output} is one). The user name is
     * ignored; anything but a Runlight token as the password is not accepted this way.
     */
    private static Optional<String> basicAuthToken(String header)
    {
        if (header == null || header.length() <= BASIC.length()
                || !header.substring(0, BASIC.length()).toLowerCase(Locale.ROOT).equals(BASIC)) {
            return Optional.empty();
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(header.substring(BASIC.length()).strip()), StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = credentials.indexOf(':');
        String password = colon < 0 ? "" : credentials.substring(colon + 1);
        return password.startsWith(TokenSecrets.PREFIX) ? Optional.of(password) : Optional.empty();
    }

    /** Three base64url segments whose first two decode to JSON objects. */
    private static boolean looksLikeJwt(String token)
    {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return false;
        }
        for (String part : parts) {
            if (!BASE64URL_SEGMENT.matcher(part).matches()) {
                return false;
            }
        }
        return decodesToObject(parts[0]).isPresent() && decodesToObject(parts[1]).isPresent();
    }

    private static Optional<JsonObject> decodesToObject(String segment)
    {
        try {
            return Optional.of(new JsonObject(new String(Base64.getUrlDecoder().decode(segment), StandardCharsets.UTF_8)));
        }
        catch (IllegalArgumentException | DecodeException | ClassCastException e) {
            return Optional.empty();
        }
    }
}
