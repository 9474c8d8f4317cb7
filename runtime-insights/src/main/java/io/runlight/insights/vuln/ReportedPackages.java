package io.runlight.insights.vuln;

import java.util.Optional;

import io.runlight.insights.sbom.PackageTypes;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Purl;

/**
 * Turns what a scanner says about a package (purl text, name, version, its own type
 * word) into {@link PackageCoordinates}. A purl that does not parse is dropped, but
 * the name, version and type are kept, so the finding can still be joined by name.
 * Scanners' own type words are mapped by {@link PackageTypes}.
 */
final class ReportedPackages
{
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
        Optional<Purl> purl = PackageTypes.parsePurl(purlText);
        Optional<String> packageName = name.or(() -> purl.map(Purl::name));
        if (packageName.isEmpty()) {
            return Optional.empty();
        }
        String packageVersion = version.or(() -> purl.flatMap(Purl::version)).orElse("");
        Optional<PackageType> type = purl.map(value -> PackageType.fromPurlType(value.type())).or(() -> reportedType);
        return Optional.of(new PackageCoordinates(purl, packageName.get(), packageVersion, type));
    }
}
