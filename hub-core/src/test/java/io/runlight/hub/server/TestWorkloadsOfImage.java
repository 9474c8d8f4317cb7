package io.runlight.hub.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.runlight.hub.Await;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.sbom.SbomReader;
import io.runlight.plugin.api.ImageDigest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/workloads?image=<digest>}: only the workloads running that image, named
 * by any of its digests, paged with cursors that stay valid while workloads of this and
 * other images arrive between pages.
 */
class TestWorkloadsOfImage
{
    private static final String UNKNOWN_DIGEST = "sha256:" + "0".repeat(64);

    @TempDir
    static Path dataDir;

    private static AutoCloseable fastMembers;
    private static Hub hub;
    private static HubClient client;
    private static String admin;
    /** Image copy "a": three workloads; every digest its SBOM names. */
    private static List<String> imageA;
    /** Image copy "b": two workloads with the same names as two of a's. */
    private static List<String> imageB;
    /** Image copy "c": an SBOM, no runtime events. */
    private static List<String> imageC;

    @BeforeAll
    static void startHub()
            throws Exception
    {
        fastMembers = HubTesting.fastMembersInThisJvm();
        hub = HubTesting.start(HubTesting.config(dataDir, HubTesting.freePort(), Map.of()));
        client = new HubClient(HubClient.newHttpClient(), HubTesting.httpUrl(hub));
        admin = HubClient.adminToken(dataDir);
        imageA = postSbom("a");
        imageB = postSbom("b");
        imageC = postSbom("c");
        postEvents(imageA.get(0), "api", "cart", "web");
        postEvents(imageB.get(0), "cart", "web");
        assertThat(Await.await(Duration.ofSeconds(20), () -> workloads("/api/v1/workloads?limit=1000").size() == 5)).isTrue();
    }

    @AfterAll
    static void stopHub()
            throws Exception
    {
        hub.close();
        fastMembers.close();
    }

    @Test
    void listsTheWorkloadsOfTheImageByAnyOfItsDigests()
            throws Exception
    {
        assertThat(imageA).hasSize(3);
        String canonical = imageA.get(0);
        for (String digest : imageA) {
            List<JsonObject> found = workloads("/api/v1/workloads?image=" + digest);
            assertThat(found).extracting(item -> item.getJsonObject("workload").getString("name")).as(digest).containsExactly("api", "cart", "web");
            assertThat(found).extracting(item -> item.getString("imageDigest")).as(digest).containsOnly(canonical);
        }
        // digests are case-insensitive, as for /api/v1/images/{digest}
        assertThat(workloads("/api/v1/workloads?image=" + imageA.get(2).toUpperCase(Locale.ROOT).replace("SHA256", "sha256")))
                .extracting(item -> item.getJsonObject("workload").getString("name")).containsExactly("api", "cart", "web");
        assertThat(workloads("/api/v1/workloads?image=" + imageB.get(1)))
                .extracting(item -> item.getJsonObject("workload").getString("name") + "@" + item.getString("imageDigest"))
                .containsExactly("cart@" + imageB.get(0), "web@" + imageB.get(0));
        // the other filters still apply
        assertThat(workloads("/api/v1/workloads?cluster=test&image=" + canonical)).hasSize(3);
        assertThat(workloads("/api/v1/workloads?cluster=prod&image=" + canonical)).isEmpty();
    }

    @Test
    void anImageWithoutWorkloadsOrUnknownGivesAnEmptyPage()
            throws Exception
    {
        for (String digest : List.of(imageC.get(0), UNKNOWN_DIGEST)) {
            HttpResponse<String> response = client.get("/api/v1/workloads?image=" + digest, admin);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(new JsonObject(response.body())).isEqualTo(new JsonObject("{\"workloads\": [], \"page\": {\"returned\": 0}}"));
        }
    }

    @Test
    void aDigestThatIsNotOneIsBadRequest()
            throws Exception
    {
        assertBadRequest("/api/v1/workloads?image=alpine:3.17", "image 'alpine:3.17' is not an image digest: use sha256:<64 hex digits>.");
        assertBadRequest("/api/v1/workloads?image=" + URLEncoder.encode("sha256:abc", StandardCharsets.UTF_8),
                "image 'sha256:abc' is not an image digest: use sha256:<64 hex digits>.");
        assertBadRequest("/api/v1/workloads?image=" + "f".repeat(100),
                "image '" + "f".repeat(77) + "...' is not an image digest: use sha256:<64 hex digits>.");
        assertBadRequest("/api/v1/workloads?image=" + imageA.get(0) + "&cursor=garbage",
                "cursor 'garbage' is not one this hub issued: start again without a cursor");
    }

