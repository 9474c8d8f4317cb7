package io.runlight.insights.runtime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
import org.junit.jupiter.api.Test;

import static io.runlight.insights.runtime.TestRuntimeEventReader.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestRuntimeEventReaderHostile
{
    private static final String GOOD = "{\"time\":\"2026-11-28T12:00:00Z\",\"namespace\":\"shop\",\"kind\":\"exec\",\"path\":\"/bin/busybox\"}";

    private final RuntimeEventReader reader = new RuntimeEventReader(InputLimits.DEFAULT);

    @Test
    void keepsGoodLinesAndReportsBadOnes()
    {
        String ndjson = String.join("\n",
                GOOD,
                "{\"time\":\"2026-11-28T12:00:00Z\",\"kind\":\"exec\",\"path\":\"/bin/sh\"",
                "",
                "{\"time\":\"yesterday\",\"kind\":\"exec\",\"path\":\"/bin/sh\"}",
                "{\"time\":\"2026-11-28T12:00:00Z\",\"kind\":\"exec\",\"path\":42}",
                "{\"time\":\"2026-11-28T12:00:00Z\",\"kind\":\"exec\"}",
                "[1, 2]",
                "{\"time\":\"2026-11-28T12:00:00Z\",\"kind\":\"open\",\"path\":\"/etc/hosts\"} {\"extra\": 1}",
                "{\"time\":\"2026-11-28T12:00:00Z\",\"kind\":\"open\",\"path\":\"/x\",\"imageDigest\":\"sha256:abc\"}",
                "{\"time\":\"2026-11-28T12:00:00Z\",\"files\":[{\"kind\":\"mmap\",\"path\":\"/lib/a.so\"},{\"kind\":\"mmap\"},7,{\"kind\":\"open\",\"path\":\"/lib/b.so\"}]}",
                "garbage \u0001\u0002",
                GOOD.replace("busybox", "ls")) + "\n";

        EventBatch batch = reader.read(stream(ndjson));

        assertThat(batch.format()).isEqualTo(DocumentFormat.RUNLIGHT_EVENTS);
        assertThat(batch.events()).extracting(RuntimeEvent::path).containsExactly("/bin/busybox", "/lib/a.so", "/lib/b.so", "/bin/ls");
        assertThat(batch.rejected()).isEqualTo(10);
        assertThat(batch.errors()).containsExactly(
                new EventError("line 2", "the document ends early (truncated?)"),
                new EventError("line 4", "'/time' is not an RFC 3339 time: 'yesterday'"),
                new EventError("line 5", "'/path' must be a string, found a number"),
                new EventError("line 6", "'/path' is missing; expected the file's path"),
                new EventError("line 7", "expected a JSON object, found an array"),
                new EventError("line 8", "found an object after the object; expected one JSON object per line"),
                new EventError("line 9", "'/imageDigest' is not an image digest: 'sha256:abc'; expected sha256:<64 hex digits>"),
                new EventError("line 10 /files/1", "'/path' is missing; expected the file's path"),
                new EventError("line 10 /files/2", "expected an object, found a number"),
                new EventError("line 11", "not valid JSON (line 1, column 1): Unrecognized token 'garbage': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"));
    }

    @Test
    void aTwentyMegabyteStringIsRefusedNamingTheLimit()
    {
        String huge = "{\"time\":\"2026-11-28T12:00:00Z\",\"kind\":\"exec\",\"path\":\"/bin/" + "a".repeat(20_000_000) + "\"}";

        EventBatch later = reader.read(stream(GOOD + "\n" + huge + "\n" + GOOD + "\n"));
        assertThat(later.events()).hasSize(2);
        assertThat(later.errors()).containsExactly(new EventError("line 2", "the line is longer than 4194304 bytes, the limit"));

        // the first line decides the format: it cannot be recognised, and the message names the limit, not a parse error
        assertThatThrownBy(() -> reader.read(stream(huge + "\n" + GOOD + "\n")))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.TOO_LARGE))
                .hasMessage("JSON at /path: the string is longer than the 262144 bytes read to recognise the format; "
                        + "every supported format names itself in its first keys");
    }

    @Test
    void rejectsTextThatIsNotUnicodeInEverySource()
    {
        // JSON may spell an unpaired surrogate as an escape; it would become '?' when stored as UTF-8
        String ndjson = String.join("\n",
                "{\"time\":\"2026-11-28T12:00:00Z\",\"kind\":\"exec\",\"path\":\"/bin/\\ud800x\",\"process\":\"/bin/sh\"}",
                "{\"time\":\"2026-11-28T12:00:00Z\",\"kind\":\"exec\",\"path\":\"/bin/sh\",\"process\":\"/bin/\\udc00\"}",
                "{\"time\":\"2026-11-28T12:00:00Z\",\"kind\":\"exec\",\"path\":\"/bin/s\\u0000h\"}",
                "{\"time\":\"2026-11-28T12:00:00Z\",\"kind\":\"exec\",\"path\":\"/usr/bin/\\ud83d\\ude00\"}") + "\n";

        EventBatch batch = reader.read(stream(ndjson));

        assertThat(batch.events()).extracting(RuntimeEvent::path).containsExactly("/usr/bin/\ud83d\ude00");
        assertThat(batch.errors()).containsExactly(
                new EventError("line 1", "'/path' holds an unpaired UTF-16 surrogate (U+D800) at character 6; expected Unicode text"),
                new EventError("line 2", "'/process' holds an unpaired UTF-16 surrogate (U+DC00) at character 6; expected Unicode text"),
                new EventError("line 3", "'/path' holds a NUL character at character 7; expected text without NUL"));

        String tetragon = "{\"time\":\"2026-11-28T12:00:00Z\",\"process_exec\":{\"process\":{\"binary\":\"/bin/\\udbff\"}}}\n";
        assertThat(reader.read(stream(tetragon)).errors()).containsExactly(
                new EventError("line 1", "'/binary' holds an unpaired UTF-16 surrogate (U+DBFF) at character 6; expected Unicode text"));
    }

    @Test
    void rejectsIdentityFieldsThatAreNoNames()
    {
        String ndjson = String.join("\n",
                GOOD.replace("\"shop\"", "\"sh\\u001b[31mop\""),
                GOOD.replace("\"shop\"", "\"shop\\u202egnp.exe\""),
                GOOD.replace("\"namespace\"", "\"cluster\":\"prod\\teu\",\"namespace\""),
                GOOD.replace("\"namespace\"", "\"pod\":\"" + "p".repeat(5000) + "\",\"namespace\""),
                GOOD.replace("\"namespace\"", "\"container\":\"c\\u0000\",\"namespace\""),
                GOOD.replace("\"namespace\"", "\"workloadKind\":\"Deploy-ment\",\"namespace\""),
                GOOD.replace("\"namespace\"", "\"cluster\":\"arn:aws:eks:eu-west-1:1234:cluster/prod\",\"pod\":\"cart-7d9f.x\","
                        + "\"container\":\"my_app.1\",\"workloadKind\":\"StatefulSet\",\"workloadName\":\"cart\",\"image\":\"docker.io/acme/cart:1.4@sha256:"
                        + "0".repeat(64) + "\",\"containerId\":\"containerd://4f2a\",\"namespace\"")) + "\n";

        EventBatch batch = reader.read(stream(ndjson));

        assertThat(batch.events()).hasSize(1);
        assertThat(batch.events().get(0).container().cluster()).contains("arn:aws:eks:eu-west-1:1234:cluster/prod");
        assertThat(batch.errors()).containsExactly(
                new EventError("line 1", "the namespace 'sh?[31mop' is not acceptable; expected a Kubernetes name of 1 to 63 lower-case letters, digits and '-'"),
                new EventError("line 2", "the namespace 'shop?gnp.exe' is not acceptable; expected a Kubernetes name of 1 to 63 lower-case letters, digits and '-'"),
                new EventError("line 3", "the cluster 'prod?eu' is not acceptable; expected 1 to 253 letters, digits, spaces, '.', '_', '-', ':' or '/', "
                        + "starting with a letter or digit and not ending with a space"),
                new EventError("line 4", "the pod '" + "p".repeat(80) + "...' (5000 characters) is not acceptable; expected a Kubernetes name of 1 to 253 lower-case letters, digits, '-' and '.'"),
                new EventError("line 5", "'/container' holds a NUL character at character 2; expected text without NUL"),
                new EventError("line 6", "the workload kind 'Deploy-ment' is not acceptable; expected a Kubernetes kind such as 'Deployment': 1 to 63 letters and digits"));
    }

    @Test
    void keepsWorkloadNamesFromOutsideKubernetes()
    {
        // a Docker container or a host is named with capitals and '_': its events must not be dropped
        String ndjson = String.join("\n",
                GOOD.replace("\"namespace\"", "\"workloadKind\":\"Host\",\"workloadName\":\"Build_Server-01.lan\",\"namespace\""),
                GOOD.replace("\"namespace\"", "\"workloadName\":\"cart web\",\"namespace\""),
                GOOD.replace("\"namespace\"", "\"workloadName\":\"_cart\",\"namespace\"")) + "\n";

        EventBatch batch = reader.read(stream(ndjson));

        assertThat(batch.events()).extracting(event -> event.container().workloadName()).containsExactly(Optional.of("Build_Server-01.lan"));
        assertThat(batch.errors()).containsExactly(
                new EventError("line 2", "the workload name 'cart web' is not acceptable; expected 1 to 253 letters, digits, '_', '.' and '-', starting with a letter or digit"),
                new EventError("line 3", "the workload name '_cart' is not acceptable; expected 1 to 253 letters, digits, '_', '.' and '-', starting with a letter or digit"));
    }

    @Test
    void keepsClusterNamesThatPeopleTyped()
    {
        // Snyk's monitor sends the cluster name its user typed, spaces included ("My%20cluster")
        EventBatch batch = reader.read(stream(GOOD.replace("\"namespace\"", "\"cluster\":\"My cluster\",\"namespace\"") + "\n"));

        assertThat(batch.errors()).isEmpty();
        assertThat(batch.events()).extracting(event -> event.container().cluster().orElseThrow()).containsExactly("My cluster");
    }

    @Test
    void detectsTheFormatPastABadFirstLine()
            throws IOException
    {
        String falco;
        try (InputStream in = getClass().getResourceAsStream("/events/falco-alerts.ndjson")) {
            falco = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        EventBatch batch = reader.read(stream("{\"output_fields\": {\"evt.type\": \n" + falco));

        assertThat(batch.format()).isEqualTo(DocumentFormat.FALCO_JSON);
        assertThat(batch.events()).hasSize(4);
        assertThat(batch.errors()).containsExactly(new EventError("line 1", "the document ends early (truncated?)"));
    }

    @Test
    void refusesMalformedDocumentsThatAreNotLineOriented()
            throws IOException
    {
        byte[] tetragon;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/events/tetragon-process-exec.json")) {
            tetragon = in.readAllBytes();
        }
        byte[] truncated = Arrays.copyOf(tetragon, tetragon.length - 100);
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(truncated)))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.reason()).isEqualTo(InputException.Reason.MALFORMED);
                    assertThat(e.format()).isEqualTo("Tetragon JSON");
                    assertThat(e.location()).isEqualTo("/process_exec/parent/parent_exec_id");
                    assertThat(e.problem()).isEqualTo("the document ends early (truncated?)");
                });

        assertThatThrownBy(() -> reader.read(stream("[" + GOOD + ", " + GOOD + ", {\"time\": ]")))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("Runlight events at /2/time: not valid JSON (line 1, column ");

        assertThatThrownBy(() -> reader.read(stream("[" + GOOD + "] trailing")))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.MALFORMED))
                .hasMessageStartingWith("Runlight events at /: not valid JSON");

        assertThatThrownBy(() -> reader.read(stream("{\"apiVersion\": \"spdx.softwarecomposition.kubescape.io/v1beta1\", \"kind\": \"ContainerProfile\", \"spec\": {\"execs\": [")))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.MALFORMED))
                .hasMessage("Kubescape ContainerProfile at /spec/execs: the document ends early (truncated?)");
    }

    @Test
    void refusesDocumentsThatAreNotEvents()
            throws IOException
    {
        try (InputStream sbom = getClass().getResourceAsStream("/fixtures/sbom/alpine-3.17.2.syft.json")) {
            assertThatThrownBy(() -> reader.read(sbom))
                    .isInstanceOf(InputException.class)
                    .hasMessage("input at /: not runtime events: found Syft JSON; expected Runlight events, Falco, Tetragon or Tracee JSON, or a Kubescape profile");
        }
        try (InputStream maps = getClass().getResourceAsStream("/fixtures/events/proc-maps-cat.txt")) {
            assertThatThrownBy(() -> reader.read(maps))
                    .isInstanceOf(InputException.class)
                    .hasMessage("/proc/<pid>/maps at line 1: a maps snapshot carries no container identity or time of its own; read it with readProcMaps");
        }
        assertThatThrownBy(() -> reader.read(stream("")))
                .isInstanceOf(InputException.class)
                .hasMessage("input at byte 0: the document is empty");
        assertThatThrownBy(() -> reader.read(stream("{\"hello\": 1}\n{\"world\": 2}\n")))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.INVALID))
                .hasMessageStartingWith("input at /: not a supported format: found a JSON object with keys [hello];");
        byte[] garbage = new byte[2048];
        new Random(7).nextBytes(garbage);
        garbage[0] = 0x02;
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(garbage)))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.MALFORMED))
                .hasMessageStartingWith("input at line 1: neither JSON nor /proc/<pid>/maps text;");
        assertThatThrownBy(() -> reader.read(stream("{\"apiVersion\": \"spdx.softwarecomposition.kubescape.io/v1beta1\", \"kind\": \"ContainerProfile\", \"metadata\": {}}")))
                .isInstanceOf(InputException.class)
                .hasMessage("Kubescape ContainerProfile at /: '/metadata/creationTimestamp' is missing; expected an RFC 3339 time");
        assertThatThrownBy(() -> reader.read(stream("{\"kind\": \"ContainerProfile\", \"metadata\": {\"creationTimestamp\": \"2026-11-28T00:00:00Z\"}, \"spec\": {\"execs\": {}}}")))
                .isInstanceOf(InputException.class)
                .hasMessage("Kubescape ContainerProfile at /: '/execs' must be an array, found an object");
    }

    @Test
    void wrongTypesInEachSourceRejectTheRecord()
    {
        EventBatch falco = reader.read(stream(
                "{\"rule\": \"r\", \"time\": \"2026-11-28T12:00:00Z\", \"output_fields\": {\"evt.type\": \"openat\", \"fd.name\": [\"/etc\"]}}\n"
                        + "{\"rule\": \"r\", \"time\": \"2026-11-28T12:00:00Z\", \"output_fields\": {\"evt.type\": \"execve\", \"proc.name\": \"sh\"}}\n"
                        + "{\"rule\": \"r\", \"time\": \"2026-11-28T12:00:00Z\", \"output_fields\": \"openat\"}\n"
                        + "{\"rule\": \"r\", \"output_fields\": {\"evt.type\": \"openat\", \"fd.name\": \"/etc/hosts\"}}\n"));
        assertThat(falco.events()).isEmpty();
        assertThat(falco.errors()).containsExactly(
                new EventError("line 1", "'/output_fields/fd.name' must be a string, found an array"),
                new EventError("line 2", "'/output_fields/proc.exepath' is missing; expected the executed file's path"),
                new EventError("line 3", "'/output_fields' must be an object, found a string"),
                new EventError("line 4", "'/time' is missing; expected an RFC 3339 time"));

        EventBatch tetragon = reader.read(stream(
                "{\"process_exec\": {\"process\": {\"binary\": 5}}, \"time\": \"2026-11-28T12:00:00Z\"}\n"
                        + "{\"process_exec\": {\"process\": {\"binary\": \"/bin/sh\", \"pod\": []}}, \"time\": \"2026-11-28T12:00:00Z\"}\n"
                        + "{\"process_kprobe\": {\"function_name\": \"security_file_open\", \"args\": [3]}, \"time\": \"2026-11-28T12:00:00Z\"}\n"
                        + "{\"process_exit\": {\"process\": {\"binary\": \"/bin/sh\"}}, \"time\": \"2026-11-28T12:00:00Z\"}\n"));
        assertThat(tetragon.events()).isEmpty();
        assertThat(tetragon.errors()).containsExactly(
                new EventError("line 1", "'/binary' must be a string, found a number"),
                new EventError("line 2", "'/pod' must be an object, found an array"),
                new EventError("line 3", "'/process_kprobe/args/0' must be an object, found a number"));

        EventBatch tracee = reader.read(stream(
                "{\"eventName\": \"security_file_open\", \"timestamp\": \"soon\", \"args\": [{\"name\": \"pathname\", \"value\": \"/etc/hosts\"}]}\n"
                        + "{\"eventName\": \"security_file_open\", \"timestamp\": 1, \"args\": [{\"name\": \"flags\", \"value\": \"O_RDONLY\"}]}\n"
                        + "{\"eventName\": \"security_file_open\", \"timestamp\": -5, \"args\": [{\"name\": \"pathname\", \"value\": \"/etc/hosts\"}]}\n"
                        + "{\"eventName\": \"sched_process_exit\", \"timestamp\": 1}\n"));
        assertThat(tracee.events()).isEmpty();
        assertThat(tracee.errors()).containsExactly(
                new EventError("line 1", "'/timestamp' is not an RFC 3339 time: 'soon'"),
                new EventError("line 2", "'/args' has no 'pathname' argument; expected the file's path"),
                new EventError("line 3", "'/timestamp' must be nanoseconds since the epoch, found a number -5"));
    }

    @Test
    void enforcesLimits()
    {
        InputLimits small = new InputLimits(4096, 16, 1024, 3);
        RuntimeEventReader limited = new RuntimeEventReader(small);

        String longLine = "{\"time\":\"2026-11-28T12:00:00Z\",\"kind\":\"exec\",\"path\":\"/" + "a".repeat(2000) + "\"}";
        EventBatch batch = limited.read(stream(GOOD + "\n" + longLine + "\n" + GOOD + "\n"));
        assertThat(batch.events()).hasSize(2);
        assertThat(batch.errors()).containsExactly(new EventError("line 2", "the line is longer than 1024 bytes, the limit"));

        String deep = "{\"time\":\"2026-11-28T12:00:00Z\",\"kind\":\"exec\",\"path\":\"/x\",\"extra\":" + "[".repeat(40) + "]".repeat(40) + "}";
        EventBatch nested = limited.read(stream(GOOD + "\n" + deep + "\n"));
        assertThat(nested.events()).hasSize(1);
        assertThat(nested.errors()).hasSize(1);
        assertThat(nested.errors().get(0).location()).isEqualTo("line 2");
        assertThat(nested.errors().get(0).message()).startsWith("over a limit: Document nesting depth (17) exceeds the maximum allowed (16");

        assertThatThrownBy(() -> limited.read(stream((GOOD + "\n").repeat(4))))
                .isInstanceOf(InputException.class)
                .hasMessage("Runlight events at line 4: more than 3 events, the limit");

        assertThatThrownBy(() -> limited.read(stream((GOOD + "\n").repeat(60))))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.TOO_LARGE))
                .hasMessage("Runlight events at line 1: the document is larger than the limit of 4096 bytes");

        String bigArray = "[" + String.join(",", Collections.nCopies(60, GOOD)) + "]";
        assertThatThrownBy(() -> limited.read(stream(bigArray)))
                .isInstanceOf(InputException.class)
                .hasMessage("Runlight events at byte 4096: the document is larger than the limit of 4096 bytes");

        String deepArray = "[" + GOOD + ", " + "[".repeat(40) + "]".repeat(40) + "]";
        assertThatThrownBy(() -> limited.read(stream(deepArray)))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.TOO_LARGE));
    }

    @Test
    void keepsAtMostMaxErrorsButCountsAll()
    {
        StringBuilder ndjson = new StringBuilder(GOOD).append('\n');
        for (int i = 0; i < 150; i++) {
            ndjson.append("{\"time\":\"2026-11-28T12:00:00Z\",\"kind\":\"exec\"}\n");
        }
        EventBatch batch = reader.read(stream(ndjson.toString()));

        assertThat(batch.events()).hasSize(1);
        assertThat(batch.rejected()).isEqualTo(150);
        assertThat(batch.errors()).hasSize(EventBatch.MAX_ERRORS);
        assertThat(batch.errors().get(99)).isEqualTo(new EventError("line 101", "'/path' is missing; expected the file's path"));
    }

    @Test
    void rejectsExactlyTheLinesThatAreNotUtf8()
            throws IOException
    {
        // lines are decoded leniently and checked strictly only when a U+FFFD shows: the verdict must be the strict decoder's
        byte[][] pieces = {{'a'}, {'/'}, {(byte) 0x80}, {(byte) 0xBF}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xC3, (byte) 0xA9}, {(byte) 0xC3},
                {(byte) 0xE2, (byte) 0x82, (byte) 0xAC}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD},
                {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80},
                {(byte) 0xFF}, {(byte) 0xE0, (byte) 0x80, (byte) 0x80}};
        Random random = new Random(8);
        ByteArrayOutputStream document = new ByteArrayOutputStream();
        // a good first line: the format is recognised from it
        document.writeBytes((GOOD + "\n").getBytes(StandardCharsets.UTF_8));
        List<Boolean> valid = new ArrayList<>(List.of(true));
        for (int line = 1; line < 2000; line++) {
            ByteArrayOutputStream path = new ByteArrayOutputStream();
            for (int i = 0; i < 1 + random.nextInt(4); i++) {
                path.write(pieces[random.nextInt(pieces.length)]);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes("{\"time\":\"2026-11-28T12:00:00Z\",\"kind\":\"exec\",\"path\":\"/bin/".getBytes(StandardCharsets.UTF_8));
            bytes.writeBytes(path.toByteArray());
            bytes.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
            try {
                StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()));
                valid.add(true);
            }
            catch (java.nio.charset.CharacterCodingException e) {
                valid.add(false);
            }
            document.writeBytes(bytes.toByteArray());
            document.write('\n');
        }

        EventBatch batch = new RuntimeEventReader(new InputLimits(InputLimits.DEFAULT.maxDocumentBytes(), 64, 4 * 1024 * 1024, 100_000))
                .read(new ByteArrayInputStream(document.toByteArray()));

        List<String> notUtf8 = batch.errors().stream().filter(error -> error.message().equals("not valid UTF-8 text")).map(EventError::location).toList();
        List<String> expected = new ArrayList<>();
        for (int line = 0; line < valid.size(); line++) {
            if (!valid.get(line)) {
                expected.add("line " + (line + 1));
            }
        }
        assertThat(expected).isNotEmpty();
        // the errors kept are the first 100; every line's verdict is in the counts
        assertThat(notUtf8).isEqualTo(expected.subList(0, notUtf8.size()));
        assertThat(batch.events().size() + batch.rejected()).isEqualTo(valid.size());
        assertThat(batch.events()).hasSize((int) valid.stream().filter(ok -> ok).count());
    }

    @Test
    void rejectsLinesThatAreNotUtf8()
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes((GOOD + "\n").getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
        bytes.writeBytes((GOOD + "\n").getBytes(StandardCharsets.UTF_8));

        EventBatch batch = reader.read(new ByteArrayInputStream(bytes.toByteArray()));

        assertThat(batch.events()).hasSize(2);
        assertThat(batch.errors()).containsExactly(new EventError("line 2", "not valid UTF-8 text"));
    }
}
