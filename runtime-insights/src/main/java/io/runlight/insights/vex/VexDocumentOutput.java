package io.runlight.insights.vex;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import io.runlight.insights.report.JsonOutput;
import io.runlight.plugin.api.ImageInsights;

import static java.util.Objects.requireNonNull;

/**
 * The frame every VEX document shares, whatever its form: the statements chosen by
 * {@link VexStatements#select}, written as one indented JSON object to the caller's
 * stream (flushed, not closed, ending with a newline), or to memory as bytes.
 */
final class VexDocumentOutput
{
    private VexDocumentOutput() {}

    /** Writes the fields of the document's top-level object. */
    @FunctionalInterface
    interface Fields
    {
        void write(JsonGenerator generator, List<VexStatement> statements)
                throws IOException;
    }

    /** Writes a whole document to a stream. */
    @FunctionalInterface
    interface Document
    {
        void write(OutputStream out)
                throws IOException;
    }

    /**
     * Chooses the image's statements, and writes one indented JSON object with {@code fields},
     * and a newline, to {@code out}, which is flushed, not closed.
     */
    static void write(ImageInsights image, Instant timestamp, VexOptions options, OutputStream out, Fields fields)
            throws IOException
    {
        requireNonNull(image, "image is null");
        requireNonNull(timestamp, "timestamp is null");
        List<VexStatement> statements = VexStatements.select(image, options);
        try (JsonGenerator generator = JsonOutput.indented(out)) {
            generator.writeStartObject();
            fields.write(generator, statements);
            generator.writeEndObject();
            generator.flush();
        }
        out.write('\n');
        out.flush();
    }

    /**
     * The document as bytes.
     *
     * @param form the document's form for the message, for example {@code OpenVEX}
     */
    static byte[] toBytes(String form, ImageInsights image, Document document)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            document.write(out);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write the " + form + " document of image '" + image.digest() + "' to memory", e);
        }
        return out.toByteArray();
    }
}
