package io.runlight.insights.correlate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.runlight.insights.index.Ownership;
import io.runlight.insights.index.OwnershipIndex;
import io.runlight.insights.profile.FileObservation;
import io.runlight.insights.profile.ImageProfile;
import io.runlight.insights.profile.RuntimeProfile;
import io.runlight.insights.runtime.RuntimeEvent;
import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.vuln.VulnerabilityReport;
import io.runlight.plugin.api.Evidence;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.InsightsSummary;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.ProfileSummary;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.VulnerabilityInsight;
import io.runlight.plugin.api.WorkloadInsights;

import static java.util.Objects.requireNonNull;

/**
 * The engine's façade: SBOM, scan reports and runtime observations of one image in,
 * verdicts out. The rules are in this package's documentation. Stateless apart from its
 * policy, so one analyzer may serve many threads.
 */
public final class ImageAnalyzer
{
    private final AnalysisPolicy policy;

    public ImageAnalyzer(AnalysisPolicy policy)
    {
        this.policy = requireNonNull(policy, "policy is null");
    }

    /** The ownership index of an SBOM: build it once per image and reuse it. */
    public OwnershipIndex index(Sbom sbom)
    {
        return OwnershipIndex.of(sbom);
    }

    /**
     * Everything in one call: the CLI uses this. Events whose identity has no image digest,
     * or a digest of this image (any digest the SBOM or a report records), count for this
     * image; other events are ignored.
     *
     * @param asOf the time the verdicts are given for (the CLI passes the last event's time)
     */
    public ImageAnalysis analyze(Sbom sbom, List<VulnerabilityReport> reports, List<RuntimeEvent> events, Instant asOf)
    {
        requireNonNull(sbom, "sbom is null");
        requireNonNull(reports, "reports is null");
        requireNonNull(events, "events is null");
        ImageIdentity identity = identity(sbom, reports);
        List<RuntimeEvent> ours = new ArrayList<>(events.size());
        for (RuntimeEvent event : events) {
            Optional<ImageDigest> digest = event.container().imageDigest();
            if (digest.isEmpty() || identity.digests().contains(digest.get())) {
                ours.add(event);
            }
        }
        ImageProfile profile = ImageProfile.of(ours, policy.profileLimits());
        return analyze(sbom, index(sbom), reports, profile, asOf);
    }

    /**
     * Incremental form for the hub: the index is cached, the profile built elsewhere.
     *
     * @param index the index of this SBOM ({@link #index})
     * @throws IllegalArgumentException if the index names a package the SBOM does not have,
     *         or neither the SBOM nor a report names an image digest
     */
    public ImageAnalysis analyze(Sbom sbom, OwnershipIndex index, List<VulnerabilityReport> reports, ImageProfile profile, Instant asOf)
    {
        requireNonNull(sbom, "sbom is null");
        requireNonNull(index, "index is null");
        requireNonNull(reports, "reports is null");
        requireNonNull(profile, "profile is null");
        requireNonNull(asOf, "asOf is null");
        ImageIdentity identity = identity(sbom, reports);
        ImageDigest digest = identity.primaryDigest().orElseThrow(() -> new IllegalArgumentException(
                "cannot analyse an image without a digest: neither the SBOM nor any report names one"));
        List<ImageDigest> aliases = identity.digests().stream().filter(alias -> !alias.equals(digest)).toList();

        PackageCatalog catalog = new PackageCatalog(sbom);
        ProfileSummary imageProfile = profile.summary(asOf, policy.learningWindow());

        Map<Integer, PackageUse> imageUse = new HashMap<>();
        List<WorkloadInsights> workloads = new ArrayList<>();
        for (RuntimeProfile container : profile.containers()) {
            Map<Integer, PackageUse> containerUse = correlate(catalog, index, container);
            for (Map.Entry<Integer, PackageUse> entry : containerUse.entrySet()) {
                imageUse.computeIfAbsent(entry.getKey(), key -> new PackageUse()).addAll(entry.getValue());
            }
            workloads.add(new WorkloadInsights(container.workload(), digest, identity.names(),
                    container.summary(asOf, policy.learningWindow()), packagesInUse(catalog, containerUse)));
        }

        boolean[] matchable = matchable(catalog, index);
        List<PackageInsight> packages = new ArrayList<>(catalog.size());
        List<Usage> usages = new ArrayList<>(catalog.size());
        for (int entry = 0; entry < catalog.size(); entry++) {
            PackageUse use = imageUse.get(entry);
            Usage usage = verdict(use, imageProfile, matchable[entry]);
            usages.add(usage);
            List<Evidence> evidence = use == null ? List.of() : use.evidence(policy.maxEvidencePerPackage());
            packages.add(new PackageInsight(catalog.pkg(entry), usage, use == null ? Optional.empty() : use.confidence(), evidence));
        }
        List<VulnerabilityInsight> vulnerabilities = VulnerabilityRanking.rank(VulnerabilityJoin.join(catalog, usages, reports));

        ImageInsights image = new ImageInsights(digest, aliases, identity.names(), sbom.os(), imageProfile,
                summary(packages, vulnerabilities), packages, vulnerabilities);
        return new ImageAnalysis(image, workloads);
    }

