package io.runlight.insights.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.runlight.plugin.api.EvidenceKind;

import static io.runlight.insights.runtime.EventFields.text;

/**
 * Tracee events, in both JSON forms: the legacy one ({@code eventName},
 * {@code args[{name, value}]}, {@code timestamp} in epoch nanoseconds, container and
 * pod fields flat or in {@code container}/{@code kubernetes} objects) and v1beta1
 * ({@code name}, {@code data[{name, str}]}, {@code workload{process, container, k8s}},
 * {@code timestamp} as RFC 3339 or nanoseconds).
 *
 * <p>{@code sched_process_exec} is an exec of its {@code pathname};
 * {@code security_mmap_file} and {@code shared_object_loaded} an mmap;
 * {@code security_file_open} an open, except inside {@code execve}/{@code execveat}
 * where the kernel opens the program (or its interpreter) to run it, which is an exec.
 * Other events observe no file and are skipped. The process is the executable's path
 * when Tracee gives it, else the process name ({@code comm}).
 */
final class TraceeEvents
        implements EventRecordReader
{
    @Override
    public void read(JsonNode record, String location, EventSink sink)
    {
        if (EventFields.has(record, "eventName")) {
            legacy(record, location, sink);
        }
        else {
            v1beta1(record, location, sink);
        }
    }

    private static void legacy(JsonNode record, String location, EventSink sink)
    {
        String name = EventFields.required(record, "the event name", "eventName");
        Optional<String> syscall = text(record, "syscall");
        Optional<EvidenceKind> kind = kind(name, syscall);
        if (kind.isEmpty()) {
            return;
        }
        String path = argument(EventFields.array(record, "args"), "args", "value")
                .orElseThrow(() -> new RecordProblem("'/args' has no 'pathname' argument; expected the file's path"));
        Instant time = EventFields.epochNanosOrTime(record, "timestamp");
        Optional<String> process = name.equals("sched_process_exec")
                ? Optional.of(path)
                : text(record, "executable", "path").or(() -> text(record, "processName"));
        ContainerIdentity identity = new ContainerIdentity(
                Optional.empty(),
                text(record, "kubernetes", "podNamespace").or(() -> text(record, "podNamespace")),
                Optional.empty(),
                Optional.empty(),
                text(record, "kubernetes", "podName").or(() -> text(record, "podName")),
                text(record, "container", "name").or(() -> text(record, "containerName")),
                text(record, "container", "id").or(() -> text(record, "containerId")),
                text(record, "container", "image").or(() -> text(record, "containerImage")),
                EventFields.digestInReference(text(record, "container", "imageDigest")));
        sink.accept(new RuntimeEvent(identity, kind.get(), path, process, time, Sensor.TRACEE), location);
    }

    private static void v1beta1(JsonNode record, String location, EventSink sink)
    {
        String name = EventFields.required(record, "the event name", "name");
        Optional<String> syscall = text(record, "workload", "process", "thread", "syscall").or(() -> text(record, "syscall"));
        Optional<EvidenceKind> kind = kind(name, syscall);
        if (kind.isEmpty()) {
            return;
        }
        String path = argument(EventFields.array(record, "data"), "data", "str")
                .orElseThrow(() -> new RecordProblem("'/data' has no 'pathname' entry; expected the file's path"));
        Instant time = EventFields.epochNanosOrTime(record, "timestamp");
        Optional<String> process = name.equals("sched_process_exec")
                ? Optional.of(path)
                : text(record, "workload", "process", "executable", "path");
        Optional<JsonNode> image = EventFields.object(record, "workload", "container", "image");
        Optional<String> imageName = image.flatMap(value -> text(value, "name"));
        Optional<String> imageId = image.flatMap(value -> text(value, "id"));
        List<JsonNode> repoDigests = image.map(value -> EventFields.array(value, "repoDigests")).orElse(List.of());
        Optional<String> repoDigest = repoDigests.stream().filter(JsonNode::isTextual).map(JsonNode::textValue).findFirst();
        ContainerIdentity identity = new ContainerIdentity(
                Optional.empty(),
                text(record, "workload", "k8s", "namespace", "name"),
                Optional.empty(),
                Optional.empty(),
                text(record, "workload", "k8s", "pod", "name"),
                text(record, "workload", "container", "name"),
                text(record, "workload", "container", "id"),
                imageName,
                EventFields.digestInReference(repoDigest).or(() -> EventFields.digestInReference(imageId)));
        sink.accept(new RuntimeEvent(identity, kind.get(), path, process, time, Sensor.TRACEE), location);
    }

    private static Optional<EvidenceKind> kind(String eventName, Optional<String> syscall)
    {
        return switch (eventName) {
            case "sched_process_exec" -> Optional.of(EvidenceKind.EXEC);
            case "security_mmap_file", "shared_object_loaded" -> Optional.of(EvidenceKind.MMAP);
            case "security_file_open" -> Optional.of(insideExec(syscall) ? EvidenceKind.EXEC : EvidenceKind.OPEN);
            default -> Optional.empty();
        };
    }

    private static boolean insideExec(Optional<String> syscall)
    {
        return syscall.map(name -> name.equals("execve") || name.equals("execveat")).orElse(false);
    }

    // The string value of the argument named "pathname".
    private static Optional<String> argument(List<JsonNode> arguments, String field, String valueField)
    {
        for (int i = 0; i < arguments.size(); i++) {
            JsonNode argument = EventFields.requireObject(arguments.get(i), field, String.valueOf(i));
            if (text(argument, "name").filter("pathname"::equals).isPresent()) {
                Optional<String> value = text(argument, valueField);
                if (value.isEmpty() && valueField.equals("str")) {
                    value = text(argument, "value");
                }
                return value;
            }
        }
        return Optional.empty();
    }
}
