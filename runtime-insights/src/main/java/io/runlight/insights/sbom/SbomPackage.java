package io.runlight.insights.sbom;

import java.util.List;
import java.util.Optional;

import io.runlight.plugin.api.InstalledPackage;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * A package as an SBOM lists it, with the file evidence the ownership index is built from.
 *
 * @param id the SBOM-local id (Syft artifact id, CycloneDX bom-ref, SPDXID, Trivy ID), unique within the SBOM
 * @param pkg the package
 * @param ownedFiles files the package owns, absolute and normalised (Trivy's relative
 *        {@code InstalledFiles} made absolute; Python RECORD entries joined to their site-packages
 *        root), sorted and distinct as the readers return them; a Python entry stays relative
 *        only when the SBOM gives no site-packages root at all
 * @param locations where the scanner found the package: a jar, a {@code package.json}, a Go
 *        binary, a gemspec, a {@code .deps.json}; the index applies the ecosystem's rules to them
 * @param nestedIn for a jar inside a jar, the path of the outermost archive on disk
 *        (from Syft's {@code virtualPath} {@code outer.jar:BOOT-INF/lib/inner.jar})
 */
public record SbomPackage(String id, InstalledPackage pkg, List<String> ownedFiles, List<String> locations, Optional<String> nestedIn)
{
    public SbomPackage
    {
        requireNonBlank(id, "id");
        requireNonNull(pkg, "pkg is null");
        requireNonNull(ownedFiles, "ownedFiles is null");
        // immutable already, and copying it would make a string of each path
        ownedFiles = ownedFiles instanceof CompactPaths ? ownedFiles : List.copyOf(ownedFiles);
        locations = List.copyOf(requireNonNull(locations, "locations is null"));
        requireNonNull(nestedIn, "nestedIn is null");
    }
}
