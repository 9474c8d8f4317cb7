package io.runlight.examples.summary;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.WorkloadInsights;
import io.runlight.plugin.api.connector.ConnectorContext;
import io.runlight.plugin.api.connector.ConnectorState;
import io.runlight.plugin.api.connector.InsightsQuery;
import io.runlight.plugin.api.connector.Page;
import io.runlight.plugin.api.connector.PageRequest;
import io.runlight.plugin.api.connector.VexFormat;
import io.runlight.plugin.api.connector.WorkloadQuery;

import static java.util.Objects.requireNonNull;

/**
 * A hand-written {@link ConnectorContext} for tests: images the test adds, a state in a
 * TreeMap, and the clock the test gives. Copy it into your own plugin's tests.
 */
final class TestingConnectorContext
        implements ConnectorContext
{
    private final Clock clock;
    private final Images images = new Images();
    private final TreeMapState state = new TreeMapState();

    TestingConnectorContext(Clock clock)
    {
        this.clock = requireNonNull(clock, "clock is null");
    }

    TestingConnectorContext withImage(ImageInsights image)
    {
        images.byDigest.put(image.digest().value(), image);
        return this;
    }

    @Override
    public String integrationId()
    {
        return "int_7Hq2";
    }

    @Override
    public String integrationName()
    {
        return "team-chat";
    }

    @Override
    public String hubVersion()
    {
        return "0.1.0";
    }

    @Override
    public InsightsQuery insights()
    {
        return images;
    }

    @Override
    public ConnectorState state()
    {
        return state;
    }

    @Override
    public Clock clock()
    {
        return clock;
    }

    /** Images ordered by digest; a cursor is the index of the page's first item, as text. */
    private static final class Images
            implements InsightsQuery
    {
        private final TreeMap<String, ImageInsights> byDigest = new TreeMap<>();

        @Override
        public Page<WorkloadInsights> workloads(WorkloadQuery query, PageRequest page)
        {
            return new Page<>(List.of(), Optional.empty());
        }

        @Override
        public Page<ImageInsights> images(PageRequest page)
        {
            List<ImageInsights> all = new ArrayList<>(byDigest.values());
            int start;
            try {
                start = page.cursor().map(Integer::parseInt).orElse(0);
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException("cursor '" + page.cursor().orElseThrow() + "' was not issued by this listing", e);
            }
            int end = Math.min(all.size(), start + page.limit());
            Optional<String> next = end < all.size() ? Optional.of(Integer.toString(end)) : Optional.empty();
            return new Page<>(all.subList(Math.min(start, end), end), next);
        }

        @Override
        public Optional<ImageInsights> image(ImageDigest digest)
        {
            return Optional.ofNullable(byDigest.get(digest.value()));
        }

        @Override
        public Optional<byte[]> vex(ImageDigest digest, VexFormat format)
        {
            return Optional.empty();
        }
    }

    private static final class TreeMapState
            implements ConnectorState
    {
        private final TreeMap<String, String> values = new TreeMap<>();

        @Override
        public Optional<String> get(String key)
        {
            return Optional.ofNullable(values.get(key));
        }

        @Override
        public void put(String key, String value)
        {
            values.put(requireNonNull(key, "key is null"), requireNonNull(value, "value is null"));
        }

        @Override
        public void remove(String key)
        {
            values.remove(key);
        }

        @Override
        public Map<String, String> entries(String prefix)
        {
            TreeMap<String, String> matching = new TreeMap<>();
            values.forEach((key, value) -> {
                if (key.startsWith(prefix)) {
                    matching.put(key, value);
                }
            });
            return Collections.unmodifiableMap(matching);
        }
    }
}
