package io.runlight.hub.store;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import com.hazelcast.map.IMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.runlight.hub.Await;
import io.runlight.hub.token.HazelcastMembers;
import io.runlight.hub.token.TokenService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ReadMostlyMaps#getAsync} on two real members: a key held by the near cache is answered
 * at once on the calling thread (the future is done when returned, so no executor runs the
 * rest), a key it does not hold goes to the cluster; a change or removal on the other member
 * is seen as {@code IMap.get} sees it.
 */
@Tag("cluster")
final class TestReadMostlyMaps
{
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
    void aNearCacheHitIsAnsweredOnTheCallingThread()
    {
        IMap<String, String> onA = members.member(0).getMap(TokenService.TOKENS_MAP);
        IMap<String, String> onB = members.member(1).getMap(TokenService.TOKENS_MAP);
        onA.set("tok_read_mostly", "{\"v\":1}");

        // the first read fills B's near cache (through the cluster, which publishes to the near cache in the background);
        // later reads are answered from it, at once
        assertThat((Object) onB).isInstanceOf(com.hazelcast.map.impl.proxy.NearCachedMapProxyImpl.class);
        assertThat(ReadMostlyMaps.getAsync(onB, "tok_read_mostly").toCompletableFuture().join()).isEqualTo("{\"v\":1}");
        // a read whose result the near cache must not keep (A's invalidation of its own write arrived after B reserved the entry) is
        // followed by another: read until one is kept
        Await.await("member B's near cache to hold the key", Duration.ofSeconds(10), () -> {
            onB.get("tok_read_mostly");
            return onB.getLocalMapStats().getNearCacheStats().getOwnedEntryCount() == 1;
        });
        long hits = onB.getLocalMapStats().getNearCacheStats().getHits();
        CompletableFuture<String> hit = ReadMostlyMaps.getAsync(onB, "tok_read_mostly").toCompletableFuture();
        assertThat(hit).isDone();
        assertThat(hit.join()).isEqualTo("{\"v\":1}");
        assertThat(onB.getLocalMapStats().getNearCacheStats().getHits()).isEqualTo(hits + 1);

        // a key that is not there is cached as absent, and answered at once too
        Await.await("member B's near cache to hold the absent key", Duration.ofSeconds(10), () -> {
            assertThat(onB.get("tok_never")).isNull();
            return onB.getLocalMapStats().getNearCacheStats().getOwnedEntryCount() == 2;
        });
        CompletableFuture<String> absent = ReadMostlyMaps.getAsync(onB, "tok_never").toCompletableFuture();
        assertThat(absent).isDone();
        assertThat(absent.join()).isNull();

        // a change on A invalidates B's copy: B then reads the new value
        onA.set("tok_read_mostly", "{\"v\":2}");
        Await.await("member B to read the changed value", Duration.ofSeconds(5),
                () -> "{\"v\":2}".equals(ReadMostlyMaps.getAsync(onB, "tok_read_mostly").toCompletableFuture().join()));
        onA.delete("tok_read_mostly");
        Await.await("member B to read the removal", Duration.ofSeconds(5),
                () -> ReadMostlyMaps.getAsync(onB, "tok_read_mostly").toCompletableFuture().join() == null);
    }

    @Test
    void aMapWithoutNearCacheIsReadThroughTheCluster()
    {
        IMap<String, String> onA = members.member(0).getMap("plain");
        IMap<String, String> onB = members.member(1).getMap("plain");
        onA.set("key", "value");
        assertThat(ReadMostlyMaps.getAsync(onB, "key").toCompletableFuture().join()).isEqualTo("value");
        assertThat(ReadMostlyMaps.getAsync(onB, "missing").toCompletableFuture().join()).isNull();
    }
}
