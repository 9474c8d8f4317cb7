package io.runlight.plugin.api;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The verdicts for one workload container: which packages of its image it loaded.
 * This is the view third parties such as Snyk ask for (one item per container).
 *
 * @param workload the workload container
 * @param imageDigest the image it runs
 * @param imageNames references of that image
 * @param profile the observation of this container
 * @param packagesInUse the packages this container loaded, ordered by purl
 */
public record WorkloadInsights(Workload workload, ImageDigest imageDigest, List<String> imageNames, ProfileSummary profile, List<PackageInsight> packagesInUse)
{
    public WorkloadInsights
    {
        requireNonNull(workload, "workload is null");
        requireNonNull(imageDigest, "imageDigest is null");
        imageNames = List.copyOf(requireNonNull(imageNames, "imageNames is null"));
        requireNonNull(profile, "profile is null");
        packagesInUse = List.copyOf(requireNonNull(packagesInUse, "packagesInUse is null"));
    }
}
