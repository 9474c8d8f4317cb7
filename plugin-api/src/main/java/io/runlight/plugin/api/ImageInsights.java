package io.runlight.plugin.api;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Everything Runlight knows about one image: its packages and vulnerabilities with
 * their verdicts, aggregated over every container that runs it.
 *
 * @param digest the image's primary digest
 * @param aliases other digests of the same image (config, manifest, index, repo digests)
 * @param names references the image is known by, for example {@code docker.io/library/alpine:3.17}
 * @param os the image's operating system, if known
 * @param profile the observation behind the verdicts
 * @param summary counts
 * @param packages one verdict per package, ordered by purl
 * @param vulnerabilities ordered by rank
 */
public record ImageInsights(
        ImageDigest digest,
        List<ImageDigest> aliases,
        List<String> names,
        Optional<OsInfo> os,
        ProfileSummary profile,
        InsightsSummary summary,
        List<PackageInsight> packages,
        List<VulnerabilityInsight> vulnerabilities)
{
    public ImageInsights
    {
        requireNonNull(digest, "digest is null");
        aliases = List.copyOf(requireNonNull(aliases, "aliases is null"));
        names = List.copyOf(requireNonNull(names, "names is null"));
        requireNonNull(os, "os is null");
        requireNonNull(profile, "profile is null");
        requireNonNull(summary, "summary is null");
        packages = List.copyOf(requireNonNull(packages, "packages is null"));
        vulnerabilities = List.copyOf(requireNonNull(vulnerabilities, "vulnerabilities is null"));
    }

    /** The verdict for a package, by purl (qualifiers included). */
    public Optional<PackageInsight> packageInsight(Purl purl)
    {
        return packages.stream().filter(item -> item.pkg().purl().equals(purl)).findFirst();
    }
}
