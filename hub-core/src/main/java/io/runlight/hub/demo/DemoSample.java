package io.runlight.hub.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runlight.hub.client.HubApiClient;

import static java.util.Objects.requireNonNull;

/**
 * The sample data bundled under {@code demo/} of hub-core's resources, and its loading
 * through the hub's own ingest endpoints. Three real images (see demo/README.md for where
 * each file came from) and a hand-written event stream of five workloads in two clusters
 * that names files of those images' packages.
 */
final class DemoSample
{
    static final String RESOURCES = "demo/";
    static final String EVENTS = "events.ndjson";

    /** One bundled scanner document and the endpoints it is posted to. */
    record Document(String resource, String what, boolean sbom, boolean report)
    {
        Document
        {
            requireNonNull(resource, "resource is null");
            requireNonNull(what, "what is null");
        }
    }

    static final List<Document> DOCUMENTS = List.of(
            new Document("alpine-3.17.2.syft.json", "Syft SBOM with every package's files", true, false),
            new Document("alpine-3.17.2.grype.json", "Grype report", false, true),
            new Document("debian-buster.trivy.json", "Trivy report (vulnerable packages, no file lists)", true, true),
            new Document("alpine-3.10.trivy.json", "Trivy report (vulnerable packages, no file lists)", true, true));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration INSIGHTS_WAIT = Duration.ofSeconds(60);

    private final HubApiClient api;

    DemoSample(HubApiClient api)
    {
        this.api = requireNonNull(api, "api is null");
    }

    /** The distinct workload containers the sample's events name. */
    Set<String> workloads()
    {
        return workloads(resource(EVENTS));
    }

    /**
     * Whether an earlier run in this data folder loaded the sample already: every image the
     * events name is listed, and at least as many workloads as they name. Loading it again
     * would count every event twice in the evidence.
     */
    boolean loadedBefore()
    {
        Set<String> listed = new TreeSet<>();
        images().forEach(image -> listed.add(image.path("digest").asText()));
        Set<String> named = new TreeSet<>();
        for (String line : new String(resource(EVENTS), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                named.add(read(line).path("imageDigest").asText());
            }
        }
        return listed.containsAll(named) && api.get("/api/v1/workloads?limit=100").path("workloads").size() >= workloads().size();
    }

    /** Posts every document and the events, through the ingest endpoints. */
    void load()
    {
        for (Document document : DOCUMENTS) {
            byte[] bytes = resource(document.resource());
            if (document.sbom()) {
                api.post("/api/v1/sboms", "application/json", bytes);
            }
            if (document.report()) {
                api.post("/api/v1/vulnerability-reports", "application/json", bytes);
            }
        }
        byte[] events = resource(EVENTS);
        JsonNode accepted = api.post("/api/v1/runtime/events", "application/x-ndjson", events);
        if (accepted.path("rejected").asInt() != 0) {
            throw new IllegalStateException("the hub rejected " + accepted.path("rejected").asInt() + " of the demo's sample events: " + accepted.path("errors"));
        }
    }

    /** Waits until the hub lists every workload of the sample and has a profile for every image. */
    void awaitInsights(Set<String> expectedWorkloads)
            throws InterruptedException
    {
        Instant deadline = Instant.now().plus(INSIGHTS_WAIT);
        while (true) {
            int workloads = api.get("/api/v1/workloads?limit=100").path("workloads").size();
            List<JsonNode> images = images();
            boolean profiled = images.size() >= DOCUMENTS.stream().filter(Document::sbom).count()
                    && images.stream().noneMatch(image -> image.path("profile").path("state").asText("NONE").equals("NONE"));
            if (workloads >= expectedWorkloads.size() && profiled) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the hub did not compute the sample's insights within " + INSIGHTS_WAIT.toSeconds() + " s ("
                        + workloads + " of " + expectedWorkloads.size() + " workloads listed): see the hub's log above");
            }
            Thread.sleep(200);
        }
    }

    /** The hub's image list (summaries), sorted as the hub sorts it. */
    List<JsonNode> images()
    {
        List<JsonNode> images = new ArrayList<>();
        api.get("/api/v1/images?limit=100").path("images").forEach(images::add);
        return images;
    }

    /** {@code cluster/namespace/kind/name/container} of every event, sorted. */
    static Set<String> workloads(byte[] ndjson)
    {
        Set<String> workloads = new TreeSet<>();
        for (String line : new String(ndjson, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode event = read(line);
            workloads.add(String.join("/", event.path("cluster").asText(), event.path("namespace").asText(), event.path("workloadKind").asText(),
                    event.path("workloadName").asText(), event.path("container").asText()));
        }
        return workloads;
    }

    private static JsonNode read(String line)
    {
        try {
            return JSON.readTree(line);
        }
        catch (IOException e) {
            throw new IllegalStateException("the bundled sample '" + RESOURCES + EVENTS + "' has a line that is not JSON", e);
        }
    }

    /** The clusters the sample's events name, sorted. */
    static Set<String> clusters(Set<String> workloads)
    {
        Set<String> clusters = new TreeSet<>();
        workloads.forEach(workload -> clusters.add(workload.substring(0, workload.indexOf('/'))));
        return clusters;
    }

    static byte[] resource(String name)
    {
        String path = RESOURCES + name;
        try (InputStream in = DemoSample.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the bundled sample '" + path + "' is missing from the classpath: the hub-core jar is incomplete, rebuild it");
            }
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled sample '" + path + "'", e);
        }
    }
}
