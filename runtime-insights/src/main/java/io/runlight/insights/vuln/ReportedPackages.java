package io.runlight.insights.vuln;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Purl;

/**
 * Turns what a scanner says about a package (purl text, name, version, its own type
 * word) into {@link PackageCoordinates}. A purl that does not parse is dropped, but
 * the name, version and type are kept, so the finding can still be joined by name.
 */
final class ReportedPackages
{
    // Syft/Grype artifact types (syft/pkg/type.go)
    private static final Map<String, PackageType> SYFT_TYPES = Map.ofEntries(
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
            Map.entry("dotnet", PackageType.NUGET));

    // Trivy Results[].Type (pkg/fanal/types/const.go)
    private static final Map<String, PackageType> TRIVY_TYPES = Map.ofEntries(
            Map.entry("alpine", PackageType.APK),
            Map.entry("wolfi", PackageType.APK),
            Map.entry("chainguard", PackageType.APK),
            Map.entry("debian", PackageType.DEB),
            Map.entry("ubuntu", PackageType.DEB),
            Map.entry("redhat", PackageType.RPM),
            Map.entry("centos", PackageType.RPM),
            Map.entry("rocky", PackageType.RPM),
            Map.entry("alma", PackageType.RPM),
            Map.entry("amazon", PackageType.RPM),
            Map.entry("oracle", PackageType.RPM),
            Map.entry("fedora", PackageType.RPM),
            Map.entry("photon", PackageType.RPM),
            Map.entry("suse", PackageType.RPM),
            Map.entry("opensuse", PackageType.RPM),
            Map.entry("opensuse.leap", PackageType.RPM),
            Map.entry("opensuse.tumbleweed", PackageType.RPM),
            Map.entry("sles", PackageType.RPM),
            Map.entry("cbl-mariner", PackageType.RPM),
            Map.entry("azurelinux", PackageType.RPM),
            Map.entry("jar", PackageType.MAVEN),
            Map.entry("pom", PackageType.MAVEN),
            Map.entry("gradle", PackageType.MAVEN),
            Map.entry("sbt", PackageType.MAVEN),
            Map.entry("gemspec", PackageType.GEM),
            Map.entry("bundler", PackageType.GEM),
            Map.entry("npm", PackageType.NPM),
            Map.entry("node-pkg", PackageType.NPM),
            Map.entry("yarn", PackageType.NPM),
            Map.entry("pnpm", PackageType.NPM),
            Map.entry("pip", PackageType.PYPI),
            Map.entry("pipenv", PackageType.PYPI),
            Map.entry("poetry", PackageType.PYPI),
            Map.entry("uv", PackageType.PYPI),
            Map.entry("python-pkg", PackageType.PYPI),
            Map.entry("gobinary", PackageType.GOLANG),
            Map.entry("gomod", PackageType.GOLANG),
            Map.entry("composer", PackageType.COMPOSER),
            Map.entry("composer-vendor", PackageType.COMPOSER),
            Map.entry("cargo", PackageType.CARGO),
            Map.entry("rustbinary", PackageType.CARGO),
            Map.entry("nuget", PackageType.NUGET),
            Map.entry("dotnet-core", PackageType.NUGET),
            Map.entry("packages-props", PackageType.NUGET));

    private ReportedPackages() {}

    /**
     * The coordinates of a reported package.
     *
     * @param purlText the purl as the report gives it; ignored when absent or invalid
     * @param name the name; the purl's name when absent
     * @param version the version; the purl's version, or empty, when absent
     * @param reportedType the type from the scanner's own vocabulary, used when no purl parses
     * @return empty when neither a name nor a valid purl is known
     */
    static Optional<PackageCoordinates> coordinates(Optional<String> purlText, Optional<String> name, Optional<String> version, Optional<PackageType> reportedType)
    {
        Optional<Purl> purl = purlText.flatMap(ReportedPackages::parsePurl);
        Optional<String> packageName = name.or(() -> purl.map(Purl::name));
        if (packageName.isEmpty()) {
            return Optional.empty();
        }
        String packageVersion = version.or(() -> purl.flatMap(Purl::version)).orElse("");
        Optional<PackageType> type = purl.map(value -> PackageType.fromPurlType(value.type())).or(() -> reportedType);
        return Optional.of(new PackageCoordinates(purl, packageName.get(), packageVersion, type));
    }

    /** The purl, or empty when the text is not a valid purl. */
    static Optional<Purl> parsePurl(String text)
    {
        try {
            return Optional.of(Purl.parse(text));
        }
        catch (IllegalArgumentException e) {
            // an invalid purl is the scanner's quirk, not a reason to refuse the report:
            // the coordinates keep name, version and type, and record no purl
            return Optional.empty();
        }
    }

    /** The type for a Syft/Grype artifact type such as {@code java-archive}: {@code OTHER} when unrecognised, empty when absent. */
    static Optional<PackageType> fromSyftType(Optional<String> type)
    {
        return type.map(value -> SYFT_TYPES.getOrDefault(value.toLowerCase(Locale.ROOT), PackageType.OTHER));
    }

    /** The type for a Trivy result type such as {@code debian} or {@code gemspec}: {@code OTHER} when unrecognised, empty when absent. */
    static Optional<PackageType> fromTrivyType(Optional<String> type)
    {
        return type.map(value -> TRIVY_TYPES.getOrDefault(value.toLowerCase(Locale.ROOT), PackageType.OTHER));
    }
}
