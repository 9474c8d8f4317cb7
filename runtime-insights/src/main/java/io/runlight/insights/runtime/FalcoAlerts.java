package io.runlight.insights.runtime;

import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.runlight.plugin.api.EvidenceKind;

/**
 * Falco alerts as {@code json_output} prints them and {@code http_output} posts them.
 * {@code execve}/{@code execveat} is an exec of {@code proc.exepath}; {@code open},
 * {@code openat}, {@code openat2} and {@code creat} an open of {@code fd.name};
 * {@code mmap}/{@code mmap2} an mmap of {@code fd.name}. Alerts of other event types
 * observe no file and are skipped. Falco writes {@code <NA>} (older versions) or null
 * for unknown fields and {@code host} as the container id of host processes: all mean
 * "not known". The time is the alert's RFC 3339 {@code time}.
 */
final class FalcoAlerts
        implements EventRecordReader
{
    private static final String FIELDS = "output_fields";

    @Override
    public void read(JsonNode record, String location, EventSink sink)
    {
        if (!EventFields.has(record, FIELDS)) {
            throw EventFields.missing("an object of output fields", FIELDS);
        }
        EventFields.object(record, FIELDS);
        String type = field(record, "evt.type").orElseThrow(() -> EventFields.missing("the syscall name", FIELDS, "evt.type"));
        Optional<EvidenceKind> kind = kind(type);
        if (kind.isEmpty()) {
            return;
        }
        Instant time = EventFields.requiredTime(record, "time");
        Optional<String> process = field(record, "proc.exepath").or(() -> field(record, "proc.name"));
        String path;
        if (kind.get() == EvidenceKind.EXEC) {
            path = field(record, "proc.exepath").orElseThrow(() -> EventFields.missing("the executed file's path", FIELDS, "proc.exepath"));
        }
        else {
            path = field(record, "fd.name").or(() -> field(record, "fs.path.name"))
                    .orElseThrow(() -> EventFields.missing("the file's path", FIELDS, "fd.name"));
        }
        Optional<String> repository = field(record, "container.image.repository");
        Optional<String> tag = field(record, "container.image.tag");
        Optional<String> image = repository.map(name -> tag.map(value -> name + ":" + value).orElse(name));
        // Falco names host processes' container "host" (id and name): they run in no container
        boolean host = field(record, "container.id").map("host"::equals).orElse(false);
        ContainerIdentity identity = new ContainerIdentity(
                Optional.empty(),
                field(record, "k8s.ns.name"),
                Optional.empty(),
                Optional.empty(),
                field(record, "k8s.pod.name"),
                field(record, "container.name").filter(name -> !host),
                field(record, "container.id").filter(id -> !host),
                image,
                EventFields.digest(field(record, "container.image.digest"), FIELDS, "container.image.digest"));
        sink.accept(new RuntimeEvent(identity, kind.get(), path, process, time), location);
    }

    private static Optional<EvidenceKind> kind(String type)
    {
        return switch (type) {
            case "execve", "execveat" -> Optional.of(EvidenceKind.EXEC);
            case "open", "openat", "openat2", "creat" -> Optional.of(EvidenceKind.OPEN);
            case "mmap", "mmap2" -> Optional.of(EvidenceKind.MMAP);
            default -> Optional.empty();
        };
    }

    private static Optional<String> field(JsonNode record, String name)
    {
        return EventFields.text(record, FIELDS, name).filter(value -> !value.equals("<NA>"));
    }
}
