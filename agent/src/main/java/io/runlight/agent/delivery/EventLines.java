package io.runlight.agent.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runlight.agent.attribution.Workload;

/**
 * Writes observations as Runlight's native NDJSON events, in the batch form: one line per
 * container and sample time, {@code "sensor": "proc-sampling"}, with a {@code files} entry per
 * observation. The sensor tells the hub these are samples, which prove what they show and
 * nothing about what they do not (docs/verdicts.md).
 */
public final class EventLines
{
    /** The sensor name of the agent's sampled records. */
    public static final String SENSOR = "proc-sampling";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<String> cluster;

    public EventLines(Optional<String> cluster)
    {
        this.cluster = cluster;
    }

    /** The NDJSON document of a batch, UTF-8. */
    public byte[] write(List<Observation> batch)
    {
        Map<Line, List<Observation>> lines = new LinkedHashMap<>();
        for (Observation observation : batch) {
            lines.computeIfAbsent(new Line(observation.workload(), observation.reportedTime()), key -> new ArrayList<>()).add(observation);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (Map.Entry<Line, List<Observation>> line : lines.entrySet()) {
                try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
                    json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                    writeLine(json, line.getKey(), line.getValue());
                }
                out.write('\n');
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write events to memory", e);
        }
        return out.toByteArray();
    }

    private void writeLine(JsonGenerator json, Line line, List<Observation> observations)
            throws IOException
    {
        Workload workload = line.workload();
        json.writeStartObject();
        json.writeStringField("time", line.time().toString());
        json.writeStringField("sensor", SENSOR);
        optional(json, "cluster", cluster);
        optional(json, "namespace", workload.namespace());
        optional(json, "workloadKind", workload.workloadKind());
        optional(json, "workloadName", workload.workloadName());
        optional(json, "pod", workload.pod());
        optional(json, "container", workload.container());
        json.writeStringField("containerId", workload.containerId());
        optional(json, "image", workload.image());
        json.writeStringField("imageDigest", workload.imageDigest().value());
        json.writeArrayFieldStart("files");
        for (Observation observation : observations) {
            json.writeStartObject();
            json.writeStringField("kind", observation.use().kind().wireName());
            json.writeStringField("path", observation.use().path());
            optional(json, "process", observation.process());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void optional(JsonGenerator json, String field, Optional<String> value)
            throws IOException
    {
        if (value.isPresent()) {
            json.writeStringField(field, value.get());
        }
    }

    private record Line(Workload workload, Instant time) {}
}
