package io.runlight.insights.vex;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonGenerator;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.Purl;
import io.runlight.plugin.api.Vulnerability;

import static java.util.Objects.requireNonNull;

/**
 * Writes an image's runtime verdicts as a CycloneDX 1.6 JSON BOM used as VEX: the image
 * as {@code metadata.component} (type {@code container}), the packages stated about as
 * {@code components} (bom-ref = purl), and one {@code vulnerabilities[]} entry per
 * (vulnerability, package) whose {@code analysis} says {@code not_affected} /
 * {@code code_not_reachable} with the evidence window as {@code detail}. Dependency-Track
 * and other CycloneDX tools import it.
 *
 * <p>Statements are chosen as for OpenVEX (see {@link VexOptions}): {@code affected}
 * becomes {@code exploitable} with response {@code update} when a fix is known, and
 * {@code under_investigation} becomes {@code in_triage}. The {@code serialNumber} is a
 * name-based UUID of the image digest and the document timestamp, so writing the same
 * image at the same timestamp again gives the same document, byte for byte.
 */
public final class CycloneDxVexWriter
{
    /** The JSON schema the documents conform to. */
    public static final String SCHEMA = "http://cyclonedx.org/schema/bom-1.6.schema.json";

    private static final Pattern NAME_AND_EMAIL = Pattern.compile("(.*?)\\s*<([^<>\\s]+@[^<>\\s]+)>");

    private final VexOptions options;

    public CycloneDxVexWriter(VexOptions options)
    {
        this.options = requireNonNull(options, "options is null");
    }

    /** Writes the document, indented, to {@code out}, which is flushed, not closed. */
    public void write(ImageInsights image, Instant timestamp, OutputStream out)
            throws IOException
    {
        VexDocumentOutput.write(image, timestamp, options, out, (generator, statements) -> {
            generator.writeStringField("$schema", SCHEMA);
            generator.writeStringField("bomFormat", "CycloneDX");
            generator.writeStringField("specVersion", "1.6");
            generator.writeStringField("serialNumber", serialNumber(image.digest(), timestamp));
            generator.writeNumberField("version", OpenVexWriter.DOCUMENT_VERSION);
            writeMetadata(generator, image, timestamp);
            writeComponents(generator, statements);
            generator.writeArrayFieldStart("vulnerabilities");
            for (VexStatement statement : statements) {
                writeVulnerability(generator, statement);
            }
            generator.writeEndArray();
        });
    }

    /** The document as UTF-8 bytes. */
    public byte[] toBytes(ImageInsights image, Instant timestamp)
    {
        return VexDocumentOutput.toBytes("CycloneDX VEX", image, out -> write(image, timestamp, out));
    }

