package io.runlight.hub.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.runlight.hub.UnavailableException;
import io.runlight.hub.insights.PageCursor;
import io.runlight.insights.index.LoadKind;
import io.runlight.insights.runtime.Sensor;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.Severity;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.Vulnerability;
import io.runlight.plugin.api.Workload;
import io.runlight.plugin.api.connector.PageRequest;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The fleet-wide vulnerability list, kept in memory as aggregates: one row per
 * vulnerability id, recomputed only for the ids an image change touches. The view holds
 * no state of its own: it is derived from the images' computed insights (see
 * {@link FleetFeed}), so every member holds the same view and a restart rebuilds it.
 *
 * <p>Requests for the whole fleet read the kept rows. A query that selects a cluster,
 * namespace, image or package aggregates afresh over the selected images only, from the
 * kept findings (never from stored documents).
 */
public final class FleetVulnerabilities
{
    private static final char SEPARATOR = '\u0001';
    private static final int BUILD_WAIT_SECONDS = 60;
    private static final Comparator<FleetVulnerability> RANK = Comparator.comparing(FleetVulnerability::sortKey);

    private final Duration learningWindow;
    private final Map<String, ImageFindings> images = new ConcurrentHashMap<>();
    // vulnerability id → canonical digest → the image; inner maps are replaced, never changed
    private final Map<String, Map<String, ImageFindings>> byId = new ConcurrentHashMap<>();
    private volatile Rows rows = new Rows(Map.of(), List.of());
    /** Done unless the view is being built from the stored images ({@link #startBuilding}). */
    private volatile CompletableFuture<Void> built = CompletableFuture.completedFuture(null);

    /**
     * @param learningWindow how long an image must be observed before its verdicts are final
     */
    public FleetVulnerabilities(Duration learningWindow)
    {
        this.learningWindow = requireNonNull(learningWindow, "learningWindow is null");
    }

    /**
     * The view is being built from every stored image: until {@link #finishBuilding}, reads wait
     * (at most {@value #BUILD_WAIT_SECONDS} s), so that no one is shown a fleet with images missing.
     */
    public void startBuilding()
    {
        built = new CompletableFuture<>();
    }

    /** Every stored image is in the view: reads go ahead. */
    public void finishBuilding()
    {
        built.complete(null);
    }

