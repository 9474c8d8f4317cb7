package io.runlight.hub.token;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.runlight.hub.store.MapRecovery;
import io.runlight.hub.store.ReadMostlyMaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Creates, renews, deletes and checks opaque tokens (docs/architecture.md, decision 4). The secret is
 * handed out once by {@link #create}; the cluster keeps only its SHA-256 hash, in two maps:
 * {@value #TOKENS_MAP} (token id to {@link TokenRecordCodec} JSON) and
 * {@value #TOKEN_HASHES_MAP} (hex hash to token id). The hub gives both near caches that
 * every change invalidates at once on every member (the store's read-mostly maps), so a
 * presented token is usually checked from this member's memory, and a delete on any member is
 * seen by every member's next lookup within milliseconds.
 * <p>
 * {@link #authenticateAsync} never blocks; what follows a map call that is not answered from
 * the near cache, and the background write of a token's last use, run on the given executor,
 * never on a thread started for them. Every other
 * method waits for the cluster (and, through a write-through map store, the database): call
 * them off the event loop.
 */
public final class TokenService
{
    /** Token id to token record JSON. */
    public static final String TOKENS_MAP = "tokens";
    /** Lowercase hex SHA-256 of a secret to token id. */
    public static final String TOKEN_HASHES_MAP = "token_hashes";
    /** A token's last use is written at most this often. */
    public static final Duration LAST_USED_INTERVAL = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(TokenService.class);
    /**
     * Writes last uses, one at a time, in the background. Never the completions executor: that is
     * Hazelcast's own async executor, and a write blocked there (a partition migrating, the database
     * slow) would hold up the completions Hazelcast itself runs on it, map loading among them.
     */
    private static final Executor LAST_USE_WRITER = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "runlight-token-last-use");
        thread.setDaemon(true);
        return thread;
    });
    private static final int MAX_NAME_LENGTH = 200;
    private static final long INTEGRATION_LOCK_LEASE_SECONDS = 30;

    /** How many stored texts {@link #decoded} keeps: far more than the tokens in use at once. */
    private static final int MAX_DECODED = 1024;

    private final HazelcastInstance hazelcast;
    private final IMap<String, String> tokens;
    private final IMap<String, String> hashes;
    private final Clock clock;
    private final TokenSecrets secrets;
    private final FailedAttemptLimiter limiter;
    private final Executor completions;
    private final Set<String> pendingLastUsedWrites = ConcurrentHashMap.newKeySet();
    // the records of the stored texts last presented, by the exact text: a sensor presents its token with
    // every batch, and decoding the same text each time was as much work as the rest of the check. Any
    // change to a token is a new text (and a deleted one is no text), so this never answers for a changed token
    private final Map<String, TokenRecord> decoded = new ConcurrentHashMap<>();

    /**
     * @param completions runs what follows an asynchronous map call that was not answered at once
     */
    public TokenService(HazelcastInstance hazelcast, Clock clock, TokenSecrets secrets, FailedAttemptLimiter limiter, Executor completions)
    {
        this.completions = requireNonNull(completions, "completions is null");
        this.hazelcast = requireNonNull(hazelcast, "hazelcast is null");
        this.tokens = hazelcast.getMap(TOKENS_MAP);
        this.hashes = hazelcast.getMap(TOKEN_HASHES_MAP);
        this.clock = requireNonNull(clock, "clock is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.limiter = requireNonNull(limiter, "limiter is null");
    }

    /**
     * Creates a token. An integration has at most one token: creating one for an
     * integration that already has one deletes the old one (the old secret stops working).
     *
     * @return the record and the secret; the secret is not stored and cannot be shown again
     */
    public CreatedToken create(String name, TokenExpiry expiry, TokenScope scope, Optional<String> integrationId)
    {
        requireNonNull(name, "name is null");
        requireNonNull(expiry, "expiry is null");
        requireNonNull(scope, "scope is null");
        requireNonNull(integrationId, "integrationId is null");
        String trimmedName = name.strip();
        if (trimmedName.isEmpty()) {
            throw new IllegalArgumentException("a token needs a name: give one that says who or what uses it");
        }
        if (trimmedName.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("token name '" + trimmedName.substring(0, 20) + "…' is longer than " + MAX_NAME_LENGTH + " characters");
        }
        if (scope == TokenScope.INTEGRATION && integrationId.map(String::isBlank).orElse(true)) {
            throw new IllegalArgumentException("a token of scope 'integration' needs an integration id");
        }
        if (scope == TokenScope.INGEST && integrationId.isPresent()) {
            throw new IllegalArgumentException("a token of scope 'ingest' cannot belong to integration '" + integrationId.get() + "': use scope 'integration'");
        }

        String secret = secrets.generate();
        Instant now = clock.instant();
        TokenRecord token = new TokenRecord(
                secrets.newTokenId(),
                trimmedName,
                scope,
                integrationId,
                TokenSecrets.sha256Hex(secret),
                TokenSecrets.displayPrefix(secret),
                now,
                expiry.expiresAt(now),
                Optional.empty());

        if (integrationId.isEmpty()) {
            store(token);
        }
        else {
            String lockKey = integrationLockKey(integrationId.get());
            tokens.lock(lockKey, INTEGRATION_LOCK_LEASE_SECONDS, TimeUnit.SECONDS);
            try {
                List<TokenRecord> previous = forIntegrationAll(integrationId.get());
                store(token);
                for (TokenRecord old : previous) {
                    delete(old.id());
                    log.info("Token '{}' of integration '{}' replaced by token '{}'", old.id(), integrationId.get(), token.id());
                }
            }
            finally {
                tokens.unlock(lockKey);
            }
        }
        log.info("Created token '{}' ({}, scope {}, expires {})", token.id(), token.prefix(), token.scope().wireName(), token.expiresAt());
        return new CreatedToken(token, secret);
    }

    /** Moves the token's expiry to {@code expiry} from now; the secret stays the same. Empty when there is no such token. */
    public Optional<TokenRecord> renew(String id, TokenExpiry expiry)
    {
        requireNonNull(id, "id is null");
        requireNonNull(expiry, "expiry is null");
        Instant expiresAt = expiry.expiresAt(clock);
        Optional<TokenRecord> renewed = mutate(id, token -> token.withExpiresAt(expiresAt));
        renewed.ifPresent(token -> log.info("Renewed token '{}' until {}", id, token.expiresAt()));
        return renewed;
    }

    /**
     * Revokes a token at once on every member: the next authentication anywhere in the
     * cluster fails. Deleting an integration's token severs the integration.
     *
     * @return whether the token existed
     */
    public boolean delete(String id)
    {
        requireNonNull(id, "id is null");
        String json = tokens.remove(id);
        if (json == null) {
            return false;
        }
        TokenRecord token = TokenRecordCodec.fromJson(json);
        hashes.remove(token.hash(), id);
        pendingLastUsedWrites.remove(id);
        log.info("Deleted token '{}' ({})", id, token.prefix());
        return true;
    }

    public Optional<TokenRecord> get(String id)
    {
        requireNonNull(id, "id is null");
        return Optional.ofNullable(tokens.get(id)).map(TokenRecordCodec::fromJson);
    }

    /** Every token, oldest first (ties by id), never a secret. */
    public List<TokenRecord> list()
    {
        MapRecovery.awaitComplete(hazelcast);
        List<TokenRecord> all = new ArrayList<>();
        for (String json : tokens.values()) {
            all.add(TokenRecordCodec.fromJson(json));
        }
        all.sort(Comparator.comparing(TokenRecord::createdAt).thenComparing(TokenRecord::id));
        return List.copyOf(all);
    }

    /** The token of an integration, if it has one. */
    public Optional<TokenRecord> forIntegration(String integrationId)
    {
        requireNonNull(integrationId, "integrationId is null");
        return forIntegrationAll(integrationId).stream().findFirst();
    }

    /** Severs an integration: deletes its token(s). Returns how many were deleted. */
    public int deleteForIntegration(String integrationId)
    {
        requireNonNull(integrationId, "integrationId is null");
        int deleted = 0;
        for (TokenRecord token : forIntegrationAll(integrationId)) {
            if (delete(token.id())) {
                deleted++;
            }
        }
        return deleted;
    }

    /** The token's status now. */
    public TokenStatus status(TokenRecord token)
    {
        requireNonNull(token, "token is null");
        return token.status(clock.instant());
    }

    /**
     * Checks a presented secret without blocking the calling thread. A secret with a wrong
     * format or checksum is refused without any map lookup; the stored hash is compared in
     * constant time. A valid token is accepted from any address; a failed attempt from an
     * address (or a hub) with too many recent failures is answered RATE_LIMITED.
     * On success the token's last use is recorded in the background (at most once a minute).
     */
    public CompletionStage<TokenAuthentication> authenticateAsync(String presented, String remoteAddress)
    {
        requireNonNull(remoteAddress, "remoteAddress is null");
        if (!TokenSecrets.hasValidChecksum(presented)) {
            return CompletableFuture.completedFuture(failed(remoteAddress, TokenFailure.MALFORMED));
        }
        byte[] digest = TokenSecrets.sha256(presented);
        String hash = HexFormat.of().formatHex(digest);
        CompletableFuture<TokenAuthentication> result = new CompletableFuture<>();
        whenDone(ReadMostlyMaps.getAsync(hashes, hash), result, id -> {
            if (id == null) {
                result.complete(evaluate(null, digest, remoteAddress));
                return;
            }
            whenDone(ReadMostlyMaps.getAsync(tokens, id), result, json -> result.complete(evaluate(json, digest, remoteAddress)));
        });
        return result;
    }

    /**
     * Runs {@code next} with the value of a map call: at once on this thread when a near cache
     * answered it, otherwise on the completions executor. A failure of the call, or of
     * {@code next}, completes {@code result} exceptionally. {@code result} is a plain future,
     * so what callers chain to it never lands on Hazelcast's own executor.
     */
    private <T> void whenDone(CompletionStage<T> call, CompletableFuture<TokenAuthentication> result, Consumer<T> next)
    {
        CompletableFuture<T> future = call.toCompletableFuture();
        if (future.isDone()) {
            complete(future, result, next);
            return;
        }
        future.whenCompleteAsync((ignored, failure) -> complete(future, result, next), completions);
    }

    private static <T> void complete(CompletableFuture<T> done, CompletableFuture<TokenAuthentication> result, Consumer<T> next)
    {
        try {
            next.accept(done.join());
        }
        catch (CompletionException e) {
            result.completeExceptionally(e.getCause() == null ? e : e.getCause());
        }
        catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    /** {@link #authenticateAsync}, waiting for the answer: never call it on an event loop. */
    public TokenAuthentication authenticate(String presented, String remoteAddress)
    {
        try {
            return authenticateAsync(presented, remoteAddress).toCompletableFuture().join();
        }
        catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw e;
        }
    }

    private TokenAuthentication evaluate(String json, byte[] digest, String remoteAddress)
    {
        if (json == null) {
            return failed(remoteAddress, TokenFailure.UNKNOWN);
        }
        TokenRecord token = decoded(json);
        if (!MessageDigest.isEqual(HexFormat.of().parseHex(token.hash()), digest)) {
            return failed(remoteAddress, TokenFailure.UNKNOWN);
        }
        Instant now = clock.instant();
        if (token.status(now) == TokenStatus.EXPIRED) {
            // not counted as a failure: an expired token cannot be guessed, and its owner should keep getting 401, not 429
            return new TokenAuthentication.Refused(TokenFailure.EXPIRED);
        }
        recordLastUse(token, now);
        return new TokenAuthentication.Accepted(token);
    }

    private TokenRecord decoded(String json)
    {
        TokenRecord token = decoded.get(json);
        if (token == null) {
            token = TokenRecordCodec.fromJson(json);
            if (decoded.size() >= MAX_DECODED) {
                // texts of tokens changed or deleted since are never asked for again: start over rather than track use
                decoded.clear();
            }
            decoded.put(json, token);
        }
        return token;
    }

    /**
     * A failed attempt: throttled (429) while the address, or all addresses together, failed
     * too often; otherwise counted. A valid token never gets here, so it is never throttled.
     */
    private TokenAuthentication failed(String remoteAddress, TokenFailure failure)
    {
        if (limiter.isLimited(remoteAddress)) {
            return new TokenAuthentication.Refused(TokenFailure.RATE_LIMITED);
        }
        limiter.recordFailure(remoteAddress);
        return new TokenAuthentication.Refused(failure);
    }

    private void recordLastUse(TokenRecord token, Instant now)
    {
        if (token.lastUsedAt().isPresent() && now.isBefore(token.lastUsedAt().get().plus(LAST_USED_INTERVAL))) {
            return;
        }
        if (!pendingLastUsedWrites.add(token.id())) {
            return;
        }
        LAST_USE_WRITER.execute(() -> {
            try {
                mutate(token.id(), current -> usedAt(current, now));
            }
            catch (RuntimeException e) {
                log.warn("Cannot record the last use of token '{}'", token.id(), e);
            }
            finally {
                pendingLastUsedWrites.remove(token.id());
            }
        });
    }

    /** The token with its last use at {@code now}, unless a use less than {@link #LAST_USED_INTERVAL} before it is recorded already. */
    private static TokenRecord usedAt(TokenRecord token, Instant now)
    {
        if (token.lastUsedAt().isPresent() && now.isBefore(token.lastUsedAt().get().plus(LAST_USED_INTERVAL))) {
            return token;
        }
        return token.withLastUsedAt(now);
    }

    /**
     * Changes a stored token with compare-and-set, retrying on concurrent changes; empty if there
     * is no such token. Not an entry processor: a near-cached map invalidates this member's copy
     * of a key when an entry processor is <em>sent</em>, so a read racing it could keep the old
     * value here; a replace invalidates it once it is done.
     */
    private Optional<TokenRecord> mutate(String id, UnaryOperator<TokenRecord> change)
    {
        while (true) {
            String json = tokens.get(id);
            if (json == null) {
                return Optional.empty();
            }
            TokenRecord current = TokenRecordCodec.fromJson(json);
            TokenRecord changed = change.apply(current);
            if (changed.equals(current)) {
                return Optional.of(current);
            }
            if (tokens.replace(id, json, TokenRecordCodec.toJson(changed))) {
                return Optional.of(changed);
            }
        }
    }

    private void store(TokenRecord token)
    {
        String previous = hashes.putIfAbsent(token.hash(), token.id());
        // this token's own id: the insert was applied and then retried (Hazelcast retries an operation
        // whose partition moved while it ran, as when members join), which is no collision
        if (previous != null && !previous.equals(token.id())) {
            // 178 random bits: a collision means the random source is broken, not bad luck
            throw new IllegalStateException("a new token collides with token '" + previous + "': the random number source is not working");
        }
        tokens.set(token.id(), TokenRecordCodec.toJson(token));
    }

    private List<TokenRecord> forIntegrationAll(String integrationId)
    {
        List<TokenRecord> matching = new ArrayList<>();
        for (TokenRecord token : list()) {
            if (token.integrationId().equals(Optional.of(integrationId))) {
                matching.add(token);
            }
        }
        return matching;
    }

    private static String integrationLockKey(String integrationId)
    {
        return "integration-lock:" + integrationId;
    }
}
