package io.runlight.hub.fleet;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.runlight.hub.insights.ImageCoverage;
import io.runlight.plugin.api.Evidence;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.ProfileSummary;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.Vulnerability;
import io.runlight.plugin.api.VulnerabilityInsight;
import io.runlight.plugin.api.Workload;
import io.runlight.plugin.api.WorkloadInsights;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * What one image adds to the fleet-wide list: its vulnerable packages with their verdicts
 * and a little evidence, and the workloads that run it with the vulnerable packages each
 * one loaded. Only vulnerable packages are kept, so a fleet of a thousand images stays
 * small in every member's memory.
 *
 * @param digest the image's canonical digest
 * @param names references the image is known by
 * @param profile the observation behind the image's verdicts
 * @param findings one per vulnerability and package, in the image's rank order
 * @param workloads the containers that run the image, ordered by workload
 * @param observedKinds the kinds of use (exec, mmap, open) seen in any evidence of the image: what
 *        the sources that fed it have shown they observe
 * @param coverage the sources that fed the image and the kinds of load they showed they see
 */
public record ImageFindings(String digest, List<String> names, ProfileSummary profile, List<Finding> findings, List<WorkloadUse> workloads,
        Set<EvidenceKind> observedKinds, ImageCoverage coverage)
{
    /** The most evidence records kept per package or per workload and package. */
    public static final int MAX_EVIDENCE = 5;

    public ImageFindings
    {
        requireNonBlank(digest, "digest");
        names = List.copyOf(requireNonNull(names, "names is null"));
        requireNonNull(profile, "profile is null");
        findings = List.copyOf(requireNonNull(findings, "findings is null"));
        workloads = List.copyOf(requireNonNull(workloads, "workloads is null"));
        observedKinds = Set.copyOf(requireNonNull(observedKinds, "observedKinds is null"));
        requireNonNull(coverage, "coverage is null");
    }

    /**
     * The findings of an image's computed insights and per-container views.
     *
     * @param digest the canonical digest the image is stored under
     */
    public static ImageFindings of(String digest, ImageInsights image, List<WorkloadInsights> workloads, ImageCoverage coverage)
    {
        requireNonNull(image, "image is null");
        requireNonNull(workloads, "workloads is null");
        Map<String, PackageInsight> packages = new HashMap<>();
        image.packages().forEach(item -> packages.put(item.pkg().purl().toString(), item));
        Set<String> vulnerable = new LinkedHashSet<>();
        List<Finding> findings = new ArrayList<>();
        for (VulnerabilityInsight insight : image.vulnerabilities()) {
            String purl = insight.packagePurl().toString();
            vulnerable.add(purl);
            Optional<PackageInsight> pkg = Optional.ofNullable(packages.get(purl));
            findings.add(new Finding(insight.vulnerability(), purl,
                    pkg.map(item -> item.pkg().name()).orElse(insight.packagePurl().name()),
                    pkg.map(item -> item.pkg().version()).orElse(insight.packagePurl().version().orElse("")),
                    insight.usage(), pkg.map(item -> first(item.evidence())).orElse(List.of()), pkg.flatMap(PackageInsight::reason)));
        }
        List<WorkloadUse> uses = new ArrayList<>();
        for (WorkloadInsights workload : workloads) {
            Map<String, List<Evidence>> loaded = new TreeMap<>();
            for (PackageInsight item : workload.packagesInUse()) {
                String purl = item.pkg().purl().toString();
                if (vulnerable.contains(purl)) {
                    loaded.put(purl, first(item.evidence()));
                }
            }
            uses.add(new WorkloadUse(workload.workload(), workload.profile(), loaded));
        }
        uses.sort((left, right) -> left.workload().compareTo(right.workload()));
        Set<EvidenceKind> kinds = EnumSet.noneOf(EvidenceKind.class);
        image.packages().forEach(item -> item.evidence().forEach(evidence -> kinds.add(evidence.kind())));
        return new ImageFindings(digest, image.names(), image.profile(), findings, uses, kinds, coverage);
    }

    private static List<Evidence> first(List<Evidence> evidence)
    {
        return evidence.size() <= MAX_EVIDENCE ? evidence : evidence.subList(0, MAX_EVIDENCE);
    }

    /**
     * One vulnerability of one package in the image.
     *
     * @param vulnerability the vulnerability as the scanner reported it
     * @param purl the package
     * @param name the package's name
     * @param version the package's version ({@code ""} if unknown)
     * @param usage the package's verdict in this image
     * @param evidence a few observations behind the verdict
     * @param reason why the verdict is unknown, when the engine recorded why
     */
    public record Finding(Vulnerability vulnerability, String purl, String name, String version, Usage usage, List<Evidence> evidence, Optional<String> reason)
    {
        public Finding
        {
            requireNonNull(vulnerability, "vulnerability is null");
            requireNonBlank(purl, "purl");
            requireNonBlank(name, "name");
            requireNonNull(version, "version is null");
            requireNonNull(usage, "usage is null");
            evidence = List.copyOf(requireNonNull(evidence, "evidence is null"));
            requireNonNull(reason, "reason is null");
        }
    }

    /**
     * One container that runs the image.
     *
     * @param workload the workload container
     * @param profile its own observation
     * @param loaded the vulnerable packages it loaded (purl → a few observations)
     */
    public record WorkloadUse(Workload workload, ProfileSummary profile, Map<String, List<Evidence>> loaded)
    {
        public WorkloadUse
        {
            requireNonNull(workload, "workload is null");
            requireNonNull(profile, "profile is null");
            loaded = Map.copyOf(requireNonNull(loaded, "loaded is null"));
        }

        /**
         * This container's own verdict on a package whose verdict in the image is {@code imageUsage}:
         * in use if it loaded the package; not in use if the image's verdict is (judged over every
         * container, with what their sources can see); unknown otherwise: a package another container
         * loaded is never called unused here, since what this container's sources could see is not
         * known per container.
         */
        public Usage usage(String purl, Usage imageUsage)
        {
            if (loaded.containsKey(purl)) {
                return Usage.IN_USE;
            }
            return imageUsage == Usage.NOT_IN_USE ? Usage.NOT_IN_USE : Usage.UNKNOWN;
        }
    }
}
