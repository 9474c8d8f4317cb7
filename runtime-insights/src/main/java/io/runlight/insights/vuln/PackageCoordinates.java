package io.runlight.insights.vuln;

import java.util.Optional;

import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Purl;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * How a scan report names the package a finding is about; joined to SBOM packages by
 * purl first, then by name, version and type.
 *
 * @param purl the package URL, if the report gives one
 * @param name the package name
 * @param version the installed version
 * @param type the ecosystem, if known
 */
public record PackageCoordinates(Optional<Purl> purl, String name, String version, Optional<PackageType> type)
{
    public PackageCoordinates
    {
        requireNonNull(purl, "purl is null");
        requireNonBlank(name, "name");
        requireNonNull(version, "version is null");
        requireNonNull(type, "type is null");
    }
}
