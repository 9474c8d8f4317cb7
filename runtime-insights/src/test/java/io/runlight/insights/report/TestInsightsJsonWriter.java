package io.runlight.insights.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.runlight.insights.input.InputLimits;
import io.runlight.plugin.api.Confidence;
import io.runlight.plugin.api.Evidence;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.InsightsSummary;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.ProfileSummary;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.Workload;
import io.runlight.plugin.api.WorkloadInsights;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestInsightsJsonWriter
{
    private static final String ALPINE_IMAGE =
            "{\"digest\":\"sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501\",\"names\":[\"docker.io/library/alpine:3.17.2\"],\"profile\":{\"state\":\"COMPLETE\",\"containers\":3,\"observedFor\":\"P14D\",\"firstSeen\":\"2026-11-14T12:00:00Z\",\"lastSeen\":\"2026-11-28T12:00:00Z\"},\"summary\":{\"packages\":5,\"packagesInUse\":3,\"packagesNotInUse\":2,\"packagesUnknown\":0,\"vulnerabilities\":5,\"vulnerabilitiesInUse\":3},\"packages\":[{\"purl\":\"pkg:apk/alpine/busybox@1.35.0-r29?arch=x86_64&distro=alpine-3.17.2\",\"type\":\"apk\",\"name\":\"busybox\",\"version\":\"1.35.0-r29\",\"usage\":\"IN_USE\",\"confidence\":\"FILE\",\"evidence\":[{\"kind\":\"exec\",\"path\":\"/bin/busybox\",\"process\":\"/bin/busybox\",\"firstSeen\":\"2026-11-14T12:00:05Z\",\"lastSeen\":\"2026-11-28T11:59:30Z\",\"count\":1250}],\"accessed\":false,\"os\":{\"family\":\"alpine\",\"version\":\"3.17.2\",\"arch\":\"x86_64\"}}," +
            "{\"purl\":\"pkg:apk/alpine/libcrypto3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2\",\"type\":\"apk\",\"name\":\"libcrypto3\",\"version\":\"3.0.8-r0\",\"usage\":\"IN_USE\",\"confidence\":\"FILE\",\"evidence\":[{\"kind\":\"mmap\",\"path\":\"/lib/libcrypto.so.3\",\"process\":\"/usr/local/bin/app\",\"firstSeen\":\"2026-11-14T12:00:07Z\",\"lastSeen\":\"2026-11-28T11:58:00Z\",\"count\":42},{\"kind\":\"open\",\"path\":\"/etc/ssl/openssl.cnf\",\"process\":\"/usr/local/bin/app\",\"firstSeen\":\"2026-11-14T12:00:07Z\",\"lastSeen\":\"2026-11-28T11:58:00Z\",\"count\":42}],\"accessed\":true,\"os\":{\"family\":\"alpine\",\"version\":\"3.17.2\",\"arch\":\"x86_64\"}}," +
            "{\"purl\":\"pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2\",\"type\":\"apk\",\"name\":\"libssl3\",\"version\":\"3.0.8-r0\",\"usage\":\"NOT_IN_USE\",\"evidence\":[],\"accessed\":false,\"os\":{\"family\":\"alpine\",\"version\":\"3.17.2\",\"arch\":\"x86_64\"}}," +
            "{\"purl\":\"pkg:apk/alpine/musl@1.2.3-r4?arch=x86_64&distro=alpine-3.17.2\",\"type\":\"apk\",\"name\":\"musl\",\"version\":\"1.2.3-r4\",\"usage\":\"IN_USE\",\"confidence\":\"FILE\",\"evidence\":[{\"kind\":\"mmap\",\"path\":\"/lib/ld-musl-x86_64.so.1\",\"process\":\"/bin/busybox\",\"firstSeen\":\"2026-11-14T12:00:05Z\",\"lastSeen\":\"2026-11-28T11:59:30Z\",\"count\":1292}],\"accessed\":false,\"os\":{\"family\":\"alpine\",\"version\":\"3.17.2\",\"arch\":\"x86_64\"}}," +
            "{\"purl\":\"pkg:apk/alpine/zlib@1.2.13-r0?arch=x86_64&distro=alpine-3.17.2\",\"type\":\"apk\",\"name\":\"zlib\",\"version\":\"1.2.13-r0\",\"usage\":\"NOT_IN_USE\",\"evidence\":[],\"accessed\":false,\"os\":{\"family\":\"alpine\",\"version\":\"3.17.2\",\"arch\":\"x86_64\"}}]," +
            "\"vulnerabilities\":[{\"id\":\"CVE-2023-5363\",\"purl\":\"pkg:apk/alpine/libcrypto3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2\",\"severity\":\"HIGH\",\"cvss\":7.5,\"fixedIn\":[\"3.0.12-r0\"],\"usage\":\"IN_USE\",\"rank\":1,\"aliases\":[],\"cvssVector\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N\",\"knownExploited\":false,\"dataSource\":\"http://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2023-5363\"}," +
            "{\"id\":\"CVE-2023-0464\",\"purl\":\"pkg:apk/alpine/libcrypto3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2\",\"severity\":\"HIGH\",\"cvss\":7.5,\"fixedIn\":[\"3.0.8-r1\"],\"usage\":\"IN_USE\",\"rank\":2,\"aliases\":[],\"cvssVector\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H\",\"knownExploited\":false,\"epss\":0.00275,\"epssPercentile\":0.6781,\"dataSource\":\"http://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2023-0464\"}," +
            "{\"id\":\"CVE-2023-2650\",\"purl\":\"pkg:apk/alpine/libcrypto3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2\",\"severity\":\"MEDIUM\",\"cvss\":6.5,\"fixedIn\":[\"3.0.9-r0\"],\"usage\":\"IN_USE\",\"rank\":3,\"aliases\":[],\"knownExploited\":false,\"dataSource\":\"http://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2023-2650\"}," +
            "{\"id\":\"CVE-2023-5363\",\"purl\":\"pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2\",\"severity\":\"HIGH\",\"cvss\":7.5,\"fixedIn\":[\"3.0.12-r0\"],\"usage\":\"NOT_IN_USE\",\"rank\":4,\"aliases\":[],\"cvssVector\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N\",\"knownExploited\":false,\"dataSource\":\"http://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2023-5363\"}," +
            "{\"id\":\"CVE-2023-0464\",\"purl\":\"pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2\",\"severity\":\"HIGH\",\"cvss\":7.5,\"fixedIn\":[\"3.0.8-r1\"],\"usage\":\"NOT_IN_USE\",\"rank\":5,\"aliases\":[],\"cvssVector\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H\",\"knownExploited\":false,\"epss\":0.00275,\"epssPercentile\":0.6781,\"dataSource\":\"http://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2023-0464\"}]," +
            "\"aliases\":[\"sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d\",\"sha256:fd6275a37d2472b9d3be70c3261087b8d65e441c21342ae7313096312bcda2b3\"],\"os\":{\"family\":\"alpine\",\"version\":\"3.17.2\"}}";

    @Test
    void writesTheImageDocumentOfApiMd()
    {
        byte[] json = InsightsJsonWriter.compact().imageToBytes(AlpineSample.image());

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(ALPINE_IMAGE);
    }

    @Test
    void wrapsImagesInAnImagesArray()
    {
        byte[] json = InsightsJsonWriter.compact().imagesToBytes(List.of(AlpineSample.image(), AlpineSample.image()));

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"images\":[" + ALPINE_IMAGE + "," + ALPINE_IMAGE + "]}");
        assertThat(new String(InsightsJsonWriter.compact().imagesToBytes(List.of()), StandardCharsets.UTF_8)).isEqualTo("{\"images\":[]}");
    }

    @Test
    void leavesOutAbsentValues()
    {
        ImageInsights image = new ImageInsights(AlpineSample.DIGEST, List.of(), List.of(), Optional.empty(), ProfileSummary.NONE,
                new InsightsSummary(0, 0, 0, 0, 0, 0), List.of(), List.of());

        assertThat(new String(InsightsJsonWriter.compact().imageToBytes(image), StandardCharsets.UTF_8)).isEqualTo(
                "{\"digest\":\"sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501\",\"names\":[],"
                        + "\"profile\":{\"state\":\"NONE\",\"containers\":0,\"observedFor\":\"PT0S\"},"
                        + "\"summary\":{\"packages\":0,\"packagesInUse\":0,\"packagesNotInUse\":0,\"packagesUnknown\":0,\"vulnerabilities\":0,\"vulnerabilitiesInUse\":0},"
                        + "\"packages\":[],\"vulnerabilities\":[],\"aliases\":[]}");
    }

    @Test
    void writesAnIndentedWorkloadDocument()
    {
        WorkloadInsights workload = new WorkloadInsights(
                new Workload("prod-eu", "shop", "Deployment", "cart", "app"),
                AlpineSample.DIGEST,
                List.of("docker.io/library/alpine:3.17.2"),
                new ProfileSummary(io.runlight.plugin.api.ProfileState.LEARNING, 1, Duration.ofHours(5).plusMillis(250), Optional.of(AlpineSample.FIRST_SEEN), Optional.of(AlpineSample.FIRST_SEEN.plusSeconds(18000).plusMillis(250))),
                List.of(new PackageInsight(AlpineSample.BUSYBOX, Usage.IN_USE, Optional.of(Confidence.FILE), List.of(
                        new Evidence(EvidenceKind.EXEC, "/bin/busybox", Optional.empty(), Instant.parse("2026-11-14T12:00:05.120Z"), Instant.parse("2026-11-14T17:00:00Z"), 3)))));

        assertThat(new String(InsightsJsonWriter.indented().workloadToBytes(workload), StandardCharsets.UTF_8)).isEqualTo("""
                {
                  "workload": {
                    "cluster": "prod-eu",
                    "namespace": "shop",
                    "kind": "Deployment",
                    "name": "cart",
                    "container": "app"
                  },
                  "imageDigest": "sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501",
                  "imageNames": [
                    "docker.io/library/alpine:3.17.2"
                  ],
                  "profile": {
                    "state": "LEARNING",
                    "containers": 1,
                    "observedFor": "PT5H0.25S",
                    "firstSeen": "2026-11-14T12:00:00Z",
                    "lastSeen": "2026-11-14T17:00:00.250Z"
                  },
                  "packagesInUse": [
                    {
                      "purl": "pkg:apk/alpine/busybox@1.35.0-r29?arch=x86_64&distro=alpine-3.17.2",
                      "type": "apk",
                      "name": "busybox",
                      "version": "1.35.0-r29",
                      "usage": "IN_USE",
                      "confidence": "FILE",
                      "evidence": [
                        {
                          "kind": "exec",
                          "path": "/bin/busybox",
                          "firstSeen": "2026-11-14T12:00:05.120Z",
                          "lastSeen": "2026-11-14T17:00:00Z",
                          "count": 3
                        }
                      ],
                      "accessed": false,
                      "os": {
                        "family": "alpine",
                        "version": "3.17.2",
                        "arch": "x86_64"
                      }
                    }
                  ]
                }
                """);
    }

    @Test
    void writesTheSameBytesEveryTime()
    {
        InsightsJsonWriter writer = InsightsJsonWriter.indented();

        assertThat(writer.imageToBytes(AlpineSample.image())).isEqualTo(writer.imageToBytes(AlpineSample.image()));
        assertThat(writer.imageToBytes(AlpineSample.image())).isEqualTo(InsightsJsonWriter.indented().imageToBytes(AlpineSample.image()));
    }

    @Test
    void flushesButDoesNotCloseTheStream()
            throws IOException
    {
        ClosingWatcher out = new ClosingWatcher();

        InsightsJsonWriter.compact().writeImage(AlpineSample.image(), out);

        assertThat(out.closed).isFalse();
        assertThat(out.flushed).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(ALPINE_IMAGE);
    }

    @Test
    void doesNotLeaveAPlausibleDocumentWhenTheStreamFails()
    {
        FailingStream out = new FailingStream(100);

        assertThatThrownBy(() -> InsightsJsonWriter.compact().writeImage(AlpineSample.image(), out))
                .isInstanceOf(IOException.class)
                .hasMessage("disk full");
        assertThat(out.written.toString(StandardCharsets.UTF_8)).doesNotEndWith("}");
    }

    private static final class ClosingWatcher
            extends ByteArrayOutputStream
    {
        private boolean closed;
        private boolean flushed;

        @Override
        public void close()
        {
            closed = true;
        }

        @Override
        public void flush()
        {
            flushed = true;
        }
    }

    private static final class FailingStream
            extends OutputStream
    {
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();
        private final int capacity;

        FailingStream(int capacity)
        {
            this.capacity = capacity;
        }

        @Override
        public void write(int b)
                throws IOException
        {
            if (written.size() >= capacity) {
                throw new IOException("disk full");
            }
            written.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length)
                throws IOException
        {
            for (int i = 0; i < length; i++) {
                write(bytes[offset + i]);
            }
        }
    }

    /** The insights of an image are stored in this form (map {@code insights}); see hub-core's src/test/resources/stored/README.md. */
    @Test
    void writesAndReadsTheStoredShape()
            throws IOException
    {
        byte[] golden;
        try (InputStream in = TestInsightsJsonWriter.class.getResourceAsStream("/stored/alpine-image.json")) {
            golden = in.readAllBytes();
        }

        assertThat(new String(InsightsJsonWriter.compact().imageToBytes(AlpineSample.image()), StandardCharsets.UTF_8))
                .isEqualTo(new String(golden, StandardCharsets.UTF_8).strip());
        assertThat(new InsightsJsonReader(InputLimits.DEFAULT).readImage(golden)).isEqualTo(AlpineSample.image());
    }
}
