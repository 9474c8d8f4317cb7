package io.runlight.hub.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.runlight.insights.correlate.ImageAnalysis;
import io.runlight.plugin.api.Confidence;
import io.runlight.plugin.api.Evidence;
import io.runlight.plugin.api.EvidenceKind;
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
import io.runlight.plugin.api.connector.PackageFirstUse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code runlight.package.first_used}: only a package that was NOT_IN_USE in a complete
 * profile and is loaded now wakes up, once per container that loaded it, with that
 * container's first observation and the package's vulnerabilities.
 */
final class TestPackageFirstUses
{
    private static final ImageDigest DIGEST = new ImageDigest("sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d");
    private static final OsInfo ALPINE = new OsInfo("alpine", "3.17.2", Optional.of("x86_64"));
    private static final InstalledPackage LIBSSL = InstalledPackage.osPackage(PackageType.APK, "libssl3", "3.0.8-r0", ALPINE);
    private static final Instant START = Instant.parse("2026-11-14T09:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:05Z");
    private static final Workload CART = new Workload("prod-eu", "shop", "Deployment", "cart", "cart");
    private static final Workload LEDGER = new Workload("prod-eu", "payments", "StatefulSet", "ledger", "ledger");
    private static final Evidence EARLY = new Evidence(EvidenceKind.MMAP, "/usr/lib/libssl.so.3", Optional.of("/usr/bin/cart-server"),
            Instant.parse("2026-11-28T10:00:00Z"), Instant.parse("2026-11-28T10:00:03Z"), 2);
    private static final Evidence LATE = new Evidence(EvidenceKind.OPEN, "/usr/lib/libssl.so.3", Optional.of("/usr/bin/cart-server"),
            Instant.parse("2026-11-28T10:00:01Z"), Instant.parse("2026-11-28T10:00:01Z"), 1);

    @Test
    void aPackageNotInUseInACompleteProfileWakesUpOncePerContainerThatLoadedIt()
    {
        List<PackageFirstUse> firstUses = InsightsChangePublisher.firstUses(Optional.of(image(ProfileState.COMPLETE, Usage.NOT_IN_USE)), loaded(), NOW);

        assertThat(firstUses).hasSize(1);
        PackageFirstUse firstUse = firstUses.get(0);
        assertThat(firstUse.workload()).isEqualTo(CART);
        assertThat(firstUse.pkg()).isEqualTo(LIBSSL);
        assertThat(firstUse.evidence()).isEqualTo(EARLY);
        assertThat(firstUse.vulnerabilities()).extracting(insight -> insight.vulnerability().id()).containsExactly("CVE-2023-0464");
        assertThat(firstUse.imageDigest()).isEqualTo(DIGEST);
        assertThat(firstUse.time()).isEqualTo(NOW);
    }

    @Test
    void unknownVerdictsAndLearningProfilesNeverWakeUp()
    {
        assertThat(InsightsChangePublisher.firstUses(Optional.of(image(ProfileState.COMPLETE, Usage.UNKNOWN)), loaded(), NOW)).isEmpty();
        assertThat(InsightsChangePublisher.firstUses(Optional.of(image(ProfileState.LEARNING, Usage.NOT_IN_USE)), loaded(), NOW)).isEmpty();
        assertThat(InsightsChangePublisher.firstUses(Optional.empty(), loaded(), NOW)).isEmpty();
        // still not in use: nothing
        ImageInsights same = image(ProfileState.COMPLETE, Usage.NOT_IN_USE);
        assertThat(InsightsChangePublisher.firstUses(Optional.of(same), new ImageAnalysis(same, List.of()), NOW)).isEmpty();
    }

    private static ImageAnalysis loaded()
    {
        PackageInsight inUse = new PackageInsight(LIBSSL, Usage.IN_USE, Optional.of(Confidence.FILE), List.of(LATE, EARLY));
        ImageInsights image = image(ProfileState.COMPLETE, Usage.IN_USE, inUse);
        return new ImageAnalysis(image, List.of(
                new WorkloadInsights(CART, DIGEST, List.of(), image.profile(), List.of(inUse)),
                new WorkloadInsights(LEDGER, DIGEST, List.of(), image.profile(), List.of())));
    }

    private static ImageInsights image(ProfileState state, Usage usage)
    {
        return image(state, usage, new PackageInsight(LIBSSL, usage, Optional.empty(), List.of()));
    }

    private static ImageInsights image(ProfileState state, Usage usage, PackageInsight pkg)
    {
        ProfileSummary profile = new ProfileSummary(state, 2, Duration.ofDays(14), Optional.of(START), Optional.of(NOW));
        Vulnerability cve = Vulnerability.of("CVE-2023-0464", Severity.HIGH);
        return new ImageInsights(DIGEST, List.of(), List.of("docker.io/library/alpine:3.17.2"), Optional.of(ALPINE), profile,
                new InsightsSummary(1, usage == Usage.IN_USE ? 1 : 0, usage == Usage.NOT_IN_USE ? 1 : 0, usage == Usage.UNKNOWN ? 1 : 0, 1, usage == Usage.IN_USE ? 1 : 0),
                List.of(pkg), List.of(new VulnerabilityInsight(cve, LIBSSL.purl(), usage, 1)));
    }
}
