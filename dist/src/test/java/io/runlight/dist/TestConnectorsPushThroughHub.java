package io.runlight.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6, push side, against the running distribution (each connector loaded from the
 * distribution's {@code plugins/} folder): Snyk push, Docker Scout and the generic
 * webhook each get an integration pointing at one WireMock server that stands in for
 * Snyk, Docker Hub and Scout, an OpenVEX upload endpoint and a webhook receiver. The
 * alpine-3.17 sample of {@code examples/} (plus thirteen nightly jobs in a third cluster,
 * to make Snyk cut pages) is ingested, and WireMock must receive exactly the requests of
 * formats/snyk.md, docker-scout.md and webhook.md. Then libssl3 comes into use and Scout
 * must get exactly the removals of the exceptions it returned ids for, and the webhook a
 * {@code runlight.package.first_used} event for the container that loaded it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestConnectorsPushThroughHub
{
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The sample image: its id (the hub's primary digest) and the repository digest Syft recorded. */
    private static final String ALPINE = "sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d";
    private static final String ALPINE_REPO_DIGEST = "sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501";
    private static final List<String> LIBSSL3_CVES = List.of(
            "CVE-2023-0464", "CVE-2023-0465", "CVE-2023-0466", "CVE-2023-1255", "CVE-2023-2650",
            "CVE-2023-2975", "CVE-2023-3446", "CVE-2023-3817", "CVE-2023-5363", "CVE-2023-5678");

    private static final String SNYK_PATH = "/snyk/v2/kubernetes-upstream/api/v1/runtime-results";
    private static final String LOGIN_PATH = "/dockerhub/v2/users/login";
    private static final String GRAPHQL_PATH = "/scout/v1/graphql";
    private static final String VEX_PATH = "/vex/" + ALPINE + ".openvex.json";
    private static final String HOOK_PATH = "/hooks/runlight";

    private static final String SNYK_TOKEN = "snyk-service-account-token-0001";
    private static final String SNYK_INTEGRATION = "5f7c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f";
    private static final String DOCKER_USER = "ci-bot";
    private static final String DOCKER_PAT = "dckr_pat_runlight-test-0001";
    private static final String AUTHOR = "Platform team <platform@example.com>";
    /** An unsigned JWT whose exp is 2100-01-01: Scout's login answer. */
    private static final String SCOUT_JWT = base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + base64Url("{\"sub\":\"ci-bot\",\"exp\":4102444800}") + ".c2lnbmF0dXJl";
    private static final byte[] WEBHOOK_KEY = IntStream.range(0, 32).collect(() -> new byte[32], (bytes, i) -> bytes[i] = (byte) (i * 7 + 3), (left, right) -> {});
    private static final byte[] WEBHOOK_OLD_KEY = IntStream.range(0, 24).collect(() -> new byte[24], (bytes, i) -> bytes[i] = (byte) (250 - i), (left, right) -> {});
    private static final String WEBHOOK_API_KEY = "receiver-api-key-0001";

    private static final String SET_STREAM_IMAGES = "mutation SetStreamImages($ctx: Context!, $in: SetStreamImagesInput!) {\n  setStreamImages(context: $ctx, input: $in) { status }\n}";
    private static final String ADD_EXCEPTION = "mutation AddException($ctx: Context!, $in: AddVulnerabilityExceptionInput!) {\n  addVulnerabilityException(context: $ctx, input: $in) { exception { id } }\n}";
    private static final String REMOVE_EXCEPTION = "mutation RemoveException($ctx: Context!, $in: RemoveVulnerabilityExceptionInput!) {\n  removeVulnerabilityException(context: $ctx, input: $in) { ids }\n}";

    private static final String OS_FIELDS = "\"installedViaPackageManager\":true,\"osFamily\":\"alpine\",\"osVersion\":\"3.17.2\",\"arch\":\"x86_64\"}";
    private static final String BUSYBOX = "{\"purl\":\"pkg:apk/alpine/busybox@1.35.0-r29?arch=x86_64&distro=alpine-3.17.2\",\"name\":\"busybox\",\"version\":\"1.35.0-r29\"," + OS_FIELDS;
    private static final String BUSYBOX_BINSH = "{\"purl\":\"pkg:apk/alpine/busybox-binsh@1.35.0-r29?arch=x86_64&distro=alpine-3.17.2&upstream=busybox\",\"name\":\"busybox-binsh\",\"version\":\"1.35.0-r29\"," + OS_FIELDS;
    private static final String LIBCRYPTO = "{\"purl\":\"pkg:apk/alpine/libcrypto3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2&upstream=openssl\",\"name\":\"libcrypto3\",\"version\":\"3.0.8-r0\"," + OS_FIELDS;
    private static final String LIBSSL = "{\"purl\":\"pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2&upstream=openssl\",\"name\":\"libssl3\",\"version\":\"3.0.8-r0\"," + OS_FIELDS;
    private static final String MUSL = "{\"purl\":\"pkg:apk/alpine/musl@1.2.3-r4?arch=x86_64&distro=alpine-3.17.2\",\"name\":\"musl\",\"version\":\"1.2.3-r4\"," + OS_FIELDS;
    private static final String SHELL_ONLY = "[" + BUSYBOX_BINSH + "," + BUSYBOX + "]";

    /** The sample's 15 packages, by purl, and the four its containers load. */
    private static final List<String> PACKAGES = List.of(
            "pkg:apk/alpine/alpine-baselayout-data@3.4.0-r0?arch=x86_64&distro=alpine-3.17.2&upstream=alpine-baselayout",
            "pkg:apk/alpine/alpine-baselayout@3.4.0-r0?arch=x86_64&distro=alpine-3.17.2",
            "pkg:apk/alpine/alpine-keys@2.4-r1?arch=x86_64&distro=alpine-3.17.2",
            "pkg:apk/alpine/apk-tools@2.12.10-r1?arch=x86_64&distro=alpine-3.17.2",
            "pkg:apk/alpine/busybox-binsh@1.35.0-r29?arch=x86_64&distro=alpine-3.17.2&upstream=busybox",
            "pkg:apk/alpine/busybox@1.35.0-r29?arch=x86_64&distro=alpine-3.17.2",
            "pkg:apk/alpine/ca-certificates-bundle@20220614-r4?arch=x86_64&distro=alpine-3.17.2&upstream=ca-certificates",
            "pkg:apk/alpine/libc-utils@0.7.2-r3?arch=x86_64&distro=alpine-3.17.2&upstream=libc-dev",
            "pkg:apk/alpine/libcrypto3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2&upstream=openssl",
            "pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2&upstream=openssl",
            "pkg:apk/alpine/musl-utils@1.2.3-r4?arch=x86_64&distro=alpine-3.17.2&upstream=musl",
            "pkg:apk/alpine/musl@1.2.3-r4?arch=x86_64&distro=alpine-3.17.2",
            "pkg:apk/alpine/scanelf@1.3.5-r1?arch=x86_64&distro=alpine-3.17.2&upstream=pax-utils",
            "pkg:apk/alpine/ssl_client@1.35.0-r29?arch=x86_64&distro=alpine-3.17.2&upstream=busybox",
            "pkg:apk/alpine/zlib@1.2.13-r0?arch=x86_64&distro=alpine-3.17.2");
    private static final Set<String> LOADED = Set.of(PACKAGES.get(4), PACKAGES.get(5), PACKAGES.get(8), PACKAGES.get(11));

    @TempDir
    static Path folder;

    private DistributionHub hub;
    private HubHttp http;
    private String adminToken;
    private WireMockServer receiver;
    private String snykIntegrationId;
    private Instant eventsPosted;
    /** What WireMock received for the sample's events, oldest first. */
    private List<ServeEvent> firstRound;

    @BeforeAll
    void startTheHubAndPushTheSample()
            throws IOException, InterruptedException
    {
        receiver = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        receiver.start();
        stubReceivers();

        Path home = Distribution.unpack(folder);
        // the sample spans 14 days: a 7-day window makes its profile complete (and does not lean on the default)
        Path config = Files.writeString(folder.resolve("runlight.yaml"), "insights:\n  learning-window: P7D\n");
        hub = DistributionHub.start(home, folder.resolve("data"), folder.resolve("hub.log"), List.of("--config", config.toString()));
        http = new HubHttp();
        adminToken = hub.adminToken();

        Path sample = Distribution.examples().resolve("alpine-3.17");
        HubHttp.Response sbom = http.post(hub.httpUrl() + "/api/v1/sboms", adminToken, "application/json", Files.readString(sample.resolve("sbom.syft.json")));
        assertThat(sbom.status()).as(sbom.body()).isEqualTo(201);
        HubHttp.Response report = http.post(hub.httpUrl() + "/api/v1/vulnerability-reports", adminToken, "application/json",
                Files.readString(sample.resolve("report.grype.json")));
        assertThat(report.status()).as(report.body()).isEqualTo(201);
        // the integrations start from an image whose verdicts are all unknown (no events yet)
        awaitImage(image -> image.getJsonObject("summary").getInteger("vulnerabilities") == 20, "20 vulnerabilities");

        String base = receiver.baseUrl();
        snykIntegrationId = createIntegration("snyk", "snyk-direct", new JsonObject()
                .put("push", true)
                .put("upstreamUrl", base + "/snyk/v2/kubernetes-upstream")
                .put("integrationId", SNYK_INTEGRATION)
                .put("serviceAccountToken", SNYK_TOKEN)
                .put("snykClusterName", "runlight-test"));
        createIntegration("docker-scout", "scout", new JsonObject()
                .put("organization", "myorg")
                .put("username", DOCKER_USER)
                .put("accessToken", DOCKER_PAT)
                .put("environments", new JsonObject().put("prod-eu/shop", "production").put("prod-us", "staging"))
                .put("hubUrl", base + "/dockerhub")
                .put("scoutUrl", base + "/scout")
                .put("author", AUTHOR)
                .put("vexUrl", base + "/vex"));
        createIntegration("webhook", "receiver", new JsonObject()
                .put("url", base + HOOK_PATH + "?source=runlight")
                .put("secret", "whsec_" + Base64.getEncoder().encodeToString(WEBHOOK_KEY))
                .put("previousSecret", "whsec_" + Base64.getEncoder().encodeToString(WEBHOOK_OLD_KEY))
                .put("headers", new JsonObject().put("X-Api-Key", WEBHOOK_API_KEY)));

        eventsPosted = Instant.now();
        String events = Files.readString(sample.resolve("events.ndjson")) + nightlyJobs();
        postEvents(events);
        // Snyk: prod-eu, prod-us and two pages of jobs; Scout: login, two environments, ten exceptions, OpenVEX; webhook: three clusters and one retry
        firstRound = awaitRequests(Map.of(SNYK_PATH, 4, LOGIN_PATH, 1, GRAPHQL_PATH, 12, VEX_PATH, 1, HOOK_PATH, 4));
    }

    @AfterAll
    void stop()
            throws InterruptedException
    {
        if (hub != null) {
            hub.close();
        }
        if (receiver != null) {
            receiver.stop();
        }
    }

    @Test
    @Order(1)
    void snykGetsOnePagePerClusterOfAtMostTenItemsWithoutExcludedNamespaces()
            throws IOException
    {
        List<ServeEvent> snyk = only(firstRound, SNYK_PATH);
        for (ServeEvent event : snyk) {
            assertThat(event.getRequest().getMethod().getName()).isEqualTo("POST");
            assertThat(event.getRequest().getUrl()).isEqualTo(SNYK_PATH + "?version=2023-02-10");
            assertThat(header(event, "Authorization")).containsExactly("token " + SNYK_TOKEN);
            assertThat(header(event, "Content-Type")).containsExactly("application/json");
        }
        List<String> nightly = IntStream.rangeClosed(1, 12).mapToObj(n -> "report-%02d".formatted(n)).toList();
        assertThat(bodies(snyk)).containsExactlyInAnyOrder(
                snykBody("[" + item("shop", "cart", "Deployment", "[" + BUSYBOX_BINSH + "," + BUSYBOX + "," + LIBCRYPTO + "," + MUSL + "]") + "]"),
                snykBody("[" + item("payments", "ledger", "StatefulSet", SHELL_ONLY) + "]"),
                snykBody(nightly.subList(0, 10).stream().map(name -> item("nightly", name, "CronJob", SHELL_ONLY)).toList().toString()),
                snykBody(nightly.subList(10, 12).stream().map(name -> item("nightly", name, "CronJob", SHELL_ONLY)).toList().toString()));
    }

    @Test
    @Order(2)
    void scoutGetsTheLoginBothEnvironmentsTenExceptionsForLibssl3AndTheOpenVexDocument()
            throws IOException, InterruptedException
    {
        List<ServeEvent> scout = only(firstRound, LOGIN_PATH, GRAPHQL_PATH, VEX_PATH);
        ServeEvent login = only(scout, LOGIN_PATH).get(0);
        assertThat(login.getRequest().getMethod().getName()).isEqualTo("POST");
        assertThat(login.getRequest().getUrl()).isEqualTo(LOGIN_PATH);
        assertThat(header(login, "Content-Type")).containsExactly("application/json");
        assertThat(JSON.readTree(login.getRequest().getBody())).isEqualTo(JSON.readTree("{\"username\":\"" + DOCKER_USER + "\",\"password\":\"" + DOCKER_PAT + "\"}"));
        // no GraphQL request goes out before the login answered
        List<ServeEvent> graphql = only(scout, GRAPHQL_PATH);
        assertThat(graphql).allMatch(event -> event.getRequest().getLoggedDate().getTime() >= login.getRequest().getLoggedDate().getTime());
        for (ServeEvent event : graphql) {
            assertThat(event.getRequest().getMethod().getName()).isEqualTo("POST");
            assertThat(event.getRequest().getUrl()).isEqualTo(GRAPHQL_PATH);
            assertThat(header(event, "Authorization")).containsExactly("Bearer " + SCOUT_JWT);
            assertThat(header(event, "Content-Type")).containsExactly("application/json");
        }

        List<JsonNode> expected = new ArrayList<>();
        expected.add(graphql(SET_STREAM_IMAGES, "{\"stream\":\"production\",\"images\":[" + streamImage("cart") + "]}"));
        expected.add(graphql(SET_STREAM_IMAGES, "{\"stream\":\"staging\",\"images\":[" + streamImage("ledger") + "]}"));
        for (String cve : LIBSSL3_CVES) {
            expected.add(graphql(ADD_EXCEPTION, """
                    {"cveId": "%s",
                     "type": "FALSE_POSITIVE",
                     "justification": "VULNERABLE_CODE_NOT_IN_EXECUTE_PATH",
                     "additionalDetails": "libssl3 3.0.8-r0 was not loaded by any of the 15 containers of this image during 14 days of observation (%s)",
                     "imageScopes": [{"repoName": "library/alpine", "digest": "%s",
                                      "packageScopes": [{"purlFields": {"type": "apk", "namespace": "alpine", "name": "libssl3", "version": "3.0.8-r0"}}]}]}"""
                    .formatted(cve, AUTHOR, ALPINE_REPO_DIGEST)));
        }
        assertThat(bodies(graphql)).containsExactlyInAnyOrderElementsOf(expected);

        // the hub's own OpenVEX document, with the configured author and Scout's product form
        ServeEvent vex = only(scout, VEX_PATH).get(0);
        assertThat(vex.getRequest().getMethod().getName()).isEqualTo("PUT");
        assertThat(vex.getRequest().getUrl()).isEqualTo(VEX_PATH);
        assertThat(header(vex, "Content-Type")).containsExactly("application/json");
        assertThat(header(vex, "Authorization")).isEmpty();
        JsonNode published = JSON.readTree(vex.getRequest().getBody());
        assertThat(published).isEqualTo(forScout(servedOpenVex()));
        assertThat(published.path("statements")).hasSize(10);
        List<String> stated = new ArrayList<>();
        published.path("statements").forEach(statement -> stated.add(statement.path("vulnerability").path("name").asText() + " " + statement.path("status").asText()));
        assertThat(stated).containsExactlyElementsOf(LIBSSL3_CVES.stream().map(cve -> cve + " not_affected").toList());
    }

    @Test
    @Order(3)
    void theWebhookGetsOneSignedEnvelopePerClusterAndARetryKeepsItsId()
            throws IOException, GeneralSecurityException
    {
        List<ServeEvent> hooks = only(firstRound, HOOK_PATH);
        assertSignedDeliveries(hooks);

        // prod-eu's first attempt was answered 503 with Retry-After: 1; its retry is the same message, signed anew
        List<ServeEvent> prodEu = hooks.stream().filter(event -> body(event).path("data").path("cluster").asText().equals("prod-eu")).toList();
        assertThat(prodEu).hasSize(2);
        assertThat(prodEu).extracting(event -> event.getResponse().getStatus()).containsExactly(503, 204);
        assertThat(header(prodEu.get(1), "webhook-id")).isEqualTo(header(prodEu.get(0), "webhook-id"));
        assertThat(prodEu.get(1).getRequest().getBody()).isEqualTo(prodEu.get(0).getRequest().getBody());
        long firstTimestamp = Long.parseLong(header(prodEu.get(0), "webhook-timestamp").get(0));
        long retryTimestamp = Long.parseLong(header(prodEu.get(1), "webhook-timestamp").get(0));
        assertThat(retryTimestamp).isGreaterThanOrEqualTo(firstTimestamp + 1);
        assertThat(header(prodEu.get(1), "webhook-signature")).isNotEqualTo(header(prodEu.get(0), "webhook-signature"));
        // the other messages have ids of their own
        assertThat(hooks.stream().map(event -> header(event, "webhook-id").get(0)).distinct()).hasSize(3);

        String timestamp = body(hooks.get(0)).path("timestamp").asText();
        assertThat(Instant.parse(timestamp)).isBetween(eventsPosted.minusSeconds(1), Instant.now());
        List<String> changes = new ArrayList<>();
        for (String purl : PACKAGES) {
            if (purl.startsWith("pkg:apk/alpine/libc-utils@")) {
                // a meta package that owns no file: its verdict stays unknown, which is no change
                continue;
            }
            boolean loaded = LOADED.contains(purl);
            changes.add("{\"package\":\"" + purl + "\",\"inUse\":" + loaded + ",\"usage\":\"" + (loaded ? "IN_USE" : "NOT_IN_USE") + "\"}");
        }
        List<JsonNode> expected = new ArrayList<>();
        for (String cluster : List.of("jobs", "prod-eu", "prod-eu", "prod-us")) {
            expected.add(envelope("runlight.image.profile.completed", timestamp, cluster, 4, 10, changes));
        }
        assertThat(bodies(hooks)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    @Order(4)
    void libssl3ComingIntoUseRemovesExactlyTheScoutExceptionsByTheIdsScoutReturned()
            throws IOException, InterruptedException, GeneralSecurityException
    {
        Set<UUID> before = new HashSet<>();
        firstRound.forEach(event -> before.add(event.getId()));
        Instant posted = Instant.now();
        // the cart container maps libssl.so.3 an hour after the sample's last event
        postEvents(new JsonObject()
                .put("time", "2026-11-28T10:00:00Z")
                .put("cluster", "prod-eu")
                .put("namespace", "shop")
                .put("workloadKind", "Deployment")
                .put("workloadName", "cart")
                .put("pod", "cart-7d9f6c5b8-x2k4q")
                .put("container", "cart")
                .put("containerId", "containerd://4f2a9c1e7b3d")
                .put("image", "docker.io/library/alpine:3.17.2")
                .put("imageDigest", ALPINE)
                .put("kind", "mmap")
                .put("path", "/lib/libssl.so.3")
                .put("process", "/usr/bin/cart-server")
                .encode() + "\n");
        // Snyk: only prod-eu's page changed; Scout: ten removals and the new OpenVEX document; webhook: three clusters and the first use
        List<ServeEvent> secondRound = awaitRequests(Map.of(SNYK_PATH, 5, LOGIN_PATH, 1, GRAPHQL_PATH, 22, VEX_PATH, 2, HOOK_PATH, 8)).stream()
                .filter(event -> !before.contains(event.getId()))
                .toList();

        // Scout: one removal per exception it created, each by the id its addVulnerabilityException answer carried; no login, no new lists
        List<ServeEvent> graphql = only(secondRound, GRAPHQL_PATH);
        assertThat(graphql).allMatch(event -> header(event, "Authorization").equals(List.of("Bearer " + SCOUT_JWT)));
        List<JsonNode> removals = new ArrayList<>();
        for (String cve : LIBSSL3_CVES) {
            removals.add(graphql(REMOVE_EXCEPTION, "{\"ids\":[\"" + exceptionId(cve) + "\"]}"));
        }
        assertThat(bodies(graphql)).containsExactlyInAnyOrderElementsOf(removals);
        List<ServeEvent> vex = only(secondRound, VEX_PATH);
        assertThat(vex).hasSize(1);
        JsonNode published = JSON.readTree(vex.get(0).getRequest().getBody());
        assertThat(published).isEqualTo(forScout(servedOpenVex()));
        assertThat(published.path("statements")).isEmpty();

        // Snyk: the cart item now lists libssl3; the unchanged pages are not sent again within the interval
        assertThat(bodies(only(secondRound, SNYK_PATH))).containsExactly(
                snykBody("[" + item("shop", "cart", "Deployment", "[" + BUSYBOX_BINSH + "," + BUSYBOX + "," + LIBCRYPTO + "," + LIBSSL + "," + MUSL + "]") + "]"));

        // webhook: the change, once per cluster, and libssl3's first use by the cart container (the alpine profile was complete)
        List<ServeEvent> allHooks = only(secondRound, HOOK_PATH);
        assertSignedDeliveries(allHooks);
        List<ServeEvent> firstUses = allHooks.stream().filter(event -> body(event).path("type").asText().equals("runlight.package.first_used")).toList();
        assertThat(firstUses).hasSize(1);
        JsonNode firstUse = body(firstUses.get(0));
        List<String> firstUseCves = new ArrayList<>();
        firstUse.path("data").path("vulnerabilities").forEach(vulnerability -> firstUseCves.add(vulnerability.path("id").asText()));
        assertThat(firstUseCves).containsExactlyInAnyOrderElementsOf(LIBSSL3_CVES);
        assertThat(firstUseCves.subList(0, 2)).containsExactlyInAnyOrder("CVE-2023-0464", "CVE-2023-5363");
        ((ObjectNode) firstUse.path("data")).remove("vulnerabilities");
        assertThat(firstUse).isEqualTo(json("""
                {"type": "runlight.package.first_used", "timestamp": "%s",
                 "data": {"imageDigest": "%s", "cluster": "prod-eu", "namespace": "shop",
                          "workload": {"kind": "Deployment", "name": "cart", "container": "cart"},
                          "package": "%s",
                          "evidence": {"path": "/usr/lib/libssl.so.3", "kind": "mmap", "process": "/usr/bin/cart-server", "time": "2026-11-28T10:00:00Z"}}}"""
                .formatted(firstUse.path("timestamp").asText(), ALPINE, PACKAGES.get(9))));
        List<ServeEvent> hooks = allHooks.stream().filter(event -> !firstUses.contains(event)).toList();
        String timestamp = body(hooks.get(0)).path("timestamp").asText();
        assertThat(Instant.parse(timestamp)).isBetween(posted.minusSeconds(1), Instant.now());
        assertThat(firstUse.path("timestamp").asText()).isEqualTo(timestamp);
        List<String> changes = List.of("{\"package\":\"" + PACKAGES.get(9) + "\",\"inUse\":true,\"usage\":\"IN_USE\"}");
        assertThat(bodies(hooks)).containsExactlyInAnyOrder(
                envelope("runlight.image.insights.changed", timestamp, "jobs", 5, 20, changes),
                envelope("runlight.image.insights.changed", timestamp, "prod-eu", 5, 20, changes),
                envelope("runlight.image.insights.changed", timestamp, "prod-us", 5, 20, changes));
    }

    private void stubReceivers()
    {
        receiver.stubFor(post(urlPathEqualTo(SNYK_PATH)).willReturn(okJson("{}")));
        receiver.stubFor(post(urlEqualTo(LOGIN_PATH)).willReturn(okJson("{\"token\":\"" + SCOUT_JWT + "\"}")));
        receiver.stubFor(post(urlEqualTo(GRAPHQL_PATH)).withRequestBody(containing("SetStreamImages"))
                .willReturn(okJson("{\"data\":{\"setStreamImages\":{\"status\":\"ACCEPTED\"}}}")));
        for (String cve : LIBSSL3_CVES) {
            receiver.stubFor(post(urlEqualTo(GRAPHQL_PATH)).withRequestBody(matchingJsonPath("$.variables.in.cveId", equalTo(cve)))
                    .willReturn(okJson("{\"data\":{\"addVulnerabilityException\":{\"exception\":{\"id\":\"" + exceptionId(cve) + "\"}}}}")));
            receiver.stubFor(post(urlEqualTo(GRAPHQL_PATH)).withRequestBody(matchingJsonPath("$.variables.in.ids[0]", equalTo(exceptionId(cve))))
                    .willReturn(okJson("{\"data\":{\"removeVulnerabilityException\":{\"ids\":[\"" + exceptionId(cve) + "\"]}}}")));
        }
        receiver.stubFor(put(urlEqualTo(VEX_PATH)).willReturn(aResponse().withStatus(201)));
        receiver.stubFor(post(urlPathEqualTo(HOOK_PATH)).atPriority(5).willReturn(aResponse().withStatus(204)));
        // the first attempt of prod-eu's first message is refused once, as a receiver under load would
        receiver.stubFor(post(urlPathEqualTo(HOOK_PATH)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.data.cluster", equalTo("prod-eu")))
                .inScenario("webhook retry").whenScenarioStateIs(STARTED).willSetStateTo("refused once")
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1").withBody("busy")));
    }

    /** Scout's id for the exception of one CVE: unrelated to the CVE's name, so a removal can only know it from the answer. */
    private static String exceptionId(String cve)
    {
        return "6b1f0c2e-4d5a-4e6f-8a7b-" + "%012d".formatted(100 + LIBSSL3_CVES.indexOf(cve));
    }

    /** Checks each delivery's documented headers and its two signatures (new secret, then the previous one) by HMAC-SHA256 computed here. */
    private static void assertSignedDeliveries(List<ServeEvent> hooks)
            throws GeneralSecurityException
    {
        assertThat(hooks).isNotEmpty();
        for (ServeEvent event : hooks) {
            assertThat(event.getRequest().getMethod().getName()).isEqualTo("POST");
            assertThat(event.getRequest().getUrl()).isEqualTo(HOOK_PATH + "?source=runlight");
            assertThat(header(event, "content-type")).containsExactly("application/json");
            assertThat(header(event, "X-Api-Key")).containsExactly(WEBHOOK_API_KEY);
            String id = header(event, "webhook-id").get(0);
            assertThat(id).matches("msg_[A-Za-z0-9]{26}");
            String timestamp = header(event, "webhook-timestamp").get(0);
            assertThat(Long.parseLong(timestamp)).isBetween(event.getRequest().getLoggedDate().getTime() / 1000 - 5, event.getRequest().getLoggedDate().getTime() / 1000 + 1);
            byte[] body = event.getRequest().getBody();
            assertThat(header(event, "webhook-signature")).containsExactly(
                    "v1," + hmac(WEBHOOK_KEY, id, timestamp, body) + " v1," + hmac(WEBHOOK_OLD_KEY, id, timestamp, body));
        }
    }

    /** Standard Webhooks: base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")). */
    private static String hmac(byte[] key, String id, String timestamp, byte[] body)
            throws GeneralSecurityException
    {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    private static JsonNode envelope(String type, String timestamp, String cluster, int packagesInUse, int vulnerabilitiesInUse, List<String> changes)
    {
        return json("""
                {"type": "%s", "timestamp": "%s",
                 "data": {"imageDigest": "%s", "cluster": "%s",
                          "summary": {"packages": 15, "packagesInUse": %d, "vulnerabilities": 20, "vulnerabilitiesInUse": %d},
                          "changes": %s}}"""
                .formatted(type, timestamp, ALPINE, cluster, packagesInUse, vulnerabilitiesInUse, changes));
    }

    private JsonNode snykBody(String items)
    {
        return json("""
                {"identity": {"type": "sysdig", "sysdigVersion": 2},
                 "target": {"agentId": "runlight-%s", "userLocator": "%s", "cluster": "runlight-test"},
                 "facts": [{"type": "loadedPackages", "data": %s}]}"""
                .formatted(snykIntegrationId, SNYK_INTEGRATION, items));
    }

    /** One item of formats/snyk.md A: it names no cluster (the request's page is per cluster). */
    private static String item(String namespace, String workload, String kind, String packages)
    {
        return "{\"imageID\":\"" + ALPINE + "\",\"namespace\":\"" + namespace + "\",\"workloadName\":\"" + workload + "\",\"workloadKind\":\"" + kind
                + "\",\"container\":\"" + workload + "\",\"packages\":" + packages + "}";
    }

    private static JsonNode graphql(String query, String in)
    {
        ObjectNode body = JSON.createObjectNode();
        body.put("query", query);
        ObjectNode variables = body.putObject("variables");
        variables.putObject("ctx").put("organization", "myorg");
        variables.set("in", json(in));
        return body;
    }

    private static String streamImage(String appName)
    {
        return "{\"image\":\"docker.io/library/alpine@" + ALPINE_REPO_DIGEST + "\",\"appName\":\"" + appName + "\",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}";
    }

    /** The hub's OpenVEX document of the sample, as {@code GET /api/v1/images/{digest}/vex?format=openvex} serves it. */
    private JsonNode servedOpenVex()
            throws IOException, InterruptedException
    {
        HubHttp.Response response = http.get(hub.httpUrl() + "/api/v1/images/" + ALPINE + "/vex?format=openvex", adminToken);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** What docker-scout's README says it changes before publishing: the author, and each product as {@code pkg:docker/<repository>@<digest>}. */
    private static JsonNode forScout(JsonNode served)
    {
        ObjectNode document = served.deepCopy();
        document.put("author", AUTHOR);
        for (JsonNode statement : document.path("statements")) {
            for (JsonNode product : statement.path("products")) {
                ((ObjectNode) product).put("@id", "pkg:docker/library/alpine@" + ALPINE_REPO_DIGEST);
            }
        }
        return document;
    }

    /** Thirteen nightly jobs in cluster "jobs" that run the shell: twelve in "nightly" and one in kube-system, which Snyk push leaves out. */
    private static String nightlyJobs()
    {
        StringBuilder events = new StringBuilder();
        for (int n = 1; n <= 12; n++) {
            events.append(shellEvent("nightly", "report-%02d".formatted(n)));
        }
        events.append(shellEvent("kube-system", "cleanup"));
        return events.toString();
    }

    private static String shellEvent(String namespace, String name)
    {
        return new JsonObject()
                .put("time", "2026-11-27T02:00:00Z")
                .put("cluster", "jobs")
                .put("namespace", namespace)
                .put("workloadKind", "CronJob")
                .put("workloadName", name)
                .put("pod", name + "-29391720-abcde")
                .put("container", name)
                .put("containerId", "containerd://" + name)
                .put("imageDigest", ALPINE)
                .put("kind", "exec")
                .put("path", "/bin/busybox")
                .put("process", "/bin/busybox")
                .encode() + "\n";
    }

    private String createIntegration(String plugin, String name, JsonObject config)
            throws IOException, InterruptedException
    {
        HubHttp.Response response = http.post(hub.httpUrl() + "/api/v1/integrations", adminToken, "application/json",
                new JsonObject().put("plugin", plugin).put("name", name).put("config", config).put("expiresIn", "P3M").encode());
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonObject created = new JsonObject(response.body());
        JsonObject token = created.getJsonObject("token");
        assertThat(token.getString("secret")).startsWith("rlt_");
        // the token is the integration's own: scope integration, bound to it
        HubHttp.Response tokens = http.get(hub.httpUrl() + "/api/v1/tokens", adminToken);
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        JsonObject listed = listOf(tokens.body(), "tokens").stream().map(JsonObject.class::cast)
                .filter(item -> item.getString("id").equals(token.getString("id")))
                .findFirst().orElseThrow(() -> new AssertionError("token '" + token.getString("id") + "' is not listed: " + tokens.body()));
        assertThat(listed.getString("scope")).isEqualTo("integration");
        assertThat(listed.getString("integrationId")).isEqualTo(created.getString("id"));
        return created.getString("id");
    }

    private void postEvents(String ndjson)
            throws IOException, InterruptedException
    {
        HubHttp.Response response = http.post(hub.httpUrl() + "/api/v1/runtime/events", adminToken, "application/x-ndjson", ndjson);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(new JsonObject(response.body()).getInteger("rejected")).as(response.body()).isZero();
    }

    private void awaitImage(Predicate<JsonObject> condition, String what)
            throws IOException, InterruptedException
    {
        long deadline = System.nanoTime() + 20_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            HubHttp.Response response = http.get(hub.httpUrl() + "/api/v1/images/" + ALPINE, adminToken);
            last = response.body();
            if (response.status() == 200 && condition.test(new JsonObject(response.body()))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the hub did not show image '" + ALPINE + "' with " + what + " within 20 s; last answer: " + last);
    }

    /**
     * Waits (at most 30 s) until WireMock received {@code counts} requests per path and
     * no integration has a pending delivery, so nothing more is on its way; returns every
     * request received, oldest first.
     */
    private List<ServeEvent> awaitRequests(Map<String, Integer> counts)
            throws IOException, InterruptedException
    {
        long deadline = System.nanoTime() + 30_000_000_000L;
        Map<String, Integer> seen = Map.of();
        while (System.nanoTime() < deadline) {
            List<ServeEvent> all = received();
            seen = countByPath(all);
            if (seen.equals(new TreeMap<>(counts)) && nothingPending()) {
                return all;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("WireMock did not receive " + new TreeMap<>(counts) + " within 30 s but " + seen + ":\n"
                + String.join("\n", received().stream().map(event -> event.getRequest().getMethod() + " " + event.getRequest().getUrl() + " "
                + event.getResponse().getStatus() + " " + event.getRequest().getBodyAsString()).toList())
                + "\nhub output:\n" + hub.log());
    }

    private boolean nothingPending()
            throws IOException, InterruptedException
    {
        HubHttp.Response integrations = http.get(hub.httpUrl() + "/api/v1/integrations", adminToken);
        assertThat(integrations.status()).as(integrations.body()).isEqualTo(200);
        for (Object integration : listOf(integrations.body(), "integrations")) {
            String id = ((JsonObject) integration).getString("id");
            for (String state : List.of("pending", "dead")) {
                HubHttp.Response deliveries = http.get(hub.httpUrl() + "/api/v1/integrations/" + id + "/deliveries?state=" + state, adminToken);
                assertThat(deliveries.status()).as(deliveries.body()).isEqualTo(200);
                JsonArray list = new JsonArray(deliveries.body());
                if (state.equals("dead")) {
                    assertThat(list).as("dead letters of integration '%s'", id).isEmpty();
                }
                else if (!list.isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A listing: a JSON array, or an object holding it under {@code field}. */
    private static JsonArray listOf(String body, String field)
    {
        String trimmed = body.strip();
        if (trimmed.startsWith("[")) {
            return new JsonArray(trimmed);
        }
        return new JsonObject(trimmed).getJsonArray(field);
    }

    private List<ServeEvent> received()
    {
        List<ServeEvent> all = new ArrayList<>(receiver.getAllServeEvents());
        all.sort(Comparator.comparing((ServeEvent event) -> event.getRequest().getLoggedDate()));
        return all;
    }

    private static Map<String, Integer> countByPath(List<ServeEvent> events)
    {
        Map<String, Integer> counts = new TreeMap<>();
        for (ServeEvent event : events) {
            counts.merge(path(event), 1, Integer::sum);
        }
        return counts;
    }

    private static String path(ServeEvent event)
    {
        String url = event.getRequest().getUrl();
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    private static List<ServeEvent> only(List<ServeEvent> events, String... paths)
    {
        Set<String> wanted = Set.of(paths);
        return events.stream().filter(event -> wanted.contains(path(event))).toList();
    }

    private static List<String> header(ServeEvent event, String name)
    {
        HttpHeader header = event.getRequest().getHeaders().getHeader(name);
        if (!header.isPresent()) {
            return List.of();
        }
        return header.values();
    }

    private static List<JsonNode> bodies(List<ServeEvent> events)
    {
        return events.stream().map(TestConnectorsPushThroughHub::body).toList();
    }

    private static JsonNode body(ServeEvent event)
    {
        try {
            return JSON.readTree(event.getRequest().getBody());
        }
        catch (IOException e) {
            throw new AssertionError("the body of " + event.getRequest().getMethod() + " " + event.getRequest().getUrl() + " is not JSON: "
                    + event.getRequest().getBodyAsString(), e);
        }
    }

    private static JsonNode json(String text)
    {
        try {
            return JSON.readTree(text);
        }
        catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + text, e);
        }
    }

    private static String base64Url(String text)
    {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
