package io.runlight.insights.report;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
import io.runlight.plugin.api.ExploitSignals;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.InsightsSummary;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.ProfileSummary;
import io.runlight.plugin.api.Purl;
import io.runlight.plugin.api.Severity;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.Vulnerability;
import io.runlight.plugin.api.VulnerabilityInsight;
import io.runlight.plugin.api.WorkloadInsights;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestInsightsJsonReader
{
    private static final InsightsJsonReader READER = new InsightsJsonReader(InputLimits.DEFAULT);
    private static final String MINIMAL = "{\"digest\":\"sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501\",\"names\":[],"
            + "\"profile\":{\"state\":\"NONE\",\"containers\":0,\"observedFor\":\"PT0S\"},"
            + "\"summary\":{\"packages\":0,\"packagesInUse\":0,\"packagesNotInUse\":0,\"packagesUnknown\":0,\"vulnerabilities\":0,\"vulnerabilitiesInUse\":0},"
            + "\"packages\":[],\"vulnerabilities\":[]}";

    @Test
    void readsBackEqualImages()
    {
        ImageInsights image = AlpineSample.image();

        assertThat(READER.readImage(InsightsJsonWriter.compact().imageToBytes(image))).isEqualTo(image);
        assertThat(READER.readImage(InsightsJsonWriter.indented().imageToBytes(image))).isEqualTo(image);
        assertThat(READER.readImage(new ByteArrayInputStream(InsightsJsonWriter.compact().imageToBytes(image)))).isEqualTo(image);
        assertThat(READER.readImages(InsightsJsonWriter.compact().imagesToBytes(List.of(image, minimal())))).containsExactly(image, minimal());
        assertThat(READER.readImages(new ByteArrayInputStream(InsightsJsonWriter.indented().imagesToBytes(List.of())))).isEmpty();
    }

    @Test
    void readsBackEqualWorkloads()
    {
        WorkloadInsights workload = AlpineSample.workload();

        assertThat(READER.readWorkload(InsightsJsonWriter.compact().workloadToBytes(workload))).isEqualTo(workload);
        assertThat(READER.readWorkload(new ByteArrayInputStream(InsightsJsonWriter.indented().workloadToBytes(workload)))).isEqualTo(workload);
        byte[] list = write(out -> InsightsJsonWriter.compact().writeWorkloads(List.of(workload, workload), out));
        assertThat(READER.readWorkloads(list)).containsExactly(workload, workload);
        assertThat(READER.readWorkloads(new ByteArrayInputStream(list))).containsExactly(workload, workload);
    }

    @Test
    void readsBackEveryOptionalValue()
    {
        Vulnerability ghsa = new Vulnerability("GHSA-jfh8-c2jp-5v3q", Severity.CRITICAL, OptionalDouble.of(10.0), Optional.of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"),
                List.of("2.15.0", "2.12.2"), new ExploitSignals(true, OptionalDouble.of(0.97565), OptionalDouble.of(1.0)), List.of("CVE-2021-44228"), Optional.of("GitHub"));
        Vulnerability bare = Vulnerability.of("CVE-2099-0001", Severity.UNKNOWN);
        InstalledPackage log4j = InstalledPackage.applicationPackage(PackageType.MAVEN, "org.apache.logging.log4j", "log4j-core", "2.14.1");
        InstalledPackage noVersion = InstalledPackage.applicationPackage(PackageType.OTHER, null, "thing", "");
        ImageInsights image = new ImageInsights(AlpineSample.DIGEST, List.of(), List.of("ghcr.io/acme/app:1.0", "ghcr.io/acme/app:latest"), Optional.empty(),
                new ProfileSummary(ProfileState.LEARNING, 2, Duration.ofMinutes(90).plusNanos(1), Optional.of(Instant.parse("2026-11-28T10:30:00.123456789Z")), Optional.of(Instant.parse("2026-11-28T12:00:00.123456790Z"))),
                new InsightsSummary(2, 0, 0, 2, 2, 0),
                List.of(new PackageInsight(log4j, Usage.UNKNOWN, Optional.empty(), List.of()), new PackageInsight(noVersion, Usage.UNKNOWN, Optional.empty(), List.of())),
                List.of(new VulnerabilityInsight(ghsa, log4j.purl(), Usage.UNKNOWN, 1), new VulnerabilityInsight(bare, Purl.parse("pkg:generic/thing"), Usage.UNKNOWN, 2)));

        assertThat(READER.readImage(InsightsJsonWriter.compact().imageToBytes(image))).isEqualTo(image);
    }

    @Test
    void acceptsAMinimalDocumentWithoutRunlightsAdditions()
    {
        assertThat(READER.readImage(MINIMAL.getBytes(StandardCharsets.UTF_8))).isEqualTo(minimal());
    }

    @Test
    void ignoresUnknownFields()
    {
        String json = MINIMAL.replace("\"names\":[]", "\"names\":[],\"futureField\":{\"a\":[1,2,3]}");

        assertThat(READER.readImage(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(minimal());
    }

    @Test
    void refusesTruncatedDocuments()
    {
        byte[] whole = InsightsJsonWriter.compact().imageToBytes(AlpineSample.image());
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length / 2);

        assertThatThrownBy(() -> READER.readImage(truncated))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("Runlight insights JSON at line 1, column ")
                .hasMessageEndingWith(": the document ends early (truncated?)")
                .extracting(e -> ((InputException) e).reason()).isEqualTo(InputException.Reason.MALFORMED);
        assertThatThrownBy(() -> READER.readImage(new byte[0]))
                .isInstanceOf(InputException.class)
                .hasMessage("Runlight insights JSON at /: the document is empty");
    }

    @Test
    void refusesMissingFieldsNamingThePointer()
    {
        String json = MINIMAL.replace("\"containers\":0,", "");

        assertThatThrownBy(() -> READER.readImage(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InputException.class)
                .hasMessage("Runlight insights JSON at /profile: the required field 'containers' is missing");
    }

    @Test
    void refusesWrongTypesNamingThePointer()
    {
        assertInvalid(MINIMAL.replace("\"names\":[]", "\"names\":[\"a\",7]"), "Runlight insights JSON at /names/1: expected a string, found a number");
        assertInvalid(MINIMAL.replace("\"containers\":0", "\"containers\":\"3\""), "Runlight insights JSON at /profile/containers: expected an integer, found a string");
        assertInvalid(MINIMAL.replace("\"containers\":0", "\"containers\":1.5"), "Runlight insights JSON at /profile/containers: expected an integer, found a number");
        assertInvalid(MINIMAL.replace("\"containers\":0", "\"containers\":99999999999"), "Runlight insights JSON at /profile/containers: expected an integer, found a number");
        assertInvalid(MINIMAL.replace("\"packages\":[]", "\"packages\":{}"), "Runlight insights JSON at /packages: expected an array, found an object");
        assertInvalid(MINIMAL.replace("\"state\":\"NONE\"", "\"state\":\"DONE\""), "Runlight insights JSON at /profile/state: expected one of NONE, LEARNING, COMPLETE, found 'DONE'");
        assertInvalid(MINIMAL.replace("\"observedFor\":\"PT0S\"", "\"observedFor\":\"14 days\""), "Runlight insights JSON at /profile/observedFor: expected an ISO-8601 duration such as P14D, found '14 days'");
        assertInvalid(MINIMAL.replace("\"digest\":\"sha256:e2e1", "\"digest\":\"md5:e2e1"),
                "Runlight insights JSON at /digest: invalid image digest 'md5:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501': expected sha256:<64 hex digits> or sha512:<128 hex digits>");
        assertInvalid("[1,2]", "Runlight insights JSON at /: expected an object, found an array");
    }

    @Test
    void refusesValuesTheRecordsRefuse()
    {
        assertInvalid(MINIMAL.replace("\"packages\":0,", "\"packages\":1,"), "Runlight insights JSON at /summary: package counts do not add up: 0 + 0 + 0 != 1");
        assertInvalid(MINIMAL.replace("\"packages\":[]", "\"packages\":[{\"purl\":\"pkg:apk/alpine/musl@1.2.3-r4\",\"type\":\"apk\",\"name\":\"musl\",\"version\":\"1.2.3-r4\",\"usage\":\"NOT_IN_USE\",\"confidence\":\"FILE\",\"evidence\":[]}]"),
                "Runlight insights JSON at /packages/0: confidence is given exactly when the package is in use");
        assertInvalid(MINIMAL.replace("\"packages\":[]", "\"packages\":[{\"purl\":\"musl\",\"type\":\"apk\",\"name\":\"musl\",\"version\":\"1.2.3-r4\",\"usage\":\"NOT_IN_USE\",\"evidence\":[]}]"),
                "Runlight insights JSON at /packages/0/purl: invalid purl 'musl': it must start with 'pkg:'");
        assertInvalid(MINIMAL.replace("\"packages\":[]", "\"packages\":[{\"purl\":\"pkg:apk/alpine/musl@1.2.3-r4\",\"type\":\"apkg\",\"name\":\"musl\",\"version\":\"1.2.3-r4\",\"usage\":\"NOT_IN_USE\",\"evidence\":[]}]"),
                "Runlight insights JSON at /packages/0/type: expected a package type (apk, deb, rpm, maven, pypi, npm, golang, composer, cargo, gem, nuget or other), found 'apkg'");
        String evidence = "{\"purl\":\"pkg:apk/alpine/musl@1.2.3-r4\",\"type\":\"apk\",\"name\":\"musl\",\"version\":\"1.2.3-r4\",\"usage\":\"IN_USE\",\"confidence\":\"FILE\",\"evidence\":["
                + "{\"kind\":\"read\",\"path\":\"/lib/ld-musl-x86_64.so.1\",\"firstSeen\":\"2026-11-28T12:00:00Z\",\"lastSeen\":\"2026-11-28T12:00:00Z\",\"count\":1}]}";
        assertInvalid(MINIMAL.replace("\"packages\":[]", "\"packages\":[" + evidence + "]"),
                "Runlight insights JSON at /packages/0/evidence/0/kind: unknown evidence kind 'read': expected exec, mmap or open");
        assertInvalid(MINIMAL.replace("\"packages\":[]", "\"packages\":[" + evidence.replace("read", "mmap").replace("\"lastSeen\":\"2026-11-28T12:00:00Z\"", "\"lastSeen\":\"yesterday\"") + "]"),
                "Runlight insights JSON at /packages/0/evidence/0/lastSeen: expected an ISO-8601 UTC time such as 2026-11-28T12:00:00Z, found 'yesterday'");
        assertInvalid(MINIMAL.replace("\"packages\":[]", "\"packages\":[" + evidence.replace("read", "mmap").replace("\"count\":1", "\"count\":0") + "]"),
                "Runlight insights JSON at /packages/0/evidence/0: count must be at least 1: 0");
    }

    @Test
    void refusesOversizedDocuments()
    {
        InsightsJsonReader small = new InsightsJsonReader(new InputLimits(1000, 64, 1024, 100));
        byte[] big = InsightsJsonWriter.compact().imageToBytes(AlpineSample.image());

        assertThatThrownBy(() -> small.readImage(big))
                .isInstanceOf(InputException.class)
                .hasMessage("Runlight insights JSON at byte 1000: the document is larger than the limit of 1000 bytes")
                .extracting(e -> ((InputException) e).reason()).isEqualTo(InputException.Reason.TOO_LARGE);
        assertThatThrownBy(() -> small.readImage(new ByteArrayInputStream(big)))
                .isInstanceOf(InputException.class)
                .hasMessage("Runlight insights JSON at byte 1000: the document is larger than the limit of 1000 bytes");
    }

    @Test
    void refusesTooManyItems()
    {
        InsightsJsonReader small = new InsightsJsonReader(new InputLimits(1_000_000, 64, 1024, 2));
        String json = MINIMAL.replace("\"names\":[]", "\"names\":[\"a\",\"b\",\"c\"]");

        assertThatThrownBy(() -> small.readImage(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InputException.class)
                .hasMessage("Runlight insights JSON at /names: more than 2 items")
                .extracting(e -> ((InputException) e).reason()).isEqualTo(InputException.Reason.TOO_LARGE);
    }

    @Test
    void refusesHostileInput()
    {
        InsightsJsonReader small = new InsightsJsonReader(new InputLimits(10_000_000, 16, 1024, 100));
        String deep = "{\"names\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThatThrownBy(() -> small.readImage(deep.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InputException.class)
                .hasMessage("Runlight insights JSON at /: over a limit: Document nesting depth (17) exceeds the maximum allowed (16, from `StreamReadConstraints.getMaxNestingDepth()`)")
                .extracting(e -> ((InputException) e).reason()).isEqualTo(InputException.Reason.TOO_LARGE);

        String huge = MINIMAL.replace("\"names\":[]", "\"names\":[\"" + "a".repeat(5000) + "\"]");
        assertThatThrownBy(() -> small.readImage(huge.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InputException.class)
                .hasMessageEndingWith(": over a limit: a string is longer than 1024 characters, the limit")
                .extracting(e -> ((InputException) e).reason()).isEqualTo(InputException.Reason.TOO_LARGE);

        byte[] garbage = new byte[256];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 37 + 11);
        }
        assertThatThrownBy(() -> READER.readImage(garbage))
                .isInstanceOf(InputException.class)
                .hasMessage("Runlight insights JSON at line 1, column 2: not valid JSON: Illegal character ((CTRL-CHAR, code 11)): only regular white space (\\r, \\n, \\t) is allowed between tokens")
                .extracting(e -> ((InputException) e).reason()).isEqualTo(InputException.Reason.MALFORMED);

        assertThatThrownBy(() -> READER.readImage((MINIMAL + "{}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("not valid JSON: Trailing token (of type START_OBJECT) found after value");
        assertThatThrownBy(() -> READER.readImage(MINIMAL.replace("\"names\":[]", "\"names\":[],\"names\":[\"x\"]").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("not valid JSON: Duplicate field 'names'");
    }

    private static void assertInvalid(String json, String message)
    {
        assertThatThrownBy(() -> READER.readImage(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InputException.class)
                .hasMessage(message)
                .extracting(e -> ((InputException) e).reason()).isEqualTo(InputException.Reason.INVALID);
    }

    private static ImageInsights minimal()
    {
        return new ImageInsights(AlpineSample.DIGEST, List.of(), List.of(), Optional.empty(), ProfileSummary.NONE,
                new InsightsSummary(0, 0, 0, 0, 0, 0), List.of(), List.of());
    }

    private static byte[] write(Writing writing)
    {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            writing.write(out);
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @FunctionalInterface
    private interface Writing
    {
        void write(java.io.OutputStream out)
                throws java.io.IOException;
    }
}
