package io.runlight.insights.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.runlight.plugin.api.EvidenceKind;

import static io.runlight.insights.runtime.EventFields.text;

/**
 * Tetragon's JSON export. {@code process_exec} is an exec of {@code process.binary}.
 * A {@code process_kprobe} or {@code process_lsm} with a file argument
 * ({@code file_arg}, {@code path_arg} or {@code linux_binprm_arg}) is: an mmap for
 * {@code security_mmap_file}/{@code mmap_file}; an exec for
 * {@code security_bprm_check}/{@code bprm_check_security}; an open for every other
 * hook ({@code security_file_open}, {@code fd_install}, read and write hooks...), since
 * the file was accessed. Hooks without a file argument, and other event types
 * ({@code process_exit}...), observe no file and are skipped.
 *
 * <p>Paths are kept exactly as Tetragon gives them, which may lack the leading
 * {@code /}; the ownership index normalises them. The image digest is read from
 * {@code pod.container.image.id} ({@code docker-pullable://repo@sha256:...}).
 */
final class TetragonEvents
        implements EventRecordReader
{
    @Override
    public void read(JsonNode record, String location, EventSink sink)
    {
        if (EventFields.has(record, "process_exec")) {
            JsonNode process = EventFields.object(record, "process_exec", "process")
                    .orElseThrow(() -> EventFields.missing("the executed process", "process_exec", "process"));
            String binary = EventFields.required(process, "the executed file's path", "binary");
            sink.accept(new RuntimeEvent(identity(record, process), EvidenceKind.EXEC, binary, Optional.of(binary), time(record), Sensor.TETRAGON), location);
            return;
        }
        for (String type : List.of("process_kprobe", "process_lsm")) {
            if (EventFields.has(record, type)) {
                hook(record, type, location, sink);
                return;
            }
        }
    }

    private static void hook(JsonNode record, String type, String location, EventSink sink)
    {
        EventFields.object(record, type);
        String function = text(record, type, "function_name").orElse("");
        Optional<String> path = filePath(EventFields.array(record, type, "args"), type);
        if (path.isEmpty()) {
            return;
        }
        EvidenceKind kind = switch (function) {
            case "security_mmap_file", "mmap_file" -> EvidenceKind.MMAP;
            case "security_bprm_check", "bprm_check_security" -> EvidenceKind.EXEC;
            default -> EvidenceKind.OPEN;
        };
        Optional<JsonNode> process = EventFields.object(record, type, "process");
        Optional<String> binary = process.flatMap(value -> text(value, "binary"));
        ContainerIdentity identity = process.map(value -> identity(record, value)).orElse(ContainerIdentity.UNKNOWN);
        sink.accept(new RuntimeEvent(identity, kind, path.get(), binary, time(record), Sensor.TETRAGON), location);
    }

    // The path of the first file argument that has one.
    private static Optional<String> filePath(List<JsonNode> args, String type)
    {
        for (int i = 0; i < args.size(); i++) {
            JsonNode argument = EventFields.requireObject(args.get(i), type, "args", String.valueOf(i));
            for (String kind : List.of("file_arg", "path_arg", "linux_binprm_arg")) {
                if (EventFields.has(argument, kind)) {
                    Optional<String> path = text(argument, kind, "path");
                    if (path.isPresent()) {
                        return path;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static ContainerIdentity identity(JsonNode record, JsonNode process)
    {
        Optional<JsonNode> pod = EventFields.object(process, "pod");
        if (pod.isEmpty()) {
            return new ContainerIdentity(text(record, "cluster_name"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
        JsonNode value = pod.get();
        return new ContainerIdentity(
                text(record, "cluster_name"),
                text(value, "namespace"),
                text(value, "workload_kind"),
                text(value, "workload"),
                text(value, "name"),
                text(value, "container", "name"),
                text(value, "container", "id"),
                text(value, "container", "image", "name"),
                EventFields.digestInReference(text(value, "container", "image", "id")));
    }

    private static Instant time(JsonNode record)
    {
        return EventFields.requiredTime(record, "time");
    }
}
