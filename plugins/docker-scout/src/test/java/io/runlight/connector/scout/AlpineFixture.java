package io.runlight.connector.scout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runlight.plugin.api.Confidence;
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
 * The alpine 3.17.2 image, built by hand: busybox, musl and libcrypto3 in use, libssl3
 * not, with the vulnerabilities Grype reported for it (the shared fixture).
 */
final class AlpineFixture
{
    static final ImageDigest DIGEST = new ImageDigest("sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d");
    /** The packages' OS carries their architecture (purl qualifier {@code arch}); the image's, as SBOM readers give it, does not. */
    static final OsInfo OS = new OsInfo("alpine", "3.17.2", Optional.of("x86_64"));
    static final OsInfo IMAGE_OS = new OsInfo("alpine", "3.17.2", Optional.empty());
    static final InstalledPackage BUSYBOX = InstalledPackage.osPackage(PackageType.APK, "busybox", "1.35.0-r29", OS);
    static final InstalledPackage MUSL = InstalledPackage.osPackage(PackageType.APK, "musl", "1.2.3-r4", OS);
    static final InstalledPackage LIBCRYPTO3 = InstalledPackage.osPackage(PackageType.APK, "libcrypto3", "3.0.8-r0", OS);
    static final InstalledPackage LIBSSL3 = InstalledPackage.osPackage(PackageType.APK, "libssl3", "3.0.8-r0", OS);
    static final List<String> NAMES = List.of("docker.io/library/alpine:3.17.2", "docker.io/myorg/app:1.0");
    static final Instant FIRST_SEEN = Instant.parse("2026-11-01T08:00:00Z");
    static final Instant LAST_SEEN = Instant.parse("2026-11-15T08:00:00Z");
    static final Instant CHANGE_TIME = Instant.parse("2026-11-28T12:00:00Z");

    private AlpineFixture() {}

    /** CVE id to package name, in Grype's order. */
    static List<Map.Entry<String, String>> grypeMatches()
    {
        try (InputStream in = AlpineFixture.class.getResourceAsStream("/grype/alpine-3.17.2.grype.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<Map.Entry<String, String>> matches = new ArrayList<>();
            for (JsonNode match : root.path("matches")) {
                matches.add(Map.entry(match.path("vulnerability").path("id").asText(), match.path("artifact").path("name").asText()));
            }
            return matches;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ProfileSummary profile(ProfileState state)
    {
        return new ProfileSummary(state, 3, state == ProfileState.COMPLETE ? Duration.ofDays(14) : Duration.ofDays(2), Optional.of(FIRST_SEEN), Optional.of(LAST_SEEN));
    }

    static ImageInsights insights(ProfileState state, Usage libssl3)
    {
        Usage notLoaded = state == ProfileState.COMPLETE ? Usage.NOT_IN_USE : Usage.UNKNOWN;
        Usage libssl3Usage = libssl3 == Usage.NOT_IN_USE ? notLoaded : libssl3;
        Map<String, PackageInsight> packages = new LinkedHashMap<>();
        packages.put("busybox", inUse(BUSYBOX));
        packages.put("musl", inUse(MUSL));
        packages.put("libcrypto3", inUse(LIBCRYPTO3));
        packages.put("libssl3", libssl3Usage == Usage.IN_USE ? inUse(LIBSSL3) : new PackageInsight(LIBSSL3, libssl3Usage, Optional.empty(), List.of()));
        List<VulnerabilityInsight> vulnerabilities = new ArrayList<>();
        int rank = 1;
        int inUseCount = 0;
        for (Map.Entry<String, String> match : grypeMatches()) {
            PackageInsight pkg = packages.get(match.getValue());
            vulnerabilities.add(new VulnerabilityInsight(
                    new Vulnerability(match.getKey(), Severity.HIGH, OptionalDouble.empty(), Optional.empty(), List.of(), ExploitSignals.NONE, List.of(), Optional.empty()),
                    pkg.pkg().purl(), pkg.usage(), rank++));
            if (pkg.usage() == Usage.IN_USE) {
                inUseCount++;
            }
        }
        int packagesInUse = (int) packages.values().stream().filter(item -> item.usage() == Usage.IN_USE).count();
        int packagesNotInUse = (int) packages.values().stream().filter(item -> item.usage() == Usage.NOT_IN_USE).count();
        InsightsSummary summary = new InsightsSummary(packages.size(), packagesInUse, packagesNotInUse, packages.size() - packagesInUse - packagesNotInUse,
                vulnerabilities.size(), inUseCount);
        List<PackageInsight> ordered = packages.values().stream().sorted((a, b) -> a.pkg().purl().toString().compareTo(b.pkg().purl().toString())).toList();
        return new ImageInsights(DIGEST, List.of(), NAMES, Optional.of(IMAGE_OS), profile(state), summary, ordered, vulnerabilities);
    }

    static List<WorkloadInsights> workloads(ImageInsights insights)
    {
        List<PackageInsight> loaded = insights.packages().stream().filter(item -> item.usage() == Usage.IN_USE).toList();
        return List.of(
                new WorkloadInsights(new Workload("prod-eu", "shop", "Deployment", "cart", "app"), DIGEST, NAMES, insights.profile(), loaded),
                new WorkloadInsights(new Workload("prod-eu", "shop", "Deployment", "checkout", "app"), DIGEST, NAMES, insights.profile(), loaded),
                new WorkloadInsights(new Workload("prod-eu", "tools", "Job", "backup", "main"), DIGEST, NAMES, insights.profile(), loaded),
                new WorkloadInsights(new Workload("staging", "shop", "Deployment", "cart", "app"), DIGEST, NAMES, insights.profile(), loaded));
    }

    static InsightsChange change(ProfileState state, Usage libssl3, List<PackageUsageChange> changes)
    {
        ImageInsights insights = insights(state, libssl3);
        return new InsightsChange(ChangeType.IMAGE_INSIGHTS_CHANGED, insights, workloads(insights), changes, CHANGE_TIME);
    }

    private static PackageInsight inUse(InstalledPackage pkg)
    {
        return new PackageInsight(pkg, Usage.IN_USE, Optional.of(Confidence.FILE), List.of());
    }
}
