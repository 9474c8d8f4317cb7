package io.runlight.hub.auth;

import java.time.Duration;
import java.util.Optional;

import io.runlight.hub.ErrorCategory;
import io.runlight.hub.HubFailure;

import static java.util.Objects.requireNonNull;

/**
 * Why a request is not let in, as a category the HTTP layer maps to a status and a
 * one-sentence message safe to return: it says "expired", "revoked or unknown" or
 * "malformed", never which check failed. No stack trace is captured: these are answers,
 * not faults.
 */
public final class AuthException
        extends RuntimeException
        implements HubFailure
{
    private static final long serialVersionUID = 1L;

    /** The outcome, with its HTTP status and the {@code error} code of the response body. */
    public enum Category
    {
        UNAUTHENTICATED(401, "unauthenticated"),
        FORBIDDEN(403, "forbidden"),
        RATE_LIMITED(429, "rate_limited");

        private final int statusCode;
        private final String errorCode;

        Category(int statusCode, String errorCode)
        {
            this.statusCode = statusCode;
            this.errorCode = errorCode;
        }

        public int statusCode()
        {
            return statusCode;
        }

        public String errorCode()
        {
            return errorCode;
        }
    }

    private final Category category;
    private final transient Optional<Duration> retryAfter;

    private AuthException(Category category, String message, Optional<Duration> retryAfter)
    {
        super(message, null, false, false);
        this.category = requireNonNull(category, "category is null");
        this.retryAfter = requireNonNull(retryAfter, "retryAfter is null");
    }

    public static AuthException missingToken()
    {
        return new AuthException(Category.UNAUTHENTICATED, "The request has no bearer token: send 'Authorization: Bearer <token>'.", Optional.empty());
    }

    public static AuthException malformed()
    {
        return new AuthException(Category.UNAUTHENTICATED, "The bearer token is malformed.", Optional.empty());
    }

    public static AuthException expired()
    {
        return new AuthException(Category.UNAUTHENTICATED, "The bearer token has expired.", Optional.empty());
    }

    public static AuthException noExpiry()
    {
        return new AuthException(Category.UNAUTHENTICATED, "The bearer token has no expiry ('exp' claim): use a token that expires.", Optional.empty());
    }

    public static AuthException untrustedIssuer()
    {
        return new AuthException(Category.UNAUTHENTICATED, "The bearer token's issuer ('iss' claim) is not one this hub accepts.", Optional.empty());
    }

    public static AuthException revokedOrUnknown()
    {
        return new AuthException(Category.UNAUTHENTICATED, "The bearer token is revoked or unknown.", Optional.empty());
    }

    public static AuthException rateLimited(Duration retryAfter)
    {
        requireNonNull(retryAfter, "retryAfter is null");
        return new AuthException(Category.RATE_LIMITED, "Too many failed authentication attempts from this address: try again later.", Optional.of(retryAfter));
    }

    /** The caller is known but lacks {@code required}. */
    public static AuthException forbidden(Role required)
    {
        requireNonNull(required, "required is null");
        return new AuthException(Category.FORBIDDEN, "This request needs the '" + required.claimValue() + "' role.", Optional.empty());
    }

    @Override
    public ErrorCategory errorCategory()
    {
        return ErrorCategory.USER;
    }

    @Override
    public String errorCode()
    {
        return category.errorCode();
    }

    public Category category()
    {
        return category;
    }

    /** For {@link Category#RATE_LIMITED}: how long to wait, for a {@code Retry-After} header. */
    public Optional<Duration> retryAfter()
    {
        return retryAfter == null ? Optional.empty() : retryAfter;
    }
}
