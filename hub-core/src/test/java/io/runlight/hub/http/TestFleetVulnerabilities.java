package io.runlight.hub.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.hub.auth.Role;
import io.runlight.hub.insights.HubMaps;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet-wide vulnerability list on a real hub loaded with the demo's sample (real Syft,
 * Grype and Trivy output, five workloads in two clusters, a 24-hour learning window): the
 * usage rule, every filter, the rank order, paging, the honest summary, one vulnerability
 * with its workloads and evidence, and the same answers after a restart.
 */
final class TestFleetVulnerabilities
{
    static final List<String> LIBCRYPTO3_CVES = List.of("CVE-2023-5363", "CVE-2023-0464", "CVE-2023-0465", "CVE-2023-0466", "CVE-2023-1255",
            "CVE-2023-2650", "CVE-2023-2975", "CVE-2023-3446", "CVE-2023-3817", "CVE-2023-5678");
    static final List<String> LEARNING_CVES = List.of("CVE-2019-1549", "CVE-2019-1551", "CVE-2019-18224", "CVE-2019-18276");

    @TempDir
    static Path dataDir;

    private static RunningHub hub;
    private static String token;

    @BeforeAll
    static void startHub()
    {
        hub = start();
        token = hub.jwt(Role.READ);
        String ingest = hub.jwt(Role.INGEST);
        for (String sbom : List.of("alpine-3.17.2.syft.json", "debian-buster.trivy.json", "alpine-3.10.trivy.json")) {
            assertThat(hub.post("/api/v1/sboms", ingest, "application/json", demo(sbom)).status()).isEqualTo(201);
        }
        for (String report : List.of("alpine-3.17.2.grype.json", "debian-buster.trivy.json", "alpine-3.10.trivy.json")) {
            assertThat(hub.post("/api/v1/vulnerability-reports", ingest, "application/json", demo(report)).status()).isEqualTo(201);
        }
        assertThat(hub.post("/api/v1/runtime/events", ingest, "application/x-ndjson", demo("events.ndjson")).json().path("rejected").asInt()).isEqualTo(0);
        awaitList(hub, list -> list.path("summary").path("vulnerabilities").asInt() == 14 && list.path("summary").path("inUse").asInt() == 10);
    }

    @AfterAll
    static void stopHub()
    {
        if (hub != null) {
            hub.close();
        }
    }

    private static RunningHub start()
    {
        return RunningHub.start(dataDir, Clock.systemUTC(), Map.of("insights.learning-window", "PT24H"));
    }

    @Test
    void inUseListsExactlyTheLibcrypto3CvesWithTheirWorkloads()
    {
        JsonNode list = hub.get("/api/v1/vulnerabilities?usage=IN_USE", token).json();
        assertThat(ids(list)).containsExactlyInAnyOrderElementsOf(LIBCRYPTO3_CVES);
        for (JsonNode row : list.path("vulnerabilities")) {
            assertThat(row.path("usage").asText()).isEqualTo("IN_USE");
            assertThat(row.path("images").asInt()).isEqualTo(1);
            assertThat(row.path("workloads").asInt()).as("cart in both clusters and ledger").isEqualTo(3);
            assertThat(row.path("clusters").asInt()).isEqualTo(2);
            assertThat(row.path("workloadsInUse").asInt()).isEqualTo(2);
            assertThat(row.path("inUseBy").toString()).isEqualTo("[{\"cluster\":\"prod-eu\",\"namespace\":\"shop\",\"kind\":\"Deployment\",\"name\":\"cart\",\"container\":\"cart\"},"
                    + "{\"cluster\":\"staging\",\"namespace\":\"shop\",\"kind\":\"Deployment\",\"name\":\"cart\",\"container\":\"cart\"}]");
            List<String> packages = new ArrayList<>();
            row.path("packages").forEach(pkg -> packages.add(pkg.path("name").asText() + " " + pkg.path("usage").asText()));
            assertThat(packages).containsExactly("libcrypto3 IN_USE", "libssl3 NOT_IN_USE");
        }
        // rank order: the two HIGH ones first
        assertThat(ids(list).subList(0, 2)).containsExactlyInAnyOrder("CVE-2023-5363", "CVE-2023-0464");
    }

