package io.runlight.connector.webhook;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.InsightsSummary;
import io.runlight.plugin.api.connector.PackageUsageChange;

import static java.util.Objects.requireNonNull;

/**
 * The {@code data} of one event of the runlight payload: an image's state as seen from
 * one cluster it runs in.
 *
 * @param imageDigest the image
 * @param cluster a cluster where the image runs; empty when no workload of it is known
 * @param summary the image's counts (verdicts are per image, over every cluster)
 * @param changes the packages whose verdict changed, sorted by purl
 */
record ImageEvent(ImageDigest imageDigest, Optional<String> cluster, InsightsSummary summary, List<PackageUsageChange> changes)
{
    ImageEvent
    {
        requireNonNull(imageDigest, "imageDigest is null");
        requireNonNull(cluster, "cluster is null");
        requireNonNull(summary, "summary is null");
        changes = requireNonNull(changes, "changes is null").stream()
                .sorted(Comparator.comparing((PackageUsageChange change) -> change.purl().toString()))
                .toList();
    }
}
