package io.runlight.hub.integration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.ServeResponse;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The last answers of {@linkplain io.runlight.plugin.api.connector.Route#insightsOnly() insights-only}
 * routes, per connector instance, path and query: such an answer stays right while the insights
 * have not changed, so a monitor polling the same page is answered from here, on the event loop,
 * without a worker, the maps or the connector. Only successful answers are kept, each with the
 * insights version it was computed at; a page computed while a change may not have reached
 * every read yet is answered but not kept ({@code io.runlight.hub.insights.InsightsVersion}).
 * A connector instance replaced (configuration changed, plugin reloaded) has new keys, and its
 * old pages leave as the least recently used.
 * <p>
 * Bounded by entries and by body bytes; thread-safe.
 */
final class ServePages
{
    /** The pages kept at most. */
    static final int MAX_PAGES = 1024;
    /** The body bytes kept at most. */
    static final long MAX_BYTES = 32L * 1024 * 1024;

    private final LongSupplier currentVersion;
    private final Supplier<OptionalLong> settledVersion;
    private final int maxPages;
    private final long maxBytes;
    // guarded by itself; in access order, so the least recently used page leaves first
    private final LinkedHashMap<Key, Page> pages = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    /**
     * @param currentVersion the insights version now
     * @param settledVersion the insights version now, if what is computed from now on may be kept
     */
    ServePages(LongSupplier currentVersion, Supplier<OptionalLong> settledVersion)
    {
        this(currentVersion, settledVersion, MAX_PAGES, MAX_BYTES);
    }

    ServePages(LongSupplier currentVersion, Supplier<OptionalLong> settledVersion, int maxPages, long maxBytes)
    {
        this.currentVersion = requireNonNull(currentVersion, "currentVersion is null");
        this.settledVersion = requireNonNull(settledVersion, "settledVersion is null");
        checkArgument(maxPages > 0, "maxPages must be positive");
        checkArgument(maxBytes > 0, "maxBytes must be positive");
        this.maxPages = maxPages;
        this.maxBytes = maxBytes;
    }

    /** Where a page would be kept: the connector instance (by identity), the path and the decoded query. */
    record Key(Connector connector, String path, Map<String, List<String>> query)
    {
        Key
        {
            requireNonNull(connector, "connector is null");
            requireNonNull(path, "path is null");
            query = Map.copyOf(query);
        }

        @Override
        public boolean equals(Object other)
        {
            // a connector instance is its own page space: never equal to another instance, whatever its equals says
            return other instanceof Key key && key.connector == connector && key.path.equals(path) && key.query.equals(query);
        }

        @Override
        public int hashCode()
        {
            return System.identityHashCode(connector) * 31 * 31 + path.hashCode() * 31 + query.hashCode();
        }
    }

    private record Page(long version, ServeResponse response, long size) {}

    /** The kept answer for this key, if it was computed at the insights version of now. */
    Optional<ServeResponse> get(Key key)
    {
        long now = currentVersion.getAsLong();
        synchronized (pages) {
            Page page = pages.get(key);
            if (page == null) {
                return Optional.empty();
            }
            if (page.version() != now) {
                remove(key, page);
                return Optional.empty();
            }
            return Optional.of(page.response());
        }
    }

    /**
     * The version to give {@link #put} for a page computed from now on, if it may be kept. Take
     * it before the connector reads the insights: a change while it reads moves the version, so
     * the page is never answered again.
     */
    OptionalLong versionToKeep()
    {
        return settledVersion.get();
    }

    /** Keeps a successful answer computed at {@code version}; any other answer is not kept. */
    void put(Key key, long version, ServeResponse response)
    {
        requireNonNull(key, "key is null");
        requireNonNull(response, "response is null");
        if (response.status() != 200) {
            return;
        }
        long size = response.body().length() + 256L;
        if (size > maxBytes) {
            return;
        }
        synchronized (pages) {
            Page previous = pages.put(key, new Page(version, response, size));
            if (previous != null) {
                bytes -= previous.size();
            }
            bytes += size;
            var eldest = pages.entrySet().iterator();
            while ((pages.size() > maxPages || bytes > maxBytes) && eldest.hasNext()) {
                Map.Entry<Key, Page> entry = eldest.next();
                bytes -= entry.getValue().size();
                eldest.remove();
            }
        }
    }

    /** How many pages are kept. */
    int size()
    {
        synchronized (pages) {
            return pages.size();
        }
    }

    private void remove(Key key, Page page)
    {
        if (pages.remove(key, page)) {
            bytes -= page.size();
        }
    }
}
