package io.runlight.insights.sbom;

import java.util.List;
import java.util.Optional;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.plugin.api.OsInfo;

import static java.util.Objects.requireNonNull;

/**
 * An SBOM of one image, as read from any supported format.
 *
 * @param format the format it was read from
 * @param image the image it describes
 * @param os the image's distribution, if the SBOM says
 * @param packages the packages, in document order, ids unique
 */
public record Sbom(DocumentFormat format, ImageIdentity image, Optional<OsInfo> os, List<SbomPackage> packages)
{
    public Sbom
    {
        requireNonNull(format, "format is null");
        requireNonNull(image, "image is null");
        requireNonNull(os, "os is null");
        packages = List.copyOf(requireNonNull(packages, "packages is null"));
    }

    /**
     * This SBOM as the description of the given image ({@link GivenImage#applyTo}).
     *
     * @throws GivenImage.ImageMismatchException if the SBOM names another image
     */
    public Sbom withImage(GivenImage given)
    {
        requireNonNull(given, "given is null");
        return new Sbom(format, given.applyTo(image, "SBOM"), os, packages);
    }
}
