package io.runlight.hub.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.runlight.insights.index.LoadKind;
import io.runlight.insights.runtime.Sensor;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.ProfileSummary;
import io.runlight.plugin.api.Severity;

import static java.util.Objects.requireNonNull;

/**
 * The fleet at a glance, for the console's Overview page.
 *
 * @param learningWindow how long an image must be observed before its verdicts are final
 * @param images images with insights
 * @param workloads distinct workload containers
 * @param clusters distinct clusters
 * @param vulnerabilities the fleet-wide summary
 * @param inUseBySeverity in-use vulnerabilities by severity, every severity listed
 * @param topInUsePackages the packages with the most in-use vulnerabilities, most first
 * @param profiles every image's observation, learning ones first (soonest final first), then none, then complete
 * @param observedKinds for each kind of use (exec, mmap, open), how many images have evidence of it
 * @param sources for each runtime source that fed any image, how many images it fed
 * @param observable for each kind of load, how many images have a source that showed it sees it
 */
public record FleetOverview(Duration learningWindow, int images, int workloads, int clusters, FleetSummary vulnerabilities,
        Map<Severity, Integer> inUseBySeverity, List<PackageRisk> topInUsePackages, List<ImageProfile> profiles, Map<EvidenceKind, Integer> observedKinds,
        Map<Sensor, Integer> sources, Map<LoadKind, Integer> observable)
{
    /** How many packages {@link #topInUsePackages} lists at most. */
    public static final int TOP_PACKAGES = 10;

    public FleetOverview
    {
        requireNonNull(learningWindow, "learningWindow is null");
        requireNonNull(vulnerabilities, "vulnerabilities is null");
        inUseBySeverity = Map.copyOf(requireNonNull(inUseBySeverity, "inUseBySeverity is null"));
        topInUsePackages = List.copyOf(requireNonNull(topInUsePackages, "topInUsePackages is null"));
        profiles = List.copyOf(requireNonNull(profiles, "profiles is null"));
        observedKinds = Map.copyOf(requireNonNull(observedKinds, "observedKinds is null"));
        sources = Map.copyOf(requireNonNull(sources, "sources is null"));
        observable = Map.copyOf(requireNonNull(observable, "observable is null"));
    }

    /**
     * A package in use with vulnerabilities.
     *
     * @param purl the package
     * @param name its name
     * @param version its version
     * @param vulnerabilities how many vulnerabilities in use it carries
     * @param worstSeverity the worst of their severities
     * @param images how many images run it loaded
     */
    public record PackageRisk(String purl, String name, String version, int vulnerabilities, Severity worstSeverity, int images)
    {
        public PackageRisk
        {
            requireNonNull(purl, "purl is null");
            requireNonNull(name, "name is null");
            requireNonNull(version, "version is null");
            requireNonNull(worstSeverity, "worstSeverity is null");
        }
    }

    /**
     * One image's observation.
     *
     * @param digest the image
     * @param names its references
     * @param profile its observation
     * @param workloads how many workload containers run it
     * @param finalIn for a learning profile: how much more observation its verdicts need
     * @param finalAt for a learning profile: when that is if collectors keep reporting
     */
    public record ImageProfile(String digest, List<String> names, ProfileSummary profile, int workloads, Optional<Duration> finalIn, Optional<Instant> finalAt)
    {
        public ImageProfile
        {
            requireNonNull(digest, "digest is null");
            names = List.copyOf(requireNonNull(names, "names is null"));
            requireNonNull(profile, "profile is null");
            requireNonNull(finalIn, "finalIn is null");
            requireNonNull(finalAt, "finalAt is null");
        }
    }
}
