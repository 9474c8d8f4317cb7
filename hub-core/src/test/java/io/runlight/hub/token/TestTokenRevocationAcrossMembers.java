package io.runlight.hub.token;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.runlight.hub.store.HazelcastAsyncExecutor;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("cluster")
class TestTokenRevocationAcrossMembers
{
    private static final String ADDRESS = "192.0.2.20";

    private static HazelcastMembers members;

    @BeforeAll
    static void startMembers()
    {
        members = HazelcastMembers.start(2);
    }

    @AfterAll
    static void stopMembers()
    {
        members.close();
    }

    @Test
    void deleteOnOneMemberIsRefusedOnTheOtherWithinOneSecond()
    {
        assertThat(members.member(0).getCluster().getMembers()).hasSize(2);
        TokenService memberA = service(0);
        TokenService memberB = service(1);
        CreatedToken created = memberA.create("snyk", TokenExpiry.P3M, TokenScope.INTEGRATION, Optional.of("int_1"));
        assertThat(memberB.authenticate(created.secret(), ADDRESS)).isInstanceOf(TokenAuthentication.Accepted.class);
        // the first use is written in the background (which invalidates the cached record once)
        long writeDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (memberB.get(created.record().id()).orElseThrow().lastUsedAt().isEmpty() && System.nanoTime() < writeDeadline) {
            Thread.onSpinWait();
        }
        assertThat(memberB.get(created.record().id()).orElseThrow().lastUsedAt()).isPresent();
        assertThat(memberB.authenticate(created.secret(), ADDRESS)).isInstanceOf(TokenAuthentication.Accepted.class);
        // from now on member B checks the token from its own memory: no call to the owner of the key
        long hitsBefore = nearCacheHits(1, TokenService.TOKEN_HASHES_MAP) + nearCacheHits(1, TokenService.TOKENS_MAP);
        assertThat(memberB.authenticate(created.secret(), ADDRESS)).isInstanceOf(TokenAuthentication.Accepted.class);
        assertThat(nearCacheHits(1, TokenService.TOKEN_HASHES_MAP) + nearCacheHits(1, TokenService.TOKENS_MAP)).isEqualTo(hitsBefore + 2);

        assertThat(memberA.delete(created.record().id())).isTrue();
        long deletedAt = System.nanoTime();
        TokenAuthentication onB = memberB.authenticate(created.secret(), ADDRESS);
        while (onB instanceof TokenAuthentication.Accepted && System.nanoTime() - deletedAt < Duration.ofSeconds(2).toNanos()) {
            onB = memberB.authenticate(created.secret(), ADDRESS);
        }

        assertThat(onB).isEqualTo(new TokenAuthentication.Refused(TokenFailure.UNKNOWN));
        assertThat(Duration.ofNanos(System.nanoTime() - deletedAt)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void renewOnOneMemberIsSeenOnTheOther()
    {
        TokenService memberA = service(0);
        TokenService memberB = service(1);
        CreatedToken created = memberA.create("ci", TokenExpiry.P1M, TokenScope.INGEST, Optional.empty());

        TokenRecord renewed = memberB.renew(created.record().id(), TokenExpiry.P1Y).orElseThrow();

        assertThat(memberA.get(created.record().id())).contains(renewed);
        assertThat(memberA.authenticate(created.secret(), ADDRESS)).isEqualTo(new TokenAuthentication.Accepted(renewed));
    }

    private static long nearCacheHits(int member, String map)
    {
        return members.member(member).getMap(map).getLocalMapStats().getNearCacheStats().getHits();
    }

    private static TokenService service(int member)
    {
        Clock clock = Clock.systemUTC();
        return new TokenService(members.member(member), clock, new TokenSecrets(new SecureRandom()), FailedAttemptLimiter.withDefaults(clock), HazelcastAsyncExecutor.executor());
    }
}
