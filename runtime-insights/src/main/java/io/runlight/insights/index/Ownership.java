package io.runlight.insights.index;

import io.runlight.plugin.api.Confidence;
import io.runlight.plugin.api.InstalledPackage;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * One answer of the ownership index: a package that owns a path, and how directly.
 * Holds the package itself rather than its SBOM entry, so an index does not keep the
 * SBOM's file lists alive.
 *
 * @param packageId the SBOM-local id of the package ({@link io.runlight.insights.sbom.SbomPackage#id()})
 * @param pkg the package
 * @param confidence how the path ties to the package (an owned file, a file under its directory, its binary, its outer archive)
 */
public record Ownership(String packageId, InstalledPackage pkg, Confidence confidence)
{
    public Ownership
    {
        requireNonBlank(packageId, "packageId");
        requireNonNull(pkg, "pkg is null");
        requireNonNull(confidence, "confidence is null");
    }
}
