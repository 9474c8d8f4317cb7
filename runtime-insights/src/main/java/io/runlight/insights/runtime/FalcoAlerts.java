package io.runlight.insights.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

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
 *
 * <p>Falco's own fields name no cluster and no workload. With the k8smeta plugin loaded,
 * a rule's output may add the pod's controller: {@code k8smeta.deployment.name} (kind
 * {@code Deployment}), else {@code k8smeta.rs.name} ({@code ReplicaSet}), else
 * {@code k8smeta.rc.name} ({@code ReplicationController}); such a name must be a
 * Kubernetes object name, else the alert is rejected. {@code k8smeta.ns.name} and
 * {@code k8smeta.pod.name} stand in for {@code k8s.ns.name} and {@code k8s.pod.name}
 * when those are absent. Without any of them the pod is the workload
 * ({@link io.runlight.insights.profile.WorkloadNaming}).
 */
final class FalcoAlerts
        implements EventRecordReader
{
    private static final String FIELDS = "output_fields";
    // the controllers k8smeta reports, most specific first: a Deployment's pods also carry their ReplicaSet
    private static final List<Controller> CONTROLLERS = List.of(
            new Controller("k8smeta.deployment.name", "Deployment"),
            new Controller("k8smeta.rs.name", "ReplicaSet"),
            new Controller("k8smeta.rc.name", "ReplicationController"));
    // a DNS-1123 subdomain, what Kubernetes allows as the name of these objects
    private static final int MAX_NAME_LENGTH = 253;
    private static final Pattern KUBERNETES_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

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
        Optional<Owner> owner = owner(record);
        ContainerIdentity identity = new ContainerIdentity(
                Optional.empty(),
                field(record, "k8s.ns.name").or(() -> field(record, "k8smeta.ns.name")),
                owner.map(Owner::kind),
                owner.map(Owner::name),
                field(record, "k8s.pod.name").or(() -> field(record, "k8smeta.pod.name")),
                field(record, "container.name").filter(name -> !host),
                field(record, "container.id").filter(id -> !host),
                image,
                EventFields.digest(field(record, "container.image.digest"), FIELDS, "container.image.digest"));
        sink.accept(new RuntimeEvent(identity, kind.get(), path, process, time, Sensor.FALCO), location);
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

    private static Optional<Owner> owner(JsonNode record)
    {
        for (Controller controller : CONTROLLERS) {
            Optional<String> name = field(record, controller.field());
            if (name.isPresent()) {
                // the length first: it bounds the pattern's work on hostile input
                if (name.get().length() > MAX_NAME_LENGTH || !KUBERNETES_NAME.matcher(name.get()).matches()) {
                    throw new RecordProblem("'" + EventFields.pointer(FIELDS, controller.field()) + "' is not a Kubernetes object name: '"
                            + EventFields.abbreviate(name.get()) + "'; expected at most " + MAX_NAME_LENGTH + " lower-case letters, digits, '-' and '.'");
                }
                return Optional.of(new Owner(controller.kind(), name.get()));
            }
        }
        return Optional.empty();
    }

    /** A k8smeta field that names the pod's controller, and the controller's kind. */
    private record Controller(String field, String kind) {}

    /** The pod's controller, as k8smeta named it. */
    private record Owner(String kind, String name) {}
}
