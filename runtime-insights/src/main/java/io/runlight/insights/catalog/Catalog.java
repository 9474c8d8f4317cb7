package io.runlight.insights.catalog;

import java.util.List;
import java.util.Optional;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.OsInfo;

import static java.util.Objects.requireNonNull;

/**
 * What Runlight found installed in one image.
 *
 * @param image the image's digests and names (from the archive, or as the user named it)
 * @param os the distribution, from {@code etc/os-release}
 * @param packages the packages, each with the files it owns (absolute image paths) and where it was found
 * @param warnings what could not be read and was left out (an unreadable file, a malformed package.json)
 */
public record Catalog(ImageIdentity image, Optional<OsInfo> os, List<SbomPackage> packages, List<String> warnings)
{
    public Catalog
    {
        requireNonNull(image, "image is null");
        requireNonNull(os, "os is null");
        packages = List.copyOf(requireNonNull(packages, "packages is null"));
        warnings = List.copyOf(requireNonNull(warnings, "warnings is null"));
    }

    /** The catalog as an SBOM, as the engine reads any other. */
    public Sbom toSbom()
    {
        return new Sbom(DocumentFormat.RUNLIGHT_CATALOG, image, os, packages);
    }
}
