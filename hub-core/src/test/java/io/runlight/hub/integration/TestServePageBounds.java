package io.runlight.hub.integration;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.ServeResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kept pages of insights-only routes: answered only at the version they were computed at,
 * only successes, per connector instance (whatever its {@code equals}), path and query, and
 * bounded by count and bytes with the least recently used leaving first.
 */
final class TestServePageBounds
{
    private final AtomicLong version = new AtomicLong(7);
    private final AtomicReference<OptionalLong> settled = new AtomicReference<>(OptionalLong.of(7));
    private final Connector connector = new Connector() {};

    @Test
    void aPageIsAnsweredOnlyAtTheVersionItWasComputedAt()
    {
        ServePages pages = new ServePages(version::get, settled::get);
        ServePages.Key key = key(connector, "/v1/images", Map.of("limit", List.of("5")));
        assertThat(pages.get(key)).isEmpty();

        pages.put(key, pages.versionToKeep().orElseThrow(), page("one"));
        assertThat(pages.get(key)).hasValueSatisfying(response -> assertThat(text(response)).isEqualTo("one"));
        assertThat(pages.get(key(connector, "/v1/images", Map.of("limit", List.of("5"))))).as("an equal key").isPresent();

        version.incrementAndGet();
        assertThat(pages.get(key)).isEmpty();
        assertThat(pages.size()).as("a stale page is dropped when found").isZero();

        // computed before the change, stored after it: never answered
        pages.put(key, 7, page("stale"));
        assertThat(pages.get(key)).isEmpty();
    }

    @Test
    void whileAChangeSettlesNothingIsKept()
    {
        ServePages pages = new ServePages(version::get, settled::get);
        settled.set(OptionalLong.empty());
        assertThat(pages.versionToKeep()).isEmpty();
    }

    @Test
    void onlySuccessesAreKept()
    {
        ServePages pages = new ServePages(version::get, settled::get);
        ServePages.Key key = key(connector, "/v1/images", Map.of());
        pages.put(key, 7, ServeResponse.error(400, "bad_request", "no"));
        pages.put(key, 7, ServeResponse.error(404, "not_found", "no"));
        pages.put(key, 7, ServeResponse.json(201, "{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(pages.get(key)).isEmpty();
        assertThat(pages.size()).isZero();
    }

    @Test
    void keysAreTheConnectorInstanceThePathAndTheQuery()
    {
        Connector equalToEveryone = equalToEveryConnector();
        Connector another = equalToEveryConnector();
        ServePages pages = new ServePages(version::get, settled::get);
        pages.put(key(equalToEveryone, "/v1/images", Map.of()), 7, page("first"));

        assertThat(pages.get(key(another, "/v1/images", Map.of()))).as("another instance").isEmpty();
        assertThat(pages.get(key(equalToEveryone, "/v2/images", Map.of()))).as("another path").isEmpty();
        assertThat(pages.get(key(equalToEveryone, "/v1/images", Map.of("limit", List.of("1"))))).as("another query").isEmpty();
        assertThat(pages.get(key(equalToEveryone, "/v1/images", Map.of()))).isPresent();
    }

    @Test
    void theLeastRecentlyUsedPagesLeaveFirstPastEitherBound()
    {
        ServePages byCount = new ServePages(version::get, settled::get, 3, 1024 * 1024);
        ServePages.Key first = key(connector, "/p", Map.of("n", List.of("1")));
        ServePages.Key second = key(connector, "/p", Map.of("n", List.of("2")));
        ServePages.Key third = key(connector, "/p", Map.of("n", List.of("3")));
        ServePages.Key fourth = key(connector, "/p", Map.of("n", List.of("4")));
        byCount.put(first, 7, page("1"));
        byCount.put(second, 7, page("2"));
        byCount.put(third, 7, page("3"));
        assertThat(byCount.get(first)).isPresent();
        byCount.put(fourth, 7, page("4"));
        assertThat(byCount.size()).isEqualTo(3);
        assertThat(byCount.get(second)).as("the least recently used").isEmpty();
        assertThat(byCount.get(first)).isPresent();
        assertThat(byCount.get(third)).isPresent();
        assertThat(byCount.get(fourth)).isPresent();

        // each page counts its body and 256 bytes: two 744-byte bodies fit in 2,000 bytes, a third pushes the oldest out
        ServePages byBytes = new ServePages(version::get, settled::get, 100, 2000);
        byBytes.put(first, 7, page("a".repeat(744)));
        byBytes.put(second, 7, page("b".repeat(744)));
        assertThat(byBytes.size()).isEqualTo(2);
        byBytes.put(third, 7, page("c".repeat(744)));
        assertThat(byBytes.size()).isEqualTo(2);
        assertThat(byBytes.get(first)).isEmpty();
        assertThat(byBytes.get(third)).isPresent();
        // a page larger than the whole bound is answered but never kept
        byBytes.put(fourth, 7, page("d".repeat(4000)));
        assertThat(byBytes.get(fourth)).isEmpty();
        assertThat(byBytes.get(third)).isPresent();
    }

    /** A connector whose equals says it is every other: keys must still tell instances apart. */
    private static Connector equalToEveryConnector()
    {
        return new Connector()
        {
            @Override
            public boolean equals(Object other)
            {
                return true;
            }

            @Override
            public int hashCode()
            {
                return 1;
            }
        };
    }

    private static ServePages.Key key(Connector connector, String path, Map<String, List<String>> query)
    {
        return new ServePages.Key(connector, path, query);
    }

    private static ServeResponse page(String body)
    {
        return ServeResponse.json(200, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ServeResponse response)
    {
        return new String(response.body().toArray(), StandardCharsets.UTF_8);
    }
}
