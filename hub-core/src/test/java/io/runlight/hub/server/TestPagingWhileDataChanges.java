package io.runlight.hub.server;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.hub.Await;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 4: "limit/cursor paging that is stable while data changes". Images and
 * workloads are listed page by page while new images arrive between the pages, some
 * sorting before and some after the cursor: no item that existed when paging began
 * is lost, none is repeated, and a cursor stays valid.
 */
class TestPagingWhileDataChanges
{
    @TempDir
    Path dataDir;

    @Test
    void cursorsSurviveNewImagesBetweenPages()
            throws Exception
    {
        try (AutoCloseable fast = HubTesting.fastMembersInThisJvm();
                Hub hub = HubTesting.start(HubTesting.config(dataDir, HubTesting.freePort(), Map.of()))) {
            HubClient client = new HubClient(HubClient.newHttpClient(), HubTesting.httpUrl(hub));
            String admin = HubClient.adminToken(dataDir);
            Set<String> before = new TreeSet<>();
            for (int i = 0; i < 7; i++) {
                before.add(postImage(client, admin, "before-" + i, i));
            }
            assertThat(Await.await(Duration.ofSeconds(20), () -> imageCount(client, admin) == 7)).isTrue();
            assertThat(Await.await(Duration.ofSeconds(20), () -> workloadCount(client, admin) == 7)).isTrue();

            List<String> seenImages = new ArrayList<>();
            List<String> seenWorkloads = new ArrayList<>();
            String imageCursor = null;
            String workloadCursor = null;
            int added = 0;
            do {
                JsonObject images = page(client, admin, "/api/v1/images?limit=2", imageCursor);
                images.getJsonArray("images").forEach(item -> seenImages.add(((JsonObject) item).getString("digest")));
                imageCursor = images.getJsonObject("page").getString("next");
                JsonObject workloads = page(client, admin, "/api/v1/workloads?limit=2", workloadCursor);
                for (Object item : workloads.getJsonArray("workloads")) {
                    JsonObject workload = (JsonObject) item;
                    seenWorkloads.add(workload.getJsonObject("workload").getString("name") + "@" + workload.getString("imageDigest"));
                }
                workloadCursor = workloads.getJsonObject("page").getString("next");
                // an image arrives between pages; its digest sorts anywhere relative to the cursor
                String digest = postImage(client, admin, "during-" + added, 100 + added);
                added++;
                assertThat(Await.await(Duration.ofSeconds(20), () -> client.image(digest, admin).isPresent())).isTrue();
            }
            while (imageCursor != null || workloadCursor != null);

            assertThat(seenImages).doesNotHaveDuplicates().containsAll(before);
            assertThat(seenWorkloads).doesNotHaveDuplicates();
            assertThat(seenWorkloads.stream().map(item -> item.substring(item.indexOf('@') + 1)).toList()).containsAll(before);
        }
    }

    private static String postImage(HubClient client, String admin, String seed, int minute)
            throws IOException, InterruptedException
    {
        HttpResponse<String> sbom = client.post("/api/v1/sboms", admin, "application/json", HubDocuments.sbom(seed));
        assertThat(sbom.statusCode()).as(sbom.body()).isEqualTo(201);
        String digest = new JsonObject(sbom.body()).getString("imageDigest");
        String event = HubDocuments.execEvent(digest, "pod-" + seed, Instant.parse("2026-11-28T12:00:00Z").plusSeconds(60L * minute));
        HttpResponse<String> events = client.post("/api/v1/runtime/events", admin, "application/x-ndjson", event);
        assertThat(events.statusCode()).as(events.body()).isEqualTo(202);
        return digest;
    }

    private static JsonObject page(HubClient client, String admin, String path, String cursor)
            throws IOException, InterruptedException
    {
        String url = cursor == null ? path : path + "&cursor=" + cursor;
        HttpResponse<String> response = client.get(url, admin);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    private static int imageCount(HubClient client, String admin)
            throws IOException, InterruptedException
    {
        return new JsonObject(client.get("/api/v1/images?limit=1000", admin).body()).getJsonArray("images").size();
    }

    private static int workloadCount(HubClient client, String admin)
            throws IOException, InterruptedException
    {
        JsonArray workloads = new JsonObject(client.get("/api/v1/workloads?limit=1000", admin).body()).getJsonArray("workloads");
        return workloads.size();
    }
}
