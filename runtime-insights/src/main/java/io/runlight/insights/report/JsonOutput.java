package io.runlight.insights.report;

import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;

import static java.util.Objects.requireNonNull;

/**
 * Streaming JSON generators for Runlight's output documents (reports and VEX), so every
 * writer lays JSON out the same way: UTF-8, either compact or indented by two spaces
 * with {@code "key": value} and {@code \n} line ends on every platform. The target
 * stream is flushed, never closed: it belongs to the caller.
 */
public final class JsonOutput
{
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            // a writer that fails half-way must not leave a document that looks complete
            .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
            .build();

    private JsonOutput() {}

    /** A generator writing compact JSON (no whitespace) to {@code out}. */
    public static JsonGenerator compact(OutputStream out)
            throws IOException
    {
        requireNonNull(out, "out is null");
        return FACTORY.createGenerator(out, JsonEncoding.UTF8);
    }

    /** A generator writing JSON indented by two spaces to {@code out}. */
    public static JsonGenerator indented(OutputStream out)
            throws IOException
    {
        JsonGenerator generator = compact(out);
        generator.setPrettyPrinter(prettyPrinter());
        return generator;
    }

    private static DefaultPrettyPrinter prettyPrinter()
    {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        return new DefaultPrettyPrinter(separators)
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
    }
}
