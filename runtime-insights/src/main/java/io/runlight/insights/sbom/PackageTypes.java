package io.runlight.insights.sbom;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.runlight.plugin.api.OsInfo;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Purl;

/**
 * How each scanner names ecosystems, mapped to {@link PackageType}; and the distro an OS
 * package's purl names. Unknown names map to {@link PackageType#OTHER}, so a new scanner
 * type is carried rather than refused. SBOM readers and vulnerability readers share it,
 * so a package gets the same type whichever document named it.
 */
public final class PackageTypes
{
    // Syft/Grype artifact types (syft/pkg/type.go)
    private static final Map<String, PackageType> SYFT = Map.ofEntries(
            Map.entry("apk", PackageType.APK),
            Map.entry("deb", PackageType.DEB),
            Map.entry("rpm", PackageType.RPM),
            Map.entry("java-archive", PackageType.MAVEN),
            Map.entry("jenkins-plugin", PackageType.MAVEN),
            Map.entry("graalvm-native-image", PackageType.MAVEN),
            Map.entry("python", PackageType.PYPI),
            Map.entry("npm", PackageType.NPM),
            Map.entry("go-module", PackageType.GOLANG),
            Map.entry("gem", PackageType.GEM),
            Map.entry("php-composer", PackageType.COMPOSER),
            Map.entry("rust-crate", PackageType.CARGO),
            Map.entry("dotnet", PackageType.NUGET),
            Map.entry("nuget", PackageType.NUGET));

    // Trivy Results[].Type (pkg/fanal/types/const.go)
    private static final Map<String, PackageType> TRIVY = Map.ofEntries(
            Map.entry("alpine", PackageType.APK),
            Map.entry("wolfi", PackageType.APK),
            Map.entry("chainguard", PackageType.APK),
            Map.entry("debian", PackageType.DEB),
            Map.entry("ubuntu", PackageType.DEB),
            Map.entry("redhat", PackageType.RPM),
            Map.entry("centos", PackageType.RPM),
            Map.entry("rocky", PackageType.RPM),
            Map.entry("alma", PackageType.RPM),
            Map.entry("oracle", PackageType.RPM),
            Map.entry("amazon", PackageType.RPM),
            Map.entry("fedora", PackageType.RPM),
            Map.entry("photon", PackageType.RPM),
            Map.entry("cbl-mariner", PackageType.RPM),
            Map.entry("azurelinux", PackageType.RPM),
            Map.entry("opensuse", PackageType.RPM),
            Map.entry("opensuse.leap", PackageType.RPM),
            Map.entry("opensuse.tumbleweed", PackageType.RPM),
            Map.entry("suse", PackageType.RPM),
            Map.entry("suse linux enterprise server", PackageType.RPM),
            Map.entry("sles", PackageType.RPM),
            Map.entry("jar", PackageType.MAVEN),
            Map.entry("pom", PackageType.MAVEN),
            Map.entry("gradle", PackageType.MAVEN),
            Map.entry("sbt", PackageType.MAVEN),
            Map.entry("pip", PackageType.PYPI),
            Map.entry("pipenv", PackageType.PYPI),
            Map.entry("poetry", PackageType.PYPI),
            Map.entry("uv", PackageType.PYPI),
            Map.entry("python-pkg", PackageType.PYPI),
            Map.entry("npm", PackageType.NPM),
            Map.entry("yarn", PackageType.NPM),
            Map.entry("pnpm", PackageType.NPM),
            Map.entry("bun", PackageType.NPM),
            Map.entry("node-pkg", PackageType.NPM),
            Map.entry("gomod", PackageType.GOLANG),
            Map.entry("gobinary", PackageType.GOLANG),
            Map.entry("gemspec", PackageType.GEM),
            Map.entry("bundler", PackageType.GEM),
            Map.entry("composer", PackageType.COMPOSER),
            Map.entry("composer-vendor", PackageType.COMPOSER),
            Map.entry("cargo", PackageType.CARGO),
            Map.entry("rustbinary", PackageType.CARGO),
            Map.entry("nuget", PackageType.NUGET),
            Map.entry("dotnet-core", PackageType.NUGET),
            Map.entry("packages-props", PackageType.NUGET));

    private PackageTypes() {}

    /** The type for a Syft/Grype artifact {@code type} such as {@code java-archive}. */
    public static PackageType fromSyft(String syftType)
    {
        return SYFT.getOrDefault(syftType.toLowerCase(Locale.ROOT), PackageType.OTHER);
    }

    /** The type for a Trivy result {@code Type} ({@code alpine}, {@code debian}, {@code jar}, ...). */
    public static PackageType fromTrivy(String trivyType)
    {
        return TRIVY.getOrDefault(trivyType.toLowerCase(Locale.ROOT), PackageType.OTHER);
    }

    /**
     * The scanner's type, unless it is {@link PackageType#OTHER} and the purl names a known
     * ecosystem (a scanner type Runlight does not know, with a purl it does).
     */
    static PackageType resolve(PackageType scannerType, Optional<Purl> purl)
    {
        if (scannerType != PackageType.OTHER || purl.isEmpty()) {
            return scannerType;
        }
        return PackageType.fromPurlType(purl.get().type());
    }

    /** The purl if the text is one; absent for missing or invalid text. */
    public static Optional<Purl> parsePurl(Optional<String> text)
    {
        return text.flatMap(PackageTypes::parsePurl);
    }

    /** The purl if the text is one; absent for invalid text. */
    public static Optional<Purl> parsePurl(String text)
    {
        try {
            return Optional.of(Purl.parse(text));
        }
        catch (IllegalArgumentException e) {
            // an invalid purl is the scanner's quirk, not a reason to refuse the document: the
            // package keeps its name, version and type (SBOM readers build a purl from them)
            return Optional.empty();
        }
    }

    /**
     * The distro an OS package purl names: its namespace as family, its {@code distro}
     * qualifier ({@code alpine-3.17.2}, {@code debian-12}, or Trivy's bare {@code 3.10.2}) as
     * version, its {@code arch} qualifier as architecture.
     */
    static Optional<OsInfo> osFromPurl(Purl purl)
    {
        if (purl.namespace().isEmpty() || !PackageType.fromPurlType(purl.type()).isOperatingSystem()) {
            return Optional.empty();
        }
        String family = purl.namespace().get().toLowerCase(Locale.ROOT);
        String distro = purl.qualifier("distro").orElse("");
        String version = distroVersion(family, distro);
        if (version.equals(family)) {
            version = "";
        }
        return Optional.of(new OsInfo(family, version, purl.qualifier("arch")));
    }

    /** The version an OS's {@code distro} qualifier or component names, from text such as {@code alpine-3.17.2}. */
    static String distroVersion(String family, String distro)
    {
        return distro.startsWith(family + "-") ? distro.substring(family.length() + 1) : distro;
    }
}
