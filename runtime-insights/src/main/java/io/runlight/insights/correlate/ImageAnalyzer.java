package io.runlight.insights.correlate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.runlight.insights.index.LoadKind;
import io.runlight.insights.index.Ownership;
import io.runlight.insights.index.OwnershipIndex;
import io.runlight.insights.profile.FileObservation;
import io.runlight.insights.profile.ImageProfile;
import io.runlight.insights.profile.RuntimeProfile;
import io.runlight.insights.report.DurationFormat;
import io.runlight.insights.runtime.RuntimeEvent;
import io.runlight.insights.runtime.Sensor;
import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.vuln.VulnerabilityReport;
import io.runlight.plugin.api.Evidence;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.InsightsSummary;
import io.runlight.plugin.api.PackageInsight;
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
                "cannot analyse an image without a digest: neither the SBOM nor any report names one; name the image the documents describe (runlight analyze --image sha256:... or name@sha256:...)"));
        List<ImageDigest> aliases = identity.digests().stream().filter(alias -> !alias.equals(digest)).toList();

        PackageCatalog catalog = new PackageCatalog(sbom);
        ProfileSummary imageProfile = profile.summary(asOf, policy.learningWindow());

        Map<Integer, PackageUse> imageUse = new HashMap<>();
        List<WorkloadInsights> workloads = new ArrayList<>();
        // the replicas of a workload, and the workloads of an image, observe mostly the same files: each path is looked up once
        Map<String, List<Ownership>> owners = new HashMap<>();
        for (RuntimeProfile container : profile.containers()) {
            Map<Integer, PackageUse> containerUse = correlate(catalog, index, owners, container);
            for (Map.Entry<Integer, PackageUse> entry : containerUse.entrySet()) {
                imageUse.computeIfAbsent(entry.getKey(), key -> new PackageUse()).addAll(entry.getValue());
            }
            workloads.add(new WorkloadInsights(container.workload(), digest, identity.names(),
                    container.summary(asOf, policy.learningWindow()), packagesInUse(catalog, containerUse)));
        }

        Coverage coverage = new Coverage(profile.sensors(), profile.observable());
        List<PackageInsight> packages = new ArrayList<>(catalog.size());
        List<Usage> usages = new ArrayList<>(catalog.size());
        for (int entry = 0; entry < catalog.size(); entry++) {
            PackageUse use = imageUse.get(entry);
            List<Evidence> evidence = use == null ? List.of() : use.evidence(policy.maxEvidencePerPackage());
            PackageInsight insight;
            if (use != null && use.inUse()) {
                insight = new PackageInsight(catalog.pkg(entry), Usage.IN_USE, use.confidence(), evidence);
            }
            else {
                Optional<String> unknown = unknownReason(catalog, index, entry, imageProfile, coverage);
                insight = new PackageInsight(catalog.pkg(entry), unknown.isPresent() ? Usage.UNKNOWN : Usage.NOT_IN_USE, Optional.empty(), evidence, unknown);
            }
            usages.add(insight.usage());
            packages.add(insight);
        }
        List<VulnerabilityInsight> vulnerabilities = VulnerabilityRanking.rank(VulnerabilityJoin.join(catalog, usages, reports));

        ImageInsights image = new ImageInsights(digest, aliases, identity.names(), sbom.os(), imageProfile,
                summary(packages, vulnerabilities), packages, vulnerabilities);
        return new ImageAnalysis(image, workloads);
    }

    private Map<Integer, PackageUse> correlate(PackageCatalog catalog, OwnershipIndex index, Map<String, List<Ownership>> ownersByPath, RuntimeProfile container)
    {
        Map<Integer, PackageUse> uses = new HashMap<>();
        for (FileObservation file : container.files()) {
            List<Ownership> owners = ownersByPath.computeIfAbsent(file.path(), index::lookup);
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
     * Why a package that was not seen loading cannot be called not in use, or empty when it
     * can (DESIGN.md decisions 7 and 8): the profile must be complete, the SBOM must give the
     * package a complete claim ({@link OwnershipIndex#canMatch}: its own files, never those of
     * other packages of its type), and some source of the image must have shown it can see
     * every kind of load the package's files could have.
     */
    private Optional<String> unknownReason(PackageCatalog catalog, OwnershipIndex index, int entry, ProfileSummary profile, Coverage coverage)
    {
        switch (profile.state()) {
            case NONE -> {
                return Optional.of("no runtime events for this image yet");
            }
            case LEARNING -> {
                return Optional.of("still learning: observed for " + DurationFormat.readable(profile.observedFor())
                        + " of the " + DurationFormat.readable(policy.learningWindow()) + " learning window");
            }
            case COMPLETE -> {
                // judged below
            }
        }
        List<String> ids = catalog.ids(entry);
        if (ids.stream().noneMatch(index::canMatch)) {
            return Optional.of("the SBOM records no files of this package (only a manifest or nothing), so an event could never be matched to it");
        }
        Set<LoadKind> needed = EnumSet.noneOf(LoadKind.class);
        for (String id : ids) {
            needed.addAll(index.loadKinds(id));
        }
        return coverage.missing(needed);
    }

    /** What the sources of an image can see, and the reason a package stays unknown when that is not enough. */
    private record Coverage(List<Sensor> sensors, List<LoadKind> observable)
    {
        Optional<String> missing(Set<LoadKind> needed)
        {
            for (LoadKind kind : LoadKind.values()) {
                if (needed.contains(kind) && !observable.contains(kind)) {
                    return Optional.of("no source that observed this image sees " + kind.seenThrough() + " ("
                            + sources() + "): its " + kind.description() + " cannot be judged");
                }
            }
            return Optional.empty();
        }

        private String sources()
        {
            if (sensors.isEmpty()) {
                return "the stored profile predates source tracking; new events will tell";
            }
            String seen = "seen: " + String.join(", ", sensors.stream().map(Sensor::displayName).toList());
            if (sensors.stream().allMatch(Sensor::isSnapshot)) {
                return seen + ", which only show the processes alive when they were taken";
            }
            return seen;
        }
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
