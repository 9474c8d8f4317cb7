package io.runlight.connector.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import io.runlight.plugin.api.Confidence;
import io.runlight.plugin.api.Evidence;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.ExploitSignals;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.InsightsSummary;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.OsInfo;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.ProfileSummary;
import io.runlight.plugin.api.Severity;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.Vulnerability;
import io.runlight.plugin.api.VulnerabilityInsight;
import io.runlight.plugin.api.Workload;
import io.runlight.plugin.api.WorkloadInsights;
import io.runlight.plugin.api.connector.ChangeType;
import io.runlight.plugin.api.connector.InsightsChange;
import io.runlight.plugin.api.connector.PackageUsageChange;

/**
 * The alpine 3.17 image of the shared fixtures, as records: busybox and libcrypto3 in
 * use, libssl3 and zlib not, in a complete profile of three containers in two clusters.
 */
final class AlpineInsights
{
    static final ImageDigest DIGEST = new ImageDigest("sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501");
    static final Instant CHANGED_AT = Instant.parse("2026-11-28T12:00:00Z");
    static final OsInfo ALPINE = new OsInfo("alpine", "3.17.2", Optional.of("x86_64"));

    static final InstalledPackage BUSYBOX = InstalledPackage.osPackage(PackageType.APK, "busybox", "1.35.0-r29", ALPINE);
    static final InstalledPackage LIBCRYPTO = InstalledPackage.osPackage(PackageType.APK, "libcrypto3", "3.0.8-r0", ALPINE);
    static final InstalledPackage LIBSSL = InstalledPackage.osPackage(PackageType.APK, "libssl3", "3.0.8-r0", ALPINE);
    static final InstalledPackage ZLIB = InstalledPackage.osPackage(PackageType.APK, "zlib", "1.2.13-r0", ALPINE);

    private static final Instant FIRST_SEEN = Instant.parse("2026-11-14T12:00:00Z");
    private static final ProfileSummary PROFILE = new ProfileSummary(ProfileState.COMPLETE, 3, Duration.ofDays(14), Optional.of(FIRST_SEEN), Optional.of(CHANGED_AT));

    private AlpineInsights() {}

    static ImageInsights image()
    {
        return new ImageInsights(
                DIGEST,
                List.of(),
                List.of("docker.io/library/alpine:3.17"),
                Optional.of(ALPINE),
                PROFILE,
                new InsightsSummary(4, 2, 2, 0, 3, 1),
                List.of(
                        inUse(BUSYBOX, "/bin/busybox", EvidenceKind.EXEC),
                        inUse(LIBCRYPTO, "/lib/libcrypto.so.3", EvidenceKind.MMAP),
                        notInUse(LIBSSL),
                        notInUse(ZLIB)),
                List.of(
                        new VulnerabilityInsight(vulnerability("CVE-2023-5363", Severity.HIGH, 7.5), LIBCRYPTO.purl(), Usage.IN_USE, 1),
                        new VulnerabilityInsight(vulnerability("CVE-2023-0286", Severity.HIGH, 7.4), LIBSSL.purl(), Usage.NOT_IN_USE, 2),
                        new VulnerabilityInsight(vulnerability("CVE-2022-37434", Severity.CRITICAL, 9.8), ZLIB.purl(), Usage.NOT_IN_USE, 3)));
    }

    /** Two containers in prod-eu, one in staging; listed out of order on purpose. */
    static List<WorkloadInsights> workloads()
    {
        return List.of(
                workload("staging", "shop", "cart"),
                workload("prod-eu", "shop", "cart"),
                workload("prod-eu", "shop", "checkout"));
    }

    /** libcrypto3 became in use; libssl3 became not in use when the profile completed. */
    static InsightsChange change(ChangeType type, List<WorkloadInsights> workloads)
    {
        return new InsightsChange(type, image(), workloads, List.of(
                new PackageUsageChange(LIBSSL.purl(), Usage.UNKNOWN, Usage.NOT_IN_USE),
                new PackageUsageChange(LIBCRYPTO.purl(), Usage.NOT_IN_USE, Usage.IN_USE)), CHANGED_AT);
    }

    static InsightsChange change()
    {
        return change(ChangeType.IMAGE_INSIGHTS_CHANGED, workloads());
    }

    private static WorkloadInsights workload(String cluster, String namespace, String name)
    {
        return new WorkloadInsights(new Workload(cluster, namespace, "Deployment", name, name), DIGEST, List.of("docker.io/library/alpine:3.17"),
                PROFILE, List.of(inUse(BUSYBOX, "/bin/busybox", EvidenceKind.EXEC), inUse(LIBCRYPTO, "/lib/libcrypto.so.3", EvidenceKind.MMAP)));
    }

    private static PackageInsight inUse(InstalledPackage pkg, String path, EvidenceKind kind)
    {
        Evidence evidence = new Evidence(kind, path, Optional.of("/bin/busybox"), FIRST_SEEN, CHANGED_AT, 12);
        return new PackageInsight(pkg, Usage.IN_USE, Optional.of(Confidence.FILE), List.of(evidence));
    }

    private static PackageInsight notInUse(InstalledPackage pkg)
    {
        return new PackageInsight(pkg, Usage.NOT_IN_USE, Optional.empty(), List.of());
    }

    private static Vulnerability vulnerability(String id, Severity severity, double cvss)
    {
        return new Vulnerability(id, severity, OptionalDouble.of(cvss), Optional.empty(), List.of(), ExploitSignals.NONE, List.of(), Optional.of("NVD"));
    }
}
