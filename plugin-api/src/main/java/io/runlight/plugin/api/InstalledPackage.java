package io.runlight.plugin.api;

import java.util.Optional;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * A package installed in an image.
 *
 * @param type the ecosystem
 * @param name the package name as its ecosystem writes it (for Maven {@code group:artifact} is not used: the name is the artifact id and the group is in the purl namespace)
 * @param version the installed version ({@code ""} when the SBOM gives none)
 * @param purl the package URL that identifies it
 * @param os the operating system, present for OS packages (deb, apk, rpm)
 */
public record InstalledPackage(PackageType type, String name, String version, Purl purl, Optional<OsInfo> os)
{
    public InstalledPackage
    {
        requireNonNull(type, "type is null");
        requireNonBlank(name, "name");
        requireNonNull(version, "version is null");
        requireNonNull(purl, "purl is null");
        requireNonNull(os, "os is null");
        checkArgument(os.isEmpty() || type.isOperatingSystem(), "os is only given for OS packages, not for " + type.wireName() + " package '" + name + "'");
    }

    /**
     * An OS package, with the purl the distro conventions give it:
     * {@code pkg:<type>/<family>/<name>@<version>?arch=<arch>&distro=<family>-<version>}.
     */
    public static InstalledPackage osPackage(PackageType type, String name, String version, OsInfo os)
    {
        requireNonNull(type, "type is null");
        requireNonNull(os, "os is null");
        checkArgument(type.isOperatingSystem(), type.wireName() + " is not an OS package type");
        Purl purl = Purl.of(type.purlType(), os.family(), name, version.isEmpty() ? null : version)
                .withQualifier("arch", os.arch().orElse(""))
                .withQualifier("distro", os.version().isEmpty() ? os.family() : os.family() + "-" + os.version());
        return new InstalledPackage(type, name, version, purl, Optional.of(os));
    }

    /**
     * An application package whose purl is {@code pkg:<type>/<namespace>/<name>@<version>}.
     *
     * @param namespace the group, vendor or scope, or {@code null}
     */
    public static InstalledPackage applicationPackage(PackageType type, String namespace, String name, String version)
    {
        requireNonNull(type, "type is null");
        checkArgument(!type.isOperatingSystem(), type.wireName() + " is an OS package type: use osPackage");
        Purl purl = Purl.of(type.purlType(), namespace, name, version.isEmpty() ? null : version);
        return new InstalledPackage(type, name, version, purl, Optional.empty());
    }
}
