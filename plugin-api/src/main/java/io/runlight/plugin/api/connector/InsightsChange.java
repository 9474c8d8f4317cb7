package io.runlight.plugin.api.connector;

import java.time.Instant;
import java.util.List;

import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.WorkloadInsights;

import static java.util.Objects.requireNonNull;

/**
 * A change to one image's insights, handed to every pushing connector.
 *
 * @param type what happened
 * @param insights the image's insights after the change
 * @param workloads the per-container views of the image after the change, ordered by workload
 * @param changes the packages whose verdict changed (empty when only counts or vulnerabilities changed)
 * @param time when the change was computed
 */
public record InsightsChange(ChangeType type, ImageInsights insights, List<WorkloadInsights> workloads, List<PackageUsageChange> changes, Instant time)
{
    public InsightsChange
    {
        requireNonNull(type, "type is null");
        requireNonNull(insights, "insights is null");
        workloads = List.copyOf(requireNonNull(workloads, "workloads is null"));
        changes = List.copyOf(requireNonNull(changes, "changes is null"));
        requireNonNull(time, "time is null");
    }
}
