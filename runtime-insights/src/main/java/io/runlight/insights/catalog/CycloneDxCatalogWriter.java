package io.runlight.insights.catalog;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.OsInfo;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Purl;

import static java.util.Objects.requireNonNull;

/**
 * Writes a catalog as a CycloneDX 1.6 JSON BOM, streamed (a catalog can own a million files).
 *
 * <ul>
 *   <li>{@code metadata.tools.components[]} names Runlight ({@code io.runlight:runlight}): readers
 *       take this BOM's occurrences as owned files, unlike import sites other tools write there.</li>
 *   <li>{@code metadata.component} is the image ({@code type: container}): its primary digest as
 *       {@code version} and {@code bom-ref}, every digest and name as {@code runlight:image:*} properties.
 *       No {@code pkg:oci} purl: its version must be a manifest digest, and a {@code docker save}
 *       archive records none.</li>
 *   <li>An {@code operating-system} component names the distribution.</li>
 *   <li>Each package is a {@code library} with its canonical purl (OS packages with {@code arch}
 *       and {@code distro} qualifiers) and {@code evidence.occurrences[].location} = the absolute
 *       path in the image of each file it owns; for a Go or Rust module, the binary it is built
 *       into; for a jar inside a jar, the outer jar, with the property {@code runlight:nestedIn}.</li>
 * </ul>
 * No timestamp and no random serial number: the same catalog gives the same bytes.
 */
public final class CycloneDxCatalogWriter
{
    /** The tool name readers recognise; see {@link #TOOL_GROUP}. */
    public static final String TOOL_NAME = "runlight";
    public static final String TOOL_GROUP = "io.runlight";
    /** The outer archive a nested jar is owned through. */
    public static final String NESTED_IN_PROPERTY = "runlight:nestedIn";

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private final String toolVersion;

    public CycloneDxCatalogWriter(String toolVersion)
    {
        this.toolVersion = requireNonNull(toolVersion, "toolVersion is null");
    }

    public void write(Catalog catalog, OutputStream out)
    {
        requireNonNull(catalog, "catalog is null");
        requireNonNull(out, "out is null");
        try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("bomFormat", "CycloneDX");
            json.writeStringField("specVersion", "1.6");
            json.writeNumberField("version", 1);
            metadata(json, catalog);
            json.writeArrayFieldStart("components");
            if (catalog.os().isPresent()) {
                operatingSystem(json, catalog.os().get());
            }
            for (SbomPackage sbomPackage : catalog.packages()) {
                component(json, sbomPackage);
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeRaw('\n');
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write the CycloneDX BOM", e);
        }
    }

    private void metadata(JsonGenerator json, Catalog catalog)
            throws IOException
    {
        json.writeObjectFieldStart("metadata");
        json.writeObjectFieldStart("tools");
        json.writeArrayFieldStart("components");
        json.writeStartObject();
        json.writeStringField("type", "application");
        json.writeStringField("group", TOOL_GROUP);
        json.writeStringField("name", TOOL_NAME);
        json.writeStringField("version", toolVersion);
        json.writeEndObject();
        json.writeEndArray();
        json.writeEndObject();
        image(json, catalog.image());
        json.writeEndObject();
    }

    private static void image(JsonGenerator json, ImageIdentity image)
            throws IOException
    {
        Optional<ImageDigest> digest = image.primaryDigest();
        String name = image.names().isEmpty() ? digest.map(ImageDigest::toString).orElse("image") : image.names().get(0);
        json.writeObjectFieldStart("component");
        json.writeStringField("type", "container");
        json.writeStringField("bom-ref", digest.map(ImageDigest::toString).orElse("image"));
        json.writeStringField("name", name);
        if (digest.isPresent()) {
            json.writeStringField("version", digest.get().toString());
        }
        if (!image.digests().isEmpty() || !image.names().isEmpty()) {
            json.writeArrayFieldStart("properties");
            for (ImageDigest each : image.digests()) {
                property(json, "runlight:image:digest", each.toString());
            }
            for (String each : image.names()) {
                property(json, "runlight:image:name", each);
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    private static void operatingSystem(JsonGenerator json, OsInfo os)
            throws IOException
    {
        json.writeStartObject();
        json.writeStringField("type", "operating-system");
        json.writeStringField("bom-ref", "os:" + os.family() + (os.version().isEmpty() ? "" : "@" + os.version()));
        json.writeStringField("name", os.family());
        if (!os.version().isEmpty()) {
            json.writeStringField("version", os.version());
        }
        json.writeEndObject();
    }

    private static void component(JsonGenerator json, SbomPackage sbomPackage)
            throws IOException
    {
        json.writeStartObject();
        json.writeStringField("type", "library");
        json.writeStringField("bom-ref", sbomPackage.id());
        Purl purl = sbomPackage.pkg().purl();
        if (purl.namespace().isPresent() && !sbomPackage.pkg().type().isOperatingSystem()) {
            json.writeStringField("group", purl.namespace().get());
        }
        json.writeStringField("name", purl.namespace().isPresent() && !sbomPackage.pkg().type().isOperatingSystem() ? purl.name() : sbomPackage.pkg().name());
        if (!sbomPackage.pkg().version().isEmpty()) {
            json.writeStringField("version", sbomPackage.pkg().version());
        }
        json.writeStringField("purl", purl.toString());
        List<String> occurrences = occurrences(sbomPackage);
        if (!occurrences.isEmpty()) {
            json.writeObjectFieldStart("evidence");
            json.writeArrayFieldStart("occurrences");
            for (String location : occurrences) {
                json.writeStartObject();
                json.writeStringField("location", location);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        if (sbomPackage.nestedIn().isPresent()) {
            json.writeArrayFieldStart("properties");
            property(json, NESTED_IN_PROPERTY, sbomPackage.nestedIn().get());
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    // where a package is found is the record of many packages, never owned by one: an OS package database, Composer's
    // installed.json, a .NET app's deps.json, the gemspecs RubyGems reads for every gem at start-up
    private static final java.util.Set<PackageType> SHARED_RECORDS = java.util.Set.of(PackageType.COMPOSER, PackageType.NUGET, PackageType.GEM);

    // owned files; a binary or jar a package is found in is where it is owned too
    private static List<String> occurrences(SbomPackage sbomPackage)
    {
        TreeSet<String> all = new TreeSet<>(sbomPackage.ownedFiles());
        PackageType type = sbomPackage.pkg().type();
        if (!type.isOperatingSystem() && !SHARED_RECORDS.contains(type)) {
            all.addAll(sbomPackage.locations());
        }
        return List.copyOf(all);
    }

    private static void property(JsonGenerator json, String name, String value)
            throws IOException
    {
        json.writeStartObject();
        json.writeStringField("name", name);
        json.writeStringField("value", value);
        json.writeEndObject();
    }
}