    @Test
    void theLearningImagesCvesAreUnknownAndNoReductionIsClaimed()
    {
        JsonNode list = hub.get("/api/v1/vulnerabilities", token).json();
        assertThat(ids(list)).hasSize(14);
        assertThat(ids(list).subList(0, 10)).containsExactlyInAnyOrderElementsOf(LIBCRYPTO3_CVES);
        assertThat(ids(list).subList(10, 14)).as("unknown after in use, CRITICAL first").containsExactly("CVE-2019-18224", "CVE-2019-1549", "CVE-2019-1551", "CVE-2019-18276");
        for (JsonNode row : list.path("vulnerabilities")) {
            if (LEARNING_CVES.contains(row.path("id").asText())) {
                assertThat(row.path("usage").asText()).as(row.path("id").asText()).isEqualTo("UNKNOWN");
            }
        }
        // backup (alpine 3.10) observed 8 h and legacy-portal (debian) 6 h of 24: 18 h more, until 03:00 the next day
        assertThat(list.path("summary").toString()).isEqualTo("{\"vulnerabilities\":14,\"inUse\":10,\"notInUse\":0,\"unknown\":4,\"final\":false,"
                + "\"learningImages\":2,\"observationLeft\":\"PT18H\",\"finalAt\":\"2026-11-29T03:00:00Z\"}");
        assertThat(hub.get("/api/v1/vulnerabilities?usage=unknown", token).json().path("vulnerabilities").size()).isEqualTo(4);
    }

    @Test
    void imageListingsTellUnknownFromNotInUseAndWhenVerdictsBecomeFinal()
    {
        List<String> images = new ArrayList<>();
        for (JsonNode image : hub.get("/api/v1/images", token).json().path("images")) {
            images.add(image.path("profile").path("state").asText() + " " + image.path("vulnerabilityUsage") + " " + image.path("finalIn").asText("-"));
        }
        // alpine 3.17.2, then the debian (legacy-portal, 6 h observed) and alpine 3.10 (backup, 8 h) images, by digest
        assertThat(images).containsExactlyInAnyOrder(
                "COMPLETE {\"inUse\":10,\"notInUse\":10,\"unknown\":0} -",
                "LEARNING {\"inUse\":0,\"notInUse\":0,\"unknown\":2} PT18H",
                "LEARNING {\"inUse\":0,\"notInUse\":0,\"unknown\":4} PT16H");
    }

    @Test
    void imageListingsComeFromSummariesThatMatchTheDocumentsAndFilter()
    {
        JsonNode listed = hub.get("/api/v1/images", token).json();
        assertThat(listed.path("images").size()).isEqualTo(3);
        for (JsonNode image : listed.path("images")) {
            JsonNode document = hub.get("/api/v1/images/" + image.path("digest").asText(), token).json();
            for (String field : List.of("digest", "names", "profile", "summary")) {
                assertThat(image.path(field)).as(field).isEqualTo(document.path(field));
            }
        }
        // staging runs cart (alpine 3.17.2) and legacy-portal (debian); its namespace shop only cart
        assertThat(digests("/api/v1/images?cluster=staging")).hasSize(2).contains(RunningHub.ALPINE_DIGEST);
        assertThat(digests("/api/v1/images?cluster=staging&namespace=shop")).containsExactly(RunningHub.ALPINE_DIGEST);
        assertThat(digests("/api/v1/images?namespace=payments")).containsExactly(RunningHub.ALPINE_DIGEST);
        assertThat(digests("/api/v1/images?inUse=true")).containsExactly(RunningHub.ALPINE_DIGEST);
        assertThat(digests("/api/v1/images?inUse=false")).hasSize(2).doesNotContain(RunningHub.ALPINE_DIGEST);
        assertThat(digests("/api/v1/images?cluster=nowhere")).isEmpty();

        // an image computed before summaries were kept gets its summary from its document on the next listing
        hub.hub().store().map(HubMaps.IMAGE_SUMMARIES).remove(RunningHub.ALPINE_DIGEST);
        assertThat(hub.get("/api/v1/images", token).json()).isEqualTo(listed);
        assertThat(hub.hub().store().map(HubMaps.IMAGE_SUMMARIES).containsKey(RunningHub.ALPINE_DIGEST)).isTrue();
    }

