package io.runlight.insights.catalog;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

import io.runlight.insights.input.InputLimits;
import io.runlight.insights.sbom.CycloneDxJsonReader;
import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomPackage;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks a catalog's CycloneDX against the 1.6 schema and reads it back with the engine's reader. */
final class CycloneDxRoundTrip
{
    private CycloneDxRoundTrip() {}

    /**
     * Asserts the SBOM is valid and the reader gets, per package, exactly the owned files
     * cataloged (binaries as places, for packages owned through them).
     */
    static void assertValidAndReadBack(Catalog catalog)
            throws IOException
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CycloneDxCatalogWriter("0.1.0").write(catalog, out);
        assertThat(new org.cyclonedx.parsers.JsonParser().validate(out.toByteArray(), org.cyclonedx.Version.VERSION_16)).isEmpty();
        Sbom sbom = new CycloneDxJsonReader(InputLimits.DEFAULT).read(new ByteArrayInputStream(out.toByteArray()));
        Map<String, String> readBack = new TreeMap<>();
        sbom.packages().forEach(sbomPackage -> readBack.merge(sbomPackage.pkg().purl().toString(), evidence(sbomPackage), (a, b) -> a + " + " + b));
        Map<String, String> written = new TreeMap<>();
        catalog.packages().forEach(sbomPackage -> written.merge(sbomPackage.pkg().purl().toString(), expected(sbomPackage), (a, b) -> a + " + " + b));
        assertThat(readBack).isEqualTo(written);
    }

    private static String evidence(SbomPackage sbomPackage)
    {
        return "owns " + sbomPackage.ownedFiles() + " at " + sbomPackage.locations();
    }

    // a binary a crate is built into comes back as where it is found; a shared record (installed.json, deps.json, gemspec) not at all
    private static String expected(SbomPackage sbomPackage)
    {
        boolean throughBinary = sbomPackage.pkg().type() == io.runlight.plugin.api.PackageType.CARGO || sbomPackage.pkg().type() == io.runlight.plugin.api.PackageType.GOLANG;
        return "owns " + sbomPackage.ownedFiles() + " at " + (throughBinary ? sbomPackage.locations() : java.util.List.of());
    }
}
