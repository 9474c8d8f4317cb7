package io.runlight.insights.report;

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

/**
 * Hand-built insights for {@code alpine:3.17.2} (the image of the Syft and Grype
 * fixtures): busybox, musl and libcrypto3 loaded by 3 containers over 14 days; libssl3
 * and zlib never loaded. Vulnerabilities, fixed versions and data sources are those
 * Grype reported for the image (fixtures/vulns/alpine-3.17.2.grype.json), CVSS scores
 * are NVD's.
 */
public final class AlpineSample
{
    public static final ImageDigest DIGEST = new ImageDigest("sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501");
    public static final ImageDigest CONFIG_DIGEST = new ImageDigest("sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d");
    public static final ImageDigest MANIFEST_DIGEST = new ImageDigest("sha256:fd6275a37d2472b9d3be70c3261087b8d65e441c21342ae7313096312bcda2b3");
    public static final OsInfo OS = new OsInfo("alpine", "3.17.2", Optional.of("x86_64"));
    public static final Instant FIRST_SEEN = Instant.parse("2026-11-14T12:00:00Z");
    public static final Instant LAST_SEEN = Instant.parse("2026-11-28T12:00:00Z");
    public static final ProfileSummary COMPLETE = new ProfileSummary(ProfileState.COMPLETE, 3, Duration.ofDays(14), Optional.of(FIRST_SEEN), Optional.of(LAST_SEEN));

    public static final InstalledPackage BUSYBOX = InstalledPackage.osPackage(PackageType.APK, "busybox", "1.35.0-r29", OS);
    public static final InstalledPackage LIBCRYPTO3 = InstalledPackage.osPackage(PackageType.APK, "libcrypto3", "3.0.8-r0", OS);
    public static final InstalledPackage LIBSSL3 = InstalledPackage.osPackage(PackageType.APK, "libssl3", "3.0.8-r0", OS);
    public static final InstalledPackage MUSL = InstalledPackage.osPackage(PackageType.APK, "musl", "1.2.3-r4", OS);
    public static final InstalledPackage ZLIB = InstalledPackage.osPackage(PackageType.APK, "zlib", "1.2.13-r0", OS);

    private AlpineSample() {}

    public static PackageInsight busybox()
    {
        return new PackageInsight(BUSYBOX, Usage.IN_USE, Optional.of(Confidence.FILE), List.of(
                new Evidence(EvidenceKind.EXEC, "/bin/busybox", Optional.of("/bin/busybox"), Instant.parse("2026-11-14T12:00:05Z"), Instant.parse("2026-11-28T11:59:30Z"), 1250)));
    }

    public static PackageInsight libcrypto3()
    {
        return new PackageInsight(LIBCRYPTO3, Usage.IN_USE, Optional.of(Confidence.FILE), List.of(
                new Evidence(EvidenceKind.MMAP, "/lib/libcrypto.so.3", Optional.of("/usr/local/bin/app"), Instant.parse("2026-11-14T12:00:07Z"), Instant.parse("2026-11-28T11:58:00Z"), 42),
                new Evidence(EvidenceKind.OPEN, "/etc/ssl/openssl.cnf", Optional.of("/usr/local/bin/app"), Instant.parse("2026-11-14T12:00:07Z"), Instant.parse("2026-11-28T11:58:00Z"), 42)));
    }

    public static PackageInsight libssl3()
    {
        return new PackageInsight(LIBSSL3, Usage.NOT_IN_USE, Optional.empty(), List.of());
    }

    public static PackageInsight musl()
    {
        return new PackageInsight(MUSL, Usage.IN_USE, Optional.of(Confidence.FILE), List.of(
                new Evidence(EvidenceKind.MMAP, "/lib/ld-musl-x86_64.so.1", Optional.of("/bin/busybox"), Instant.parse("2026-11-14T12:00:05Z"), Instant.parse("2026-11-28T11:59:30Z"), 1292)));
    }

    public static PackageInsight zlib()
    {
        return new PackageInsight(ZLIB, Usage.NOT_IN_USE, Optional.empty(), List.of());
    }

    public static Vulnerability cve20235363()
    {
        return new Vulnerability("CVE-2023-5363", Severity.HIGH, OptionalDouble.of(7.5), Optional.of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"),
                List.of("3.0.12-r0"), ExploitSignals.NONE, List.of(), Optional.of("http://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2023-5363"));
    }

    public static Vulnerability cve20230464()
    {
        return new Vulnerability("CVE-2023-0464", Severity.HIGH, OptionalDouble.of(7.5), Optional.of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"),
                List.of("3.0.8-r1"), new ExploitSignals(false, OptionalDouble.of(0.00275), OptionalDouble.of(0.6781)), List.of(), Optional.of("http://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2023-0464"));
    }

    public static Vulnerability cve20232650()
    {
        return new Vulnerability("CVE-2023-2650", Severity.MEDIUM, OptionalDouble.of(6.5), Optional.empty(),
                List.of("3.0.9-r0"), ExploitSignals.NONE, List.of(), Optional.of("http://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2023-2650"));
    }

    /** Ranked: the three libcrypto3 (in use) first, then libssl3's two. */
    public static List<VulnerabilityInsight> vulnerabilities()
    {
        return List.of(
                new VulnerabilityInsight(cve20235363(), LIBCRYPTO3.purl(), Usage.IN_USE, 1),
                new VulnerabilityInsight(cve20230464(), LIBCRYPTO3.purl(), Usage.IN_USE, 2),
                new VulnerabilityInsight(cve20232650(), LIBCRYPTO3.purl(), Usage.IN_USE, 3),
                new VulnerabilityInsight(cve20235363(), LIBSSL3.purl(), Usage.NOT_IN_USE, 4),
                new VulnerabilityInsight(cve20230464(), LIBSSL3.purl(), Usage.NOT_IN_USE, 5));
    }

    public static List<PackageInsight> packages()
    {
        return List.of(busybox(), libcrypto3(), libssl3(), musl(), zlib());
    }

    public static ImageInsights image()
    {
        return new ImageInsights(
                DIGEST,
                List.of(CONFIG_DIGEST, MANIFEST_DIGEST),
                List.of("docker.io/library/alpine:3.17.2"),
                Optional.of(new OsInfo("alpine", "3.17.2", Optional.empty())),
                COMPLETE,
                new InsightsSummary(5, 3, 2, 0, 5, 3),
                packages(),
                vulnerabilities());
    }

    public static WorkloadInsights workload()
    {
        return new WorkloadInsights(
                new Workload("prod-eu", "shop", "Deployment", "cart", "app"),
                DIGEST,
                List.of("docker.io/library/alpine:3.17.2"),
                new ProfileSummary(ProfileState.COMPLETE, 1, Duration.ofDays(14).plusHours(5), Optional.of(FIRST_SEEN), Optional.of(LAST_SEEN.plus(Duration.ofHours(5)))),
                List.of(busybox(), libcrypto3(), musl()));
    }
}
