package io.runlight.connector.webhook;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
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
 * A hand-written {@link ConnectorContext}: insights from records the test builds, a
 * state backed by a TreeMap, and the clock the test gives.
 */
final class TestingConnectorContext
        implements ConnectorContext
{
    private final Clock clock;
    private final FakeInsightsQuery insights = new FakeInsightsQuery();
    private final TreeMapState state = new TreeMapState();

    TestingConnectorContext(Clock clock)
    {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Adds an image and the per-container views of it. */
    TestingConnectorContext withImage(ImageInsights image, List<WorkloadInsights> workloads)
    {
        insights.images.put(image.digest().value(), image);
        insights.workloads.addAll(workloads);
        return this;
    }

    /** Makes {@link InsightsQuery#vex} return this document for the image. */
    TestingConnectorContext withVex(ImageDigest digest, VexFormat format, byte[] document)
    {
        insights.vex.put(digest.value() + "|" + format, document.clone());
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
        return "security-lake";
    }

    @Override
    public String hubVersion()
    {
        return "0.1.0";
    }

    @Override
    public InsightsQuery insights()
    {
        return insights;
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

    private static final class FakeInsightsQuery
            implements InsightsQuery
    {
        private final SortedMap<String, ImageInsights> images = new TreeMap<>();
        private final List<WorkloadInsights> workloads = new ArrayList<>();
        private final Map<String, byte[]> vex = new TreeMap<>();

        @Override
        public Page<WorkloadInsights> workloads(WorkloadQuery query, PageRequest page)
        {
            List<WorkloadInsights> matching = workloads.stream()
                    .filter(item -> query.cluster().map(cluster -> cluster.equals(item.workload().cluster())).orElse(true))
                    .filter(item -> query.namespace().map(namespace -> namespace.equals(item.workload().namespace())).orElse(true))
                    .sorted(Comparator.comparing(WorkloadInsights::workload).thenComparing(item -> item.imageDigest().value()))
                    .toList();
            return page(matching, page);
        }

        @Override
        public Page<ImageInsights> images(PageRequest page)
        {
            return page(List.copyOf(images.values()), page);
        }

        @Override
        public Optional<ImageInsights> image(ImageDigest digest)
        {
            return images.values().stream()
                    .filter(image -> image.digest().equals(digest) || image.aliases().contains(digest))
                    .findFirst();
        }

        @Override
        public Optional<byte[]> vex(ImageDigest digest, VexFormat format)
        {
            return image(digest)
                    .map(image -> vex.get(image.digest().value() + "|" + format))
                    .map(byte[]::clone);
        }

        // the cursor is the index of the first item of the page: enough for the fixed data of a test
        private static <T> Page<T> page(List<T> items, PageRequest page)
        {
            int start = 0;
            if (page.cursor().isPresent()) {
                try {
                    start = Integer.parseInt(page.cursor().get());
                }
                catch (NumberFormatException e) {
                    throw new IllegalArgumentException("cursor '" + page.cursor().get() + "' was not issued by this listing", e);
                }
            }
            int end = Math.min(items.size(), start + page.limit());
            Optional<String> next = end < items.size() ? Optional.of(Integer.toString(end)) : Optional.empty();
            return new Page<>(items.subList(Math.min(start, end), end), next);
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
