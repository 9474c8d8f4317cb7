package io.runlight.connector.snyk;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.WorkloadInsights;
import io.runlight.plugin.api.connector.InsightsQuery;
import io.runlight.plugin.api.connector.Page;
import io.runlight.plugin.api.connector.PageRequest;
import io.runlight.plugin.api.connector.VexFormat;
import io.runlight.plugin.api.connector.WorkloadQuery;

/**
 * An {@link InsightsQuery} over a list of records, paging as the hub does: ordered by
 * workload then digest, with a base64url cursor that names the last item returned (so
 * it stays valid when items are added) and an {@link IllegalArgumentException} for
 * any other cursor.
 */
final class TestingInsightsQuery
        implements InsightsQuery
{
    private static final Comparator<WorkloadInsights> ORDER = Comparator.comparing(WorkloadInsights::workload)
            .thenComparing(insights -> insights.imageDigest().value());
    private static final String SEPARATOR = "\u0000";

    private final List<WorkloadInsights> workloads = new ArrayList<>();
    private final List<ImageInsights> images = new ArrayList<>();

    synchronized void add(WorkloadInsights workload)
    {
        workloads.add(workload);
        workloads.sort(ORDER);
    }

    synchronized void add(ImageInsights image)
    {
        images.add(image);
        images.sort(Comparator.comparing(item -> item.digest().value()));
    }

    @Override
    public synchronized Page<WorkloadInsights> workloads(WorkloadQuery query, PageRequest page)
    {
        Optional<String> after = page.cursor().map(TestingInsightsQuery::decode);
        List<WorkloadInsights> matching = workloads.stream()
                .filter(item -> query.cluster().map(item.workload().cluster()::equals).orElse(true))
                .filter(item -> query.namespace().map(item.workload().namespace()::equals).orElse(true))
                .filter(item -> after.map(key -> key(item).compareTo(key) > 0).orElse(true))
                .toList();
        List<WorkloadInsights> items = matching.subList(0, Math.min(page.limit(), matching.size()));
        Optional<String> next = Optional.empty();
        if (matching.size() > items.size()) {
            next = Optional.of(Base64.getUrlEncoder().withoutPadding().encodeToString(key(items.get(items.size() - 1)).getBytes(StandardCharsets.UTF_8)));
        }
        return new Page<>(items, next);
    }

    @Override
    public synchronized Page<ImageInsights> images(PageRequest page)
    {
        if (page.cursor().isPresent()) {
            throw new IllegalArgumentException("invalid cursor");
        }
        return new Page<>(images.subList(0, Math.min(page.limit(), images.size())), Optional.empty());
    }

    @Override
    public synchronized Optional<ImageInsights> image(ImageDigest digest)
    {
        return images.stream().filter(image -> image.digest().equals(digest) || image.aliases().contains(digest)).findFirst();
    }

    @Override
    public Optional<byte[]> vex(ImageDigest digest, VexFormat format)
    {
        return Optional.empty();
    }

    // a sort key whose string order is the listing order (fields are separated by NUL)
    private static String key(WorkloadInsights item)
    {
        return String.join(SEPARATOR, item.workload().cluster(), item.workload().namespace(), item.workload().kind(),
                item.workload().name(), item.workload().container(), item.imageDigest().value());
    }

    private static String decode(String cursor)
    {
        try {
            String key = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (key.split(SEPARATOR, -1).length != 6) {
                throw new IllegalArgumentException("invalid cursor '" + cursor + "'");
            }
            return key;
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cursor '" + cursor + "'", e);
        }
    }
}
