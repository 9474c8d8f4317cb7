package io.runlight.dist;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6, Snyk serve, against the running distribution: the Snyk monitor's exact
 * requests (headers, URL-encoded cluster name, {@code limit=1} probe, paging to the end)
 * over HTTPS with the hub's self-signed certificate, answered with the exact JSON of
 * formats/snyk.md; a cursor stays valid while a new image arrives; a wrong cluster is an
 * empty page; v1 serves the cluster set on the integration (422 without one); a revoked token gets 401. Data: the alpine-3.17 sample of {@code examples/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestSnykServeThroughHub
{
    private static final String V2 = "/api/scanning/eveintegration/v2/runtimeimages";
    private static final String ALPINE = "sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d";
    /** The sample's repo digest, manifest digest and image id (without sha256:): replaced to make a second image. */
    private static final List<String> SAMPLE_DIGESTS = List.of(
            "e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501",
            "fd6275a37d2472b9d3be70c3261087b8d65e441c21342ae7313096312bcda2b3",
            "b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d");

    private static final String OS_FIELDS = "\"installedViaPackageManager\":true,\"osFamily\":\"alpine\",\"osVersion\":\"3.17.2\",\"arch\":\"x86_64\"}";
    private static final String BUSYBOX = "{\"purl\":\"pkg:apk/alpine/busybox@1.35.0-r29?arch=x86_64&distro=alpine-3.17.2\",\"name\":\"busybox\",\"version\":\"1.35.0-r29\"," + OS_FIELDS;
    private static final String BUSYBOX_BINSH = "{\"purl\":\"pkg:apk/alpine/busybox-binsh@1.35.0-r29?arch=x86_64&distro=alpine-3.17.2&upstream=busybox\",\"name\":\"busybox-binsh\",\"version\":\"1.35.0-r29\"," + OS_FIELDS;
    private static final String LIBCRYPTO = "{\"purl\":\"pkg:apk/alpine/libcrypto3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2&upstream=openssl\",\"name\":\"libcrypto3\",\"version\":\"3.0.8-r0\"," + OS_FIELDS;
    private static final String MUSL = "{\"purl\":\"pkg:apk/alpine/musl@1.2.3-r4?arch=x86_64&distro=alpine-3.17.2\",\"name\":\"musl\",\"version\":\"1.2.3-r4\"," + OS_FIELDS;
    /** What a container that only ran {@code /bin/busybox} has in use. */
    private static final String SHELL_ONLY = "[" + BUSYBOX_BINSH + "," + BUSYBOX + "]";

    @TempDir
    static Path folder;

    private DistributionHub hub;
    private HubHttp http;
    private String adminToken;
    private String integrationToken;
    private String integrationTokenId;
    private String integrationId;
    private String secondImage;

    @BeforeAll
    void startTheDistributionWithTheSample()
            throws IOException, InterruptedException
    {
        Path home = Distribution.unpack(folder);
        hub = DistributionHub.start(home, folder.resolve("data"), folder.resolve("hub.log"));
        http = new HubHttp();
        adminToken = hub.adminToken();

        HubHttp.Response integration = http.post(hub.httpUrl() + "/api/v1/integrations", adminToken, "application/json",
                "{\"plugin\":\"snyk\",\"name\":\"monitor\",\"config\":{},\"expiresIn\":\"P3M\"}");
        assertThat(integration.status()).as(integration.body()).isEqualTo(201);
        JsonObject token = new JsonObject(integration.body()).getJsonObject("token");
        integrationToken = token.getString("secret");
        integrationTokenId = token.getString("id");
        integrationId = new JsonObject(integration.body()).getString("id");
        assertThat(integrationToken).startsWith("rlt_");

        Path sample = Distribution.examples().resolve("alpine-3.17");
        HubHttp.Response sbom = http.post(hub.httpUrl() + "/api/v1/sboms", adminToken, "application/json", Files.readString(sample.resolve("sbom.syft.json")));
        assertThat(sbom.status()).as(sbom.body()).isEqualTo(201);
        assertThat(new JsonObject(sbom.body()).getString("imageDigest")).isEqualTo(ALPINE);
        HubHttp.Response report = http.post(hub.httpUrl() + "/api/v1/vulnerability-reports", adminToken, "application/json",
                Files.readString(sample.resolve("report.grype.json")));
        assertThat(report.status()).as(report.body()).isEqualTo(201);

        // the sample's two clusters, prod-us renamed to a name that must be URL-encoded, plus a lower-case workload kind
        String events = Files.readString(sample.resolve("events.ndjson")).replace("\"cluster\":\"prod-us\"", "\"cluster\":\"My cluster\"")
                + shellEvent(ALPINE, "payments", "daemonset", "audit", "2026-11-20T16:00:00Z");
        postEvents(events);
        awaitWorkloads("My cluster", 2);
        awaitWorkloads("prod-eu", 1);
    }

    @AfterAll
    void stop()
            throws InterruptedException
    {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    @Order(1)
    void theMonitorsProbeGetsOneItemAndACursor()
            throws IOException, InterruptedException
    {
        HubHttp.Response response = monitor(V2 + "?clusterName=My%20cluster&limit=1", integrationToken);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.contentType()).contains("application/json");
        JsonObject body = new JsonObject(response.body());
        String next = body.getJsonObject("page").getString("next");
        assertThat(next).matches("[A-Za-z0-9_-]+");
        assertThat(body).isEqualTo(page(List.of(item(ALPINE, "payments", "audit", "DaemonSet", "audit", SHELL_ONLY)), Optional.of(next)));
    }

    @Test
    @Order(2)
    void pagingToTheEndLosesAndRepeatsNothingWhileANewImageArrives()
            throws IOException, InterruptedException
    {
        List<JsonObject> seen = new ArrayList<>();
        JsonObject first = new JsonObject(monitor(V2 + "?clusterName=My%20cluster&limit=1", integrationToken).body());
        seen.addAll(items(first));
        String cursor = first.getJsonObject("page").getString("next");

        // a second image starts running in the cluster between two pages: one workload sorts before the cursor, one after
        secondImage = postSecondImage();
        postEvents(shellEvent(secondImage, "payments", "cronjob", "batch", "2026-11-21T08:00:00Z")
                + shellEvent(secondImage, "payments", "deployment", "reports", "2026-11-21T08:00:00Z"));
        awaitWorkloads("My cluster", 4);

        int pages = 1;
        while (cursor != null) {
            HubHttp.Response response = monitor(V2 + "?clusterName=My%20cluster&limit=1&cursor=" + cursor, integrationToken);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            JsonObject page = new JsonObject(response.body());
            assertThat(page.getJsonObject("page").getInteger("returned")).isEqualTo(page.getJsonArray("data").size());
            seen.addAll(items(page));
            cursor = page.getJsonObject("page").getString("next");
            assertThat(++pages).as("pages").isLessThanOrEqualTo(10);
        }

        // the listing is ordered by namespace, workload kind, name: batch (CronJob) sorts before the cursor, reports after it
        assertThat(seen).containsExactly(
                item(ALPINE, "payments", "audit", "DaemonSet", "audit", SHELL_ONLY),
                item(secondImage, "payments", "reports", "Deployment", "reports", SHELL_ONLY),
                item(ALPINE, "payments", "ledger", "StatefulSet", "ledger", SHELL_ONLY));

        // a new listing sees everything, in the listing's stable order
        HubHttp.Response all = monitor(V2 + "?clusterName=My%20cluster&limit=10", integrationToken);
        assertThat(new JsonObject(all.body())).isEqualTo(page(List.of(
                item(secondImage, "payments", "batch", "CronJob", "batch", SHELL_ONLY),
                item(ALPINE, "payments", "audit", "DaemonSet", "audit", SHELL_ONLY),
                item(secondImage, "payments", "reports", "Deployment", "reports", SHELL_ONLY),
                item(ALPINE, "payments", "ledger", "StatefulSet", "ledger", SHELL_ONLY)), Optional.empty()));
    }

    @Test
    @Order(3)
    void eachClusterListsOnlyItsOwnWorkloads()
            throws IOException, InterruptedException
    {
        HubHttp.Response prodEu = monitor(V2 + "?clusterName=prod-eu&limit=10", integrationToken);
        assertThat(prodEu.status()).isEqualTo(200);
        assertThat(new JsonObject(prodEu.body())).isEqualTo(page(List.of(
                item(ALPINE, "shop", "cart", "Deployment", "cart", "[" + BUSYBOX_BINSH + "," + BUSYBOX + "," + LIBCRYPTO + "," + MUSL + "]")), Optional.empty()));

        HubHttp.Response unknown = monitor(V2 + "?clusterName=No%20such%20cluster&limit=10", integrationToken);
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.contentType()).contains("application/json");
        assertThat(new JsonObject(unknown.body())).isEqualTo(new JsonObject("{\"data\":[],\"page\":{\"returned\":0}}"));
    }

    @Test
    @Order(4)
    void theV1RouteListsTheClusterSetOnTheIntegration()
            throws IOException, InterruptedException
    {
        // v1 requests name no cluster and the monitor tags everything with its own: every cluster would mix them
        HubHttp.Response unscoped = monitor("/v1/runtimeimages?limit=10&cursor=", integrationToken);
        assertThat(unscoped.status()).as(unscoped.body()).isEqualTo(422);
        assertThat(unscoped.contentType()).contains("application/json");
        assertThat(new JsonObject(unscoped.body())).isEqualTo(new JsonObject()
                .put("error", "unprocessable_entity")
                .put("message", "The v1 route serves one cluster and this integration names none: set 'v1Cluster' in its configuration "
                        + "to the Runlight cluster the monitor watches, or configure the monitor for v2 (SNYK_SYSDIG_ENDPOINT_URL and SNYK_SYSDIG_CLUSTER_NAME)"));

        HubHttp.Response updated = http.send(HttpRequest.newBuilder(URI.create(hub.httpUrl() + "/api/v1/integrations/" + integrationId))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"config\": {\"v1Cluster\": \"prod-eu\"}}")));
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);

        HubHttp.Response response = monitor("/v1/runtimeimages?limit=10&cursor=", integrationToken);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.contentType()).contains("application/json");
        assertThat(new JsonObject(response.body())).isEqualTo(page(List.of(
                item(ALPINE, "shop", "cart", "Deployment", "cart", "[" + BUSYBOX_BINSH + "," + BUSYBOX + "," + LIBCRYPTO + "," + MUSL + "]")), Optional.empty()));
    }

    @Test
    @Order(5)
    void aRevokedTokenIsRefused()
            throws IOException, InterruptedException
    {
        HubHttp.Response revoked = http.delete(hub.httpUrl() + "/api/v1/tokens/" + integrationTokenId, adminToken);
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);

        HubHttp.Response v2 = monitor(V2 + "?clusterName=My%20cluster&limit=1", integrationToken);
        assertThat(v2.status()).isEqualTo(401);
        assertThat(v2.contentType()).contains("application/json");
        assertThat(new JsonObject(v2.body()).getString("error")).isEqualTo("unauthenticated");
        assertThat(new JsonObject(v2.body()).getString("message")).isNotBlank().doesNotContain(integrationToken);
        assertThat(monitor("/v1/runtimeimages?limit=10&cursor=", integrationToken).status()).isEqualTo(401);
    }

    /** A GET exactly as Snyk's monitor sends it, over HTTPS. */
    private HubHttp.Response monitor(String pathAndQuery, String token)
            throws IOException, InterruptedException
    {
        return http.send(HttpRequest.newBuilder(URI.create(hub.httpsUrl() + pathAndQuery))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .header("Accept-Encoding", "gzip, deflate, br")
                .GET());
    }

    private void postEvents(String ndjson)
            throws IOException, InterruptedException
    {
        HubHttp.Response response = http.post(hub.httpUrl() + "/api/v1/runtime/events", adminToken, "application/x-ndjson", ndjson);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(new JsonObject(response.body()).getInteger("rejected")).as(response.body()).isZero();
    }

    /** The sample SBOM under new digests: a second image with the same packages. Returns the digest the hub keyed it by. */
    private String postSecondImage()
            throws IOException, InterruptedException
    {
        String sbom = Files.readString(Distribution.examples().resolve("alpine-3.17/sbom.syft.json"));
        for (int i = 0; i < SAMPLE_DIGESTS.size(); i++) {
            sbom = sbom.replace(SAMPLE_DIGESTS.get(i), sha256Hex("second image/" + i));
        }
        HubHttp.Response response = http.post(hub.httpUrl() + "/api/v1/sboms", adminToken, "application/json", sbom);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        String digest = new JsonObject(response.body()).getString("imageDigest");
        assertThat(digest).isNotEqualTo(ALPINE);
        return digest;
    }

    /** Waits (at most 20 s) until the hub lists {@code count} workload containers with packages in use in {@code cluster}. */
    private void awaitWorkloads(String cluster, int count)
            throws IOException, InterruptedException
    {
        String url = hub.httpUrl() + "/api/v1/workloads?limit=100&cluster=" + cluster.replace(" ", "%20");
        long deadline = System.nanoTime() + 20_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            HubHttp.Response response = http.get(url, adminToken);
            last = response.body();
            if (response.status() == 200) {
                JsonArray workloads = new JsonObject(response.body()).getJsonArray("workloads");
                if (workloads.size() == count && workloads.stream().map(JsonObject.class::cast).allMatch(workload -> !workload.getJsonArray("packagesInUse").isEmpty())) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the hub did not list " + count + " workloads in cluster '" + cluster + "' within 20 s; last answer: " + last);
    }

    private static String shellEvent(String digest, String namespace, String kind, String name, String time)
    {
        return new JsonObject()
                .put("time", time)
                .put("cluster", "My cluster")
                .put("namespace", namespace)
                .put("workloadKind", kind)
                .put("workloadName", name)
                .put("pod", name + "-0")
                .put("container", name)
                .put("containerId", "containerd://" + name)
                .put("imageDigest", digest)
                .put("kind", "exec")
                .put("path", "/bin/busybox")
                .put("process", "/bin/busybox")
                .encode() + "\n";
    }

    private static JsonObject item(String imageId, String namespace, String workloadName, String workloadKind, String container, String packages)
    {
        return new JsonObject()
                .put("imageID", imageId)
                .put("namespace", namespace)
                .put("workloadName", workloadName)
                .put("workloadKind", workloadKind)
                .put("container", container)
                .put("packages", new JsonArray(packages));
    }

    private static JsonObject page(List<JsonObject> items, Optional<String> next)
    {
        JsonObject page = new JsonObject().put("returned", items.size());
        next.ifPresent(cursor -> page.put("next", cursor));
        return new JsonObject().put("data", new JsonArray(new ArrayList<>(items))).put("page", page);
    }

    private static List<JsonObject> items(JsonObject page)
    {
        return page.getJsonArray("data").stream().map(JsonObject.class::cast).toList();
    }

    private static String sha256Hex(String text)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
