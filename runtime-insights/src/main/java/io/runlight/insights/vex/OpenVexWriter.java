package io.runlight.insights.vex;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import io.runlight.plugin.api.ImageInsights;

import static java.util.Objects.requireNonNull;

/**
 * Writes an image's runtime verdicts as an <a href="https://openvex.dev">OpenVEX</a>
 * 0.2.0 document, which Docker Scout, Grype, Trivy and vexctl read.
 *
 * <p>Each statement names one vulnerability and one package (a subcomponent of the
 * image product); a package not loaded during a complete observation is
 * {@code not_affected} with justification {@code vulnerable_code_not_in_execute_path}
 * and an impact statement naming the evidence window. Which other statements appear
 * is set by {@link VexOptions}. The document timestamp is a parameter, never the
 * clock; statement timestamps are the profile's last event. The same records and
 * timestamp always give the same bytes.
 */
public final class OpenVexWriter
{
    /** The OpenVEX 0.2.0 context, also the in-toto predicate type of VEX attestations. */
    public static final String CONTEXT = "https://openvex.dev/ns/v0.2.0";

    /** The document version: Runlight writes each document afresh from its data. */
    static final int DOCUMENT_VERSION = 1;

    private final VexOptions options;

    public OpenVexWriter(VexOptions options)
    {
        this.options = requireNonNull(options, "options is null");
    }

    /** Writes the document, indented, to {@code out}, which is flushed, not closed. */
    public void write(ImageInsights image, Instant timestamp, OutputStream out)
            throws IOException
    {
        VexDocumentOutput.write(image, timestamp, options, out, (generator, statements) -> {
            List<String> products = ImageProduct.ids(image, options.productIdForm());
            generator.writeStringField("@context", CONTEXT);
            generator.writeStringField("@id", options.idBase() + "/" + image.digest().value() + "/" + DOCUMENT_VERSION);
            generator.writeStringField("author", options.author());
            generator.writeStringField("timestamp", timestamp.toString());
            generator.writeNumberField("version", DOCUMENT_VERSION);
            generator.writeStringField("tooling", "Runlight");
            generator.writeArrayFieldStart("statements");
            for (VexStatement statement : statements) {
                writeStatement(generator, statement, products);
            }
            generator.writeEndArray();
        });
    }

    /** The document as UTF-8 bytes. */
    public byte[] toBytes(ImageInsights image, Instant timestamp)
    {
        return VexDocumentOutput.toBytes("OpenVEX", image, out -> write(image, timestamp, out));
    }

    private static void writeStatement(JsonGenerator generator, VexStatement statement, List<String> products)
            throws IOException
    {
        generator.writeStartObject();
        generator.writeObjectFieldStart("vulnerability");
        generator.writeStringField("name", statement.vulnerability().id());
        if (!statement.vulnerability().aliases().isEmpty()) {
            generator.writeArrayFieldStart("aliases");
            for (String alias : statement.vulnerability().aliases()) {
                generator.writeString(alias);
            }
            generator.writeEndArray();
        }
        generator.writeEndObject();
        if (statement.timestamp().isPresent()) {
            generator.writeStringField("timestamp", statement.timestamp().get().toString());
        }
        generator.writeArrayFieldStart("products");
        for (String product : products) {
            generator.writeStartObject();
            generator.writeStringField("@id", product);
            generator.writeArrayFieldStart("subcomponents");
            generator.writeStartObject();
            generator.writeStringField("@id", statement.purl().toString());
            generator.writeEndObject();
            generator.writeEndArray();
            generator.writeEndObject();
        }
        generator.writeEndArray();
        switch (statement.status()) {
            case NOT_AFFECTED -> {
                generator.writeStringField("status", "not_affected");
                generator.writeStringField("justification", "vulnerable_code_not_in_execute_path");
                generator.writeStringField("impact_statement", statement.explanation());
            }
            case AFFECTED -> {
                generator.writeStringField("status", "affected");
                generator.writeStringField("action_statement", statement.explanation());
            }
            case UNDER_INVESTIGATION -> {
                generator.writeStringField("status", "under_investigation");
                generator.writeStringField("status_notes", statement.explanation());
            }
        }
        generator.writeEndObject();
    }
}
