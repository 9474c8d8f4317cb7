package io.runlight.hub.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.map.IMap;

import io.runlight.hub.auth.Role;
import io.runlight.hub.insights.HubMaps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Falco alert names no cluster; the sender's URL does ({@code ?cluster=prod-eu}), and
 * the k8smeta plugin's fields name the workload. Alerts posted that way to a running hub
 * come back from {@code GET /api/v1/workloads} under that cluster and workload; a bad
 * {@code cluster} parameter is refused before the body is read.
 */
@Tag("cluster")
final class TestFalcoCluster
{
    private static final String EKS_CLUSTER = "arn:aws:eks:eu-west-1:123456789012:cluster/prod";

    @TempDir
    static Path dataDir;

    private static RunningHub hub;
    private static String ingest;
    private static String read;
    private static String canonical;

    @BeforeAll
    static void startHubWithTheAlpineSbom()
    {
        hub = RunningHub.start(dataDir, Clock.systemUTC());
        ingest = hub.jwt(Role.INGEST);
        read = hub.jwt(Role.READ);
        // workloads are listed once their image has an SBOM
        RunningHub.Response sbom = hub.post("/api/v1/sboms", ingest, "application/json", RunningHub.fixture("sbom/alpine-3.17.2.syft.json"));
        assertThat(sbom.status()).isEqualTo(201);
        canonical = sbom.json().path("imageDigest").asText();
    }

