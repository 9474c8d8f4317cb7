package io.runlight.insights.correlate;

import java.util.List;

import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.WorkloadInsights;

import static java.util.Objects.requireNonNull;

/**
 * The result of analysing one image: the image view aggregated over all its containers,
 * and one view per workload container that runs it.
 *
 * @param image the image's packages and vulnerabilities with their verdicts
 * @param workloads per workload container, ordered by workload
 */
public record ImageAnalysis(ImageInsights image, List<WorkloadInsights> workloads)
{
    public ImageAnalysis
    {
        requireNonNull(image, "image is null");
        workloads = List.copyOf(requireNonNull(workloads, "workloads is null"));
    }
}
