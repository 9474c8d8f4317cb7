package io.runlight.examples.summary;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import static java.util.Objects.requireNonNull;

/**
 * Writes the connector's JSON bodies with Jackson's streaming writer. Jackson is
 * bundled in the plugin jar and relocated by the shade plugin, so this plugin's Jackson
 * never meets the hub's or another plugin's.
 */
final class SummaryJson
{
    private final JsonFactory factory = new JsonFactory();

    /** A push body: {@code {"text", "event", "imageDigest", "time"}}; Slack-style receivers read {@code text} and ignore the rest. */
    byte[] message(String text, String event, String imageDigest, Instant time)
    {
        return write(generator -> {
            generator.writeStartObject();
            generator.writeStringField("text", text);
            generator.writeStringField("event", event);
            generator.writeStringField("imageDigest", imageDigest);
            generator.writeStringField("time", time.toString());
            generator.writeEndObject();
        });
    }

    /** The connection test's body. */
    byte[] test(String text)
    {
        return write(generator -> {
            generator.writeStartObject();
            generator.writeStringField("text", text);
            generator.writeStringField("event", "runlight.test");
            generator.writeEndObject();
        });
    }

    /** The serve route's page: {@code {"data": [{"imageDigest", "text"}], "next": cursor}}, {@code next} left out on the last page. */
    byte[] page(List<ImageLine> lines, Optional<String> next)
    {
        return write(generator -> {
            generator.writeStartObject();
            generator.writeArrayFieldStart("data");
            for (ImageLine line : lines) {
                generator.writeStartObject();
                generator.writeStringField("imageDigest", line.imageDigest());
                generator.writeStringField("text", line.text());
                generator.writeEndObject();
            }
            generator.writeEndArray();
            if (next.isPresent()) {
                generator.writeStringField("next", next.get());
            }
            generator.writeEndObject();
        });
    }

    /** One image of the serve route's page. */
    record ImageLine(String imageDigest, String text)
    {
        ImageLine
        {
            requireNonNull(imageDigest, "imageDigest is null");
            requireNonNull(text, "text is null");
        }
    }

    private byte[] write(Body body)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = factory.createGenerator(out, JsonEncoding.UTF8)) {
            body.write(generator);
        }
        catch (IOException e) {
            // writing to memory fails only on a bug
            throw new UncheckedIOException("cannot write a JSON body", e);
        }
        return out.toByteArray();
    }

    @FunctionalInterface
    private interface Body
    {
        void write(JsonGenerator generator)
                throws IOException;
    }
}
