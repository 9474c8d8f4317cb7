package io.runlight.hub.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;

import static java.util.Objects.requireNonNull;

/**
 * Mints short-lived JWTs with the hub's own key, for {@code runlight admin-token} and
 * {@code runlight demo}. Claims: {@code sub}, {@code iss} ({@value #ISSUER}), {@code role}
 * (one string: {@code admin}, {@code ingest} or {@code read}), {@code iat}, {@code exp}.
 * The verifier also accepts a {@code roles} array, as IdPs usually send one.
 */
public final class AdminTokens
{
    public static final String ISSUER = "runlight";
    public static final String ROLE_CLAIM = "role";
    public static final String ROLES_CLAIM = "roles";

    private final JWTAuth jwt;
    private final Clock clock;
    private final String algorithm;

    /** Signs with the hub's own ES256 key. */
    public AdminTokens(JWTAuth jwt, Clock clock)
    {
        this(jwt, clock, JwtKeys.OWN_ALGORITHM);
    }

    /** Signs with {@code algorithm}, for which {@code jwt} must hold a signing key (ES256, or HS256 when a secret is configured). */
    public AdminTokens(JWTAuth jwt, Clock clock, String algorithm)
    {
        this.jwt = requireNonNull(jwt, "jwt is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.algorithm = requireNonNull(algorithm, "algorithm is null");
    }

    /** A compact JWT granting {@code role} to {@code subject} for {@code ttl} from now. */
    public String mint(Role role, Duration ttl, String subject)
    {
        requireNonNull(role, "role is null");
        requireNonNull(ttl, "ttl is null");
        requireNonNull(subject, "subject is null");
        if (ttl.isNegative() || ttl.isZero() || ttl.toSeconds() < 1) {
            throw new IllegalArgumentException("token lifetime '" + ttl + "' is not positive: give at least one second, such as 15m");
        }
        if (subject.isBlank()) {
            throw new IllegalArgumentException("a token needs a subject: say who or what uses it");
        }
        Instant now = clock.instant();
        JsonObject claims = new JsonObject()
                .put("sub", subject)
                .put("iss", ISSUER)
                .put(ROLE_CLAIM, role.claimValue())
                .put("iat", now.getEpochSecond())
                .put("exp", now.plus(ttl).getEpochSecond());
        return jwt.generateToken(claims, new JWTOptions().setAlgorithm(algorithm).setNoTimestamp(true));
    }
}
