package io.runlight.connector.scout;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
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

/**
 * A hand-written context: a TreeMap for state, a clock tests move, and insights that
 * return the records a test gives.
 */
final class TestingConnectorContext
        implements ConnectorContext
{
    private final TreeMapState state = new TreeMapState();
    private final MovableClock clock;
    private final FakeInsightsQuery insights = new FakeInsightsQuery();

    TestingConnectorContext(Instant now)
    {
        this.clock = new MovableClock(now);
    }

    @Override
    public String integrationId()
    {
        return "int-1";
    }

    @Override
    public String integrationName()
    {
        return "scout-test";
    }

    @Override
    public String hubVersion()
    {
        return "0.1.0";
    }

    @Override
    public FakeInsightsQuery insights()
    {
        return insights;
    }

    @Override
    public TreeMapState state()
    {
        return state;
    }

    @Override
    public MovableClock clock()
    {
        return clock;
    }

    static final class TreeMapState
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
            if (key.length() > 256) {
                throw new IllegalArgumentException("state key longer than 256 characters: " + key);
            }
            values.put(key, value);
        }

        @Override
        public void remove(String key)
        {
            values.remove(key);
        }

        @Override
        public Map<String, String> entries(String prefix)
        {
            return new TreeMap<>(values.tailMap(prefix, true).headMap(prefix + Character.MAX_VALUE));
        }
    }

    static final class MovableClock
            extends Clock
    {
        private Instant now;

        MovableClock(Instant now)
        {
            this.now = now;
        }

        void set(Instant instant)
        {
            now = instant;
        }

        @Override
        public ZoneId getZone()
        {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone)
        {
            throw new UnsupportedOperationException("the testing clock is UTC only");
        }

        @Override
        public Instant instant()
        {
            return now;
        }
    }

    static final class FakeInsightsQuery
            implements InsightsQuery
    {
        private final TreeMap<String, ImageInsights> images = new TreeMap<>();
        private final Map<String, byte[]> vex = new HashMap<>();

        void add(ImageInsights image)
        {
            images.put(image.digest().value(), image);
        }

        void addVex(ImageDigest digest, byte[] document)
        {
            vex.put(digest.value(), document.clone());
        }

        @Override
        public Page<WorkloadInsights> workloads(WorkloadQuery query, PageRequest page)
        {
            return new Page<>(List.of(), Optional.empty());
        }

        @Override
        public Page<ImageInsights> images(PageRequest page)
        {
            return new Page<>(List.copyOf(images.values()), Optional.empty());
        }

        @Override
        public Optional<ImageInsights> image(ImageDigest digest)
        {
            return Optional.ofNullable(images.get(digest.value()));
        }

        @Override
        public Optional<byte[]> vex(ImageDigest digest, VexFormat format)
        {
            if (format != VexFormat.OPENVEX) {
                return Optional.empty();
            }
            return Optional.ofNullable(vex.get(digest.value())).map(byte[]::clone);
        }
    }
}
