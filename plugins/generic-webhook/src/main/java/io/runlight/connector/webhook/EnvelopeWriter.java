package io.runlight.connector.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.VulnerabilityInsight;
import io.runlight.plugin.api.connector.PackageFirstUse;
import io.runlight.plugin.api.connector.PackageUsageChange;

import static java.util.Objects.requireNonNull;

/**
 * Writes the JSON bodies of the runlight payload: the event envelope of
 * formats/webhook.md, its batch form, and the test event.
 */
final class EnvelopeWriter
{
    /** The event type of {@link #testEvent}. */
    static final String TEST_EVENT_TYPE = "runlight.test";

    private final JsonFactory json = new JsonFactory();

    /** {@code {"type", "timestamp", "data": {...}}}. */
    byte[] event(String type, Instant timestamp, ImageEvent event)
    {
        requireNonNull(event, "event is null");
        return write(type, timestamp, generator -> {
            generator.writeFieldName("data");
            writeData(generator, event);
        });
    }

    /** {@code {"type", "timestamp", "data": [{...}, ...]}}: the envelope with one data object per event. */
    byte[] batch(String type, Instant timestamp, List<ImageEvent> events)
    {
        requireNonNull(events, "events is null");
        return write(type, timestamp, generator -> {
            generator.writeArrayFieldStart("data");
            for (ImageEvent event : events) {
                writeData(generator, event);
            }
            generator.writeEndArray();
        });
    }

    /**
     * {@code {"type": "runlight.package.first_used", "timestamp", "data": {"imageDigest", "cluster",
     * "namespace", "workload": {"kind", "name", "container"}, "package", "evidence": {"path", "kind",
     * "process", "time"}, "vulnerabilities": [{"id", "severity", "cvss", "fixedIn"}]}}}.
     */
    byte[] firstUse(String type, Instant timestamp, PackageFirstUse event)
    {
        requireNonNull(event, "event is null");
        return write(type, timestamp, generator -> {
            generator.writeObjectFieldStart("data");
            generator.writeStringField("imageDigest", event.imageDigest().value());
            generator.writeStringField("cluster", event.workload().cluster());
            generator.writeStringField("namespace", event.workload().namespace());
            generator.writeObjectFieldStart("workload");
            generator.writeStringField("kind", event.workload().kind());
            generator.writeStringField("name", event.workload().name());
            generator.writeStringField("container", event.workload().container());
            generator.writeEndObject();
            generator.writeStringField("package", event.pkg().purl().toString());
            generator.writeObjectFieldStart("evidence");
            generator.writeStringField("path", event.evidence().path());
            generator.writeStringField("kind", event.evidence().kind().wireName());
            if (event.evidence().process().isPresent()) {
                generator.writeStringField("process", event.evidence().process().get());
            }
            generator.writeStringField("time", DateTimeFormatter.ISO_INSTANT.format(event.evidence().firstSeen()));
            generator.writeEndObject();
            generator.writeArrayFieldStart("vulnerabilities");
            for (VulnerabilityInsight insight : event.vulnerabilities()) {
                generator.writeStartObject();
                generator.writeStringField("id", insight.vulnerability().id());
                generator.writeStringField("severity", insight.vulnerability().severity().name());
                if (insight.vulnerability().cvssScore().isPresent()) {
                    generator.writeNumberField("cvss", insight.vulnerability().cvssScore().getAsDouble());
                }
                generator.writeArrayFieldStart("fixedIn");
                for (String version : insight.vulnerability().fixedIn()) {
                    generator.writeString(version);
                }
                generator.writeEndArray();
                generator.writeEndObject();
            }
            generator.writeEndArray();
            generator.writeEndObject();
        });
    }

    /** {@code {"type": "runlight.test", "timestamp", "data": {"integrationId", "integrationName", "hubVersion"}}}. */
    byte[] testEvent(Instant timestamp, String integrationId, String integrationName, String hubVersion)
    {
        return write(TEST_EVENT_TYPE, timestamp, generator -> {
            generator.writeObjectFieldStart("data");
            generator.writeStringField("integrationId", integrationId);
            generator.writeStringField("integrationName", integrationName);
            generator.writeStringField("hubVersion", hubVersion);
            generator.writeEndObject();
        });
    }

    private byte[] write(String type, Instant timestamp, DataWriter data)
    {
        requireNonNull(type, "type is null");
        requireNonNull(timestamp, "timestamp is null");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = json.createGenerator(out, JsonEncoding.UTF8)) {
            generator.writeStartObject();
            generator.writeStringField("type", type);
            generator.writeStringField("timestamp", DateTimeFormatter.ISO_INSTANT.format(timestamp));
            data.write(generator);
            generator.writeEndObject();
        }
        catch (IOException e) {
            // a ByteArrayOutputStream does not fail
            throw new UncheckedIOException("cannot write webhook event '" + type + "'", e);
        }
        return out.toByteArray();
    }

    private static void writeData(JsonGenerator generator, ImageEvent event)
            throws IOException
    {
        generator.writeStartObject();
        generator.writeStringField("imageDigest", event.imageDigest().value());
        if (event.cluster().isPresent()) {
            generator.writeStringField("cluster", event.cluster().get());
        }
        else {
            generator.writeNullField("cluster");
        }
        generator.writeObjectFieldStart("summary");
        generator.writeNumberField("packages", event.summary().packages());
        generator.writeNumberField("packagesInUse", event.summary().packagesInUse());
        generator.writeNumberField("vulnerabilities", event.summary().vulnerabilities());
        generator.writeNumberField("vulnerabilitiesInUse", event.summary().vulnerabilitiesInUse());
        generator.writeEndObject();
        generator.writeArrayFieldStart("changes");
        for (PackageUsageChange change : event.changes()) {
            generator.writeStartObject();
            generator.writeStringField("package", change.purl().toString());
            generator.writeBooleanField("inUse", change.current() == Usage.IN_USE);
            generator.writeStringField("usage", change.current().name());
            generator.writeEndObject();
        }
        generator.writeEndArray();
        generator.writeEndObject();
    }

    private interface DataWriter
    {
        void write(JsonGenerator generator)
                throws IOException;
    }
}
