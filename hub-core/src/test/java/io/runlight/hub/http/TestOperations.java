package io.runlight.hub.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.runlight.hub.Await;
import io.runlight.hub.auth.Role;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The unauthenticated operations endpoints: liveness, readiness, and Prometheus metrics
 * with JVM, map-size, HTTP-server and ingest series.
 */
@ExtendWith(SharedHub.class)
final class TestOperations
{
    private static RunningHub hub;

    @BeforeAll
    static void takeSharedHub(RunningHub shared)
    {
        hub = shared;
    }

    @Test
    void liveAndReady()
    {
        RunningHub.Response live = hub.get("/health/live", null);
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json()).isEqualTo(RunningHub.parse("{\"status\": \"UP\"}"));
        RunningHub.Response ready = hub.get("/health/ready", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json()).isEqualTo(RunningHub.parse("{\"status\": \"UP\"}"));
    }

    @Test
    void metricsHaveJvmMapAndHttpSeries()
    {
        assertThat(hub.get("/api/v1/images", hub.jwt(Role.READ)).status()).isEqualTo(200);
        // Vert.x counts a request once its response has been written, which may be a moment after the client read it
        Await.await("the listing to be counted", Duration.ofSeconds(10),
                () -> sample(samples(hub.get("/metrics", null).body()), "vertx_http_server_requests_total{", "method=\"GET\"", "code=\"200\"").isPresent());
        RunningHub.Response response = hub.get("/metrics", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        Map<String, Double> samples = samples(response.body());

        assertThat(samples.keySet()).anyMatch(name -> name.startsWith("jvm_memory_used_bytes{"));
        assertThat(samples).containsKey("runlight_map_local_entries{map=\"images\"}");
        assertThat(samples).containsKey("runlight_map_local_entries{map=\"tokens\"}");
        assertThat(sample(samples, "vertx_http_server_requests_total{", "method=\"GET\"", "code=\"200\"")).isPresent();
        assertThat(samples.keySet()).anyMatch(name -> name.startsWith("vertx_http_server_response_time_seconds_count{"));
    }

    @Test
    void ingestIsCounted()
    {
        String ingest = hub.jwt(Role.INGEST);
        Map<String, Double> before = samples(hub.get("/metrics", null).body());
        assertThat(hub.post("/api/v1/sboms", ingest, "application/json", RunningHub.fixture("sbom/alpine-3.17.2.syft.json")).status()).isEqualTo(201);
        assertThat(hub.post("/api/v1/vulnerability-reports", ingest, "application/json", RunningHub.fixture("vulns/alpine-3.17.2.grype.json")).status()).isEqualTo(201);
        byte[] events = RunningHub.fixture("events/alpine-3.17.2.ndjson");
        byte[] withBadLine = (new String(events, StandardCharsets.UTF_8) + "{\"time\": \"yesterday\"}\n").getBytes(StandardCharsets.UTF_8);
        RunningHub.Response posted = hub.post("/api/v1/runtime/events", ingest, "application/x-ndjson", withBadLine);
        assertThat(posted.status()).isEqualTo(202);
        assertThat(posted.json().path("accepted").asInt()).isEqualTo(3);
        assertThat(posted.json().path("rejected").asInt()).isEqualTo(1);
        // a refused document is not counted
        assertThat(hub.post("/api/v1/sboms", ingest, "application/json", "{\"hello\": 1}".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(422);

        Map<String, Double> after = samples(hub.get("/metrics", null).body());
        assertThat(delta(before, after, "runlight_ingest_documents_total{kind=\"sbom\"}")).isEqualTo(1.0);
        assertThat(delta(before, after, "runlight_ingest_documents_total{kind=\"report\"}")).isEqualTo(1.0);
        assertThat(delta(before, after, "runlight_ingest_events_total{result=\"accepted\"}")).isEqualTo(3.0);
        assertThat(delta(before, after, "runlight_ingest_events_total{result=\"rejected\"}")).isEqualTo(1.0);
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String series)
    {
        assertThat(before).containsKey(series);
        assertThat(after).containsKey(series);
        return after.get(series) - before.get(series);
    }

    /** The first series of {@code prefix} whose labels include every one of {@code labels}. */
    private static Optional<Double> sample(Map<String, Double> samples, String prefix, String... labels)
    {
        for (Map.Entry<String, Double> entry : samples.entrySet()) {
            if (!entry.getKey().startsWith(prefix)) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= entry.getKey().contains(label);
            }
            if (all) {
                return Optional.of(entry.getValue());
            }
        }
        return Optional.empty();
    }

    /** Prometheus text format: series (name and labels) → value; comments skipped. */
    private static Map<String, Double> samples(String text)
    {
        Map<String, Double> samples = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }
}
