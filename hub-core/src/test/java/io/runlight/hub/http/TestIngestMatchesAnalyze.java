package io.runlight.hub.http;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import io.runlight.hub.auth.Role;
import io.runlight.hub.cli.RunlightCommand;
import io.runlight.hub.insights.HubMaps;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acceptance of issue 4: posting the alpine fixtures and runtime events over HTTP gives
 * the same image document as {@code runlight analyze --format json} on the same files,
 * whichever order the documents arrive in.
 */
final class TestIngestMatchesAnalyze
{
    private static final String SBOM = "sbom/alpine-3.17.2.syft.json";
    private static final String REPORT = "vulns/alpine-3.17.2.grype.json";
    private static final String EVENTS = "events/alpine-3.17.2.ndjson";

    @TempDir
    static Path dataDir;
    @TempDir
    static Path files;

    private static RunningHub hub;
    private static String ingest;
    private static String read;
    private static JsonNode analyzed;

    @BeforeAll
    static void startHubAndAnalyze()
            throws Exception
    {
        hub = RunningHub.start(dataDir, Clock.systemUTC());
        ingest = hub.jwt(Role.INGEST);
        read = hub.jwt(Role.READ);

        Path out = files.resolve("analyze.json");
        StringWriter err = new StringWriter();
        CommandLine command = RunlightCommand.commandLine();
        command.setErr(new PrintWriter(err, true));
        int exitCode = command.execute("analyze",
                "--sbom", RunningHub.fixtureFile(SBOM, files).toString(),
                "--vulns", RunningHub.fixtureFile(REPORT, files).toString(),
                "--events", RunningHub.fixtureFile(EVENTS, files).toString(),
                "--learning-window", "0",
                "--format", "json",
                "--out", out.toString());
        assertThat(err.toString()).isEmpty();
        assertThat(exitCode).isZero();
        JsonNode images = RunningHub.parse(Files.readString(out)).path("images");
        assertThat(images.size()).isEqualTo(1);
        analyzed = images.get(0);
        // the analysis the hub must reproduce: events matched, report joined
        assertThat(analyzed.path("profile").path("state").asText()).isEqualTo("COMPLETE");
        assertThat(analyzed.path("summary").path("packagesInUse").asInt()).isGreaterThan(0);
        assertThat(analyzed.path("summary").path("vulnerabilities").asInt()).isEqualTo(20);
    }

    @AfterAll
    static void stopHub()
    {
        if (hub != null) {
            hub.close();
        }
    }

    @BeforeEach
    void forgetEverything()
    {
        // each order starts from an empty hub; the maps write the deletes through
        for (String map : HubMaps.ALL) {
            hub.hub().store().map(map).clear();
        }
        assertThat(hub.get("/api/v1/images/" + RunningHub.ALPINE_DIGEST, read).status()).isEqualTo(404);
    }

    @Test
    void sbomThenReportThenEvents()
    {
        postSbom();
        postReport();
        postEvents();
        assertHubMatchesAnalyze();
    }

    @Test
    void eventsBeforeSbom()
    {
        postEvents();
        postReport();
        postSbom();
        assertHubMatchesAnalyze();
    }

    @Test
    void reportBeforeSbom()
    {
        postReport();
        postSbom();
        postEvents();
        assertHubMatchesAnalyze();
    }

    @Test
    void everyDigestOfTheImageFindsTheSameDocument()
    {
        postSbom();
        postReport();
        postEvents();
        assertHubMatchesAnalyze();
        String digest = analyzed.path("digest").asText();
        JsonNode byCanonical = hub.get("/api/v1/images/" + digest, read).json();
        for (String other : List.of(RunningHub.ALPINE_DIGEST, "sha256:fd6275a37d2472b9d3be70c3261087b8d65e441c21342ae7313096312bcda2b3")) {
            RunningHub.Response response = hub.get("/api/v1/images/" + other, read);
            assertThat(response.status()).as(other).isEqualTo(200);
            assertThat(response.json()).isEqualTo(byCanonical);
        }
    }