    @AfterAll
    static void stopHub()
    {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void alertsAreFiledUnderTheClusterOfTheUrlAndTheWorkloadK8smetaNames()
    {
        // two alerts in one request: the parameter applies to both
        RunningHub.Response prod = hub.postJson("/api/v1/runtime/falco?cluster=prod-eu", ingest,
                alert(RunningHub.ALPINE_DIGEST, "cart-5d9f8b6c5-x2x7q", "cart", ", \"k8smeta.deployment.name\": \"cart\", \"k8smeta.rs.name\": \"cart-5d9f8b6c5\"")
                        + "\n" + alert(RunningHub.ALPINE_DIGEST, "worker-7c9d", "worker", ""));
        RunningHub.Response unnamed = hub.postJson("/api/v1/runtime/falco", ingest,
                alert(RunningHub.ALPINE_DIGEST, "cart-5d9f8b6c5-abcde", "cart", ", \"k8smeta.deployment.name\": \"cart\""));
        RunningHub.Response eks = hub.postJson("/api/v1/runtime/falco?cluster=" + EKS_CLUSTER.replace(":", "%3A").replace("/", "%2F"), ingest,
                alert(RunningHub.ALPINE_DIGEST, "api-0", "api", ", \"k8smeta.rs.name\": \"api-6b8f7c\""));

        assertThat(List.of(prod.status(), unnamed.status(), eks.status())).containsExactly(202, 202, 202);
        assertThat(prod.json()).isEqualTo(RunningHub.parse("{\"accepted\": 2, \"rejected\": 0, \"errors\": []}"));
        assertThat(workloads("prod-eu", 2)).containsExactly(
                workload("prod-eu", "Deployment", "cart", "cart"),
                workload("prod-eu", "Pod", "worker-7c9d", "worker"));
        assertThat(workloads("default", 1)).containsExactly(workload("default", "Deployment", "cart", "cart"));
        assertThat(workloads(EKS_CLUSTER, 1)).containsExactly(workload(EKS_CLUSTER, "ReplicaSet", "api-6b8f7c", "api"));
    }

    @Test
    void otherRuntimeEventsAreRefusedOnTheFalcoEndpoint()
    {
        String digest = "sha256:" + "6".repeat(64);
        String runlight = "{\"time\":\"2026-11-28T12:00:00Z\",\"imageDigest\":\"" + digest + "\",\"kind\":\"exec\",\"path\":\"/bin/sh\"}";

        RunningHub.Response response = hub.postJson("/api/v1/runtime/falco", ingest, runlight);

        assertThat(response.status()).as(response.body()).isEqualTo(422);
        assertThat(response.json()).isEqualTo(RunningHub.errorJson("unsupported_document", "Runlight events at /: this endpoint takes Falco alerts (http_output), "
                + "found Runlight events; post other runtime events to /api/v1/runtime/events"));
        assertThat(hub.hub().store().map(HubMaps.PROFILES).containsKey(digest)).isFalse();
    }

    @Test
    void aBadClusterParameterIsRefusedAndNothingIsStored()
    {
        // an image no SBOM names: a good alert of it would leave a profile under its digest
        String digest = "sha256:" + "7".repeat(64);
        String alert = alert(digest, "cart-5d9f8b6c5-x2x7q", "cart", "");
        IMap<String, String> profiles = hub.hub().store().map(HubMaps.PROFILES);
        int blobs = hub.blobCount();
        String rule = "use 1 to 253 letters, digits, spaces, '.', '_', '-', ':' or '/', starting with a letter or digit and not ending with a space "
                + "(for example 'prod-eu').";

        List<String> answers = new ArrayList<>();
        for (String query : List.of("?cluster=", "?cluster=%20%20", "?cluster=prod-eu&cluster=staging", "?cluster=prod%20", "?cluster=-prod",
                "?cluster=prod%0Aeu", "?cluster=prod%3Beu%22", "?cluster=" + "a".repeat(254))) {
            RunningHub.Response response = hub.postJson("/api/v1/runtime/falco" + query, ingest, alert);
            assertThat(response.status()).as(query).isEqualTo(400);
            answers.add(response.body());
        }
        // the JDK's client refuses to send a malformed escape; Falco's libcurl sends what it is given
        String undecodable = rawPost("/api/v1/runtime/falco?cluster=prod%ZZ", alert);
        assertThat(undecodable).startsWith("HTTP/1.1 400 Bad Request\r\n");
        assertThat(RunningHub.parse(undecodable.substring(undecodable.indexOf("\r\n\r\n") + 4))).isEqualTo(RunningHub.errorJson("bad_request",
                "The request is malformed: check that its query string is percent-encoded (a '%' must be followed by two hex digits)."));

        assertThat(answers).extracting(RunningHub::parse).containsExactly(
                error("Query parameter 'cluster' is empty; give the name of the cluster the sending Falco runs in (for example '?cluster=prod-eu') or leave the parameter out."),
                error("Query parameter 'cluster' is empty; give the name of the cluster the sending Falco runs in (for example '?cluster=prod-eu') or leave the parameter out."),
                error("Query parameter 'cluster' is given 2 times; give it once, with the name of the cluster the sending Falco runs in."),
                error("Query parameter 'cluster' is not a cluster name: 'prod '; " + rule),
                error("Query parameter 'cluster' is not a cluster name: '-prod'; " + rule),
                error("Query parameter 'cluster' is not a cluster name: 'prod?eu'; " + rule),
                error("Query parameter 'cluster' is not a cluster name: 'prod;eu\"'; " + rule),
                error("Query parameter 'cluster' is not a cluster name: '" + "a".repeat(80) + "...'; " + rule));
        assertThat(profiles.containsKey(digest)).isFalse();
        assertThat(hub.blobCount()).isEqualTo(blobs);

        // the same alert with a good cluster is stored: the parameter alone was refused
        RunningHub.Response accepted = hub.postJson("/api/v1/runtime/falco?cluster=staging", ingest, alert);
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(profiles.containsKey(digest)).isTrue();
    }

    /** The {@code workload} objects of {@code GET /api/v1/workloads?cluster=…}, once there are {@code expected} of them. */
    private static List<JsonNode> workloads(String cluster, int expected)
    {
        String path = "/api/v1/workloads?cluster=" + cluster.replace(":", "%3A").replace("/", "%2F");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        RunningHub.Response last = hub.get(path, read);
        while (last.status() != 200 || last.json().path("workloads").size() < expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + expected + " workloads in cluster '" + cluster + "' within 10 s; last answer: " + last);
            }
            sleep();
            last = hub.get(path, read);
        }
        List<JsonNode> workloads = new ArrayList<>();
        for (JsonNode item : last.json().path("workloads")) {
            assertThat(item.path("imageDigest").asText()).isEqualTo(canonical);
            workloads.add(item.path("workload"));
        }
        return workloads;
    }

    private static JsonNode workload(String cluster, String kind, String name, String container)
    {
        return RunningHub.parse("{\"cluster\": \"" + cluster + "\", \"namespace\": \"shop\", \"kind\": \"" + kind + "\", \"name\": \"" + name
                + "\", \"container\": \"" + container + "\"}");
    }

    private static JsonNode error(String message)
    {
        return RunningHub.errorJson("bad_request", message);
    }

    /** An exec of busybox in pod {@code pod}, container {@code container} of namespace shop, as Falco's http_output posts it. */
    private static String alert(String digest, String pod, String container, String extraFields)
    {
        return "{\"time\": \"2026-11-28T12:10:00.000000000Z\", \"rule\": \"Runlight exec\", \"priority\": \"Informational\", \"source\": \"syscall\","
                + " \"output\": \"exec of /bin/busybox\", \"output_fields\": {\"evt.type\": \"execve\", \"proc.exepath\": \"/bin/busybox\","
                + " \"proc.name\": \"busybox\", \"container.id\": \"4f2a9c0d1e12\", \"container.name\": \"" + container + "\","
                + " \"container.image.repository\": \"docker.io/library/alpine\", \"container.image.tag\": \"3.17\","
                + " \"container.image.digest\": \"" + digest + "\", \"k8s.ns.name\": \"shop\", \"k8s.pod.name\": \"" + pod + "\"" + extraFields + "}}";
    }

    /** The raw answer to a POST of {@code target}, sent as is (the JDK's client refuses a malformed escape in the URL). */
    private static String rawPost(String target, String body)
    {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", hub.httpBase().getPort())) {
            socket.setSoTimeout(10_000);
            String head = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ingest
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot POST " + target, e);
        }
    }

    private static void sleep()
    {
        try {
            Thread.sleep(100);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for workloads", e);
        }
    }
}
