package io.runlight.plugin.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.WorkloadInsights;
import io.runlight.plugin.api.connector.InsightsQuery;
import io.runlight.plugin.api.connector.Page;
import io.runlight.plugin.api.connector.PageRequest;
import io.runlight.plugin.api.connector.VexFormat;
import io.runlight.plugin.api.connector.WorkloadQuery;

import static java.util.Objects.requireNonNull;

/**
 * An {@link InsightsQuery} over the records a test adds, answering as the hub does:
 * workloads ordered by workload then digest, images by digest; an image found by its
 * digest or an alias; a cursor that names the last item returned (so it stays valid when
 * items are added) and an {@link IllegalArgumentException} for a cursor it did not issue.
 */
public final class TestingInsightsQuery
        implements InsightsQuery
{
    private static final Comparator<WorkloadInsights> WORKLOAD_ORDER = Comparator.comparing(WorkloadInsights::workload)
            .thenComparing(insights -> insights.imageDigest().value());
    private static final String SEPARATOR = "\u0000";

    private final List<WorkloadInsights> workloads = new ArrayList<>();
    private final TreeMap<String, ImageInsights> images = new TreeMap<>();
    private final Map<String, byte[]> vex = new TreeMap<>();

    /** Adds the per-container view of an image. */
    public synchronized TestingInsightsQuery add(WorkloadInsights workload)
    {
        workloads.add(requireNonNull(workload, "workload is null"));
        workloads.sort(WORKLOAD_ORDER);
        return this;
    }

    /** Adds (or replaces) an image's insights. */
    public synchronized TestingInsightsQuery add(ImageInsights image)
    {
        images.put(requireNonNull(image, "image is null").digest().value(), image);
        return this;
    }

    /** Makes {@link #vex} return this document for the digest (and, once the image is added, for its aliases). */
    public synchronized TestingInsightsQuery addVex(ImageDigest digest, VexFormat format, byte[] document)
    {
        vex.put(vexKey(requireNonNull(digest, "digest is null"), requireNonNull(format, "format is null")), requireNonNull(document, "document is null").clone());
        return this;
    }

    @Override
    public synchronized Page<WorkloadInsights> workloads(WorkloadQuery query, PageRequest page)
    {
        List<WorkloadInsights> matching = workloads.stream()
                .filter(item -> query.cluster().map(item.workload().cluster()::equals).orElse(true))
                .filter(item -> query.namespace().map(item.workload().namespace()::equals).orElse(true))
                .toList();
        return page(matching, page, TestingInsightsQuery::key, key -> key.split(SEPARATOR, -1).length == 6);
    }

    @Override
    public synchronized Page<ImageInsights> images(PageRequest page)
    {
        return page(List.copyOf(images.values()), page, image -> image.digest().value(), TestingInsightsQuery::isDigest);
    }

    @Override
    public synchronized Optional<ImageInsights> image(ImageDigest digest)
    {
        return images.values().stream()
                .filter(image -> image.digest().equals(digest) || image.aliases().contains(digest))
                .findFirst();
    }

    @Override
    public synchronized Optional<byte[]> vex(ImageDigest digest, VexFormat format)
    {
        byte[] document = vex.get(vexKey(digest, format));
        if (document == null) {
            // asked by an alias of an image that was added
            document = image(digest).map(image -> vex.get(vexKey(image.digest(), format))).orElse(null);
        }
        return Optional.ofNullable(document).map(byte[]::clone);
    }

    private static <T> Page<T> page(List<T> ordered, PageRequest page, Function<T, String> key, Predicate<String> wellFormed)
    {
        Optional<String> after = page.cursor().map(cursor -> decode(cursor, wellFormed));
        List<T> remaining = ordered.stream()
                .filter(item -> after.map(last -> key.apply(item).compareTo(last) > 0).orElse(true))
                .toList();
        List<T> items = remaining.subList(0, Math.min(page.limit(), remaining.size()));
        Optional<String> next = Optional.empty();
        if (remaining.size() > items.size()) {
            next = Optional.of(Base64.getUrlEncoder().withoutPadding().encodeToString(key.apply(items.get(items.size() - 1)).getBytes(StandardCharsets.UTF_8)));
        }
        return new Page<>(items, next);
    }

    // a sort key whose string order is the listing order (fields are separated by NUL)
    private static String key(WorkloadInsights item)
    {
        return String.join(SEPARATOR, item.workload().cluster(), item.workload().namespace(), item.workload().kind(),
                item.workload().name(), item.workload().container(), item.imageDigest().value());
    }

    private static String vexKey(ImageDigest digest, VexFormat format)
    {
        return digest.value() + "|" + format;
    }

    private static boolean isDigest(String key)
    {
        try {
            new ImageDigest(key);
            return true;
        }
        catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String decode(String cursor, Predicate<String> wellFormed)
    {
        try {
            String key = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!wellFormed.test(key)) {
                throw new IllegalArgumentException("invalid cursor '" + cursor + "'");
            }
            return key;
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cursor '" + cursor + "'", e);
        }
    }
}
