package io.runlight.hub.auth;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import io.runlight.hub.token.TokenRecord;

import static java.util.Objects.requireNonNull;

/**
 * The authenticated caller of one request. {@code roles} is ordered (admin, ingest, read) so
 * that it prints and serialises the same way every time.
 */
public record Principal(
        String subject,
        PrincipalKind kind,
        Set<Role> roles,
        Optional<String> tokenId,
        Optional<String> integrationId)
{
    public Principal
    {
        requireNonNull(subject, "subject is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(roles, "roles is null");
        requireNonNull(tokenId, "tokenId is null");
        requireNonNull(integrationId, "integrationId is null");
        roles = roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
        if (kind == PrincipalKind.INTEGRATION_TOKEN && integrationId.isEmpty()) {
            throw new IllegalArgumentException("an integration token principal needs an integration id");
        }
    }

    /** A person or pipeline that presented a verified JWT. */
    public static Principal jwt(String subject, Set<Role> roles)
    {
        return new Principal(subject, PrincipalKind.JWT, roles, Optional.empty(), Optional.empty());
    }

    /** A caller that presented an opaque token: an ingest token holds {@link Role#INGEST}, an integration token no role. */
    public static Principal token(TokenRecord token)
    {
        requireNonNull(token, "token is null");
        String subject = "token:" + token.id();
        switch (token.scope()) {
            case INGEST:
                return new Principal(subject, PrincipalKind.INGEST_TOKEN, Set.of(Role.INGEST), Optional.of(token.id()), Optional.empty());
            case INTEGRATION:
                return new Principal(subject, PrincipalKind.INTEGRATION_TOKEN, Set.of(), Optional.of(token.id()), token.integrationId());
        }
        throw new IllegalStateException("token scope '" + token.scope() + "' is not handled");
    }

    /** Whether one of the caller's roles grants {@code required}. */
    public boolean hasRole(Role required)
    {
        requireNonNull(required, "required is null");
        for (Role role : roles) {
            if (role.implies(required)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this caller is the token of integration {@code id}, the only caller its serve routes admit. */
    public boolean isIntegration(String id)
    {
        requireNonNull(id, "id is null");
        return kind == PrincipalKind.INTEGRATION_TOKEN && integrationId.equals(Optional.of(id));
    }
}
