package io.runlight.plugin.api;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.runlight.plugin.api.connector.ChangeType;
import io.runlight.plugin.api.connector.ConfigError;
import io.runlight.plugin.api.connector.ConfigProperty;
import io.runlight.plugin.api.connector.ConfigType;
import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.api.connector.DeliveryAttempt;
import io.runlight.plugin.api.connector.DeliveryOutcome;
import io.runlight.plugin.api.connector.InboundResponse;
import io.runlight.plugin.api.connector.InsightsChange;
import io.runlight.plugin.api.connector.OutboundRequest;
import io.runlight.plugin.api.connector.PackageUsageChange;
import io.runlight.plugin.api.connector.Page;
import io.runlight.plugin.api.connector.PageRequest;
import io.runlight.plugin.api.connector.PushMessage;
import io.runlight.plugin.api.connector.Route;
import io.runlight.plugin.api.connector.ServeRequest;
import io.runlight.plugin.api.connector.ServeResponse;
import io.runlight.plugin.api.connector.WorkloadQuery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every record of the plugin API, checked the same way: each reference component
 * rejects null with "name is null", and each collection given is copied (changing the
 * original afterwards changes nothing, and the copy cannot be changed).
 */
class TestValueRecords
{
    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    private static final ImageDigest DIGEST = new ImageDigest("sha256:" + "ab".repeat(32));
    private static final OsInfo ALPINE = new OsInfo("alpine", "3.17.2", Optional.of("x86_64"));
    private static final InstalledPackage LIBSSL = InstalledPackage.osPackage(PackageType.APK, "libssl3", "3.0.8-r0", ALPINE);
    private static final Evidence EVIDENCE = new Evidence(EvidenceKind.MMAP, "/lib/libssl.so.3", Optional.of("/usr/bin/python3"), T0, T0.plusSeconds(60), 3);
    private static final Workload WORKLOAD = new Workload("prod-eu", "shop", "Deployment", "cart", "cart");
    private static final ProfileSummary PROFILE = new ProfileSummary(ProfileState.COMPLETE, 3, Duration.ofDays(14), Optional.of(T0), Optional.of(T0.plus(Duration.ofDays(14))));
    private static final Vulnerability CVE = new Vulnerability("CVE-2023-0286", Severity.HIGH, OptionalDouble.of(7.4), Optional.of("CVSS:3.1/AV:N"), List.of("3.0.8-r1"), ExploitSignals.NONE, List.of(), Optional.of("NVD"));
    private static final PackageInsight IN_USE = new PackageInsight(LIBSSL, Usage.IN_USE, Optional.of(Confidence.FILE), List.of(EVIDENCE));
    private static final ImageInsights IMAGE = new ImageInsights(DIGEST, List.of(), List.of("docker.io/library/alpine:3.17"), Optional.of(ALPINE), PROFILE,
            new InsightsSummary(1, 1, 0, 0, 1, 1), List.of(IN_USE), List.of(new VulnerabilityInsight(CVE, LIBSSL.purl(), Usage.IN_USE, 1)));