    /** {@code urn:uuid:} of a name-based (version 3) UUID of the digest and the timestamp. */
    static String serialNumber(ImageDigest digest, Instant timestamp)
    {
        String name = "runlight-vex:" + digest.value() + "@" + timestamp;
        return "urn:uuid:" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    private void writeMetadata(JsonGenerator generator, ImageInsights image, Instant timestamp)
            throws IOException
    {
        generator.writeObjectFieldStart("metadata");
        generator.writeStringField("timestamp", timestamp.toString());
        generator.writeObjectFieldStart("tools");
        generator.writeArrayFieldStart("components");
        generator.writeStartObject();
        generator.writeStringField("type", "application");
        generator.writeStringField("name", "Runlight");
        generator.writeEndObject();
        generator.writeEndArray();
        generator.writeEndObject();
        generator.writeArrayFieldStart("authors");
        generator.writeStartObject();
        Matcher matcher = NAME_AND_EMAIL.matcher(options.author());
        if (matcher.matches() && !matcher.group(1).isBlank()) {
            generator.writeStringField("name", matcher.group(1));
            generator.writeStringField("email", matcher.group(2));
        }
        else {
            generator.writeStringField("name", options.author());
        }
        generator.writeEndObject();
        generator.writeEndArray();

        Optional<String> purl = ImageProduct.purl(image, options.productIdForm());
        generator.writeObjectFieldStart("component");
        generator.writeStringField("bom-ref", purl.orElse(image.digest().value()));
        generator.writeStringField("type", "container");
        generator.writeStringField("name", ImageProduct.displayName(image));
        generator.writeStringField("version", image.digest().value());
        generator.writeArrayFieldStart("hashes");
        generator.writeStartObject();
        generator.writeStringField("alg", image.digest().algorithm().toUpperCase(Locale.ROOT).replace("SHA", "SHA-"));
        generator.writeStringField("content", image.digest().hex());
        generator.writeEndObject();
        generator.writeEndArray();
        if (purl.isPresent()) {
            generator.writeStringField("purl", purl.get());
        }
        generator.writeEndObject();
        generator.writeEndObject();
    }

    private static void writeComponents(JsonGenerator generator, List<VexStatement> statements)
            throws IOException
    {
        Map<Purl, VexStatement> first = new HashMap<>();
        for (VexStatement statement : statements) {
            first.putIfAbsent(statement.purl(), statement);
        }
        generator.writeArrayFieldStart("components");
        for (Purl purl : VexStatements.distinctPackages(statements)) {
            VexStatement statement = first.get(purl);
            generator.writeStartObject();
            generator.writeStringField("bom-ref", purl.toString());
            generator.writeStringField("type", "library");
            generator.writeStringField("name", statement.packageName());
            if (!statement.packageVersion().isEmpty()) {
                generator.writeStringField("version", statement.packageVersion());
            }
            generator.writeStringField("purl", purl.toString());
            generator.writeEndObject();
        }
        generator.writeEndArray();
    }

    private static void writeVulnerability(JsonGenerator generator, VexStatement statement)
            throws IOException
    {
        Vulnerability vulnerability = statement.vulnerability();
        generator.writeStartObject();
        generator.writeStringField("id", vulnerability.id());
        writeSource(generator, vulnerability);
        generator.writeArrayFieldStart("affects");
        generator.writeStartObject();
        generator.writeStringField("ref", statement.purl().toString());
        generator.writeEndObject();
        generator.writeEndArray();
        generator.writeObjectFieldStart("analysis");
        switch (statement.status()) {
            case NOT_AFFECTED -> {
                generator.writeStringField("state", "not_affected");
                generator.writeStringField("justification", "code_not_reachable");
            }
            case AFFECTED -> {
                generator.writeStringField("state", "exploitable");
                if (vulnerability.fixAvailable()) {
                    generator.writeArrayFieldStart("response");
                    generator.writeString("update");
                    generator.writeEndArray();
                }
            }
            case UNDER_INVESTIGATION -> generator.writeStringField("state", "in_triage");
        }
        generator.writeStringField("detail", statement.explanation());
        if (statement.timestamp().isPresent()) {
            generator.writeStringField("lastUpdated", statement.timestamp().get().toString());
        }
        generator.writeEndObject();
        generator.writeEndObject();
    }

    /**
     * The source: a scanner's data source URL as {@code url}, named by its host
     * ({@code security.alpinelinux.org}); a data source that is a name as it is; with no
     * data source, the authority the id belongs to (CVE → NVD, GHSA → GitHub).
     */
    private static void writeSource(JsonGenerator generator, Vulnerability vulnerability)
            throws IOException
    {
        Optional<String> url = vulnerability.dataSource().filter(CycloneDxVexWriter::isUrl);
        Optional<String> name = vulnerability.dataSource().filter(source -> !isUrl(source));
        if (url.isPresent()) {
            name = host(url.get());
        }
        if (vulnerability.dataSource().isEmpty()) {
            name = sourceOf(vulnerability.id());
        }
        if (name.isEmpty() && url.isEmpty()) {
            return;
        }
        generator.writeObjectFieldStart("source");
        if (name.isPresent()) {
            generator.writeStringField("name", name.get());
        }
        if (url.isPresent()) {
            generator.writeStringField("url", url.get());
        }
        generator.writeEndObject();
    }

    private static Optional<String> host(String url)
    {
        try {
            return Optional.ofNullable(new URI(url).getHost());
        }
        catch (URISyntaxException e) {
            // a data source that is not a valid URI is still kept as the url; it has no host to name it by
            return Optional.empty();
        }
    }

    private static boolean isUrl(String text)
    {
        return text.startsWith("https://") || text.startsWith("http://");
    }

    private static Optional<String> sourceOf(String id)
    {
        String upper = id.toUpperCase(Locale.ROOT);
        if (upper.startsWith("CVE-")) {
            return Optional.of("NVD");
        }
        if (upper.startsWith("GHSA-")) {
            return Optional.of("GitHub");
        }
        return Optional.empty();
    }
}