    @Test
    void theImageParameterNamesADocumentThatNamesNoneAndTheRootPlacesItsFolders()
    {
        String digest = "sha256:" + "ab".repeat(32);
        byte[] npmProject = ("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"metadata\": {\"tools\": {\"components\": [{\"name\": \"cyclonedx-npm\"}]}},"
                + " \"components\": [{\"type\": \"library\", \"name\": \"express\", \"version\": \"4.21.2\", \"purl\": \"pkg:npm/express@4.21.2\","
                + " \"properties\": [{\"name\": \"cdx:npm:package:path\", \"value\": \"node_modules/express\"}]}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);

        RunningHub.Response unnamed = hub.post("/api/v1/sboms", ingest, "application/json", npmProject);
        assertThat(unnamed.status()).as(unnamed.body()).isEqualTo(422);
        assertThat(unnamed.json().path("message").asText()).contains("name the image with ?image=sha256:... or ?image=name@sha256:...");

        RunningHub.Response tag = hub.post("/api/v1/sboms?image=acme/app:1.0", ingest, "application/json", npmProject);
        assertThat(tag.status()).as(tag.body()).isEqualTo(400);
        assertThat(tag.json().path("message").asText()).isEqualTo("Query parameter 'image' is not a digest: 'acme/app:1.0'; "
                + "give sha256:<64 hex digits> or name@sha256:<64 hex digits> (a tag is a name, not an identity).");

        RunningHub.Response named = hub.post("/api/v1/sboms?image=ghcr.io/acme/app%40" + digest + "&root=/app", ingest, "application/json", npmProject);
        assertThat(named.status()).as(named.body()).isEqualTo(201);
        assertThat(named.json().path("imageDigest").asText()).isEqualTo(digest);

        String event = "{\"time\":\"2026-11-28T12:00:00Z\",\"cluster\":\"prod\",\"namespace\":\"shop\",\"workloadKind\":\"Deployment\",\"workloadName\":\"app\","
                + "\"container\":\"app\",\"imageDigest\":\"" + digest + "\",\"kind\":\"open\",\"path\":\"/app/node_modules/express/index.js\",\"process\":\"/usr/bin/node\"}\n";
        RunningHub.Response events = hub.post("/api/v1/runtime/events", ingest, "application/x-ndjson", event.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(events.status()).as(events.body()).isEqualTo(202);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        RunningHub.Response image = hub.get("/api/v1/images/" + digest, read);
        while (System.nanoTime() < deadline && !(image.status() == 200 && image.json().path("summary").path("packagesInUse").asInt() == 1)) {
            sleep();
            image = hub.get("/api/v1/images/" + digest, read);
        }
        assertThat(image.status()).as(image.body()).isEqualTo(200);
        assertThat(image.json().path("names").get(0).asText()).isEqualTo("ghcr.io/acme/app@" + digest);
        // the package folder below the root owns the file the process opened
        assertThat(image.json().path("packages").get(0).path("usage").asText()).isEqualTo("IN_USE");

        RunningHub.Response contradicting = hub.post("/api/v1/sboms?image=" + digest, ingest, "application/json", RunningHub.fixture(SBOM));
        assertThat(contradicting.status()).as(contradicting.body()).isEqualTo(422);
        assertThat(contradicting.json().path("message").asText()).startsWith("The Syft JSON document: the SBOM names image "
                + "sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d, not the given " + digest);
    }

    private static void postSbom()
    {
        RunningHub.Response response = hub.post("/api/v1/sboms", ingest, "application/json", RunningHub.fixture(SBOM));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().path("packages").asInt()).isEqualTo(15);
        assertThat(response.json().path("format").asText()).isEqualTo("syft-json");
    }

    private static void postReport()
    {
        RunningHub.Response response = hub.post("/api/v1/vulnerability-reports", ingest, "application/json", RunningHub.fixture(REPORT));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().path("vulnerabilities").asInt()).isEqualTo(20);
        assertThat(response.json().path("format").asText()).isEqualTo("grype-json");
    }

    private static void postEvents()
    {
        RunningHub.Response response = hub.post("/api/v1/runtime/events", ingest, "application/x-ndjson", RunningHub.fixture(EVENTS));
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(response.json()).isEqualTo(RunningHub.parse("{\"accepted\": 3, \"rejected\": 0, \"errors\": []}"));
    }

    private static void assertHubMatchesAnalyze()
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        RunningHub.Response response = hub.get("/api/v1/images/" + RunningHub.ALPINE_DIGEST, read);
        while (System.nanoTime() < deadline && !(response.status() == 200 && response.json().equals(analyzed))) {
            sleep();
            response = hub.get("/api/v1/images/" + RunningHub.ALPINE_DIGEST, read);
        }
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().toPrettyString()).isEqualTo(analyzed.toPrettyString());
    }

    private static void sleep()
    {
        try {
            Thread.sleep(100);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for insights", e);
        }
    }
}