    private void awaitBuilt()
    {
        try {
            built.get(BUILD_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        catch (TimeoutException e) {
            throw new UnavailableException("fleet_not_ready", "The fleet-wide list is still being built from the stored images (" + images.size()
                    + " read so far): retry in a few seconds");
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the fleet-wide list to be built", e);
        }
        catch (ExecutionException e) {
            // a failure of the hub's own: a 500, its cause in the log
            throw new IllegalStateException("The fleet-wide list could not be built", e.getCause());
        }
    }

    /**
     * Replaces what some images contribute (empty: the image is gone) and recomputes the
     * rows of the vulnerabilities they had or have.
     */
    public synchronized void update(Map<String, Optional<ImageFindings>> changes)
    {
        requireNonNull(changes, "changes is null");
        Set<String> touched = new HashSet<>();
        for (Map.Entry<String, Optional<ImageFindings>> change : changes.entrySet()) {
            String digest = change.getKey();
            Optional<ImageFindings> before = Optional.ofNullable(images.get(digest));
            Optional<ImageFindings> after = change.getValue();
            after.ifPresent(value -> checkArgument(value.digest().equals(digest), "findings of '" + value.digest() + "' given for '" + digest + "'"));
            Set<String> ids = new HashSet<>();
            before.ifPresent(value -> ids.addAll(ids(value)));
            after.ifPresent(value -> ids.addAll(ids(value)));
            if (after.isPresent()) {
                images.put(digest, after.get());
            }
            else {
                images.remove(digest);
            }
            for (String id : ids) {
                Map<String, ImageFindings> holders = new HashMap<>(byId.getOrDefault(id, Map.of()));
                holders.remove(digest);
                after.filter(value -> ids(value).contains(id)).ifPresent(value -> holders.put(digest, value));
                if (holders.isEmpty()) {
                    byId.remove(id);
                }
                else {
                    byId.put(id, Map.copyOf(holders));
                }
            }
            touched.addAll(ids);
        }
        if (touched.isEmpty()) {
            return;
        }
        Map<String, FleetVulnerability> byKey = new HashMap<>(rows.byId());
        for (String id : touched) {
            Map<String, ImageFindings> holders = byId.get(id);
            Optional<FleetVulnerability> row = holders == null ? Optional.empty() : aggregate(id, holders.values(), FleetQuery.ALL);
            if (row.isPresent()) {
                byKey.put(id, row.get());
            }
            else {
                byKey.remove(id);
            }
        }
        List<FleetVulnerability> ranked = new ArrayList<>(byKey.values());
        ranked.sort(RANK);
        rows = new Rows(Map.copyOf(byKey), List.copyOf(ranked));
    }

    /** How many images the view holds. */
    public int imageCount()
    {
        awaitBuilt();
        return images.size();
    }

    /** Every image the view holds, ordered by digest. */
    public List<ImageFindings> images()
    {
        return new TreeMap<>(images).values().stream().toList();
    }

    /**
     * A page of the list, in rank order, with the summary of every row the query selects
     * (before its usage filter).
     *
     * @throws IllegalArgumentException for a cursor this hub did not issue
     */
    public FleetPage list(FleetQuery query, PageRequest page)
    {
        awaitBuilt();
        requireNonNull(query, "query is null");
        requireNonNull(page, "page is null");
        Optional<String> after = PageCursor.sortKey(page.cursor());
        List<FleetVulnerability> selected = new ArrayList<>();
        for (FleetVulnerability row : query.scoped() ? scopedRows(query) : rows.ranked()) {
            if (query.matchesRow(row)) {
                selected.add(row);
            }
        }
        FleetSummary summary = summary(selected, query);
        List<FleetVulnerability> items = new ArrayList<>();
        boolean more = false;
        for (FleetVulnerability row : selected) {
            if (query.usage().isPresent() && row.usage() != query.usage().get()) {
                continue;
            }
            if (after.isPresent() && row.sortKey().compareTo(after.get()) <= 0) {
                continue;
            }
            if (items.size() == page.limit()) {
                more = true;
                break;
            }
            items.add(row);
        }
        Optional<String> next = more ? Optional.of(PageCursor.after(items.get(items.size() - 1).sortKey())) : Optional.empty();
        return new FleetPage(items, next, summary);
    }

    /** One vulnerability with every image that has it, ordered by digest; empty for an id no image has. */
    public Optional<FleetDetail> detail(String id)
    {
        awaitBuilt();
        requireNonNull(id, "id is null");
        Optional<FleetVulnerability> row = Optional.ofNullable(rows.byId().get(id));
        Map<String, ImageFindings> holders = byId.get(id);
        if (row.isEmpty() || holders == null) {
            return Optional.empty();
        }
        List<FleetDetail.AffectedImage> affected = new ArrayList<>();
        for (ImageFindings image : new TreeMap<>(holders).values()) {
            List<ImageFindings.Finding> findings = image.findings().stream().filter(finding -> finding.vulnerability().id().equals(id)).toList();
            affected.add(new FleetDetail.AffectedImage(image, findings));
        }
        return Optional.of(new FleetDetail(row.get(), affected));
    }

    /** The fleet at a glance, from the kept rows and images. */
    public FleetOverview overview()
    {
        awaitBuilt();
        List<ImageFindings> all = images();
        Set<Workload> workloads = new HashSet<>();
        Set<String> clusters = new HashSet<>();
        Map<EvidenceKind, Integer> kinds = new EnumMap<>(EvidenceKind.class);
        for (EvidenceKind kind : EvidenceKind.values()) {
            kinds.put(kind, 0);
        }
        Map<Sensor, Integer> sources = new EnumMap<>(Sensor.class);
        Map<LoadKind, Integer> observable = new EnumMap<>(LoadKind.class);
        for (LoadKind kind : LoadKind.values()) {
            observable.put(kind, 0);
        }
        List<FleetOverview.ImageProfile> profiles = new ArrayList<>();
        for (ImageFindings image : all) {
            image.coverage().sensors().forEach(sensor -> sources.merge(sensor, 1, Integer::sum));
            image.coverage().observable().forEach(kind -> observable.merge(kind, 1, Integer::sum));
            image.workloads().forEach(use -> {
                workloads.add(use.workload());
                clusters.add(use.workload().cluster());
            });
            image.observedKinds().forEach(kind -> kinds.merge(kind, 1, Integer::sum));
            Optional<Duration> finalIn = Optional.empty();
            Optional<Instant> finalAt = Optional.empty();
            if (image.profile().state() == ProfileState.LEARNING && image.profile().observedFor().compareTo(learningWindow) < 0) {
                finalIn = Optional.of(learningWindow.minus(image.profile().observedFor()));
                finalAt = image.profile().firstSeen().map(first -> first.plus(learningWindow));
            }
            profiles.add(new FleetOverview.ImageProfile(image.digest(), image.names(), image.profile(), image.workloads().size(), finalIn, finalAt));
        }
        profiles.sort(Comparator.comparingInt((FleetOverview.ImageProfile item) -> switch (item.profile().state()) {
                    case LEARNING -> 0;
                    case NONE -> 1;
                    case COMPLETE -> 2;
                })
                .thenComparing(item -> item.finalIn().orElse(Duration.ZERO))
                .thenComparing(FleetOverview.ImageProfile::digest));

        Map<Severity, Integer> bySeverity = new EnumMap<>(Severity.class);
        for (Severity severity : Severity.values()) {
            bySeverity.put(severity, 0);
        }
        Map<String, PackageRiskTally> packages = new HashMap<>();
        List<FleetVulnerability> ranked = rows.ranked();
        for (FleetVulnerability row : ranked) {
            if (row.usage() != Usage.IN_USE) {
                continue;
            }
            bySeverity.merge(row.severity(), 1, Integer::sum);
            for (FleetVulnerability.AffectedPackage pkg : row.packages()) {
                if (pkg.usage() == Usage.IN_USE) {
                    packages.computeIfAbsent(pkg.purl(), purl -> new PackageRiskTally(pkg)).add(row.severity());
                }
            }
        }
        List<FleetOverview.PackageRisk> top = packages.values().stream()
                .map(tally -> new FleetOverview.PackageRisk(tally.pkg.purl(), tally.pkg.name(), tally.pkg.version(), tally.vulnerabilities, tally.worst, imagesLoading(tally.pkg.purl())))
                .sorted(Comparator.comparingInt(FleetOverview.PackageRisk::vulnerabilities).reversed()
                        .thenComparing(FleetOverview.PackageRisk::worstSeverity)
                        .thenComparing(FleetOverview.PackageRisk::purl))
                .limit(FleetOverview.TOP_PACKAGES)
                .toList();
        return new FleetOverview(learningWindow, all.size(), workloads.size(), clusters.size(), summary(ranked, FleetQuery.ALL), bySeverity, top, profiles, kinds,
                sources, observable);
    }

    // how many images have the package in use
    private int imagesLoading(String purl)
    {
        int count = 0;
        for (ImageFindings image : images.values()) {
            if (image.findings().stream().anyMatch(finding -> finding.purl().equals(purl) && finding.usage() == Usage.IN_USE)) {
                count++;
            }
        }
        return count;
    }

    private static final class PackageRiskTally
    {
        private final FleetVulnerability.AffectedPackage pkg;
        private int vulnerabilities;
        private Severity worst = Severity.UNKNOWN;

        PackageRiskTally(FleetVulnerability.AffectedPackage pkg)
        {
            this.pkg = pkg;
        }

        void add(Severity severity)
        {
            vulnerabilities++;
            worst = severity.compareTo(worst) < 0 ? severity : worst;
        }
    }

    private List<FleetVulnerability> scopedRows(FleetQuery query)
    {
        Map<String, List<ImageFindings>> holders = new HashMap<>();
        for (ImageFindings image : images.values()) {
            if (!query.matchesImage(image)) {
                continue;
            }
            if (query.workloadScoped() && image.workloads().stream().noneMatch(query::matchesWorkload)) {
                continue;
            }
            for (ImageFindings.Finding finding : image.findings()) {
                if (query.matchesPackage(finding)) {
                    List<ImageFindings> list = holders.computeIfAbsent(finding.vulnerability().id(), id -> new ArrayList<>());
                    if (list.isEmpty() || list.get(list.size() - 1) != image) {
                        list.add(image);
                    }
                }
            }
        }
        List<FleetVulnerability> scoped = new ArrayList<>();
        holders.forEach((id, list) -> aggregate(id, list, query).ifPresent(scoped::add));
        scoped.sort(RANK);
        return scoped;
    }

    private static Set<String> ids(ImageFindings image)
    {
        Set<String> ids = new HashSet<>();
        image.findings().forEach(finding -> ids.add(finding.vulnerability().id()));
        return ids;
    }

    private static Optional<FleetVulnerability> aggregate(String id, Iterable<ImageFindings> holders, FleetQuery query)
    {
        Severity severity = Severity.UNKNOWN;
        OptionalDouble cvss = OptionalDouble.empty();
        OptionalDouble epss = OptionalDouble.empty();
        boolean exploited = false;
        boolean fixAvailable = false;
        Set<String> fixedIn = new TreeSet<>();
        UsageTally overall = new UsageTally();
        Map<String, PackageTally> packages = new TreeMap<>();
        Set<Workload> workloads = new HashSet<>();
        Set<String> clusters = new HashSet<>();
        Set<Workload> inUseBy = new TreeSet<>();
        int imageCount = 0;
        for (ImageFindings image : holders) {
            List<ImageFindings.Finding> findings = image.findings().stream()
                    .filter(finding -> finding.vulnerability().id().equals(id) && query.matchesPackage(finding))
                    .toList();
            List<ImageFindings.WorkloadUse> uses = image.workloads().stream().filter(query::matchesWorkload).toList();
            if (findings.isEmpty() || (query.workloadScoped() && uses.isEmpty())) {
                continue;
            }
            imageCount++;
            for (ImageFindings.Finding finding : findings) {
                Vulnerability vulnerability = finding.vulnerability();
                severity = vulnerability.severity().compareTo(severity) < 0 ? vulnerability.severity() : severity;
                cvss = highest(cvss, vulnerability.cvssScore());
                epss = highest(epss, vulnerability.exploit().epssScore());
                exploited |= vulnerability.exploit().knownExploited();
                fixAvailable |= vulnerability.fixAvailable();
                fixedIn.addAll(vulnerability.fixedIn());
                Usage usage = finding.usage();
                if (query.workloadScoped()) {
                    UsageTally here = new UsageTally();
                    uses.forEach(use -> here.add(use.usage(finding.purl(), finding.usage())));
                    usage = here.verdict();
                }
                overall.add(usage);
                packages.computeIfAbsent(finding.purl(), purl -> new PackageTally(finding.name(), finding.version())).add(usage);
            }
            for (ImageFindings.WorkloadUse use : uses) {
                workloads.add(use.workload());
                clusters.add(use.workload().cluster());
                if (findings.stream().anyMatch(finding -> use.loaded().containsKey(finding.purl()))) {
                    inUseBy.add(use.workload());
                }
            }
        }
        if (imageCount == 0) {
            return Optional.empty();
        }
        List<FleetVulnerability.AffectedPackage> affected = new ArrayList<>();
        packages.forEach((purl, tally) -> affected.add(new FleetVulnerability.AffectedPackage(purl, tally.name, tally.version, tally.usage.verdict(), tally.images)));
        Usage usage = overall.verdict();
        return Optional.of(new FleetVulnerability(id, severity, cvss, epss, exploited, fixAvailable, List.copyOf(fixedIn), usage, imageCount, workloads.size(),
                clusters.size(), inUseBy.size(), inUseBy.stream().limit(FleetVulnerability.MAX_IN_USE_BY).toList(), affected,
                sortKey(id, usage, severity, cvss, epss, exploited, fixAvailable)));
    }

    private FleetSummary summary(List<FleetVulnerability> selected, FleetQuery query)
    {
        int inUse = 0;
        int notInUse = 0;
        int unknown = 0;
        Set<String> learning = new TreeSet<>();
        boolean waitingIsEnough = true;
        for (FleetVulnerability row : selected) {
            switch (row.usage()) {
                case IN_USE -> inUse++;
                case NOT_IN_USE -> notInUse++;
                case UNKNOWN -> {
                    unknown++;
                    for (ImageFindings image : byId.getOrDefault(row.id(), Map.of()).values()) {
                        boolean unknownHere = image.findings().stream()
                                .anyMatch(finding -> finding.vulnerability().id().equals(row.id()) && query.matchesPackage(finding) && finding.usage() == Usage.UNKNOWN);
                        if (!unknownHere) {
                            continue;
                        }
                        if (image.profile().state() == ProfileState.LEARNING && image.profile().firstSeen().isPresent()) {
                            learning.add(image.digest());
                        }
                        else {
                            // no observation yet, or complete and still unknown: waiting will not settle it
                            waitingIsEnough = false;
                        }
                    }
                }
            }
        }
        int total = selected.size();
        OptionalDouble reduction = unknown == 0 && total > 0 ? OptionalDouble.of((double) notInUse / total) : OptionalDouble.empty();
        Optional<Duration> left = Optional.empty();
        Optional<Instant> finalAt = Optional.empty();
        if (unknown > 0 && waitingIsEnough && !learning.isEmpty()) {
            Duration longest = Duration.ZERO;
            Instant latest = Instant.MIN;
            for (String digest : learning) {
                ImageFindings image = images.get(digest);
                if (image == null) {
                    continue;
                }
                Duration remaining = learningWindow.minus(image.profile().observedFor());
                longest = remaining.compareTo(longest) > 0 ? remaining : longest;
                Instant end = image.profile().firstSeen().orElseThrow().plus(learningWindow);
                latest = end.isAfter(latest) ? end : latest;
            }
            left = Optional.of(longest);
            finalAt = latest.equals(Instant.MIN) ? Optional.empty() : Optional.of(latest);
        }
        return new FleetSummary(total, inUse, notInUse, unknown, reduction, learning.size(), left, finalAt);
    }

    private static OptionalDouble highest(OptionalDouble left, OptionalDouble right)
    {
        if (left.isEmpty()) {
            return right;
        }
        if (right.isEmpty()) {
            return left;
        }
        return OptionalDouble.of(Math.max(left.getAsDouble(), right.getAsDouble()));
    }

    // the rank order of VulnerabilityRanking as one string: in use first, then severity, CVSS (highest first, none last),
    // known exploitation, EPSS (highest first, none last), a fix being available, id
    static String sortKey(String id, Usage usage, Severity severity, OptionalDouble cvss, OptionalDouble epss, boolean exploited, boolean fixAvailable)
    {
        int usageOrder = switch (usage) {
            case IN_USE -> 0;
            case UNKNOWN -> 1;
            case NOT_IN_USE -> 2;
        };
        return new StringBuilder()
                .append(usageOrder).append(SEPARATOR)
                .append(severity.ordinal()).append(SEPARATOR)
                .append(cvss.isPresent() ? String.format(Locale.ROOT, "%06.3f", 10 - cvss.getAsDouble()) : "z").append(SEPARATOR)
                .append(exploited ? '0' : '1').append(SEPARATOR)
                .append(epss.isPresent() ? String.format(Locale.ROOT, "%.6f", 1 - epss.getAsDouble()) : "z").append(SEPARATOR)
                .append(fixAvailable ? '0' : '1').append(SEPARATOR)
                .append(id)
                .toString();
    }

    private record Rows(Map<String, FleetVulnerability> byId, List<FleetVulnerability> ranked) {}

    /** In use if any is, not in use if all are, unknown otherwise (and with nothing counted). */
    private static final class UsageTally
    {
        private boolean inUse;
        private boolean unknown;
        private int count;

        void add(Usage usage)
        {
            count++;
            inUse |= usage == Usage.IN_USE;
            unknown |= usage == Usage.UNKNOWN;
        }

        Usage verdict()
        {
            if (inUse) {
                return Usage.IN_USE;
            }
            if (unknown || count == 0) {
                return Usage.UNKNOWN;
            }
            return Usage.NOT_IN_USE;
        }
    }

    private static final class PackageTally
    {
        private final String name;
        private final String version;
        private final UsageTally usage = new UsageTally();
        private int images;

        PackageTally(String name, String version)
        {
            this.name = name;
            this.version = version;
        }

        void add(Usage verdict)
        {
            usage.add(verdict);
            images++;
        }
    }
}
