package io.runlight.connector.webhook;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.runlight.plugin.testing.TestingConnectorContext;
import io.runlight.plugin.testing.TestingHttpSender;
import org.junit.jupiter.api.Test;

import io.runlight.plugin.api.Evidence;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.VulnerabilityInsight;
import io.runlight.plugin.api.Workload;
import io.runlight.plugin.api.WorkloadInsights;
import io.runlight.plugin.api.connector.ChangeType;
import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.api.connector.DeliveryAttempt;
import io.runlight.plugin.api.connector.DeliveryOutcome;
import io.runlight.plugin.api.connector.InboundResponse;
import io.runlight.plugin.api.connector.OutboundRequest;
import io.runlight.plugin.api.connector.PackageFirstUse;
import io.runlight.plugin.api.connector.PushMessage;
import io.runlight.plugin.api.connector.Pusher;
import io.runlight.plugin.api.connector.VexFormat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.runlight.connector.webhook.WebhookTesting.API_KEY;
import static io.runlight.connector.webhook.WebhookTesting.PREVIOUS_SECRET;
import static io.runlight.connector.webhook.WebhookTesting.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

final class TestWebhookPusher
{
    private static final Instant SENT_AT = Instant.parse("2026-11-28T12:00:05Z");
    private static final String DELIVERY_ID = "dlv_2KWPBgLlAfxdpx2AI54pPJ85f4W";
    private static final String PATH = "/hooks/runlight";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String LIBCRYPTO = "pkg:apk/alpine/libcrypto3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2";
    private static final String LIBSSL = "pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2";
    private static final String DATA_PROD_EU = """
            {"imageDigest": "sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501",
             "cluster": "prod-eu",
             "summary": {"packages": 4, "packagesInUse": 2, "vulnerabilities": 3, "vulnerabilitiesInUse": 1},
             "changes": [{"package": "%s", "inUse": true, "usage": "IN_USE"},
                         {"package": "%s", "inUse": false, "usage": "NOT_IN_USE"}]}
            """.formatted(LIBCRYPTO, LIBSSL);

    private final TestingHttpSender sender = new TestingHttpSender();
    private WireMockServer server;
    private URI url;

