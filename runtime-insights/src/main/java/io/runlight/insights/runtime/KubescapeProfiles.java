package io.runlight.insights.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.JsonDescriptions;
import io.runlight.plugin.api.EvidenceKind;

import static io.runlight.insights.runtime.EventFields.text;

/**
 * Kubescape's recorded profiles. A {@code ContainerProfile} lists one container's
 * {@code spec.execs[].path} (exec events, the process being the executable) and
 * {@code spec.opens[].path} (open events, process unknown); an
 * {@code ApplicationProfile} lists the same per container in
 * {@code spec.containers[]}, {@code initContainers[]} and {@code ephemeralContainers[]}.
 *
 * <p>A profile says when it was created but not when each file was used, so every
 * event carries {@code metadata.creationTimestamp}. The identity comes from the
 * {@code kubescape.io/workload-*} labels, the cluster from the {@code kubescape.io/wlid}
 * annotation ({@code wlid://cluster-<name>/...}), the image from
 * {@code spec.imageTag}/{@code spec.imageID}. A profile without a creation time or a
 * spec is refused as a whole; an entry without a path is rejected on its own.
 */
final class KubescapeProfiles
{
    private static final DocumentFormat FORMAT = DocumentFormat.KUBESCAPE_PROFILE;
    private static final String LABEL = "kubescape.io/";

    void read(JsonNode profile, EventSink sink)
    {
        Instant time;
        JsonNode spec;
        String kind;
        try {
            kind = text(profile, "kind").orElse("ContainerProfile");
            time = EventFields.requiredTime(profile, "metadata", "creationTimestamp");
            spec = EventFields.object(profile, "spec").orElseThrow(() -> EventFields.missing("the profile's spec", "spec"));
        }
        catch (RecordProblem problem) {
            throw new InputException(InputException.Reason.INVALID, FORMAT.displayName(), "/", problem.getMessage());
        }
        if (kind.equals("ApplicationProfile")) {
            for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
                List<JsonNode> containers = documentLevel(() -> EventFields.array(spec, list));
                for (int i = 0; i < containers.size(); i++) {
                    JsonNode container = containers.get(i);
                    String pointer = "/spec/" + list + "/" + i;
                    if (!container.isObject()) {
                        throw new InputException(InputException.Reason.INVALID, FORMAT.displayName(), pointer, "expected an object, found " + JsonDescriptions.describe(container));
                    }
                    ContainerIdentity identity = documentLevel(() -> identity(profile, container, text(container, "name")));
                    entries(container, pointer, identity, time, sink);
                }
            }
            return;
        }
        ContainerIdentity identity = documentLevel(() -> identity(profile, spec, label(profile, "workload-container-name")));
        entries(spec, "/spec", identity, time, sink);
    }

    private static void entries(JsonNode container, String pointer, ContainerIdentity identity, Instant time, EventSink sink)
    {
        for (String list : List.of("execs", "opens")) {
            EvidenceKind kind = list.equals("execs") ? EvidenceKind.EXEC : EvidenceKind.OPEN;
            List<JsonNode> entries = documentLevel(() -> EventFields.array(container, list));
            for (int i = 0; i < entries.size(); i++) {
                String location = pointer + "/" + list + "/" + i;
                try {
                    JsonNode entry = entries.get(i);
                    if (!entry.isObject()) {
                        throw new RecordProblem("expected an object, found " + JsonDescriptions.describe(entry));
                    }
                    String path = EventFields.required(entry, "the file's path", "path");
                    Optional<String> process = kind == EvidenceKind.EXEC ? Optional.of(path) : Optional.empty();
                    sink.accept(new RuntimeEvent(identity, kind, path, process, time, Sensor.KUBESCAPE), location);
                }
                catch (RecordProblem problem) {
                    sink.reject(location, problem.getMessage());
                }
            }
        }
    }

    private static ContainerIdentity identity(JsonNode profile, JsonNode imageHolder, Optional<String> containerName)
    {
        return new ContainerIdentity(
                annotation(profile, "wlid").flatMap(KubescapeProfiles::clusterOf),
                label(profile, "workload-namespace").or(() -> text(profile, "metadata", "namespace")),
                label(profile, "workload-kind"),
                label(profile, "workload-name"),
                Optional.empty(),
                containerName,
                Optional.empty(),
                text(imageHolder, "imageTag").or(() -> text(profile, "spec", "imageTag")),
                EventFields.digestInReference(text(imageHolder, "imageID").or(() -> text(profile, "spec", "imageID"))));
    }

    private static Optional<String> label(JsonNode profile, String name)
    {
        return text(profile, "metadata", "labels", LABEL + name);
    }

    private static Optional<String> annotation(JsonNode profile, String name)
    {
        return text(profile, "metadata", "annotations", LABEL + name);
    }

    // wlid://cluster-<cluster>/namespace-<namespace>/<kind>-<name>
    private static Optional<String> clusterOf(String wlid)
    {
        String prefix = "wlid://cluster-";
        if (!wlid.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = wlid.substring(prefix.length());
        int slash = rest.indexOf('/');
        return Optional.of(slash >= 0 ? rest.substring(0, slash) : rest).filter(name -> !name.isEmpty());
    }

    private static <T> T documentLevel(Supplier<T> read)
    {
        try {
            return read.get();
        }
        catch (RecordProblem problem) {
            throw new InputException(InputException.Reason.INVALID, FORMAT.displayName(), "/", problem.getMessage());
        }
    }
}
