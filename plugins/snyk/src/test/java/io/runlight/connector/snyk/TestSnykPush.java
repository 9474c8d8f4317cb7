package io.runlight.connector.snyk;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.WorkloadInsights;
import io.runlight.plugin.api.connector.ChangeType;
import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.api.connector.DeliveryAttempt;
import io.runlight.plugin.api.connector.DeliveryOutcome;
import io.runlight.plugin.api.connector.InboundResponse;
import io.runlight.plugin.api.connector.InsightsChange;
import io.runlight.plugin.api.connector.OutboundRequest;
import io.runlight.plugin.api.connector.PushMessage;
import io.runlight.plugin.api.connector.Pusher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.runlight.plugin.testing.TestingConnectorContext;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.runlight.connector.snyk.TestingWorkloads.ALPINE;
import static io.runlight.connector.snyk.TestingWorkloads.alpineInUse;
import static io.runlight.connector.snyk.TestingWorkloads.workload;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Push mode against a WireMock stand-in for Snyk's upstream API: the requests are sent
 * for real with the JDK client and the answers fed back to {@code interpret}.
 */
final class TestSnykPush
{
    private static final String RESULTS = "/v2/kubernetes-upstream/api/v1/runtime-results?version=2023-02-10";
    private static final String TOKEN = "snyk-sa-0f9e8d7c";
    private static final String SNYK_INTEGRATION = "5f7c2d1e-aaaa-4bbb-8ccc-123456789abc";

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private WireMockServer snyk;
    private TestingConnectorContext context;

    @BeforeEach
    void startSnyk()
    {
        snyk = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        snyk.start();
        snyk.stubFor(post(urlEqualTo(RESULTS)).willReturn(aResponse().withStatus(200).withBody("{}")));
        context = new TestingConnectorContext().withIntegration("int-7f3a", "snyk-prod");
    }

    @AfterEach
    void stopSnyk()
    {
        snyk.stop();
    }