    private static List<String> digests(String path)
    {
        List<String> digests = new ArrayList<>();
        hub.get(path, token).json().path("images").forEach(image -> digests.add(image.path("digest").asText()));
        return digests;
    }

    @Test
    void filtersSelectRowsAndScopeTheirCounts()
    {
        JsonNode libssl = hub.get("/api/v1/vulnerabilities?package=libssl3", token).json();
        assertThat(ids(libssl)).containsExactlyInAnyOrderElementsOf(LIBCRYPTO3_CVES);
        libssl.path("vulnerabilities").forEach(row -> assertThat(row.path("usage").asText()).isEqualTo("NOT_IN_USE"));
        assertThat(libssl.path("summary").toString()).isEqualTo("{\"vulnerabilities\":10,\"inUse\":0,\"notInUse\":10,\"unknown\":0,\"final\":true,"
                + "\"workingSetReduction\":1.0,\"learningImages\":0}");

        JsonNode staging = hub.get("/api/v1/vulnerabilities?cluster=staging", token).json();
        assertThat(ids(staging)).hasSize(12).doesNotContain("CVE-2019-1549", "CVE-2019-1551");
        JsonNode first = staging.path("vulnerabilities").get(0);
        assertThat(first.path("workloads").asInt()).isEqualTo(1);
        assertThat(first.path("clusters").asInt()).isEqualTo(1);

        JsonNode payments = hub.get("/api/v1/vulnerabilities?namespace=payments", token).json();
        // ledger runs alpine 3.17.2 but never loaded libcrypto3: not called unused there, since its sources are not judged per container
        assertThat(ids(payments)).containsExactlyInAnyOrderElementsOf(LIBCRYPTO3_CVES);
        payments.path("vulnerabilities").forEach(row -> assertThat(row.path("usage").asText()).isEqualTo("UNKNOWN"));

        assertThat(ids(hub.get("/api/v1/vulnerabilities?severity=high", token).json())).containsExactly("CVE-2023-0464", "CVE-2023-5363", "CVE-2019-18224");
        assertThat(ids(hub.get("/api/v1/vulnerabilities?image=alpine:3.10&usage=UNKNOWN", token).json())).isEmpty();
        assertThat(ids(hub.get("/api/v1/vulnerabilities?image=" + RunningHub.ALPINE_DIGEST, token).json())).containsExactlyInAnyOrderElementsOf(LIBCRYPTO3_CVES);
        assertThat(ids(hub.get("/api/v1/vulnerabilities?exploited=true", token).json())).isEmpty();
        JsonNode fixable = hub.get("/api/v1/vulnerabilities?fixable=true", token).json();
        fixable.path("vulnerabilities").forEach(row -> assertThat(row.path("fixAvailable").asBoolean()).isTrue());
        assertThat(ids(fixable)).contains("CVE-2019-18224").doesNotContain("CVE-2019-18276");
    }

    @Test
    void pagesFollowTheRankOrder()
    {
        List<String> all = ids(hub.get("/api/v1/vulnerabilities", token).json());
        List<String> paged = new ArrayList<>();
        String path = "/api/v1/vulnerabilities?limit=4";
        int pages = 0;
        while (true) {
            JsonNode page = hub.get(path, token).json();
            pages++;
            paged.addAll(ids(page));
            if (!page.path("page").has("next")) {
                break;
            }
            path = "/api/v1/vulnerabilities?limit=4&cursor=" + page.path("page").path("next").asText();
        }
        assertThat(pages).isEqualTo(4);
        assertThat(paged).isEqualTo(all);
    }

