package io.runlight.agent.attribution;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.agent.proc.ContainerRef;
import io.runlight.agent.proc.ContainerRuntime;
import io.runlight.plugin.api.ImageDigest;

import static java.util.Objects.requireNonNull;

/**
 * Names plain Docker containers through the Engine API on its unix socket:
 * {@code GET /containers/{id}/json} gives the container's name, the image it was started from
 * ({@code Config.Image}) and the image's id (its config digest, {@code Image}); then
 * {@code GET /images/{id}/json} gives the image's repo digests ({@code RepoDigests}, which may
 * be null or empty for a local build). A container's answer never changes, so each container
 * is asked about once and remembered (at most {@value #MAX_REMEMBERED}); a container the Engine
 * does not know (one of containerd's or CRI-O's) is asked again only after a minute.
 *
 * <p>The workload is the Compose service when the container has Compose's
 * {@code com.docker.compose.service} label (kind {@code ComposeService}), else the container's
 * name (kind {@code Container}); the image is named by its first repo digest when it has one.
 */
public final class DockerEngineAttribution
        implements ContainerAttribution
{
    static final int MAX_REMEMBERED = 10_000;
    private static final Logger log = LoggerFactory.getLogger(DockerEngineAttribution.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ASK_AGAIN_AFTER = Duration.ofMinutes(1);
    private static final int MAX_ANSWER = 4 * 1024 * 1024;

    private final Path socket;
    private final UnixSocketHttp http;
    private final Clock clock;
    private final Map<String, Optional<Workload>> known = new LinkedHashMap<>(16, 0.75f, true)
    {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<Workload>> eldest)
        {
            return size() > MAX_REMEMBERED;
        }
    };
    private final Map<String, Instant> unknownSince = new LinkedHashMap<>();

    public DockerEngineAttribution(Path socket, Clock clock)
    {
        this.socket = requireNonNull(socket, "socket is null");
        this.http = new UnixSocketHttp(socket, MAX_ANSWER);
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Optional<Workload> workload(ContainerRef container)
    {
        if (container.runtime() != ContainerRuntime.DOCKER && container.runtime() != ContainerRuntime.UNKNOWN) {
            return Optional.empty();
        }
        Optional<Workload> remembered = known.get(container.id());
        if (remembered != null) {
            return remembered;
        }
        Instant since = unknownSince.get(container.id());
        Instant now = clock.instant();
        if (since != null && Duration.between(since, now).compareTo(ASK_AGAIN_AFTER) < 0) {
            return Optional.empty();
        }
        try {
            Optional<Workload> workload = inspect(container);
            if (workload.isPresent()) {
                known.put(container.id(), workload);
                unknownSince.remove(container.id());
            }
            else {
                rememberUnknown(container.id(), now);
            }
            return workload;
        }
        catch (IOException e) {
            log.warn("Cannot ask the Docker Engine at '{}' about container '{}': {}", socket, container.id(), e.getMessage());
            rememberUnknown(container.id(), now);
            return Optional.empty();
        }
    }

    @Override
    public String description()
    {
        return "the Docker Engine at " + socket;
    }

    private void rememberUnknown(String id, Instant now)
    {
        unknownSince.put(id, now);
        if (unknownSince.size() > MAX_REMEMBERED) {
            unknownSince.remove(unknownSince.keySet().iterator().next());
        }
    }

    private Optional<Workload> inspect(ContainerRef container)
            throws IOException
    {
        UnixSocketHttp.Response answer = http.get("/containers/" + container.id() + "/json");
        if (answer.status() == 404) {
            return Optional.empty();
        }
        JsonNode inspected = json(answer, "container " + container.id());
        String imageId = inspected.path("Image").asText("");
        if (!ImageDigest.isValid(imageId)) {
            throw new IOException("the Docker Engine gave container '" + container.id() + "' the image id '" + abbreviate(imageId) + "', not a sha256 digest");
        }
        String name = inspected.path("Name").asText("").replaceFirst("^/", "");
        Optional<String> image = text(inspected.path("Config").path("Image"));
        JsonNode labels = inspected.path("Config").path("Labels");
        Optional<String> service = text(labels.path("com.docker.compose.service"));
        Optional<String> repoDigest = repoDigest(imageId);
        return Optional.of(new Workload(
                Optional.empty(),
                Optional.of(service.isPresent() ? "ComposeService" : "Container"),
                Optional.of(service.orElse(name)),
                Optional.empty(),
                Optional.of(name).filter(text -> !text.isEmpty()),
                "docker://" + container.id(),
                repoDigest.or(() -> image),
                new ImageDigest(imageId)));
    }

    // the first repo digest names the image as its registry knows it (name@sha256:...)
    private Optional<String> repoDigest(String imageId)
            throws IOException
    {
        UnixSocketHttp.Response answer = http.get("/images/" + imageId + "/json");
        if (answer.status() == 404) {
            return Optional.empty();
        }
        JsonNode image = json(answer, "image " + imageId);
        JsonNode digests = image.path("RepoDigests");
        if (!digests.isArray() || digests.isEmpty()) {
            return Optional.empty();
        }
        return text(digests.get(0));
    }

    private static JsonNode json(UnixSocketHttp.Response answer, String what)
            throws IOException
    {
        if (answer.status() != 200) {
            throw new IOException("the Docker Engine answered " + answer.status() + " about " + what + ": " + abbreviate(answer.body()));
        }
        JsonNode node = JSON.readTree(answer.body());
        if (node == null || !node.isObject()) {
            throw new IOException("the Docker Engine answered no JSON object about " + what);
        }
        return node;
    }

    private static Optional<String> text(JsonNode node)
    {
        return node.isTextual() && !node.asText().isBlank() ? Optional.of(node.asText()) : Optional.empty();
    }

    private static String abbreviate(String text)
    {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
