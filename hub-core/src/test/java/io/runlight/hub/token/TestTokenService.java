package io.runlight.hub.token;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.hazelcast.map.IMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.runlight.hub.store.HazelcastAsyncExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestTokenService
{
    private static final Instant START = Instant.parse("2026-11-28T12:00:00Z");
    private static final String ADDRESS = "192.0.2.10";

    private static HazelcastMembers members;

    private MutableClock clock;
    private FailedAttemptLimiter limiter;
    private TokenService tokens;

    @BeforeAll
    static void startMember()
    {
        members = HazelcastMembers.start(1);
    }

    @AfterAll
    static void stopMember()
    {
        members.close();
    }

    @BeforeEach
    void setUp()
    {
        rawTokens().clear();
        rawHashes().clear();
        clock = new MutableClock(START);
        limiter = FailedAttemptLimiter.withDefaults(clock);
        tokens = new TokenService(members.member(0), clock, new TokenSecrets(new SecureRandom()), limiter, HazelcastAsyncExecutor.executor());
    }

    @Test
    void anInsertOfTheTokensOwnHashFoundAlreadyDoneIsNoCollision()
            throws Exception
    {
        // two services drawing the same random numbers make the same token: the second finds the
        // first's hash entry with its own id, as a retried insert finds its first attempt's
        TokenService first = new TokenService(members.member(0), clock, new TokenSecrets(seeded()), limiter, HazelcastAsyncExecutor.executor());
        TokenService again = new TokenService(members.member(0), clock, new TokenSecrets(seeded()), limiter, HazelcastAsyncExecutor.executor());
        CreatedToken created = first.create("collector", TokenExpiry.P3M, TokenScope.INGEST, Optional.empty());

        CreatedToken retried = again.create("collector", TokenExpiry.P3M, TokenScope.INGEST, Optional.empty());

        assertThat(retried.record()).isEqualTo(created.record());
        assertThat(Map.copyOf(rawHashes())).containsExactly(Map.entry(created.record().hash(), created.record().id()));
        assertThat(tokens.get(created.record().id())).contains(created.record());
    }

    private static SecureRandom seeded()
            throws Exception
    {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(14);
        return random;
    }

    @Test
    void createReturnsTheSecretOnceAndStoresOnlyItsHash()
    {
        CreatedToken created = tokens.create("  snyk prod ", TokenExpiry.P3M, TokenScope.INTEGRATION, Optional.of("int_1"));

        String secret = created.secret();
        TokenRecord token = created.record();
        assertThat(secret).matches("^rlt_[0-9A-Za-z]{30}[0-9A-Za-z]{6}$");
        assertThat(token.id()).startsWith("tok_");
        assertThat(token.name()).isEqualTo("snyk prod");
        assertThat(token.scope()).isEqualTo(TokenScope.INTEGRATION);
        assertThat(token.integrationId()).contains("int_1");
        assertThat(token.prefix()).isEqualTo(secret.substring(0, 8));
        assertThat(token.hash()).isEqualTo(TokenSecrets.sha256Hex(secret));
        assertThat(token.createdAt()).isEqualTo(START);
        assertThat(token.expiresAt()).isEqualTo(Instant.parse("2027-02-28T12:00:00Z"));
        assertThat(token.lastUsedAt()).isEmpty();
        assertThat(tokens.status(token)).isEqualTo(TokenStatus.ACTIVE);
        assertThat(created.toString()).doesNotContain(secret);

        String body = secret.substring(4, 34);
        for (Map.Entry<String, String> entry : rawTokens().entrySet()) {
            assertThat(entry.getKey()).doesNotContain(body);
            assertThat(entry.getValue()).doesNotContain(secret).doesNotContain(body);
        }
        for (Map.Entry<String, String> entry : rawHashes().entrySet()) {
            assertThat(entry.getKey()).doesNotContain(body);
            assertThat(entry.getValue()).doesNotContain(body);
        }
        assertThat(rawTokens().get(token.id())).isEqualTo(TokenRecordCodec.toJson(token));
        assertThat(rawHashes().get(token.hash())).isEqualTo(token.id());
        assertThat(tokens.get(token.id())).contains(token);
    }

    @Test
    void theSecretAuthenticatesAndLastUseIsWrittenAtMostOnceAMinute()
    {
        CreatedToken created = tokens.create("ci", TokenExpiry.P1M, TokenScope.INGEST, Optional.empty());

        assertThat(tokens.authenticate(created.secret(), ADDRESS)).isEqualTo(new TokenAuthentication.Accepted(created.record()));
        awaitLastUsed(created.record().id(), START);

        clock.advance(Duration.ofSeconds(59));
        assertThat(tokens.authenticate(created.secret(), ADDRESS)).isInstanceOf(TokenAuthentication.Accepted.class);
        clock.advance(Duration.ofSeconds(1));
        Instant later = clock.instant();
        TokenAuthentication third = tokens.authenticate(created.secret(), ADDRESS);

        assertThat(((TokenAuthentication.Accepted) third).token().lastUsedAt()).contains(START);
        awaitLastUsed(created.record().id(), later);
    }

    @Test
    void expiredTokensAreRefusedAndRenewKeepsTheSecretWithTheNewExpiry()
    {
        CreatedToken created = tokens.create("scout", TokenExpiry.P1M, TokenScope.INTEGRATION, Optional.of("int_2"));
        String id = created.record().id();

        clock.set(Instant.parse("2026-12-28T12:00:00Z"));
        assertThat(tokens.authenticate(created.secret(), ADDRESS)).isEqualTo(new TokenAuthentication.Refused(TokenFailure.EXPIRED));
        assertThat(tokens.status(tokens.get(id).orElseThrow())).isEqualTo(TokenStatus.EXPIRED);

        clock.set(Instant.parse("2027-01-10T09:00:00Z"));
        TokenRecord renewed = tokens.renew(id, TokenExpiry.P6M).orElseThrow();

        assertThat(renewed).isEqualTo(created.record().withExpiresAt(Instant.parse("2027-07-10T09:00:00Z")));
        assertThat(tokens.get(id)).contains(renewed);
        assertThat(tokens.authenticate(created.secret(), ADDRESS)).isEqualTo(new TokenAuthentication.Accepted(renewed));
        clock.set(Instant.parse("2027-07-10T09:00:00Z"));
        assertThat(tokens.authenticate(created.secret(), ADDRESS)).isEqualTo(new TokenAuthentication.Refused(TokenFailure.EXPIRED));
        assertThat(tokens.renew("tok_missing", TokenExpiry.P1M)).isEmpty();
    }

    @Test
    void aTokenChangedOrDeletedAfterUseIsJudgedByWhatIsStoredNow()
    {
        // the service keeps the records of stored texts it decoded: a change is a new text, a deletion no text
        CreatedToken created = tokens.create("sensor", TokenExpiry.P1M, TokenScope.INGEST, Optional.empty());
        String id = created.record().id();
        assertThat(tokens.authenticate(created.secret(), ADDRESS)).isEqualTo(new TokenAuthentication.Accepted(created.record()));
        // the first use's "last used" is written in the background: wait for it, or a later read races it
        awaitLastUsed(id, START);
        TokenRecord used = created.record().withLastUsedAt(START);
        assertThat(tokens.authenticate(created.secret(), ADDRESS)).isEqualTo(new TokenAuthentication.Accepted(used));

        TokenRecord renewed = tokens.renew(id, TokenExpiry.P1Y).orElseThrow();
        assertThat(tokens.authenticate(created.secret(), ADDRESS)).isEqualTo(new TokenAuthentication.Accepted(renewed));

        assertThat(tokens.delete(id)).isTrue();
        assertThat(tokens.authenticate(created.secret(), ADDRESS)).isEqualTo(new TokenAuthentication.Refused(TokenFailure.UNKNOWN));
    }

    @Test
    void deletedTokensAreRefusedAndLeaveNothingBehind()
    {
        CreatedToken created = tokens.create("ci", TokenExpiry.P1Y, TokenScope.INGEST, Optional.empty());

        assertThat(tokens.delete(created.record().id())).isTrue();

        assertThat(tokens.authenticate(created.secret(), ADDRESS)).isEqualTo(new TokenAuthentication.Refused(TokenFailure.UNKNOWN));
        assertThat(tokens.get(created.record().id())).isEmpty();
        assertThat(rawTokens().size()).isZero();
        assertThat(rawHashes().size()).isZero();
        assertThat(tokens.delete(created.record().id())).isFalse();
    }

    @Test
    void malformedTokensAreRefusedWithoutAnyMapLookup()
    {
        tokens.create("ci", TokenExpiry.P1Y, TokenScope.INGEST, Optional.empty());
        String valid = new TokenSecrets(new SecureRandom()).generate();
        String badChecksum = valid.substring(0, 39) + (valid.charAt(39) == 'a' ? 'b' : 'a');
        long hashGets = rawHashes().getLocalMapStats().getGetOperationCount();
        long tokenGets = rawTokens().getLocalMapStats().getGetOperationCount();

        for (String presented : new String[] {badChecksum, "rlt_short", "eyJhbGciOiJFUzI1NiJ9.e30.c2ln", ""}) {
            assertThat(tokens.authenticate(presented, ADDRESS)).isEqualTo(new TokenAuthentication.Refused(TokenFailure.MALFORMED));
        }
        assertThat(tokens.authenticate(null, ADDRESS)).isEqualTo(new TokenAuthentication.Refused(TokenFailure.MALFORMED));

        assertThat(rawHashes().getLocalMapStats().getGetOperationCount()).isEqualTo(hashGets);
        assertThat(rawTokens().getLocalMapStats().getGetOperationCount()).isEqualTo(tokenGets);
        assertThat(tokens.authenticate(valid, ADDRESS)).isEqualTo(new TokenAuthentication.Refused(TokenFailure.UNKNOWN));
        // the member counts the operation after it has answered: give the statistic a moment to catch up
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (rawHashes().getLocalMapStats().getGetOperationCount() < hashGets + 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(rawHashes().getLocalMapStats().getGetOperationCount()).isEqualTo(hashGets + 1);
    }

    @Test
    void repeatedFailuresFromOneAddressAreRateLimited()
    {
        CreatedToken created = tokens.create("ci", TokenExpiry.P1Y, TokenScope.INGEST, Optional.empty());
        TokenSecrets secrets = new TokenSecrets(new SecureRandom());
        for (int i = 0; i < 10; i++) {
            assertThat(tokens.authenticate(secrets.generate(), ADDRESS)).isEqualTo(new TokenAuthentication.Refused(TokenFailure.UNKNOWN));
        }

        // further guesses are throttled; the valid token from the same address never is
        assertThat(tokens.authenticate(secrets.generate(), ADDRESS)).isEqualTo(new TokenAuthentication.Refused(TokenFailure.RATE_LIMITED));
        assertThat(tokens.authenticate("rlt_malformed", ADDRESS)).isEqualTo(new TokenAuthentication.Refused(TokenFailure.RATE_LIMITED));
        assertThat(tokens.authenticate(created.secret(), ADDRESS)).isInstanceOf(TokenAuthentication.Accepted.class);
        assertThat(tokens.authenticate(secrets.generate(), "192.0.2.11")).isEqualTo(new TokenAuthentication.Refused(TokenFailure.UNKNOWN));
        clock.advance(FailedAttemptLimiter.DEFAULT_COOL_DOWN);
        assertThat(tokens.authenticate(secrets.generate(), ADDRESS)).isEqualTo(new TokenAuthentication.Refused(TokenFailure.UNKNOWN));
    }

    @Test
    void anIntegrationHasOneTokenAndANewOneReplacesIt()
    {
        CreatedToken first = tokens.create("snyk", TokenExpiry.P1M, TokenScope.INTEGRATION, Optional.of("int_3"));
        CreatedToken other = tokens.create("scout", TokenExpiry.P1M, TokenScope.INTEGRATION, Optional.of("int_4"));
        clock.advance(Duration.ofMinutes(1));
        CreatedToken second = tokens.create("snyk again", TokenExpiry.P3M, TokenScope.INTEGRATION, Optional.of("int_3"));

        assertThat(tokens.authenticate(first.secret(), ADDRESS)).isEqualTo(new TokenAuthentication.Refused(TokenFailure.UNKNOWN));
        assertThat(tokens.authenticate(second.secret(), ADDRESS)).isInstanceOf(TokenAuthentication.Accepted.class);
        // compared by id: the authentication above records the last use in the background
        assertThat(tokens.forIntegration("int_3").map(TokenRecord::id)).contains(second.record().id());
        assertThat(tokens.list()).extracting(TokenRecord::id).containsExactly(other.record().id(), second.record().id());

        assertThat(tokens.deleteForIntegration("int_3")).isEqualTo(1);
        assertThat(tokens.authenticate(second.secret(), ADDRESS)).isEqualTo(new TokenAuthentication.Refused(TokenFailure.UNKNOWN));
        assertThat(tokens.forIntegration("int_3")).isEmpty();
    }

    @Test
    void listIsOrderedByCreationThenId()
    {
        CreatedToken a = tokens.create("a", TokenExpiry.P1M, TokenScope.INGEST, Optional.empty());
        CreatedToken b = tokens.create("b", TokenExpiry.P1M, TokenScope.INGEST, Optional.empty());
        clock.advance(Duration.ofSeconds(-30));
        CreatedToken c = tokens.create("c", TokenExpiry.P1M, TokenScope.INGEST, Optional.empty());

        List<String> sameInstant = a.record().id().compareTo(b.record().id()) < 0
                ? List.of(a.record().id(), b.record().id())
                : List.of(b.record().id(), a.record().id());
        assertThat(tokens.list()).extracting(TokenRecord::id)
                .containsExactly(c.record().id(), sameInstant.get(0), sameInstant.get(1));
    }

    @Test
    void refusesInvalidRequestsWithAClearMessage()
    {
        assertThatThrownBy(() -> tokens.create(" ", TokenExpiry.P1M, TokenScope.INGEST, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a token needs a name: give one that says who or what uses it");
        assertThatThrownBy(() -> tokens.create("x", TokenExpiry.P1M, TokenScope.INTEGRATION, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a token of scope 'integration' needs an integration id");
        assertThatThrownBy(() -> tokens.create("x", TokenExpiry.P1M, TokenScope.INGEST, Optional.of("int_9")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a token of scope 'ingest' cannot belong to integration 'int_9': use scope 'integration'");
        assertThat(rawTokens().size()).isZero();
    }

    private void awaitLastUsed(String id, Instant expected)
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!tokens.get(id).orElseThrow().lastUsedAt().equals(Optional.of(expected)) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(tokens.get(id).orElseThrow().lastUsedAt()).contains(expected);
    }

    private static IMap<String, String> rawTokens()
    {
        return members.member(0).getMap(TokenService.TOKENS_MAP);
    }

    private static IMap<String, String> rawHashes()
    {
        return members.member(0).getMap(TokenService.TOKEN_HASHES_MAP);
    }
}