    @Test
    void oneVulnerabilityShowsEveryWorkloadWithItsUsageAndEvidence()
    {
        JsonNode detail = hub.get("/api/v1/vulnerabilities/CVE-2023-5363", token).json();
        assertThat(detail.path("usage").asText()).isEqualTo("IN_USE");
        assertThat(detail.path("affectedImages").size()).isEqualTo(1);
        JsonNode image = detail.path("affectedImages").get(0);
        assertThat(image.path("digest").asText()).isEqualTo(RunningHub.ALPINE_DIGEST);
        assertThat(image.path("profile").path("state").asText()).isEqualTo("COMPLETE");
        List<String> workloads = new ArrayList<>();
        image.path("workloads").forEach(workload -> workloads.add(workload.path("cluster").asText() + "/" + workload.path("name").asText() + " " + workload.path("usage").asText()));
        assertThat(workloads).containsExactly("prod-eu/ledger UNKNOWN", "prod-eu/cart IN_USE", "staging/cart IN_USE");
        JsonNode cart = image.path("workloads").get(1).path("packages");
        assertThat(cart.get(0).path("purl").asText()).startsWith("pkg:apk/alpine/libcrypto3@3.0.8-r0");
        assertThat(cart.get(0).path("evidence").get(0).path("kind").asText()).isEqualTo("mmap");
        assertThat(cart.get(0).path("evidence").get(0).path("path").asText()).isEqualTo("/usr/lib/libcrypto.so.3");
        assertThat(cart.get(1).path("purl").asText()).startsWith("pkg:apk/alpine/libssl3@3.0.8-r0");
        assertThat(cart.get(1).path("usage").asText()).isEqualTo("NOT_IN_USE");

        assertThat(hub.get("/api/v1/vulnerabilities/CVE-1999-0001", token).body())
                .isEqualTo("{\"error\":\"not_found\",\"message\":\"No image has vulnerability 'CVE-1999-0001': check the id, or post the scan reports that list it to /api/v1/vulnerability-reports.\"}");
    }

    @Test
    void badParametersAreRefusedByName()
    {
        assertThat(hub.get("/api/v1/vulnerabilities?usage=maybe", token).body())
                .isEqualTo("{\"error\":\"bad_request\",\"message\":\"usage 'maybe' is not a verdict: use IN_USE, NOT_IN_USE or UNKNOWN.\"}");
        assertThat(hub.get("/api/v1/vulnerabilities?severity=worst", token).body())
                .isEqualTo("{\"error\":\"bad_request\",\"message\":\"severity 'worst' is not a severity: use CRITICAL, HIGH, MEDIUM, LOW, NEGLIGIBLE or UNKNOWN.\"}");
        assertThat(hub.get("/api/v1/vulnerabilities?fixable=yes", token).body())
                .isEqualTo("{\"error\":\"bad_request\",\"message\":\"fixable 'yes' is not true or false.\"}");
        assertThat(hub.get("/api/v1/vulnerabilities?cursor=nonsense", token).status()).isEqualTo(400);
        assertThat(hub.get("/api/v1/vulnerabilities", null).status()).isEqualTo(401);
    }

    @Test
    void theListIsTheSameAfterARestart()
    {
        String before = hub.get("/api/v1/vulnerabilities", token).body();
        hub.close();
        hub = start();
        token = hub.jwt(Role.READ);
        // built from the stored images at start, before the first request
        assertThat(hub.get("/api/v1/vulnerabilities", token).body()).isEqualTo(before);
    }

    static List<String> ids(JsonNode list)
    {
        List<String> ids = new ArrayList<>();
        list.path("vulnerabilities").forEach(row -> ids.add(row.path("id").asText()));
        return ids;
    }

    static JsonNode awaitList(RunningHub hub, Predicate<JsonNode> done)
    {
        String token = hub.jwt(Role.READ);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = hub.get("/api/v1/vulnerabilities", token).json();
            if (done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the vulnerability list", e);
            }
        }
        throw new AssertionError("the vulnerability list was not complete within 20 s; last answer: " + last);
    }

    static byte[] demo(String name)
    {
        try (InputStream in = TestFleetVulnerabilities.class.getResourceAsStream("/demo/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no demo resource '" + name + "'");
            }
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