    @Test
    void cursorsStayValidWhileWorkloadsArrive()
            throws Exception
    {
        List<String> imageD = postSbom("d");
        List<String> imageE = postSbom("e");
        postEvents(imageD.get(0), "cart", "web");
        String canonical = imageD.get(0);
        String byAlias = "/api/v1/workloads?limit=1000&image=" + imageD.get(2);
        assertThat(Await.await(Duration.ofSeconds(20), () -> workloads(byAlias).size() == 2)).isTrue();

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int added = 0;
        do {
            String path = "/api/v1/workloads?limit=1&image=" + imageD.get(2) + (cursor == null ? "" : "&cursor=" + cursor);
            HttpResponse<String> response = client.get(path, admin);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonObject page = new JsonObject(response.body());
            for (Object item : page.getJsonArray("workloads")) {
                JsonObject workload = (JsonObject) item;
                seen.add(workload.getJsonObject("workload").getString("name") + "@" + workload.getString("imageDigest"));
            }
            cursor = page.getJsonObject("page").getString("next");
            if (added < 3) {
                // between the first pages, this image gains workloads sorting before and after the cursor, and another image gains one
                postEvents(canonical, "a" + added, "z" + added);
                postEvents(imageE.get(0), "m" + added);
                added++;
                int expected = 2 + 2 * added;
                assertThat(Await.await(Duration.ofSeconds(20), () -> workloads(byAlias).size() == expected)).isTrue();
            }
        }
        while (cursor != null);

        // no repeats, nothing of another image, and every workload sorting after the cursor when it arrived
        assertThat(seen).containsExactly("cart@" + canonical, "web@" + canonical, "z0@" + canonical, "z1@" + canonical, "z2@" + canonical);
        // the other image may be computed in the next pass after this one's last change: wait for its third workload
        String ofImageE = "/api/v1/workloads?limit=1000&image=" + imageE.get(1);
        assertThat(Await.await(Duration.ofSeconds(20), () -> workloads(ofImageE).size() == 3)).isTrue();
        assertThat(workloads(ofImageE))
                .extracting(item -> item.getJsonObject("workload").getString("name") + "@" + item.getString("imageDigest"))
                .containsExactly("m0@" + imageE.get(0), "m1@" + imageE.get(0), "m2@" + imageE.get(0));
    }

    private static void assertBadRequest(String path, String message)
            throws IOException, InterruptedException
    {
        HttpResponse<String> response = client.get(path, admin);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(new JsonObject(response.body())).isEqualTo(new JsonObject().put("error", "bad_request").put("message", message));
    }

    private static List<JsonObject> workloads(String path)
            throws IOException, InterruptedException
    {
        HttpResponse<String> response = client.get(path, admin);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body()).getJsonArray("workloads").stream().map(JsonObject.class::cast).toList();
    }

    /** Posts the SBOM of image copy {@code seed}; returns the canonical digest first, then its other digests. */
    private static List<String> postSbom(String seed)
            throws IOException, InterruptedException
    {
        String sbom = HubDocuments.sbom(seed);
        HttpResponse<String> response = client.post("/api/v1/sboms", admin, "application/json", sbom);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        List<String> digests = new ArrayList<>();
        digests.add(new JsonObject(response.body()).getString("imageDigest"));
        new SbomReader(InputLimits.DEFAULT).read(new ByteArrayInputStream(sbom.getBytes(StandardCharsets.UTF_8))).image().digests().stream()
                .map(ImageDigest::value)
                .filter(digest -> !digests.contains(digest))
                .forEach(digests::add);
        return List.copyOf(digests);
    }

    /** One exec event per named workload (Deployment/NAME, container "cart") of the image. */
    private static void postEvents(String digest, String... workloadNames)
            throws IOException, InterruptedException
    {
        StringBuilder events = new StringBuilder();
        for (String name : workloadNames) {
            JsonObject event = new JsonObject(HubDocuments.execEvent(digest, "pod-" + name, Instant.parse("2026-11-28T12:00:00Z")).strip())
                    .put("workloadName", name);
            events.append(event.encode()).append('\n');
        }
        HttpResponse<String> response = client.post("/api/v1/runtime/events", admin, "application/x-ndjson", events.toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }
}
