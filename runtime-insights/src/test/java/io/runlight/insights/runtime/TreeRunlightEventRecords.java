package io.runlight.insights.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.runlight.insights.input.JsonDescriptions;
import io.runlight.plugin.api.EvidenceKind;

import static io.runlight.insights.runtime.EventFields.text;

/**
 * The tree reading of Runlight records as it was before {@link RunlightEventRecords} read tokens:
 * kept, unchanged, as the oracle the token reading must agree with ({@link TestRunlightRecordsAsTrees}).
 *
 * <p>Its original comment:
 * Runlight's own event records. The event form carries one observation
 * ({@code kind}, {@code path}, {@code process}); the snapshot form carries many for one
 * container ({@code files: [{kind, path, process?}]}), sharing its identity and time, and
 * a bad entry rejects that entry only (located as {@code line N /files/I}). Its opens are
 * the descriptors open when it was cut ({@link Sensor#RUNLIGHT_SNAPSHOT}), so they cannot
 * stand for every code open. A record may name the sensor that made it: {@code "sensor":
 * "proc-sampling"} is Runlight's agent sampling {@code /proc} ({@link Sensor#AGENT_SAMPLES}),
 * whose records prove what they show and nothing about what they do not.
 */
final class TreeRunlightEventRecords
        implements EventRecordReader
{
    /** The {@code sensor} of the records Runlight's agent makes by sampling {@code /proc}. */
    static final String PROC_SAMPLING = RunlightEventRecords.PROC_SAMPLING;

    @Override
    public void read(JsonNode record, String location, EventSink sink)
    {
        Instant time = EventFields.requiredTime(record, "time");
        ContainerIdentity identity = new ContainerIdentity(
                text(record, "cluster"),
                text(record, "namespace"),
                text(record, "workloadKind"),
                text(record, "workloadName"),
                text(record, "pod"),
                text(record, "container"),
                text(record, "containerId"),
                text(record, "image"),
                EventFields.digest(text(record, "imageDigest"), "imageDigest"));
        Optional<String> process = text(record, "process");
        Optional<Sensor> named = namedSensor(record);
        if (!EventFields.has(record, "files")) {
            sink.accept(event(record, identity, process, time, named.orElse(Sensor.RUNLIGHT_EVENTS)), location);
            return;
        }
        List<JsonNode> files = EventFields.array(record, "files");
        for (int i = 0; i < files.size(); i++) {
            String fileLocation = location + " /files/" + i;
            try {
                JsonNode file = files.get(i);
                if (!file.isObject()) {
                    throw new RecordProblem("expected an object, found " + JsonDescriptions.describe(file));
                }
                sink.accept(event(file, identity, process, time, named.orElse(Sensor.RUNLIGHT_SNAPSHOT)), fileLocation);
            }
            catch (RecordProblem problem) {
                sink.reject(fileLocation, problem.getMessage());
            }
        }
    }

    // a sensor no reader knows could claim any coverage: refused, never taken for a stream
    private static Optional<Sensor> namedSensor(JsonNode record)
    {
        Optional<String> name = text(record, "sensor");
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (name.get().equals(PROC_SAMPLING)) {
            return Optional.of(Sensor.AGENT_SAMPLES);
        }
        throw new RecordProblem("'/sensor' is '" + EventFields.abbreviate(name.get()) + "'; expected " + PROC_SAMPLING + " or no sensor");
    }

    private static RuntimeEvent event(JsonNode observation, ContainerIdentity identity, Optional<String> defaultProcess, Instant time, Sensor sensor)
    {
        String kindText = EventFields.required(observation, "exec, mmap or open", "kind");
        EvidenceKind kind;
        try {
            kind = EvidenceKind.fromWireName(kindText);
        }
        catch (IllegalArgumentException e) {
            throw new RecordProblem("'/kind' is '" + EventFields.abbreviate(kindText) + "'; expected exec, mmap or open");
        }
        String path = EventFields.required(observation, "the file's path", "path");
        Optional<String> process = text(observation, "process").or(() -> defaultProcess);
        return new RuntimeEvent(identity, kind, path, process, time, sensor);
    }
}