    private Map<Integer, PackageUse> correlate(PackageCatalog catalog, OwnershipIndex index, RuntimeProfile container)
    {
        Map<Integer, PackageUse> uses = new HashMap<>();
        for (FileObservation file : container.files()) {
            List<Ownership> owners = index.lookup(file.path());
            if (owners.isEmpty()) {
                continue;
            }
            boolean counts = file.isLoad() || policy.dataOpensCount();
            for (Ownership owner : owners) {
                int entry = catalog.indexOfId(owner.packageId());
                if (entry < 0) {
                    throw new IllegalArgumentException("the ownership index names package '" + owner.packageId()
                            + "', which the SBOM does not have: the index was built from another SBOM");
                }
                PackageUse use = uses.computeIfAbsent(entry, key -> new PackageUse());
                for (Evidence evidence : file.processes()) {
                    use.record(evidence, counts, owner.confidence());
                }
            }
        }
        return uses;
    }

    private List<PackageInsight> packagesInUse(PackageCatalog catalog, Map<Integer, PackageUse> uses)
    {
        List<PackageInsight> inUse = new ArrayList<>();
        for (int index = 0; index < catalog.size(); index++) {
            PackageUse use = uses.get(index);
            if (use != null && use.inUse()) {
                inUse.add(new PackageInsight(catalog.pkg(index), Usage.IN_USE, use.confidence(), use.evidence(policy.maxEvidencePerPackage())));
            }
        }
        return inUse;
    }

    /**
     * Which entries an event could have been matched to, or are known to own nothing. A
     * package with files (or a directory rule) can be matched. One without, in an SBOM that
     * records files for other packages of its type, owns nothing that could run (a meta
     * package such as Alpine's libc-utils). One whose SBOM records no files for its type at
     * all (a Trivy report's OS packages) was never looked for.
     */
    private static boolean[] matchable(PackageCatalog catalog, OwnershipIndex index)
    {
        boolean[] matchable = new boolean[catalog.size()];
        Set<PackageType> typesWithFiles = EnumSet.noneOf(PackageType.class);
        for (int entry = 0; entry < catalog.size(); entry++) {
            matchable[entry] = catalog.ids(entry).stream().anyMatch(index::canMatch);
            if (matchable[entry]) {
                typesWithFiles.add(catalog.pkg(entry).type());
            }
        }
        for (int entry = 0; entry < catalog.size(); entry++) {
            matchable[entry] |= typesWithFiles.contains(catalog.pkg(entry).type());
        }
        return matchable;
    }

    /**
     * Not in use needs a complete profile and a package an event could have matched: one
     * the SBOM gave no files (a Trivy report's packages) was never looked for, so it stays unknown.
     */
    private static Usage verdict(PackageUse use, ProfileSummary profile, boolean matchable)
    {
        if (use != null && use.inUse()) {
            return Usage.IN_USE;
        }
        return profile.state() == ProfileState.COMPLETE && matchable ? Usage.NOT_IN_USE : Usage.UNKNOWN;
    }

    private static InsightsSummary summary(List<PackageInsight> packages, List<VulnerabilityInsight> vulnerabilities)
    {
        int inUse = 0;
        int notInUse = 0;
        int unknown = 0;
        for (PackageInsight insight : packages) {
            switch (insight.usage()) {
                case IN_USE -> inUse++;
                case NOT_IN_USE -> notInUse++;
                case UNKNOWN -> unknown++;
            }
        }
        int vulnerabilitiesInUse = (int) vulnerabilities.stream().filter(insight -> insight.usage() == Usage.IN_USE).count();
        return new InsightsSummary(packages.size(), inUse, notInUse, unknown, vulnerabilities.size(), vulnerabilitiesInUse);
    }

    private static ImageIdentity identity(Sbom sbom, List<VulnerabilityReport> reports)
    {
        ImageIdentity identity = sbom.image();
        for (VulnerabilityReport report : reports) {
            identity = identity.merge(report.image());
        }
        return identity;
    }
}
