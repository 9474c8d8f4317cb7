package io.runlight.hub.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import io.runlight.hub.RunlightVersion;
import io.runlight.insights.catalog.Catalog;
import io.runlight.insights.catalog.CatalogLimits;
import io.runlight.insights.catalog.Cataloger;
import io.runlight.insights.catalog.CycloneDxCatalogWriter;
import io.runlight.insights.input.InputException;
import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.insights.sbom.ImageIdentityBuilder;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.PackageType;

/**
 * What {@code runlight sbom} and {@code runlight ingest sbom} catalog: a root folder or an
 * image archive, and the image a root folder holds. Runs Runlight's own cataloger and writes
 * its CycloneDX BOM.
 */
final class ImageSourceOptions
{
    /** Exactly one of the two. */
    static final class Source
    {
        @Option(names = "--rootfs", paramLabel = "DIR", required = true,
                description = "A root folder: an unpacked image, a container's file system, or / of this machine.")
        Path rootfs;

        @Option(names = "--archive", paramLabel = "PATH", required = true,
                description = "An image archive: docker save output, or an OCI image layout (folder or tar).")
        Path archive;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    @Option(names = "--image", paramLabel = "REF",
            description = "The image the root folder holds (a name such as shop/cart:1.4, or name@sha256:...); an archive names its own.")
    String image;

    @Option(names = "--types", paramLabel = "TYPE", split = ",",
            description = "Only these ecosystems (deb, apk, rpm, pypi, npm, maven, golang, composer, nuget, gem, cargo); OS packages alone skip the walk of the whole folder.")
    java.util.List<String> types = new java.util.ArrayList<>();

    /** Whether a folder or an archive was given (the options are optional where files can be given instead). */
    boolean isGiven()
    {
        return source != null;
    }

    /** Catalogs the image and writes the CycloneDX BOM; warnings and a summary go to {@code err}. */
    Catalog catalogTo(OutputStream out, PrintWriter err)
    {
        Cataloger cataloger = new Cataloger(CatalogLimits.DEFAULT, Optional.empty(), packageTypes());
        Catalog catalog;
        try {
            if (source.rootfs != null) {
                catalog = cataloger.catalogRootFolder(source.rootfs, identity());
            }
            else {
                catalog = cataloger.catalogArchive(source.archive);
                if (image != null) {
                    catalog = new Catalog(catalog.image().merge(identity()), catalog.os(), catalog.packages(), catalog.warnings());
                }
            }
        }
        catch (InputException e) {
            throw new IllegalArgumentException("cannot catalog '" + sourceName() + "': " + e.getMessage(), e);
        }
        new CycloneDxCatalogWriter(RunlightVersion.current()).write(catalog, out);
        for (String warning : catalog.warnings()) {
            err.println("runlight: warning: " + warning);
        }
        err.println("runlight: " + summary(catalog));
        err.flush();
        return catalog;
    }

    private java.util.Set<PackageType> packageTypes()
    {
        java.util.Set<PackageType> result = new java.util.HashSet<>();
        for (String name : types) {
            PackageType type = null;
            for (PackageType candidate : PackageType.values()) {
                if (candidate.wireName().equalsIgnoreCase(name.strip())) {
                    type = candidate;
                }
            }
            if (type == null) {
                throw new IllegalArgumentException("--types: '" + name + "' is no ecosystem Runlight catalogs; use deb, apk, rpm, pypi, npm, maven, golang, composer, nuget, gem or cargo");
            }
            result.add(type);
        }
        return result;
    }

    String sourceName()
    {
        return String.valueOf(source.rootfs != null ? source.rootfs : source.archive);
    }

    private ImageIdentity identity()
    {
        if (image == null || image.isBlank()) {
            return ImageIdentity.UNKNOWN;
        }
        ImageIdentityBuilder builder = new ImageIdentityBuilder();
        if (image.startsWith("sha256:")) {
            builder.configDigest(Optional.of(image));
        }
        else {
            builder.reference(Optional.of(image));
        }
        return builder.build();
    }

    private String summary(Catalog catalog)
    {
        Map<String, Integer> byType = new TreeMap<>();
        long files = 0;
        for (SbomPackage sbomPackage : catalog.packages()) {
            byType.merge(sbomPackage.pkg().type().wireName(), 1, Integer::sum);
            files += sbomPackage.ownedFiles().size();
        }
        StringBuilder text = new StringBuilder("cataloged ").append(catalog.packages().size()).append(" packages");
        if (!byType.isEmpty()) {
            text.append(" (");
            byType.forEach((type, count) -> text.append(text.charAt(text.length() - 1) == '(' ? "" : ", ").append(type).append(' ').append(count));
            text.append(')');
        }
        text.append(" owning ").append(files).append(" files in '").append(sourceName()).append("'");
        catalog.image().primaryDigest().ifPresent(digest -> text.append(", image ").append(digest));
        return text.toString();
    }
}
