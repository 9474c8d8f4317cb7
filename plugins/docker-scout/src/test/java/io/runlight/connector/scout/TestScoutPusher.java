package io.runlight.connector.scout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.api.connector.DeliveryAttempt;
import io.runlight.plugin.api.connector.DeliveryOutcome;
import io.runlight.plugin.api.connector.InboundResponse;
import io.runlight.plugin.api.connector.OutboundRequest;
import io.runlight.plugin.api.connector.PackageUsageChange;
import io.runlight.plugin.api.connector.Pusher;
import io.runlight.plugin.api.connector.PushMessage;
import io.runlight.plugin.api.connector.VexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.runlight.plugin.testing.TestingConnectorContext;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connector against a stand-in for Docker Hub and Docker Scout: each request is
 * sent for real and the answer handed back to {@code interpret}, as the hub does.
 */
final class TestScoutPusher
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final String DIGEST = AlpineFixture.DIGEST.value();
    private static final String LIBSSL3_PURL = "pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2";
    private static final List<String> LIBSSL3_CVES = List.of(
            "CVE-2023-0464", "CVE-2023-0465", "CVE-2023-0466", "CVE-2023-1255", "CVE-2023-2650",
            "CVE-2023-2975", "CVE-2023-3446", "CVE-2023-3817", "CVE-2023-5363", "CVE-2023-5678");

    private final HttpClient http = HttpClient.newHttpClient();
    private WireMockServer server;
    private TestingConnectorContext context;
    private String jwt;

    @BeforeEach
    void start()
    {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        context = new TestingConnectorContext(NOW).withIntegration("int-1", "scout-test");
        jwt = jwt(NOW.plus(Duration.ofHours(1)));
        server.stubFor(post(urlEqualTo("/v2/users/login")).willReturn(okJson("{\"token\":\"" + jwt + "\"}")));
        server.stubFor(post(urlEqualTo("/v1/graphql")).withRequestBody(containing("SetStreamImages"))
                .willReturn(okJson("{\"data\":{\"setStreamImages\":{\"status\":\"ACCEPTED\"}}}")));
        for (String cve : LIBSSL3_CVES) {
            server.stubFor(post(urlEqualTo("/v1/graphql")).withRequestBody(matchingJsonPath("$.variables.in.cveId", equalTo(cve)))
                    .willReturn(okJson("{\"data\":{\"addVulnerabilityException\":{\"exception\":{\"id\":\"exc-" + cve + "\"}}}}")));
            server.stubFor(post(urlEqualTo("/v1/graphql")).withRequestBody(matchingJsonPath("$.variables.in.ids[0]", equalTo("exc-" + cve)))
                    .willReturn(okJson("{\"data\":{\"removeVulnerabilityException\":{\"ids\":[\"exc-" + cve + "\"]}}}")));
        }
    }

    @AfterEach
    void stop()
    {
        server.stop();
    }

    @Test
    void assignsTheEnvironmentAndAddsOneExceptionPerCveOfTheUnusedPackage()
            throws Exception
    {
        Pusher pusher = pusher(Map.of());
        List<PushMessage> messages = pusher.translate(AlpineFixture.change(ProfileState.COMPLETE, Usage.NOT_IN_USE, List.of()));

        assertThat(messages).extracting(PushMessage::key).containsExactlyElementsOf(concat(
                List.of("setStreamImages|production"),
                LIBSSL3_CVES.stream().map(cve -> "exception|" + DIGEST + "|" + LIBSSL3_PURL + "|" + cve).toList()));
        for (PushMessage message : messages) {
            assertThat(deliver(pusher, message).kind()).isEqualTo(DeliveryOutcome.Kind.DELIVERED);
        }

        List<ServeEvent> received = received();
        assertThat(received).hasSize(12);
        assertLogin(received.get(0));
        assertGraphql(received.get(1), jwt, """
                {"query": "mutation SetStreamImages($ctx: Context!, $in: SetStreamImagesInput!) {\\n  setStreamImages(context: $ctx, input: $in) { status }\\n}",
                 "variables": {"ctx": {"organization": "myorg"},
                               "in": {"stream": "production",
                                      "images": [
                                        {"image": "docker.io/myorg/app@sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d", "appName": "cart",
                                         "platform": {"os": "linux", "architecture": "amd64"}},
                                        {"image": "docker.io/myorg/app@sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d", "appName": "checkout",
                                         "platform": {"os": "linux", "architecture": "amd64"}}]}}}""");
        for (int i = 0; i < LIBSSL3_CVES.size(); i++) {
            assertGraphql(received.get(i + 2), jwt, """
                    {"query": "mutation AddException($ctx: Context!, $in: AddVulnerabilityExceptionInput!) {\\n  addVulnerabilityException(context: $ctx, input: $in) { exception { id } }\\n}",
                     "variables": {"ctx": {"organization": "myorg"},
                                   "in": {"cveId": "%s",
                                          "type": "FALSE_POSITIVE",
                                          "justification": "VULNERABLE_CODE_NOT_IN_EXECUTE_PATH",
                                          "additionalDetails": "libssl3 3.0.8-r0 was not loaded by any of the 3 containers of this image during 14 days of observation (Runlight)",
                                          "imageScopes": [{"repoName": "myorg/app",
                                                           "digest": "sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d",
                                                           "packageScopes": [{"purlFields": {"type": "apk", "namespace": "alpine", "name": "libssl3", "version": "3.0.8-r0"}}]}]}}}"""
                    .formatted(LIBSSL3_CVES.get(i)));
        }
        assertThat(received).noneMatch(event -> event.getRequest().getBodyAsString().contains("libcrypto3"));
        Map<String, String> expectedIds = new LinkedHashMap<>();
        LIBSSL3_CVES.forEach(cve -> expectedIds.put("exception|" + DIGEST + "|" + LIBSSL3_PURL + "|" + cve, "exc-" + cve));
        assertThat(context.state().entries("exception|")).containsExactlyEntriesOf(expectedIds);

        // the same insights again: nothing new to say
        assertThat(pusher.translate(AlpineFixture.change(ProfileState.COMPLETE, Usage.NOT_IN_USE, List.of()))).isEmpty();
    }

    @Test
    void removesTheExceptionsOfAPackageThatComesIntoUse()
            throws Exception
    {
        Pusher pusher = pusher(Map.of());
        for (PushMessage message : pusher.translate(AlpineFixture.change(ProfileState.COMPLETE, Usage.NOT_IN_USE, List.of()))) {
            deliver(pusher, message);
        }
        server.resetRequests();

        List<PushMessage> messages = pusher.translate(AlpineFixture.change(ProfileState.COMPLETE, Usage.IN_USE,
                List.of(new PackageUsageChange(AlpineFixture.LIBSSL3.purl(), Usage.NOT_IN_USE, Usage.IN_USE))));
        assertThat(messages).extracting(message -> message.attributes().get("kind")).containsOnly("REMOVE_EXCEPTION").hasSize(LIBSSL3_CVES.size());
        for (PushMessage message : messages) {
            assertThat(deliver(pusher, message).kind()).isEqualTo(DeliveryOutcome.Kind.DELIVERED);
        }

        List<ServeEvent> received = received();
        assertThat(received).hasSize(LIBSSL3_CVES.size());
        for (int i = 0; i < LIBSSL3_CVES.size(); i++) {
            assertGraphql(received.get(i), jwt, """
                    {"query": "mutation RemoveException($ctx: Context!, $in: RemoveVulnerabilityExceptionInput!) {\\n  removeVulnerabilityException(context: $ctx, input: $in) { ids }\\n}",
                     "variables": {"ctx": {"organization": "myorg"}, "in": {"ids": ["exc-%s"]}}}""".formatted(LIBSSL3_CVES.get(i)));
        }
        assertThat(context.state().entries("exception|")).isEmpty();
    }

    @Test
    void learningProfileGetsTheEnvironmentButNoExceptions()
    {
        Pusher pusher = pusher(Map.of());
        List<PushMessage> messages = pusher.translate(AlpineFixture.change(ProfileState.LEARNING, Usage.NOT_IN_USE, List.of()));
        assertThat(messages).extracting(PushMessage::key).containsExactly("setStreamImages|production");
    }

    @Test
    void exceptionsCanBeSwitchedOff()
    {
        Pusher pusher = pusher(Map.of("vexExceptions", false));
        List<PushMessage> messages = pusher.translate(AlpineFixture.change(ProfileState.COMPLETE, Usage.NOT_IN_USE, List.of()));
        assertThat(messages).extracting(PushMessage::key).containsExactly("setStreamImages|production");
    }

    @Test
    void environmentListKeepsEveryImageAssignedSoFar()
            throws Exception
    {
        Pusher pusher = pusher(Map.of("environments", Map.of("prod-eu", "production")));
        context.state().put("stream|production|sha256:0000000000000000000000000000000000000000000000000000000000000001",
                "[{\"image\":\"docker.io/myorg/api@sha256:0000000000000000000000000000000000000000000000000000000000000001\",\"appName\":\"api\"}]");
        PushMessage message = pusher.translate(AlpineFixture.change(ProfileState.LEARNING, Usage.NOT_IN_USE, List.of())).get(0);
        deliver(pusher, message);

        JsonNode images = JSON.readTree(received().get(1).getRequest().getBodyAsString()).path("variables").path("in").path("images");
        assertThat(JSON.readTree(images.toString())).isEqualTo(JSON.readTree("""
                [{"image": "docker.io/myorg/api@sha256:0000000000000000000000000000000000000000000000000000000000000001", "appName": "api"},
                 {"image": "docker.io/myorg/app@sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d", "appName": "backup",
                  "platform": {"os": "linux", "architecture": "amd64"}},
                 {"image": "docker.io/myorg/app@sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d", "appName": "cart",
                  "platform": {"os": "linux", "architecture": "amd64"}},
                 {"image": "docker.io/myorg/app@sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d", "appName": "checkout",
                  "platform": {"os": "linux", "architecture": "amd64"}}]"""));
    }

    @Test
    void refreshesTheTokenBeforeItExpires()
            throws Exception
    {
        Pusher pusher = pusher(Map.of());
        PushMessage message = pusher.translate(AlpineFixture.change(ProfileState.LEARNING, Usage.NOT_IN_USE, List.of())).get(0);
        deliver(pusher, message);
        assertThat(context.state().get("jwt")).hasValue(jwt);

        context.clock().set(NOW.plus(Duration.ofHours(1)).minusSeconds(61));
        assertThat(pusher.prepare(message, attempt(1)).purpose()).isEqualTo("graphql");
        context.clock().set(NOW.plus(Duration.ofHours(1)).minusSeconds(59));
        OutboundRequest request = pusher.prepare(message, attempt(1));
        assertThat(request.purpose()).isEqualTo("login");
        assertThat(request.uri()).isEqualTo(URI.create(server.baseUrl() + "/v2/users/login"));
    }

    @Test
    void logsInAgainOnceAfterA401()
            throws Exception
    {
        String old = jwt(NOW.plus(Duration.ofHours(2)));
        context.state().put("jwt", old);
        server.stubFor(post(urlEqualTo("/v1/graphql")).withHeader("Authorization", equalTo("Bearer " + old))
                .willReturn(aResponse().withStatus(401).withBody("{\"message\":\"token expired\"}")));
        Pusher pusher = pusher(Map.of());
        PushMessage message = pusher.translate(AlpineFixture.change(ProfileState.LEARNING, Usage.NOT_IN_USE, List.of())).get(0);

        assertThat(deliver(pusher, message).kind()).isEqualTo(DeliveryOutcome.Kind.DELIVERED);
        List<ServeEvent> received = received();
        assertThat(received).extracting(event -> event.getRequest().getUrl()).containsExactly("/v1/graphql", "/v2/users/login", "/v1/graphql");
        assertThat(received.get(0).getRequest().getHeader("Authorization")).isEqualTo("Bearer " + old);
        assertThat(received.get(2).getRequest().getHeader("Authorization")).isEqualTo("Bearer " + jwt);
        assertThat(context.state().get("jwt")).hasValue(jwt);
        assertThat(context.state().get("jwt.rejected")).isEmpty();
    }

    @Test
    void retriesWhenAFreshTokenIsRejectedToo()
            throws Exception
    {
        server.stubFor(post(urlEqualTo("/v1/graphql")).willReturn(aResponse().withStatus(401)));
        Pusher pusher = pusher(Map.of());
        PushMessage message = pusher.translate(AlpineFixture.change(ProfileState.LEARNING, Usage.NOT_IN_USE, List.of())).get(0);

        DeliveryOutcome outcome = deliver(pusher, message);
        assertThat(outcome.kind()).isEqualTo(DeliveryOutcome.Kind.RETRY);
        assertThat(outcome.reason()).isEqualTo("Docker Scout rejected a fresh token of user 'ci-bot' (HTTP 401)");
        assertThat(received()).extracting(event -> event.getRequest().getUrl())
                .containsExactly("/v2/users/login", "/v1/graphql", "/v2/users/login", "/v1/graphql");
    }

    @Test
    void refusedCredentialsFailForGood()
            throws Exception
    {
        server.stubFor(post(urlEqualTo("/v2/users/login")).willReturn(aResponse().withStatus(401).withBody("{\"detail\":\"Incorrect authentication credentials\"}")));
        Pusher pusher = pusher(Map.of());
        PushMessage message = pusher.translate(AlpineFixture.change(ProfileState.LEARNING, Usage.NOT_IN_USE, List.of())).get(0);

        DeliveryOutcome outcome = deliver(pusher, message);
        assertThat(outcome).isEqualTo(DeliveryOutcome.failed("Docker Hub refused the credentials of user 'ci-bot'"));
        assertThat(context.state().get("jwt")).isEmpty();
    }

    @Test
    void graphqlErrorsFailUnlessTheServiceIsUnavailable()
            throws Exception
    {
        Pusher pusher = pusher(Map.of());
        PushMessage message = pusher.translate(AlpineFixture.change(ProfileState.LEARNING, Usage.NOT_IN_USE, List.of())).get(0);

        server.stubFor(post(urlEqualTo("/v1/graphql")).willReturn(okJson(
                "{\"errors\":[{\"message\":\"stream name is invalid\",\"extensions\":{\"code\":\"BAD_USER_INPUT\"}}],\"data\":null}")));
        DeliveryOutcome failed = deliver(pusher, message);
        assertThat(failed).isEqualTo(DeliveryOutcome.failed(
                "Docker Scout refused setStreamImages 'setStreamImages|production' of organization 'myorg': stream name is invalid (BAD_USER_INPUT)"));
        assertThat(context.state().entries("streamSent|")).isEmpty();

        server.stubFor(post(urlEqualTo("/v1/graphql")).willReturn(okJson("{\"errors\":[{\"message\":\"Service is unavailable, try again later\"}]}")));
        DeliveryOutcome retry = deliver(pusher, message);
        assertThat(retry).isEqualTo(DeliveryOutcome.retry("Docker Scout is unavailable: Service is unavailable, try again later"));

        server.stubFor(post(urlEqualTo("/v1/graphql")).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "30")));
        assertThat(deliver(pusher, message)).isEqualTo(DeliveryOutcome.retry("HTTP 503", java.util.Optional.of(Duration.ofSeconds(30))));
    }

    @Test
    void publishesTheOpenVexDocumentWhenAUrlIsConfigured()
            throws Exception
    {
        context.insights().addVex(AlpineFixture.DIGEST, VexFormat.OPENVEX, """
                {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://runlight.example/vex/sha256:b2aa/1",
                 "author": "Runlight <runlight@example.com>", "timestamp": "2026-11-28T12:00:00Z", "version": 1,
                 "statements": [{"vulnerability": {"name": "CVE-2023-0464"},
                                 "products": [{"@id": "pkg:oci/app@sha256:b2aa?repository_url=docker.io/myorg/app",
                                               "subcomponents": [{"@id": "pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2"}]}],
                                 "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path",
                                 "impact_statement": "libssl3 was not loaded by any of 3 containers during 14 days"}]}"""
                .getBytes(StandardCharsets.UTF_8));
        server.stubFor(put(urlEqualTo("/vex/" + DIGEST + ".openvex.json")).willReturn(aResponse().withStatus(204)));
        Pusher pusher = pusher(Map.of("vexExceptions", false, "vexUrl", URI.create(server.baseUrl() + "/vex/"), "author", "Platform team"));

        List<PushMessage> messages = pusher.translate(AlpineFixture.change(ProfileState.COMPLETE, Usage.NOT_IN_USE, List.of()));
        assertThat(messages).extracting(PushMessage::key).containsExactly("setStreamImages|production", "openvex|" + DIGEST);
        assertThat(deliver(pusher, messages.get(1)).kind()).isEqualTo(DeliveryOutcome.Kind.DELIVERED);

        ServeEvent event = received().get(0);
        assertThat(event.getRequest().getMethod().getName()).isEqualTo("PUT");
        assertThat(event.getRequest().getUrl()).isEqualTo("/vex/" + DIGEST + ".openvex.json");
        assertThat(event.getRequest().getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(event.getRequest().containsHeader("Authorization")).isFalse();
        assertThat(JSON.readTree(event.getRequest().getBodyAsString())).isEqualTo(JSON.readTree("""
                {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://runlight.example/vex/sha256:b2aa/1",
                 "author": "Platform team", "timestamp": "2026-11-28T12:00:00Z", "version": 1,
                 "statements": [{"vulnerability": {"name": "CVE-2023-0464"},
                                 "products": [{"@id": "pkg:docker/myorg/app@sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d",
                                               "subcomponents": [{"@id": "pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2"}]}],
                                 "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path",
                                 "impact_statement": "libssl3 was not loaded by any of 3 containers during 14 days"}]}"""));
    }

    private Pusher pusher(Map<String, Object> overrides)
    {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("organization", "myorg");
        values.put("username", "ci-bot");
        values.put("accessToken", "dckr_pat_secret");
        values.put("environments", Map.of("prod-eu/shop", "production"));
        values.put("hubUrl", URI.create(server.baseUrl()));
        values.put("scoutUrl", URI.create(server.baseUrl()));
        values.putAll(overrides);
        return new DockerScoutConnectorFactory().create(new ConnectorConfig(values), context).pusher().orElseThrow();
    }

    /** What the hub does: prepare, send, interpret, and send again at once on RESEND. */
    private DeliveryOutcome deliver(Pusher pusher, PushMessage message)
            throws IOException, InterruptedException
    {
        for (int attempt = 1; attempt <= 5; attempt++) {
            OutboundRequest request = pusher.prepare(message, attempt(attempt));
            DeliveryOutcome outcome = pusher.interpret(message, request, send(request));
            if (outcome.kind() != DeliveryOutcome.Kind.RESEND) {
                return outcome;
            }
        }
        throw new AssertionError("message '" + message.key() + "' was resent five times");
    }

    private InboundResponse send(OutboundRequest request)
            throws IOException, InterruptedException
    {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body().toArray()));
        request.headers().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        return InboundResponse.of(response.statusCode(), response.headers().map(), response.body());
    }

    private static DeliveryAttempt attempt(int number)
    {
        return new DeliveryAttempt("delivery-1", number, NOW);
    }

    /** Requests in the order the stand-in received them. */
    private List<ServeEvent> received()
    {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        java.util.Collections.reverse(events);
        return events;
    }

    private static void assertLogin(ServeEvent event)
            throws IOException
    {
        assertThat(event.getRequest().getMethod().getName()).isEqualTo("POST");
        assertThat(event.getRequest().getUrl()).isEqualTo("/v2/users/login");
        assertThat(event.getRequest().getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(event.getRequest().containsHeader("Authorization")).isFalse();
        assertThat(JSON.readTree(event.getRequest().getBodyAsString())).isEqualTo(JSON.readTree("{\"username\": \"ci-bot\", \"password\": \"dckr_pat_secret\"}"));
    }

    private static void assertGraphql(ServeEvent event, String token, String expectedBody)
            throws IOException
    {
        assertThat(event.getRequest().getMethod().getName()).isEqualTo("POST");
        assertThat(event.getRequest().getUrl()).isEqualTo("/v1/graphql");
        assertThat(event.getRequest().getHeader("Authorization")).isEqualTo("Bearer " + token);
        assertThat(event.getRequest().getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(JSON.readTree(event.getRequest().getBodyAsString())).isEqualTo(JSON.readTree(expectedBody));
    }

    static String jwt(Instant expiry)
    {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        String header = encoder.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = encoder.encodeToString(("{\"sub\":\"ci-bot\",\"exp\":" + expiry.getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".c2lnbmF0dXJl";
    }

    private static <T> List<T> concat(List<T> first, List<T> second)
    {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
