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
