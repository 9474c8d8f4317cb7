package io.runlight.connector.snyk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.runlight.plugin.api.Purl;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.Workload;
import io.runlight.plugin.api.WorkloadInsights;

/**
 * The records the tests feed the connector: the Alpine 3.17.2 image of the Syft
 * fixture (its apk packages, three of them loaded) and a Node.js application image on
 * Debian 11 like the one in formats/snyk.md.
 */
final class TestingWorkloads
{
    /** The config digest ("image ID") of the fixture's Alpine image. */
    static final ImageDigest ALPINE = new ImageDigest("sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d");
    static final ImageDigest GOOF = new ImageDigest("sha256:" + "1".repeat(64));
    static final Instant SEEN = Instant.parse("2026-11-20T08:00:00Z");
    static final ProfileSummary PROFILE = new ProfileSummary(ProfileState.COMPLETE, 1, Duration.ofDays(8), Optional.of(SEEN), Optional.of(SEEN.plus(Duration.ofDays(8))));

    private TestingWorkloads() {}

    /** The fixture's 15 apk packages, by name. */
    static Map<String, InstalledPackage> alpinePackages()
    {
        try (InputStream in = TestingWorkloads.class.getResourceAsStream("/sbom/alpine-3.17.2.syft.json")) {
            JsonNode sbom = new ObjectMapper().readTree(in);
            OsInfo os = new OsInfo(sbom.path("distro").path("id").asText(), sbom.path("distro").path("versionID").asText(), Optional.of("x86_64"));
            TreeMap<String, InstalledPackage> packages = new TreeMap<>();
            for (JsonNode artifact : sbom.path("artifacts")) {
                Purl purl = Purl.parse(artifact.path("purl").asText());
                packages.put(artifact.path("name").asText(), new InstalledPackage(PackageType.APK, artifact.path("name").asText(), artifact.path("version").asText(), purl,
                        Optional.of(os.withArch(purl.qualifier("arch").orElseThrow()))));
            }
            return packages;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Alpine packages loaded by a shell: busybox, libcrypto3, musl. */
    static List<PackageInsight> alpineInUse()
    {
        Map<String, InstalledPackage> packages = alpinePackages();
        return inUse(List.of(packages.get("busybox"), packages.get("musl"), packages.get("libcrypto3")));
    }

    /** The application image's loaded packages: one deb, one Go module, one jar, one npm package. */
    static List<PackageInsight> goofInUse()
    {
        return inUse(List.of(
                InstalledPackage.applicationPackage(PackageType.NPM, null, "lodash", "4.17.4"),
                InstalledPackage.osPackage(PackageType.DEB, "openssl", "1.1.1n-0+deb11u3", new OsInfo("debian", "11", Optional.of("amd64"))),
                InstalledPackage.applicationPackage(PackageType.MAVEN, "org.apache.logging.log4j", "log4j-core", "2.14.1"),
                InstalledPackage.applicationPackage(PackageType.GOLANG, "golang.org/x", "net", "v0.7.0")));
    }

    static WorkloadInsights workload(String cluster, String namespace, String kind, String name, String container, ImageDigest image, List<PackageInsight> packages)
    {
        return new WorkloadInsights(new Workload(cluster, namespace, kind, name, container), image, List.of(), PROFILE, packages);
    }

    /** An image view for a change (only the digest matters to the Snyk connector). */
    static ImageInsights image(ImageDigest digest, List<PackageInsight> inUse)
    {
        return new ImageInsights(digest, List.of(), List.of("docker.io/library/alpine:3.17.2"), Optional.empty(), PROFILE,
                new InsightsSummary(inUse.size(), inUse.size(), 0, 0, 0, 0), inUse, List.of());
    }

    private static List<PackageInsight> inUse(List<InstalledPackage> packages)
    {
        List<PackageInsight> result = new ArrayList<>();
        for (InstalledPackage pkg : packages) {
            Evidence evidence = new Evidence(EvidenceKind.MMAP, "/usr/lib/" + pkg.name(), Optional.of("/bin/sh"), SEEN, SEEN, 1);
            result.add(new PackageInsight(pkg, Usage.IN_USE, Optional.of(Confidence.FILE), List.of(evidence)));
        }
        result.sort(Comparator.comparing(insight -> insight.pkg().purl().toString()));
        return List.copyOf(result);
    }
}
