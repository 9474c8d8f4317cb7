package io.runlight.insights.runtime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputLimits;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.ImageDigest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestRuntimeEventReader
{
    private static final ContainerIdentity ELASTICSEARCH = new ContainerIdentity(
            Optional.empty(),
            Optional.of("tenant-jobs"),
            Optional.empty(),
            Optional.empty(),
            Optional.of("elasticsearch-56f8fc6988-65smb"),
            Optional.of("elasticsearch"),
            Optional.of("docker://e6af4dff4ea3b8d50313c59fbaa442e377da35671e79f43b8dc53c5efcc9b659"),
            Optional.of("quay.io/isovalent/jobs-app-elasticsearch:latest"),
            Optional.of(new ImageDigest("sha256:ff3aa5862fd17f8695984609743f4523188984adbcd25cf5ac4224b71084558c")));

    @Test
    void readsTetragonProcessExec()
            throws IOException
    {
        EventBatch batch = read("/fixtures/events/tetragon-process-exec.json");

        assertThat(batch.format()).isEqualTo(DocumentFormat.TETRAGON_JSON);
        assertThat(batch.errors()).isEmpty();
        assertThat(batch.events()).containsExactly(new RuntimeEvent(
                ELASTICSEARCH, EvidenceKind.EXEC, "/usr/bin/cat", Optional.of("/usr/bin/cat"), Instant.parse("2022-02-01T18:01:56.410Z"), Sensor.TETRAGON));
    }

    @Test
    void readsTetragonKprobeKeepingThePathAsGiven()
            throws IOException
    {
        EventBatch batch = read("/fixtures/events/tetragon-process-kprobe.json");

        // __x64_sys_read of a file: the file was accessed; the path lacks its leading '/'
        assertThat(batch.events()).containsExactly(new RuntimeEvent(
                ELASTICSEARCH, EvidenceKind.OPEN, "usr/share/elasticsearch/config/elasticsearch.keystore", Optional.of("/usr/bin/cat"),
                Instant.parse("2022-02-01T18:01:56.410Z"), Sensor.TETRAGON));
        assertThat(batch.rejected()).isZero();
    }

    @Test
    void readsTraceeLegacy()
            throws IOException
    {
        EventBatch batch = read("/fixtures/events/tracee-legacy.jsonl");

        assertThat(batch.format()).isEqualTo(DocumentFormat.TRACEE_JSON);
        assertThat(batch.errors()).isEmpty();
        assertThat(batch.events()).containsExactly(
                new RuntimeEvent(ContainerIdentity.UNKNOWN, EvidenceKind.OPEN, "/proc/meminfo", Optional.of("systemd-oomd"),
                        Instant.ofEpochSecond(1680182976L, 364916505L), Sensor.TRACEE),
                // security_file_open inside execve: the kernel opening the program to run it
                new RuntimeEvent(ContainerIdentity.UNKNOWN, EvidenceKind.EXEC, "/usr/bin/exa", Optional.of("bash"),
                        Instant.ofEpochSecond(1657292314L, 817581101L), Sensor.TRACEE));
    }

    @Test
    void readsTraceeV1beta1()
            throws IOException
    {
        EventBatch batch = read("/events/tracee-v1beta1.jsonl");

        ContainerIdentity api = new ContainerIdentity(
                Optional.empty(), Optional.of("payments"), Optional.empty(), Optional.empty(), Optional.of("api-58c9d7f6b-zt5kq"), Optional.of("api"),
                Optional.of("5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f"), Optional.of("ghcr.io/acme/api:3.2.0"),
                Optional.of(new ImageDigest("sha256:7d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e")));
        assertThat(batch.errors()).isEmpty();
        assertThat(batch.events()).containsExactly(
                new RuntimeEvent(api, EvidenceKind.EXEC, "/usr/bin/python3.11", Optional.of("/usr/bin/python3.11"), Instant.parse("2026-11-28T12:00:00.100Z"), Sensor.TRACEE),
                new RuntimeEvent(api, EvidenceKind.OPEN, "/usr/lib/python3.11/site-packages/fastapi/__init__.py", Optional.of("/usr/bin/python3.11"), Instant.parse("2026-11-28T12:00:00.140Z"), Sensor.TRACEE),
                new RuntimeEvent(api, EvidenceKind.MMAP, "/usr/lib/x86_64-linux-gnu/libssl.so.3", Optional.of("/usr/bin/python3.11"), Instant.parse("2026-11-28T12:00:00.150Z"), Sensor.TRACEE));
    }

    @Test
    void readsKubescapeContainerProfile()
            throws IOException
    {
        EventBatch batch = read("/fixtures/events/kubescape-nginx-1.14.2-containerprofile.json");

        ContainerIdentity nginx = new ContainerIdentity(
                Optional.of("kind-kind"), Optional.of("default"), Optional.of("Deployment"), Optional.of("nginx"), Optional.empty(), Optional.of("nginx"),
                Optional.empty(), Optional.of("docker.io/library/nginx:1.14.2"),
                Optional.of(new ImageDigest("sha256:f7988fb6c02e0ce69257d9bd9cf37ae20a60f1df7563c3a2a6abe24160306b8d")));
        Instant created = Instant.parse("2025-09-26T08:27:14Z");
        assertThat(batch.format()).isEqualTo(DocumentFormat.KUBESCAPE_PROFILE);
        assertThat(batch.errors()).isEmpty();
        assertThat(batch.events()).hasSize(29);
        assertThat(batch.events().get(0)).isEqualTo(new RuntimeEvent(nginx, EvidenceKind.EXEC, "/usr/sbin/nginx", Optional.of("/usr/sbin/nginx"), created, Sensor.KUBESCAPE));
        assertThat(batch.events().get(1)).isEqualTo(new RuntimeEvent(nginx, EvidenceKind.OPEN, "/etc/group", Optional.empty(), created, Sensor.KUBESCAPE));
        assertThat(batch.events()).filteredOn(event -> event.path().endsWith(".so.1.1")).extracting(RuntimeEvent::path)
                .containsExactly("/usr/lib/x86_64-linux-gnu/libcrypto.so.1.1", "/usr/lib/x86_64-linux-gnu/libssl.so.1.1");
        assertThat(batch.events().get(28).path()).isEqualTo("/var/run/nginx.pid");
    }

    @Test
    void readsKubescapeApplicationProfile()
    {
        String json = """
                {"apiVersion": "spdx.softwarecomposition.kubescape.io/v1beta1", "kind": "ApplicationProfile",
                 "metadata": {"name": "replicaset-web-5d8f7c9b4", "namespace": "shop", "creationTimestamp": "2026-11-28T10:00:00Z",
                   "labels": {"kubescape.io/workload-kind": "Deployment", "kubescape.io/workload-name": "web", "kubescape.io/workload-namespace": "shop"}},
                 "spec": {"containers": [
                     {"name": "web", "imageTag": "docker.io/library/alpine:3.17.2",
                      "imageID": "docker.io/library/alpine@sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501",
                      "execs": [{"path": "/bin/busybox", "args": ["httpd"]}], "opens": [{"path": "/lib/libcrypto.so.3", "flags": ["O_RDONLY"]}, {"flags": []}]}],
                   "initContainers": [{"name": "init", "imageTag": "docker.io/library/busybox:1.36", "execs": [{"path": "/bin/sh"}]}]}}
                """;
        EventBatch batch = new RuntimeEventReader(InputLimits.DEFAULT).read(stream(json));

        assertThat(batch.events()).extracting(event -> event.container().container().orElseThrow() + " " + event.kind().wireName() + " " + event.path())
                .containsExactly("web exec /bin/busybox", "web open /lib/libcrypto.so.3", "init exec /bin/sh");
        assertThat(batch.events().get(0).container().imageDigest()).contains(new ImageDigest("sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501"));
        assertThat(batch.events().get(2).container().imageDigest()).isEmpty();
        assertThat(batch.rejected()).isEqualTo(1);
        assertThat(batch.errors()).containsExactly(new EventError("/spec/containers/0/opens/1", "'/path' is missing; expected the file's path"));
    }

    @Test
    void readsRunlightEventsAndSnapshots()
            throws IOException
    {
        EventBatch batch = read("/events/runlight-events.ndjson");

        ContainerIdentity cart = new ContainerIdentity(
                Optional.of("prod-eu"), Optional.of("shop"), Optional.of("Deployment"), Optional.of("cart"), Optional.of("cart-7d9f8b6c5-x2k4p"), Optional.of("cart"),
                Optional.of("containerd://4f2a9c1be0d34a7c8e5b6f70819a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c"), Optional.of("docker.io/acme/cart:1.4"),
                Optional.of(new ImageDigest("sha256:9b3f7e1c2d4a5b6c7d8e9f00112233445566778899aabbccddeeff0011223344")));
        assertThat(batch.format()).isEqualTo(DocumentFormat.RUNLIGHT_EVENTS);
        assertThat(batch.errors()).isEmpty();
        assertThat(batch.events()).hasSize(8);
        assertThat(batch.events().get(0)).isEqualTo(new RuntimeEvent(cart, EvidenceKind.EXEC, "/usr/bin/python3.11", Optional.of("/usr/bin/python3.11"), Instant.parse("2026-11-28T12:00:00Z"), Sensor.RUNLIGHT_EVENTS));
        assertThat(batch.events().get(2)).isEqualTo(new RuntimeEvent(cart, EvidenceKind.MMAP, "/usr/lib/x86_64-linux-gnu/libcrypto.so.3", Optional.of("/usr/bin/python3.11"), Instant.parse("2026-11-28T12:00:00.004Z"), Sensor.RUNLIGHT_EVENTS));
        // the snapshot's three files share its identity and time; a file may name its own process
        assertThat(batch.events().subList(4, 7)).containsExactly(
                new RuntimeEvent(cart, EvidenceKind.MMAP, "/usr/lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so", Optional.of("/usr/bin/python3.11"), Instant.parse("2026-11-28T12:05:00Z"), Sensor.RUNLIGHT_SNAPSHOT),
                new RuntimeEvent(cart, EvidenceKind.OPEN, "/usr/lib/python3.11/site-packages/urllib3/connection.py", Optional.of("/usr/bin/python3.11"), Instant.parse("2026-11-28T12:05:00Z"), Sensor.RUNLIGHT_SNAPSHOT),
                new RuntimeEvent(cart, EvidenceKind.EXEC, "/bin/sh", Optional.of("/bin/sh"), Instant.parse("2026-11-28T12:05:00Z"), Sensor.RUNLIGHT_SNAPSHOT));
        RuntimeEvent reindex = batch.events().get(7);
        assertThat(reindex.time()).isEqualTo(Instant.parse("2026-11-28T11:06:00Z"));
        assertThat(reindex.container().workloadKind()).contains("CronJob");
        assertThat(reindex.container().imageDigest()).isEmpty();
    }

    @Test
    void recordsOfTheAgentsProcSamplingNameTheirSensor()
    {
        String ndjson = """
                {"time":"2026-11-28T12:00:00Z","cluster":"edge","containerId":"host","sensor":"proc-sampling","process":"/usr/bin/python3.11","files":[{"kind":"exec","path":"/usr/bin/python3.11"},{"kind":"open","path":"/srv/app/main.py"}]}
                {"time":"2026-11-28T12:00:30Z","sensor":"proc-sampling","kind":"mmap","path":"/usr/lib/x86_64-linux-gnu/libssl.so.3"}
                {"time":"2026-11-28T12:00:30Z","sensor":"fanotify","kind":"open","path":"/srv/app/main.py"}
                {"time":"2026-11-28T12:00:30Z","sensor":7,"kind":"open","path":"/srv/app/main.py"}
                """;
        EventBatch batch = new RuntimeEventReader(InputLimits.DEFAULT).read(stream(ndjson));

        assertThat(batch.events()).extracting(event -> event.sensor() + " " + event.kind().wireName() + " " + event.path()).containsExactly(
                "AGENT_SAMPLES exec /usr/bin/python3.11",
                "AGENT_SAMPLES open /srv/app/main.py",
                "AGENT_SAMPLES mmap /usr/lib/x86_64-linux-gnu/libssl.so.3");
        // a sensor no reader knows could claim any coverage: its records are refused, not taken for a stream
        assertThat(batch.errors()).containsExactly(
                new EventError("line 3", "'/sensor' is 'fanotify'; expected proc-sampling or no sensor"),
                new EventError("line 4", "'/sensor' must be a string, found a number"));
        assertThat(Sensor.AGENT_SAMPLES.isSnapshot()).isTrue();
        for (EvidenceKind kind : EvidenceKind.values()) {
            assertThat(Sensor.AGENT_SAMPLES.reveals(kind)).as(kind.wireName()).isEmpty();
        }
    }

    @Test
    void readsFalcoAlerts()
            throws IOException
    {
        EventBatch batch = read("/events/falco-alerts.ndjson");

        ContainerIdentity nginx = new ContainerIdentity(
                Optional.empty(), Optional.of("default"), Optional.empty(), Optional.empty(), Optional.of("nginx-75f48cbc54-9wz6d"), Optional.of("nginx"),
                Optional.of("8c3e1f0a9b2d"), Optional.of("docker.io/library/nginx:1.14.2"),
                Optional.of(new ImageDigest("sha256:f7988fb6c02e0ce69257d9bd9cf37ae20a60f1df7563c3a2a6abe24160306b8d")));
        assertThat(batch.format()).isEqualTo(DocumentFormat.FALCO_JSON);
        assertThat(batch.errors()).isEmpty();
        // the network alert observes no file and is skipped, not rejected
        assertThat(batch.events()).hasSize(4);
        assertThat(batch.events().get(0)).isEqualTo(new RuntimeEvent(nginx, EvidenceKind.EXEC, "/usr/sbin/nginx", Optional.of("/usr/sbin/nginx"), Instant.parse("2026-11-28T12:00:00.512304117Z"), Sensor.FALCO));
        assertThat(batch.events().get(1)).isEqualTo(new RuntimeEvent(nginx, EvidenceKind.OPEN, "/lib/x86_64-linux-gnu/libpcre.so.3", Optional.of("/usr/sbin/nginx"), Instant.parse("2026-11-28T12:00:00.513877001Z"), Sensor.FALCO));
        RuntimeEvent pulledByTag = batch.events().get(2);
        assertThat(pulledByTag.container().image()).contains("docker.io/acme/worker:2.0.1");
        assertThat(pulledByTag.container().imageDigest()).isEmpty();
        RuntimeEvent host = batch.events().get(3);
        assertThat(host.container()).isEqualTo(ContainerIdentity.UNKNOWN);
        assertThat(host.path()).isEqualTo("/usr/lib/x86_64-linux-gnu/libz.so.1.2.13");
    }

    @Test
    void readsOneFalcoHttpOutputAlert()
            throws IOException
    {
        String firstLine;
        try (InputStream in = getClass().getResourceAsStream("/events/falco-alerts.ndjson")) {
            firstLine = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        }
        EventBatch batch = new RuntimeEventReader(InputLimits.DEFAULT).read(stream(firstLine));

        assertThat(batch.events()).extracting(RuntimeEvent::path).containsExactly("/usr/sbin/nginx");
    }

    @Test
    void acceptsJsonArrayOfEvents()
    {
        String json = """
                [
                  {"time": "2026-11-28T12:00:00Z", "namespace": "shop", "kind": "exec", "path": "/bin/busybox"},
                  {"time": "2026-11-28T12:00:01Z", "namespace": "shop", "kind": "load", "path": "/lib/libz.so.1"},
                  "not an event",
                  {"time": "2026-11-28T12:00:02Z", "namespace": "shop", "kind": "open", "path": "/etc/passwd"}
                ]
                """;
        EventBatch batch = new RuntimeEventReader(InputLimits.DEFAULT).read(stream(json));

        assertThat(batch.events()).extracting(RuntimeEvent::path).containsExactly("/bin/busybox", "/etc/passwd");
        assertThat(batch.rejected()).isEqualTo(2);
        assertThat(batch.errors()).containsExactly(
                new EventError("/1", "'/kind' is 'load'; expected exec, mmap or open"),
                new EventError("/2", "expected a JSON object, found a string"));
    }

    static EventBatch read(String resource)
            throws IOException
    {
        try (InputStream in = TestRuntimeEventReader.class.getResourceAsStream(resource)) {
            return new RuntimeEventReader(InputLimits.DEFAULT).read(in);
        }
    }

    static InputStream stream(String text)
    {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
