package io.runlight.examples.summary;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.runlight.plugin.api.Confidence;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.InsightsSummary;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.OsInfo;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.ProfileSummary;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.connector.ChangeType;
import io.runlight.plugin.api.connector.InsightsChange;
import io.runlight.plugin.api.connector.PackageUsageChange;

/**
 * An alpine 3.17 image as the hub hands it to connectors: busybox and libcrypto3 in use,
 * libssl3 and zlib not, after two weeks of observation.
 */
final class SampleInsights
{
    static final ImageDigest DIGEST = new ImageDigest("sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d");
    static final Instant CHANGED_AT = Instant.parse("2026-11-28T12:00:00Z");

    private static final OsInfo ALPINE = new OsInfo("alpine", "3.17.2", Optional.of("x86_64"));
    static final InstalledPackage BUSYBOX = InstalledPackage.osPackage(PackageType.APK, "busybox", "1.35.0-r29", ALPINE);
    static final InstalledPackage LIBCRYPTO = InstalledPackage.osPackage(PackageType.APK, "libcrypto3", "3.0.8-r0", ALPINE);
    static final InstalledPackage LIBSSL = InstalledPackage.osPackage(PackageType.APK, "libssl3", "3.0.8-r0", ALPINE);
    static final InstalledPackage ZLIB = InstalledPackage.osPackage(PackageType.APK, "zlib", "1.2.13-r0", ALPINE);

    private SampleInsights() {}

    static ImageInsights image(ImageDigest digest, ProfileState state)
    {
        ProfileSummary profile = new ProfileSummary(state, 3, Duration.ofDays(14),
                Optional.of(Instant.parse("2026-11-14T12:00:00Z")), Optional.of(CHANGED_AT));
        return new ImageInsights(digest, List.of(), List.of("docker.io/library/alpine:3.17"), Optional.of(ALPINE), profile,
                new InsightsSummary(4, 2, 2, 0, 20, 10),
                List.of(verdict(BUSYBOX, Usage.IN_USE), verdict(LIBCRYPTO, Usage.IN_USE), verdict(LIBSSL, Usage.NOT_IN_USE), verdict(ZLIB, Usage.NOT_IN_USE)),
                List.of());
    }

    /** The profile completed: libcrypto3 and busybox were loaded, libssl3 and zlib never were. */
    static InsightsChange completed()
    {
        return new InsightsChange(ChangeType.PROFILE_COMPLETED, image(DIGEST, ProfileState.COMPLETE), List.of(),
                List.of(change(BUSYBOX, Usage.UNKNOWN, Usage.IN_USE), change(LIBCRYPTO, Usage.UNKNOWN, Usage.IN_USE),
                        change(LIBSSL, Usage.UNKNOWN, Usage.NOT_IN_USE), change(ZLIB, Usage.UNKNOWN, Usage.NOT_IN_USE)),
                CHANGED_AT);
    }

    private static PackageInsight verdict(InstalledPackage pkg, Usage usage)
    {
        Optional<Confidence> confidence = usage == Usage.IN_USE ? Optional.of(Confidence.FILE) : Optional.empty();
        return new PackageInsight(pkg, usage, confidence, List.of());
    }

    private static PackageUsageChange change(InstalledPackage pkg, Usage previous, Usage current)
    {
        return new PackageUsageChange(pkg.purl(), previous, current);
    }
}
