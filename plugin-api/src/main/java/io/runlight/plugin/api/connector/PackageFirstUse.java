package io.runlight.plugin.api.connector;

import java.time.Instant;
import java.util.List;

import io.runlight.plugin.api.Evidence;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.VulnerabilityInsight;
import io.runlight.plugin.api.Workload;

import static java.util.Objects.requireNonNull;

/**
 * A dormant package woke up: a package that was NOT_IN_USE in its image's complete
 * profile was loaded by a workload container ({@link ChangeType#PACKAGE_FIRST_USED},
 * {@code runlight.package.first_used}). The hub hands one to
 * {@link Pusher#translateFirstUse} for each container that loaded such a package in a
 * change, besides the image's {@link InsightsChange}.
 *
 * @param imageDigest the image
 * @param imageNames references of that image
 * @param workload the container that loaded the package
 * @param pkg the package
 * @param evidence the first observation of the load in that container
 * @param vulnerabilities the package's vulnerabilities, now in use, in rank order
 * @param time when the change was computed
 */
public record PackageFirstUse(ImageDigest imageDigest, List<String> imageNames, Workload workload, InstalledPackage pkg, Evidence evidence,
        List<VulnerabilityInsight> vulnerabilities, Instant time)
{
    public PackageFirstUse
    {
        requireNonNull(imageDigest, "imageDigest is null");
        imageNames = List.copyOf(requireNonNull(imageNames, "imageNames is null"));
        requireNonNull(workload, "workload is null");
        requireNonNull(pkg, "pkg is null");
        requireNonNull(evidence, "evidence is null");
        vulnerabilities = List.copyOf(requireNonNull(vulnerabilities, "vulnerabilities is null"));
        requireNonNull(time, "time is null");
    }
}
