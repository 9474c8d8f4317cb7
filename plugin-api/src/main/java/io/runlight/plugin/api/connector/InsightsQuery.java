package io.runlight.plugin.api.connector;

import java.util.Optional;

import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.WorkloadInsights;

/**
 * Read-only access to the hub's insights, for connectors.
 */
public interface InsightsQuery
{
    /**
     * Workload containers, ordered by {@link io.runlight.plugin.api.Workload} then image digest.
     *
     * @throws IllegalArgumentException if the page's cursor was not issued by this listing
     */
    Page<WorkloadInsights> workloads(WorkloadQuery query, PageRequest page);

    /**
     * Images, ordered by digest.
     *
     * @throws IllegalArgumentException if the page's cursor was not issued by this listing
     */
    Page<ImageInsights> images(PageRequest page);

    /** One image, by any of its digests. */
    Optional<ImageInsights> image(ImageDigest digest);

    /** The VEX document of an image, by any of its digests. */
    Optional<byte[]> vex(ImageDigest digest, VexFormat format);
}
