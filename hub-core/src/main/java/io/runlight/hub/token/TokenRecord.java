package io.runlight.hub.token;

import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What the hub keeps about a token: never the secret, only its SHA-256 {@code hash} and a
 * short display {@code prefix}. An integration-scoped token names its integration.
 */
public record TokenRecord(
        String id,
        String name,
        TokenScope scope,
        Optional<String> integrationId,
        String hash,
        String prefix,
        Instant createdAt,
        Instant expiresAt,
        Optional<Instant> lastUsedAt)
{
    public TokenRecord
    {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(scope, "scope is null");
        requireNonNull(integrationId, "integrationId is null");
        requireNonNull(hash, "hash is null");
        requireNonNull(prefix, "prefix is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(expiresAt, "expiresAt is null");
        requireNonNull(lastUsedAt, "lastUsedAt is null");
        if (scope == TokenScope.INTEGRATION && integrationId.isEmpty()) {
            throw new IllegalArgumentException("token '" + id + "' has scope integration but no integration id");
        }
        if (scope == TokenScope.INGEST && integrationId.isPresent()) {
            throw new IllegalArgumentException("token '" + id + "' has scope ingest but names integration '" + integrationId.get() + "'");
        }
    }

    /** {@link TokenStatus#EXPIRED} from the expiry instant on. */
    public TokenStatus status(Instant now)
    {
        requireNonNull(now, "now is null");
        if (now.isBefore(expiresAt)) {
            return TokenStatus.ACTIVE;
        }
        return TokenStatus.EXPIRED;
    }

    public TokenRecord withExpiresAt(Instant newExpiresAt)
    {
        return new TokenRecord(id, name, scope, integrationId, hash, prefix, createdAt, newExpiresAt, lastUsedAt);
    }

    public TokenRecord withLastUsedAt(Instant newLastUsedAt)
    {
        return new TokenRecord(id, name, scope, integrationId, hash, prefix, createdAt, expiresAt, Optional.of(newLastUsedAt));
    }
}
