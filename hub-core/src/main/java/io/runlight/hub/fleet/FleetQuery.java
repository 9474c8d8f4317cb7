package io.runlight.hub.fleet;

import java.util.Locale;
import java.util.Optional;

import io.runlight.plugin.api.Severity;
import io.runlight.plugin.api.Usage;

import static java.util.Objects.requireNonNull;

/**
 * What part of the fleet-wide vulnerability list to return. Every filter is optional.
 *
 * @param usage only vulnerabilities with this fleet-wide verdict (the summary ignores this filter)
 * @param minimumSeverity only vulnerabilities at least this severe
 * @param cluster only containers of this cluster count, and only images that run there
 * @param namespace only containers of this namespace count, and only images that run there
 * @param image only this image: its canonical digest, or one of its names
 * @param pkg only these packages: a name ({@code libcrypto3}) or the start of a purl
 *        ({@code pkg:apk/alpine/libcrypto3})
 * @param knownExploited only vulnerabilities known to be exploited
 * @param fixable only vulnerabilities with a known fix
 */
public record FleetQuery(
        Optional<Usage> usage,
        Optional<Severity> minimumSeverity,
        Optional<String> cluster,
        Optional<String> namespace,
        Optional<String> image,
        Optional<String> pkg,
        boolean knownExploited,
        boolean fixable)
{
    /** The whole fleet. */
    public static final FleetQuery ALL = new FleetQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, false);

    public FleetQuery
    {
        requireNonNull(usage, "usage is null");
        requireNonNull(minimumSeverity, "minimumSeverity is null");
        requireNonNull(cluster, "cluster is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(image, "image is null");
        requireNonNull(pkg, "pkg is null");
    }

    /** Whether this query selects containers, images or packages (so rows are aggregated afresh for it). */
    public boolean scoped()
    {
        return cluster.isPresent() || namespace.isPresent() || image.isPresent() || pkg.isPresent();
    }

    /** Whether only some containers count. */
    boolean workloadScoped()
    {
        return cluster.isPresent() || namespace.isPresent();
    }

    boolean matchesPackage(ImageFindings.Finding finding)
    {
        if (pkg.isEmpty()) {
            return true;
        }
        String wanted = pkg.get();
        if (wanted.startsWith("pkg:")) {
            return finding.purl().startsWith(wanted);
        }
        return finding.name().toLowerCase(Locale.ROOT).equals(wanted.toLowerCase(Locale.ROOT));
    }

    boolean matchesImage(ImageFindings findings)
    {
        if (image.isEmpty()) {
            return true;
        }
        String wanted = image.get();
        return findings.digest().equals(wanted)
                || findings.names().stream().anyMatch(name -> name.equals(wanted) || name.endsWith("/" + wanted));
    }

    boolean matchesWorkload(ImageFindings.WorkloadUse use)
    {
        return cluster.map(use.workload().cluster()::equals).orElse(true)
                && namespace.map(use.workload().namespace()::equals).orElse(true);
    }

    boolean matchesRow(FleetVulnerability row)
    {
        return minimumSeverity.map(minimum -> row.severity().compareTo(minimum) <= 0).orElse(true)
                && (!knownExploited || row.knownExploited())
                && (!fixable || row.fixAvailable());
    }
}