    @Test
    void postsTwelveItemsAsPagesOfTenAndTwo()
            throws Exception
    {
        Pusher pusher = pusher(Map.of("clusters", List.of("My cluster")));

        List<PushMessage> messages = pusher.translate(change());

        assertThat(messages).extracting(PushMessage::key).containsExactly(
                "My cluster|" + ALPINE.value() + "|0",
                "My cluster|" + ALPINE.value() + "|1");
        assertThat(messages).extracting(PushMessage::eventType).containsOnly("runlight.image.insights.changed");
        for (PushMessage message : messages) {
            assertThat(deliver(pusher, message, 1)).isEqualTo(DeliveryOutcome.delivered());
        }

        List<LoggedRequest> requests = snyk.findAll(anyRequestedFor(anyUrl()));
        assertThat(requests).hasSize(2);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            names.add("web-%02d".formatted(i + 1));
        }
        assertRuntimeResults(requests.get(0), names.subList(0, 10));
        assertRuntimeResults(requests.get(1), names.subList(10, 12));
    }

    @Test
    void sendsEveryClusterOfTheChangeWhenNoneIsConfigured()
    {
        Pusher pusher = pusher(Map.of());

        List<PushMessage> messages = pusher.translate(change());

        assertThat(messages).extracting(PushMessage::key).containsExactly(
                "My cluster|" + ALPINE.value() + "|0",
                "My cluster|" + ALPINE.value() + "|1",
                "other|" + ALPINE.value() + "|0");
        assertThat(messages.get(2).attributes()).isEqualTo(Map.of("cluster", "other", "imageID", ALPINE.value(), "page", "0"));
    }

    @Test
    void sendsNothingForAChangeWithNoItemToSend()
    {
        Pusher pusher = pusher(Map.of());
        List<WorkloadInsights> onlyExcluded = List.of(
                workload("My cluster", "kube-system", "DaemonSet", "kube-proxy", "kube-proxy", ALPINE, alpineInUse()),
                workload("My cluster", "default", "Widget", "odd", "odd", ALPINE, alpineInUse()));

        assertThat(pusher.translate(new InsightsChange(ChangeType.IMAGE_INSIGHTS_CHANGED, TestingWorkloads.image(ALPINE, alpineInUse()), onlyExcluded, List.of(), Instant.EPOCH)))
                .isEmpty();
    }

    @Test
    void sendsAnUnchangedPageAgainOnlyAfterTheInterval()
    {
        Pusher pusher = pusher(Map.of("clusters", List.of("My cluster")));

        assertThat(pusher.translate(change())).hasSize(2);
        context.clock().advance(Duration.ofMinutes(29));
        assertThat(pusher.translate(change())).isEmpty();

        context.clock().advance(Duration.ofMinutes(1));
        assertThat(pusher.translate(change())).hasSize(2);

        List<WorkloadInsights> changed = new ArrayList<>(change().workloads());
        changed.remove(0);
        List<PushMessage> messages = pusher.translate(new InsightsChange(ChangeType.IMAGE_INSIGHTS_CHANGED, change().insights(), changed, List.of(), Instant.EPOCH));
        // both pages shifted by one item, so both changed
        assertThat(messages).extracting(PushMessage::key).containsExactly("My cluster|" + ALPINE.value() + "|0", "My cluster|" + ALPINE.value() + "|1");
    }

    @Test
    void retriesATooManyRequestsAnswerAfterTheDelaySnykAsks()
            throws Exception
    {
        Pusher pusher = pusher(Map.of());
        PushMessage message = pusher.translate(change()).get(0);
        snyk.stubFor(post(urlEqualTo(RESULTS)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120").withBody("slow down")));

        assertThat(deliver(pusher, message, 1))
                .isEqualTo(DeliveryOutcome.retry("Snyk's runtime-results API answered HTTP 429: slow down", Optional.of(Duration.ofSeconds(120))));
    }

    @Test
    void retriesATooManyRequestsAnswerAfterSixtySecondsWhenSnykNamesNoDelay()
            throws Exception
    {
        Pusher pusher = pusher(Map.of());
        PushMessage message = pusher.translate(change()).get(0);
        snyk.stubFor(post(urlEqualTo(RESULTS)).willReturn(aResponse().withStatus(429)));

        assertThat(deliver(pusher, message, 1))
                .isEqualTo(DeliveryOutcome.retry("Snyk's runtime-results API answered HTTP 429", Optional.of(Duration.ofSeconds(60))));
    }

    @Test
    void retriesAnUnavailableUpstream()
            throws Exception
    {
        Pusher pusher = pusher(Map.of());
        PushMessage message = pusher.translate(change()).get(0);
        snyk.stubFor(post(urlEqualTo(RESULTS)).willReturn(aResponse().withStatus(503).withBody("upstream unavailable")));

        assertThat(deliver(pusher, message, 2))
                .isEqualTo(DeliveryOutcome.retry("Snyk's runtime-results API answered HTTP 503: upstream unavailable", Optional.empty()));
    }

    @Test
    void failsForGoodOnARejectedToken()
            throws Exception
    {
        Pusher pusher = pusher(Map.of());
        PushMessage message = pusher.translate(change()).get(0);
        snyk.stubFor(post(urlEqualTo(RESULTS)).willReturn(aResponse().withStatus(401).withBody("{\"status\":\"401\",\"code\":\"Unauthorized\"}")));

        assertThat(deliver(pusher, message, 1)).isEqualTo(DeliveryOutcome.failed(
                "Snyk's runtime-results API answered HTTP 401: {\"status\":\"401\",\"code\":\"Unauthorized\"}"
                        + " (check 'serviceAccountToken' and its permission on integration '" + SNYK_INTEGRATION + "')"));
    }

    @Test
    void failsForGoodOnABadRequest()
            throws Exception
    {
        Pusher pusher = pusher(Map.of());
        PushMessage message = pusher.translate(change()).get(0);
        snyk.stubFor(post(urlEqualTo(RESULTS)).willReturn(aResponse().withStatus(422).withBody("bad facts")));

        assertThat(deliver(pusher, message, 1)).isEqualTo(DeliveryOutcome.failed("Snyk's runtime-results API answered HTTP 422: bad facts"));
    }

    @Test
    void testsTheConnectionWithARequestThatOnlyAuthenticates()
            throws Exception
    {
        Pusher pusher = pusher(Map.of());
        snyk.stubFor(get(urlEqualTo("/rest/self?version=2024-06-10")).willReturn(aResponse().withStatus(200).withBody("{\"data\":{}}")));

        OutboundRequest test = pusher.connectionTest().orElseThrow();
        assertThat(test.method()).isEqualTo("GET");
        assertThat(test.purpose()).isEqualTo("connection-test");
        assertThat(pusher.interpret(null, test, send(test))).isEqualTo(DeliveryOutcome.delivered());

        LoggedRequest request = snyk.findAll(anyRequestedFor(anyUrl())).get(0);
        assertThat(request.getUrl()).isEqualTo("/rest/self?version=2024-06-10");
        assertThat(request.getHeader("Authorization")).isEqualTo("token " + TOKEN);
        assertThat(request.getHeader("Accept")).isEqualTo("application/vnd.api+json");

        snyk.stubFor(get(urlEqualTo("/rest/self?version=2024-06-10")).willReturn(aResponse().withStatus(401)));
        assertThat(pusher.interpret(null, test, send(test))).isEqualTo(DeliveryOutcome.failed(
                "Snyk's API answered HTTP 401 (check 'serviceAccountToken' and its permission on integration '" + SNYK_INTEGRATION + "')"));
    }

    @Test
    void keepsAtMostTwoRequestsInFlight()
    {
        assertThat(pusher(Map.of()).maxConcurrentRequests()).isEqualTo(2);
    }

    private void assertRuntimeResults(LoggedRequest request, List<String> workloadNames)
            throws IOException
    {
        assertThat(request.getMethod().getName()).isEqualTo("POST");
        assertThat(request.getUrl()).isEqualTo(RESULTS);
        assertThat(request.getHeader("Authorization")).isEqualTo("token " + TOKEN);
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
        String items = workloadNames.stream().map(TestSnykPush::expectedItem).collect(Collectors.joining(", "));
        String expected = """
                {"identity": {"type": "sysdig", "sysdigVersion": 2},
                 "target": {"agentId": "runlight-int-7f3a", "userLocator": "%s", "cluster": "prod-eu-1"},
                 "facts": [{"type": "loadedPackages", "data": [%s]}]}
                """.formatted(SNYK_INTEGRATION, items);
        assertThat(mapper.readTree(request.getBodyAsString())).isEqualTo(mapper.readTree(expected));
    }

    private static String expectedItem(String workloadName)
    {
        return """
                {"imageID": "sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d",
                 "namespace": "default", "workloadName": "%s", "workloadKind": "Deployment", "container": "app",
                 "packages": [
                   {"purl": "pkg:apk/alpine/busybox@1.35.0-r29?arch=x86_64&distro=alpine-3.17.2", "name": "busybox", "version": "1.35.0-r29",
                    "installedViaPackageManager": true, "osFamily": "alpine", "osVersion": "3.17.2", "arch": "x86_64"},
                   {"purl": "pkg:apk/alpine/libcrypto3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2&upstream=openssl", "name": "libcrypto3", "version": "3.0.8-r0",
                    "installedViaPackageManager": true, "osFamily": "alpine", "osVersion": "3.17.2", "arch": "x86_64"},
                   {"purl": "pkg:apk/alpine/musl@1.2.3-r4?arch=x86_64&distro=alpine-3.17.2", "name": "musl", "version": "1.2.3-r4",
                    "installedViaPackageManager": true, "osFamily": "alpine", "osVersion": "3.17.2", "arch": "x86_64"}]}
                """.formatted(workloadName);
    }

    /**
     * A change of the Alpine image: twelve Deployments in namespace default of "My
     * cluster", two workloads in excluded namespaces, and one in cluster "other".
     */
    private static InsightsChange change()
    {
        List<PackageInsight> inUse = alpineInUse();
        List<WorkloadInsights> workloads = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            workloads.add(workload("My cluster", "default", "Deployment", "web-%02d".formatted(i), "app", ALPINE, inUse));
        }
        workloads.add(workload("My cluster", "kube-system", "DaemonSet", "kube-proxy", "kube-proxy", ALPINE, inUse));
        workloads.add(workload("My cluster", "local-path-storage", "Deployment", "local-path-provisioner", "provisioner", ALPINE, inUse));
        workloads.add(workload("other", "prod", "StatefulSet", "db", "postgres", ALPINE, inUse));
        return new InsightsChange(ChangeType.IMAGE_INSIGHTS_CHANGED, TestingWorkloads.image(ALPINE, inUse), workloads, List.of(), Instant.parse("2026-11-28T12:00:00Z"));
    }

    private Pusher pusher(Map<String, Object> extra)
    {
        Map<String, Object> values = new HashMap<>(Map.of(
                "push", true,
                "upstreamUrl", URI.create("http://127.0.0.1:" + snyk.port() + "/v2/kubernetes-upstream"),
                "integrationId", SNYK_INTEGRATION,
                "serviceAccountToken", TOKEN,
                "snykClusterName", "prod-eu-1",
                "excludedNamespaces", List.of("kube-system", "kube-public", "kube-node-lease", "local-path-storage"),
                "interval", Duration.ofMinutes(30)));
        values.putAll(extra);
        Connector connector = new SnykConnectorFactory().create(new ConnectorConfig(values), context);
        return connector.pusher().orElseThrow();
    }

    private DeliveryOutcome deliver(Pusher pusher, PushMessage message, int attempt)
            throws IOException, InterruptedException
    {
        OutboundRequest request = pusher.prepare(message, new DeliveryAttempt("delivery-1", attempt, context.clock().instant()));
        return pusher.interpret(message, request, send(request));
    }

    // what the hub's transport does with an OutboundRequest
    private InboundResponse send(OutboundRequest request)
            throws IOException, InterruptedException
    {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
                .method(request.method(), request.body().isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request.body().toArray()));
        request.headers().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        return InboundResponse.of(response.statusCode(), response.headers().map(), response.body());
    }
}