    @BeforeEach
    void startReceiver()
    {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        server.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(204)));
        url = URI.create("http://127.0.0.1:" + server.port() + PATH + "?source=runlight");
    }

    @AfterEach
    void stopReceiver()
    {
        server.stop();
    }

    @Test
    void deliversTheDocumentedSignedRequest()
            throws Exception
    {
        Pusher pusher = pusher(Map.of("headers", Map.of("X-Api-Key", API_KEY)), SENT_AT);

        List<PushMessage> messages = pusher.translate(AlpineInsights.change());
        assertThat(messages).extracting(PushMessage::eventType, PushMessage::key).containsExactly(
                tuple("runlight.image.insights.changed", "runlight.image.insights.changed|" + AlpineInsights.DIGEST.value() + "|prod-eu"),
                tuple("runlight.image.insights.changed", "runlight.image.insights.changed|" + AlpineInsights.DIGEST.value() + "|staging"));
        assertThat(messages).allSatisfy(message -> assertThat(message.attributes()).isEmpty());

        OutboundRequest request = pusher.prepare(messages.get(0), new DeliveryAttempt(DELIVERY_ID, 1, SENT_AT));
        assertThat(request.timeout()).contains(Duration.ofSeconds(10));
        assertThat(request.purpose()).isEqualTo(OutboundRequest.DELIVERY);
        InboundResponse response = sender.send(request);
        assertThat(pusher.interpret(messages.get(0), request, response)).isEqualTo(DeliveryOutcome.delivered());

        LoggedRequest received = onlyRequest();
        assertThat(received.getMethod().value()).isEqualTo("POST");
        assertThat(received.getUrl()).isEqualTo(PATH + "?source=runlight");
        assertThat(headerNames(received)).isEqualTo(new TreeSet<>(List.of(
                "webhook-id", "webhook-timestamp", "webhook-signature", "content-type", "x-api-key",
                "content-length", "host", "user-agent")));
        assertThat(received.getHeader("webhook-id")).isEqualTo("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
        assertThat(received.getHeader("webhook-timestamp")).isEqualTo("1795867205");
        assertThat(received.getHeader("content-type")).isEqualTo("application/json");
        assertThat(received.getHeader("X-Api-Key")).isEqualTo(API_KEY);
        assertThat(received.getBody()).isEqualTo(messages.get(0).payload().toArray());
        assertThat(JSON.readTree(received.getBody())).isEqualTo(JSON.readTree("""
                {"type": "runlight.image.insights.changed",
                 "timestamp": "2026-11-28T12:00:00Z",
                 "data": %s}
                """.formatted(DATA_PROD_EU)));
        assertVerifies(received, SECRET, List.of(0));
        assertThat(StandardWebhooksVerifier.timely(received.getHeader("webhook-timestamp"), SENT_AT.plusSeconds(1))).isTrue();
    }

    @Test
    void retryKeepsTheWebhookIdWithNewTimestampAndSignature()
    {
        Pusher pusher = pusher(Map.of(), SENT_AT);
        PushMessage message = pusher.translate(AlpineInsights.change()).get(0);

        server.resetMappings();
        server.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "30").withBody("maintenance")));
        OutboundRequest first = pusher.prepare(message, new DeliveryAttempt(DELIVERY_ID, 1, SENT_AT));
        assertThat(pusher.interpret(message, first, sender.send(first)))
                .isEqualTo(DeliveryOutcome.retry("HTTP 503: maintenance", Optional.of(Duration.ofSeconds(30))));

        server.resetMappings();
        server.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200)));
        Instant later = SENT_AT.plusSeconds(47);
        OutboundRequest second = pusher.prepare(message, new DeliveryAttempt(DELIVERY_ID, 2, later));
        assertThat(pusher.interpret(message, second, sender.send(second))).isEqualTo(DeliveryOutcome.delivered());

        List<LoggedRequest> received = server.findAll(postRequestedFor(anyUrl()));
        assertThat(received).hasSize(2);
        LoggedRequest firstReceived = received.get(0);
        LoggedRequest secondReceived = received.get(1);
        assertThat(secondReceived.getHeader("webhook-id")).isEqualTo(firstReceived.getHeader("webhook-id")).isEqualTo("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
        assertThat(firstReceived.getHeader("webhook-timestamp")).isEqualTo(Long.toString(SENT_AT.getEpochSecond()));
        assertThat(secondReceived.getHeader("webhook-timestamp")).isEqualTo(Long.toString(later.getEpochSecond()));
        assertThat(secondReceived.getHeader("webhook-signature")).isNotEqualTo(firstReceived.getHeader("webhook-signature"));
        assertThat(secondReceived.getBody()).isEqualTo(firstReceived.getBody());
        assertVerifies(firstReceived, SECRET, List.of(0));
        assertVerifies(secondReceived, SECRET, List.of(0));
    }

    @Test
    void rotationSendsTwoValidSignaturesCurrentFirst()
    {
        Pusher pusher = pusher(Map.of("previousSecret", PREVIOUS_SECRET), SENT_AT);
        PushMessage message = pusher.translate(AlpineInsights.change()).get(0);
        OutboundRequest request = pusher.prepare(message, new DeliveryAttempt(DELIVERY_ID, 1, SENT_AT));
        sender.send(request);

        LoggedRequest received = onlyRequest();
        assertThat(received.getHeader("webhook-signature").split(" ")).hasSize(2).allSatisfy(signature -> assertThat(signature).startsWith("v1,"));
        assertVerifies(received, SECRET, List.of(0));
        assertVerifies(received, PREVIOUS_SECRET, List.of(1));
    }

    @Test
    void deliversOnlyTheConfiguredEventTypes()
            throws Exception
    {
        Pusher pusher = pusher(Map.of("events", List.of("runlight.image.profile.completed")), SENT_AT);

        assertThat(pusher.translate(AlpineInsights.change(ChangeType.IMAGE_INSIGHTS_CHANGED, AlpineInsights.workloads()))).isEmpty();
        List<PushMessage> messages = pusher.translate(AlpineInsights.change(ChangeType.PROFILE_COMPLETED, AlpineInsights.workloads()));
        assertThat(messages).extracting(PushMessage::eventType).containsExactly("runlight.image.profile.completed", "runlight.image.profile.completed");

        sender.send(pusher.prepare(messages.get(0), new DeliveryAttempt(DELIVERY_ID, 1, SENT_AT)));
        assertThat(JSON.readTree(onlyRequest().getBody())).isEqualTo(JSON.readTree("""
                {"type": "runlight.image.profile.completed", "timestamp": "2026-11-28T12:00:00Z", "data": %s}
                """.formatted(DATA_PROD_EU)));
    }

    @Test
    void aDormantPackageWakingUpIsOneSignedFirstUsedEvent()
            throws Exception
    {
        Pusher pusher = pusher(Map.of(), SENT_AT);
        Evidence loaded = new Evidence(EvidenceKind.MMAP, "/usr/lib/libssl.so.3", Optional.of("/usr/bin/cart-server"),
                Instant.parse("2026-11-28T10:00:00Z"), Instant.parse("2026-11-28T10:00:00Z"), 1);
        VulnerabilityInsight cve = AlpineInsights.image().vulnerabilities().get(1);
        PackageFirstUse event = new PackageFirstUse(AlpineInsights.DIGEST, List.of("docker.io/library/alpine:3.17"),
                new Workload("prod-eu", "shop", "Deployment", "cart", "cart"), AlpineInsights.LIBSSL, loaded,
                List.of(new VulnerabilityInsight(cve.vulnerability(), cve.packagePurl(), Usage.IN_USE, 1)), AlpineInsights.CHANGED_AT);

        List<PushMessage> messages = pusher.translateFirstUse(event);
        assertThat(messages).extracting(PushMessage::eventType, PushMessage::key).containsExactly(tuple("runlight.package.first_used",
                "runlight.package.first_used|" + AlpineInsights.DIGEST.value() + "|" + AlpineInsights.LIBSSL.purl() + "|prod-eu|shop|Deployment|cart|cart"));
        sender.send(pusher.prepare(messages.get(0), new DeliveryAttempt(DELIVERY_ID, 1, SENT_AT)));
        assertThat(JSON.readTree(onlyRequest().getBody())).isEqualTo(JSON.readTree("""
                {"type": "runlight.package.first_used", "timestamp": "2026-11-28T12:00:00Z",
                 "data": {"imageDigest": "%s", "cluster": "prod-eu", "namespace": "shop",
                          "workload": {"kind": "Deployment", "name": "cart", "container": "cart"},
                          "package": "%s",
                          "evidence": {"path": "/usr/lib/libssl.so.3", "kind": "mmap", "process": "/usr/bin/cart-server", "time": "2026-11-28T10:00:00Z"},
                          "vulnerabilities": [{"id": "CVE-2023-0286", "severity": "HIGH", "cvss": 7.4, "fixedIn": []}]}}
                """.formatted(AlpineInsights.DIGEST.value(), AlpineInsights.LIBSSL.purl())));
        assertVerifies(onlyRequest(), SECRET, List.of(0));

        // not among the configured events, or a VEX payload: nothing
        assertThat(pusher(Map.of("events", List.of("runlight.image.insights.changed")), SENT_AT).translateFirstUse(event)).isEmpty();
        assertThat(pusher(Map.of("payload", "openvex"), SENT_AT).translateFirstUse(event)).isEmpty();
    }

    @Test
    void imageWithoutWorkloadsIsOneEventWithNullCluster()
            throws Exception
    {
        Pusher pusher = pusher(Map.of(), SENT_AT);
        List<PushMessage> messages = pusher.translate(AlpineInsights.change(ChangeType.IMAGE_INSIGHTS_CHANGED, List.of()));

        assertThat(messages).extracting(PushMessage::key).containsExactly("runlight.image.insights.changed|" + AlpineInsights.DIGEST.value() + "|-");
        sender.send(pusher.prepare(messages.get(0), new DeliveryAttempt(DELIVERY_ID, 1, SENT_AT)));
        JsonNode body = JSON.readTree(onlyRequest().getBody());
        assertThat(body.get("data").has("cluster")).isTrue();
        assertThat(body.get("data").get("cluster").isNull()).isTrue();
        assertVerifies(onlyRequest(), SECRET, List.of(0));
    }

    @Test
    void batchesGroupTheClusterEventsOfOneChange()
            throws Exception
    {
        Pusher pusher = pusher(Map.of("batchSize", 2L), SENT_AT);
        List<WorkloadInsights> workloads = new ArrayList<>(AlpineInsights.workloads());
        WorkloadInsights staging = workloads.get(0);
        workloads.add(new WorkloadInsights(new Workload("dev", "shop", "Deployment", "cart", "cart"), staging.imageDigest(), staging.imageNames(),
                staging.profile(), staging.packagesInUse()));

        List<PushMessage> messages = pusher.translate(AlpineInsights.change(ChangeType.IMAGE_INSIGHTS_CHANGED, workloads));

        String digest = AlpineInsights.DIGEST.value();
        assertThat(messages).extracting(PushMessage::key).containsExactly(
                "runlight.image.insights.changed|" + digest + "|dev,prod-eu",
                "runlight.image.insights.changed|" + digest + "|staging");
        for (PushMessage message : messages) {
            sender.send(pusher.prepare(message, new DeliveryAttempt(DELIVERY_ID, 1, SENT_AT)));
        }
        List<LoggedRequest> received = server.findAll(postRequestedFor(anyUrl()));
        assertThat(received).hasSize(2);
        assertThat(JSON.readTree(received.get(0).getBody())).isEqualTo(JSON.readTree("""
                {"type": "runlight.image.insights.changed", "timestamp": "2026-11-28T12:00:00Z",
                 "data": [%s, %s]}
                """.formatted(DATA_PROD_EU.replace("prod-eu", "dev"), DATA_PROD_EU)));
        assertThat(JSON.readTree(received.get(1).getBody())).isEqualTo(JSON.readTree("""
                {"type": "runlight.image.insights.changed", "timestamp": "2026-11-28T12:00:00Z",
                 "data": [%s]}
                """.formatted(DATA_PROD_EU.replace("prod-eu", "staging"))));
        assertVerifies(received.get(0), SECRET, List.of(0));
        assertVerifies(received.get(1), SECRET, List.of(0));
    }

    @Test
    void openVexPayloadIsTheImagesDocument()
            throws Exception
    {
        byte[] document = """
                {"@context": "https://openvex.dev/ns/v0.2.0",
                 "@id": "https://runlight.example/vex/sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501/1",
                 "author": "Runlight <runlight@example.com>", "timestamp": "2026-11-28T12:00:00Z", "version": 1,
                 "statements": [{"vulnerability": {"name": "CVE-2023-0286"},
                                 "products": [{"@id": "pkg:oci/alpine@sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501",
                                               "subcomponents": [{"@id": "%s"}]}],
                                 "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path",
                                 "impact_statement": "libssl3 was not loaded by any of 3 containers during 14 days"}]}
                """.formatted(LIBSSL).getBytes(StandardCharsets.UTF_8);
        assertVexPayload("openvex", VexFormat.OPENVEX, document);
    }

    @Test
    void cycloneDxVexPayloadIsTheImagesDocument()
            throws Exception
    {
        byte[] document = """
                {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
                 "metadata": {"timestamp": "2026-11-28T12:00:00Z", "component": {"type": "container", "name": "library/alpine",
                              "version": "sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501"}},
                 "components": [{"bom-ref": "%1$s", "type": "library", "name": "libssl3", "version": "3.0.8-r0", "purl": "%1$s"}],
                 "vulnerabilities": [{"id": "CVE-2023-0286", "source": {"name": "NVD"}, "affects": [{"ref": "%1$s"}],
                                      "analysis": {"state": "not_affected", "justification": "code_not_reachable",
                                                   "detail": "libssl3 was not loaded by any of 3 containers during 14 days"}}]}
                """.formatted(LIBSSL).getBytes(StandardCharsets.UTF_8);
        assertVexPayload("cyclonedx-vex", VexFormat.CYCLONEDX, document);
    }

    @Test
    void vexPayloadWithoutDocumentSendsNothing()
    {
        TestingConnectorContext context = new TestingConnectorContext(SENT_AT).withIntegration("int_7Hq2", "security-lake")
                .withImage(AlpineInsights.image(), AlpineInsights.workloads());
        Pusher pusher = pusher(Map.of("payload", "openvex"), context);

        assertThat(pusher.translate(AlpineInsights.change())).isEmpty();
    }

    @Test
    void staticHeaderValuesNeverAppearInTextsOrErrors()
    {
        TestingConnectorContext context = new TestingConnectorContext(SENT_AT).withIntegration("int_7Hq2", "security-lake");
        ConnectorConfig config = WebhookTesting.config(url, Map.of("headers", Map.of("X-Api-Key", API_KEY), "previousSecret", PREVIOUS_SECRET));
        Connector connector = new WebhookConnectorFactory().create(config, context);
        Pusher pusher = connector.pusher().orElseThrow();
        PushMessage message = pusher.translate(AlpineInsights.change()).get(0);
        OutboundRequest request = pusher.prepare(message, new DeliveryAttempt(DELIVERY_ID, 1, SENT_AT));

        // a receiver that echoes the request in its error
        server.resetMappings();
        server.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\": \"invalid api key '" + API_KEY + "'\"}")));
        DeliveryOutcome outcome = pusher.interpret(message, request, sender.send(request));

        assertThat(onlyRequest().getHeader("X-Api-Key")).isEqualTo(API_KEY);
        assertThat(outcome).isEqualTo(DeliveryOutcome.failed("HTTP 401: {\"error\": \"invalid api key '****'\"}"));
        String secretKey = SECRET.substring("whsec_".length());
        String previousKey = PREVIOUS_SECRET.substring("whsec_".length());
        assertThat(List.of(connector.toString(), pusher.toString(), request.toString(), message.toString(), WebhookConfig.from(config).toString()))
                .allSatisfy(text -> assertThat(text).doesNotContain(API_KEY).doesNotContain(secretKey).doesNotContain(previousKey));
        assertThat(pusher.toString()).contains("headers=[X-Api-Key]").contains("secret=whsec_****");

        ConnectorConfig broken = WebhookTesting.config(url, Map.of("headers", Map.of("X-Api-Key", API_KEY + "\r\nX-Injected: 1")));
        assertThat(new WebhookConnectorFactory().validate(broken))
                .extracting(error -> error.property() + ": " + error.message())
                .containsExactly("headers: value of header 'X-Api-Key' contains a line break or control character");
    }

    @Test
    void readsTheReceiversAnswers()
    {
        Pusher pusher = pusher(Map.of(), SENT_AT);
        PushMessage message = pusher.translate(AlpineInsights.change()).get(0);

        assertThat(answer(pusher, message, aResponse().withStatus(200))).isEqualTo(DeliveryOutcome.delivered());
        assertThat(answer(pusher, message, aResponse().withStatus(202).withBody("queued"))).isEqualTo(DeliveryOutcome.delivered());
        assertThat(answer(pusher, message, aResponse().withStatus(410).withBody("endpoint gone: subscription was deleted")))
                .isEqualTo(DeliveryOutcome.failed("HTTP 410: endpoint gone: subscription was deleted"));
        assertThat(answer(pusher, message, aResponse().withStatus(400).withBody("x".repeat(300))))
                .isEqualTo(DeliveryOutcome.failed("HTTP 400: " + "x".repeat(200) + "..."));
        assertThat(answer(pusher, message, aResponse().withStatus(404)))
                .isEqualTo(DeliveryOutcome.failed("HTTP 404"));
        assertThat(answer(pusher, message, aResponse().withStatus(429).withHeader("Retry-After", "120").withBody("slow down")))
                .isEqualTo(DeliveryOutcome.retry("HTTP 429: slow down", Optional.of(Duration.ofMinutes(2))));
        assertThat(answer(pusher, message, aResponse().withStatus(503).withHeader("Retry-After", "Sat, 28 Nov 2026 12:01:05 GMT")))
                .isEqualTo(DeliveryOutcome.retry("HTTP 503", Optional.of(Duration.ofSeconds(60))));
        assertThat(answer(pusher, message, aResponse().withStatus(408)))
                .isEqualTo(DeliveryOutcome.retry("HTTP 408", Optional.empty()));
        assertThat(answer(pusher, message, aResponse().withStatus(500).withBody("boom")))
                .isEqualTo(DeliveryOutcome.retry("HTTP 500: boom", Optional.empty()));
    }

    @Test
    void connectionTestIsASignedTestEvent()
            throws Exception
    {
        Pusher pusher = pusher(Map.of("payload", "openvex", "headers", Map.of("X-Api-Key", API_KEY)), SENT_AT);

        OutboundRequest request = pusher.connectionTest().orElseThrow();
        assertThat(request.purpose()).isEqualTo("connection-test");
        assertThat(pusher.interpret(PushMessage.of("runlight.test", "test", request.body().toArray()), request, sender.send(request)))
                .isEqualTo(DeliveryOutcome.delivered());

        LoggedRequest received = onlyRequest();
        assertThat(received.getUrl()).isEqualTo(PATH + "?source=runlight");
        assertThat(received.getHeader("webhook-id")).matches("msg_test_[0-9a-f]{24}");
        assertThat(received.getHeader("webhook-timestamp")).isEqualTo(Long.toString(SENT_AT.getEpochSecond()));
        assertThat(received.getHeader("X-Api-Key")).isEqualTo(API_KEY);
        assertThat(JSON.readTree(received.getBody())).isEqualTo(JSON.readTree("""
                {"type": "runlight.test", "timestamp": "2026-11-28T12:00:05Z",
                 "data": {"integrationId": "int_7Hq2", "integrationName": "security-lake", "hubVersion": "0.1.0"}}
                """));
        assertVerifies(received, SECRET, List.of(0));
        assertThat(pusher.connectionTest().orElseThrow().header("webhook-id")).isNotEqualTo(Optional.of(received.getHeader("webhook-id")));
    }

    private void assertVexPayload(String payload, VexFormat format, byte[] document)
            throws Exception
    {
        TestingConnectorContext context = new TestingConnectorContext(SENT_AT).withIntegration("int_7Hq2", "security-lake")
                .withImage(AlpineInsights.image(), AlpineInsights.workloads())
                .withVex(AlpineInsights.DIGEST, format, document);
        Pusher pusher = pusher(Map.of("payload", payload), context);

        List<PushMessage> messages = pusher.translate(AlpineInsights.change());
        assertThat(messages).extracting(PushMessage::key).containsExactly("runlight.image.insights.changed|" + AlpineInsights.DIGEST.value());
        assertThat(messages.get(0).payload().toArray()).isEqualTo(document);

        OutboundRequest request = pusher.prepare(messages.get(0), new DeliveryAttempt(DELIVERY_ID, 1, SENT_AT));
        assertThat(pusher.interpret(messages.get(0), request, sender.send(request))).isEqualTo(DeliveryOutcome.delivered());
        LoggedRequest received = onlyRequest();
        assertThat(headerNames(received)).isEqualTo(new TreeSet<>(List.of(
                "webhook-id", "webhook-timestamp", "webhook-signature", "content-type", "content-length", "host", "user-agent")));
        assertThat(received.getHeader("content-type")).isEqualTo("application/json");
        assertThat(received.getBody()).isEqualTo(document);
        assertThat(JSON.readTree(received.getBody())).isEqualTo(JSON.readTree(document));
        assertVerifies(received, SECRET, List.of(0));
    }

    private DeliveryOutcome answer(Pusher pusher, PushMessage message, ResponseDefinitionBuilder answer)
    {
        server.resetAll();
        server.stubFor(post(urlPathEqualTo(PATH)).willReturn(answer));
        OutboundRequest request = pusher.prepare(message, new DeliveryAttempt(DELIVERY_ID, 1, SENT_AT));
        return pusher.interpret(message, request, sender.send(request));
    }

    private Pusher pusher(Map<String, Object> given, Instant now)
    {
        return pusher(given, new TestingConnectorContext(now).withIntegration("int_7Hq2", "security-lake"));
    }

    private Pusher pusher(Map<String, Object> given, TestingConnectorContext context)
    {
        return new WebhookConnectorFactory().create(WebhookTesting.config(url, given), context).pusher().orElseThrow();
    }

    private LoggedRequest onlyRequest()
    {
        List<LoggedRequest> received = server.findAll(postRequestedFor(anyUrl()));
        assertThat(received).hasSize(1);
        return received.get(0);
    }

    private static Set<String> headerNames(LoggedRequest request)
    {
        return request.getHeaders().keys().stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void assertVerifies(LoggedRequest request, String secret, List<Integer> positions)
    {
        assertThat(StandardWebhooksVerifier.matchingSignatures(secret, request.getHeader("webhook-id"), request.getHeader("webhook-timestamp"),
                request.getBody(), request.getHeader("webhook-signature"))).isEqualTo(positions);
    }
}