    static Stream<Record> samples()
    {
        return Stream.of(
                DIGEST,
                ImageReference.parse("alpine:3.17"),
                ALPINE,
                LIBSSL,
                Purl.parse("pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64"),
                new ExploitSignals(true, OptionalDouble.of(0.5), OptionalDouble.of(0.9)),
                CVE,
                WORKLOAD,
                EVIDENCE,
                PROFILE,
                new InsightsSummary(1, 1, 0, 0, 1, 1),
                IN_USE,
                new VulnerabilityInsight(CVE, LIBSSL.purl(), Usage.IN_USE, 1),
                IMAGE,
                new WorkloadInsights(WORKLOAD, DIGEST, List.of("alpine:3.17"), PROFILE, List.of(IN_USE)),
                new ConfigProperty("url", ConfigType.URL, Optional.empty(), true, false, "Where to send"),
                new ConfigError("url", "must be https"),
                new ConnectorConfig(Map.of("url", URI.create("https://example.com"))),
                PushMessage.of("runlight.image.insights.changed", "key", new byte[] {1}, Map.of("a", "b")),
                new DeliveryAttempt("msg_1", 1, T0),
                OutboundRequest.builder("POST", URI.create("https://example.com/hook")).header("X-A", "1").body(new byte[] {1}).timeout(Duration.ofSeconds(5)).build(),
                InboundResponse.of(200, Map.of("Content-Type", List.of("application/json")), new byte[0]),
                DeliveryOutcome.retry("HTTP 503", Optional.of(Duration.ofSeconds(2))),
                new PackageUsageChange(LIBSSL.purl(), Usage.NOT_IN_USE, Usage.IN_USE),
                new InsightsChange(ChangeType.IMAGE_INSIGHTS_CHANGED, IMAGE, List.of(), List.of(), T0),
                new Route("GET", "/v1/runtimeimages"),
                ServeRequest.get("/v1/runtimeimages", Map.of("limit", List.of("10"))),
                ServeResponse.json(200, new byte[] {'{', '}'}),
                new PageRequest(10, Optional.of("abc")),
                new Page<>(List.of("a"), Optional.of("next")),
                new WorkloadQuery(Optional.of("prod"), Optional.empty()));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyReferenceComponentRejectsNullNamingIt(Record sample)
            throws Exception
    {
        RecordComponent[] components = sample.getClass().getRecordComponents();
        for (int index = 0; index < components.length; index++) {
            if (components[index].getType().isPrimitive()) {
                continue;
            }
            Object[] arguments = arguments(sample);
            arguments[index] = null;
            String name = components[index].getName();
            assertThatThrownBy(() -> construct(sample, arguments))
                    .as("%s.%s", sample.getClass().getSimpleName(), name)
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage(name + " is null");
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void collectionsAreCopiedAndUnmodifiable(Record sample)
            throws Exception
    {
        RecordComponent[] components = sample.getClass().getRecordComponents();
        for (int index = 0; index < components.length; index++) {
            Object original = components[index].getAccessor().invoke(sample);
            if (!(original instanceof Collection<?>) && !(original instanceof Map<?, ?>)) {
                continue;
            }
            Object[] arguments = arguments(sample);
            Object mutable;
            if (original instanceof Collection<?> collection) {
                mutable = new ArrayList<Object>(collection);
            }
            else if (SortedMap.class.isAssignableFrom(components[index].getType())) {
                mutable = new TreeMap<Object, Object>((Map<?, ?>) original);
            }
            else {
                mutable = new HashMap<Object, Object>((Map<?, ?>) original);
            }
            arguments[index] = mutable;
            Record copy = construct(sample, arguments);
            Object held = components[index].getAccessor().invoke(copy);
            if (mutable instanceof List<?> list) {
                @SuppressWarnings("unchecked")
                List<Object> changeable = (List<Object>) list;
                changeable.clear();
                assertThat((Collection<?>) held).as("%s.%s", sample.getClass().getSimpleName(), components[index].getName()).isEqualTo(original);
                assertThatThrownBy(() -> ((Collection<?>) held).clear()).isInstanceOf(UnsupportedOperationException.class);
            }
            else {
                @SuppressWarnings("unchecked")
                Map<Object, Object> changeable = (Map<Object, Object>) mutable;
                changeable.clear();
                assertThat((Map<?, ?>) held).as("%s.%s", sample.getClass().getSimpleName(), components[index].getName()).isEqualTo(original);
                assertThatThrownBy(() -> ((Map<?, ?>) held).clear()).isInstanceOf(UnsupportedOperationException.class);
            }
        }
    }

    @Test
    void byteArraysAreCopiedAndComparedByContent()
    {
        byte[] body = {1, 2, 3};
        PushMessage message = PushMessage.of("t", "k", body);
        body[0] = 9;
        message.payload().toArray()[1] = 9;

        assertThat(message.payload().toArray()).containsExactly(1, 2, 3);
        assertThat(message).isEqualTo(PushMessage.of("t", "k", new byte[] {1, 2, 3})).hasSameHashCodeAs(PushMessage.of("t", "k", new byte[] {1, 2, 3}));
        assertThat(message).isNotEqualTo(PushMessage.of("t", "k", new byte[] {1, 2, 4}));
        assertThat(message.toString()).isEqualTo("PushMessage[eventType=t, key=k, payload=3 bytes, attributes=[]]");
        assertThat(Bytes.utf8("é").length()).isEqualTo(2);
        assertThat(Bytes.of(new byte[0])).isSameAs(Bytes.empty());
    }

    @Test
    void outboundRequestBuilderDefaultsToADeliveryWithTheHubsTimeout()
    {
        OutboundRequest request = OutboundRequest.builder("put", URI.create("https://example.com/x"))
                .header("Authorization", "Bearer t")
                .headers(Map.of("X-Tag", List.of("a", "b")))
                .body("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .build();

        assertThat(request).isEqualTo(new OutboundRequest("PUT", URI.create("https://example.com/x"),
                Map.of("authorization", List.of("Bearer t"), "X-Tag", List.of("a", "b")), Bytes.utf8("{}"), Optional.empty(), OutboundRequest.DELIVERY));
        assertThat(request.header("x-tag")).contains("a");
        assertThat(OutboundRequest.postJson(URI.create("https://example.com/x"), Map.of("content-type", List.of("text/plain")), new byte[0]).headers())
                .containsExactly(Map.entry("content-type", List.of("text/plain")));
        assertThat(request.toString()).isEqualTo("OutboundRequest[PUT https://example.com/x, 2 bytes, purpose=delivery]");
    }

    @Test
    void crossFieldRulesNameTheProblem()
    {
        assertThatThrownBy(() -> new PackageInsight(LIBSSL, Usage.NOT_IN_USE, Optional.of(Confidence.FILE), List.of()))
                .hasMessage("confidence is given exactly when the package is in use");
        assertThatThrownBy(() -> new InsightsSummary(3, 1, 1, 0, 0, 0))
                .hasMessage("package counts do not add up: 1 + 1 + 0 != 3");
        assertThatThrownBy(() -> new Evidence(EvidenceKind.EXEC, "/bin/sh", Optional.empty(), T0, T0.minusSeconds(1), 1))
                .hasMessage("lastSeen 2026-11-28T11:59:59Z is before firstSeen 2026-11-28T12:00:00Z");
        assertThatThrownBy(() -> new Workload("prod", "", "Deployment", " ", "c"))
                .hasMessage("name is blank");
        assertThatThrownBy(() -> new Route("GET", "/api/v1/images"))
                .hasMessage("route path '/api/v1/images' belongs to the hub");
        assertThatThrownBy(() -> new Route("GET", "/console/app.js"))
                .hasMessage("route path '/console/app.js' belongs to the hub");
        assertThat(new Route("GET", "/consoles").path()).isEqualTo("/consoles");
        assertThat(Route.get("/v1/runtimeimages").insightsOnly()).isFalse();
        assertThat(Route.insightsOnlyGet("/v1/runtimeimages").insightsOnly()).isTrue();
        assertThat(Route.insightsOnlyGet("/v1/runtimeimages").matches("get", "/v1/runtimeimages")).isTrue();
        assertThat(Route.insightsOnlyGet("/v1/runtimeimages").matches("GET", "/v1/runtimeimage")).isFalse();
        assertThatThrownBy(() -> new Route("POST", "/v1/runtimeimages", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("only a GET route can be insights-only, not POST '/v1/runtimeimages'");
        assertThatThrownBy(() -> new Route("GET", "/"))
                .hasMessage("route path '/' belongs to the hub");
        assertThatThrownBy(() -> new PageRequest(0, Optional.empty()))
                .hasMessage("limit must be between 1 and 1000: 0");
        assertThatThrownBy(() -> InstalledPackage.applicationPackage(PackageType.DEB, null, "x", "1"))
                .hasMessage("deb is an OS package type: use osPackage");
        assertThatThrownBy(() -> OutboundRequest.builder("POST", URI.create("file:///etc/passwd")).build())
                .hasMessage("uri must be an absolute http or https URI: file:///etc/passwd");
        assertThatThrownBy(() -> OutboundRequest.builder("POST", URI.create("https://x")).header("X", "a\r\nInjected: 1").build())
                .hasMessage("value of header 'X' contains a line break");
    }

    @Test
    void responseHeadersAreCaseInsensitiveAndRetryAfterIsRead()
    {
        InboundResponse response = InboundResponse.of(429, Map.of("retry-after", List.of("30")), " slow down\n".getBytes());

        assertThat(response.header("Retry-After")).contains("30");
        assertThat(response.defaultOutcome(T0)).isEqualTo(DeliveryOutcome.retry("HTTP 429: slow down", Optional.of(Duration.ofSeconds(30))));
        assertThat(InboundResponse.of(429, Map.of("Retry-After", List.of("Sat, 28 Nov 2026 12:01:00 GMT")), new byte[0]).retryAfter(T0)).contains(Duration.ofMinutes(1));
        assertThat(InboundResponse.of(400, Map.of(), new byte[0]).defaultOutcome(T0)).isEqualTo(DeliveryOutcome.failed("HTTP 400"));
        assertThat(response.excerpt()).isEqualTo("slow down");
        assertThat(response.summary()).isEqualTo("HTTP 429: slow down");
        assertThat(InboundResponse.of(500, Map.of(), "x".repeat(300).getBytes()).excerpt()).isEqualTo("x".repeat(200) + "...");
        assertThat(InboundResponse.of(500, Map.of(), new byte[0]).excerpt()).isEmpty();
    }

    @Test
    void serveErrorIsRunlightsJsonErrorShape()
    {
        ServeResponse response = ServeResponse.error(400, "bad_request", "limit must be a number, got \"x\"");

        assertThat(response.body().toUtf8()).isEqualTo("{\"error\":\"bad_request\",\"message\":\"limit must be a number, got \\\"x\\\"\"}");
        assertThat(response.header("content-type")).contains("application/json");
    }

    private static Object[] arguments(Record sample)
            throws Exception
    {
        RecordComponent[] components = sample.getClass().getRecordComponents();
        Object[] arguments = new Object[components.length];
        for (int index = 0; index < components.length; index++) {
            arguments[index] = components[index].getAccessor().invoke(sample);
        }
        return arguments;
    }

    private static Record construct(Record sample, Object[] arguments)
            throws Exception
    {
        RecordComponent[] components = sample.getClass().getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        for (int index = 0; index < components.length; index++) {
            types[index] = components[index].getType();
        }
        Constructor<?> constructor = sample.getClass().getDeclaredConstructor(types);
        try {
            return (Record) constructor.newInstance(arguments);
        }
        catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
