package io.runlight.hub.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.hub.auth.Role;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acceptance of issue 4: malformed, unsupported, oversized and mistyped requests, and
 * bad parameters, get the documented status and error body, and store nothing.
 */
final class TestBadRequests
{
    private static final int MAX_DOCUMENT = 200 * 1024;
    private static final int MAX_EVENTS = 16 * 1024;

    @TempDir
    static Path dataDir;

    private static RunningHub hub;
    private static String admin;
    private static String ingest;
    private static String read;

    private Map<String, Integer> sizesBefore;
    private int blobsBefore;

    @BeforeAll
    static void startHub()
    {
        hub = RunningHub.start(dataDir, Clock.systemUTC(), Map.of(
                "ingest.max-document-size", "200KiB",
                "ingest.max-events-size", "16KiB"));
        admin = hub.jwt(Role.ADMIN);
        ingest = hub.jwt(Role.INGEST);
        read = hub.jwt(Role.READ);
    }

    @AfterAll
    static void stopHub()
    {
        if (hub != null) {
            hub.close();
        }
    }

    @BeforeEach
    void rememberSizes()
    {
        sizesBefore = hub.mapSizes();
        blobsBefore = hub.blobCount();
    }

    @AfterEach
    void nothingStored()
            throws Exception
    {
        assertThat(hub.mapSizes()).isEqualTo(sizesBefore);
        assertThat(hub.blobCount()).isEqualTo(blobsBefore);
        // spooled bodies are deleted, also when the request is refused half way
        Path spool = dataDir.resolve("spool");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (spooledFiles(spool) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(spooledFiles(spool)).isZero();
    }

    @Test
    void validJsonThatIsNoDocumentIs422AndUnclosedBracketsAre400()
    {
        for (String scalar : List.of("null", "\"hello\"", "42")) {
            RunningHub.Response answer = hub.post("/api/v1/sboms", ingest, "application/json", bytes(scalar));
            assertThat(answer.status()).as("%s: %s", scalar, answer.body()).isEqualTo(422);
            assertThat(answer.error()).startsWith("unsupported_document: input at /: not a supported format: found ");
        }
        RunningHub.Response unclosed = hub.post("/api/v1/sboms", ingest, "application/json", bytes("[".repeat(100_000)));
        assertThat(unclosed.status()).as(unclosed.body()).isEqualTo(400);
        assertThat(unclosed.error()).startsWith("malformed_document: ");
    }

    @Test
    void expiresInTakesExactlyTheValuesOfItsEnum()
    {
        for (String outside : List.of("p3m", " P3M", "P12M", "P2M")) {
            assertError(hub.postJson("/api/v1/tokens", admin, "{\"name\": \"ci\", \"expiresIn\": \"" + outside + "\"}"),
                    422, "unprocessable_entity", "Field 'expiresIn' must be P1M, P3M, P6M or P1Y, not '" + outside + "'.");
        }
    }

    @Test
    void malformedJsonIs400()
    {
        assertError(hub.post("/api/v1/sboms", ingest, "application/json", bytes("{\"artifacts\": [}")),
                400, "malformed_document", "Syft JSON at /artifacts: not valid JSON (line 1, column 16): Unexpected close marker '}': expected ']' (for Array starting at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 15])");
        assertError(hub.post("/api/v1/vulnerability-reports", ingest, "application/json", bytes("not json")),
                400, "malformed_document", "input at line 1: neither JSON nor /proc/<pid>/maps text; it starts with 'not json'");
        assertError(hub.postJson("/api/v1/tokens", admin, "{\"name\": "),
                400, "bad_request", "The body is not valid JSON: Unexpected end-of-input within/between Object entries");
    }

    @Test
    void truncatedSbomIs400()
    {
        byte[] sbom = RunningHub.fixture("sbom/alpine-3.17.2.syft.json");
        assertError(hub.post("/api/v1/sboms", ingest, "application/json", Arrays.copyOf(sbom, sbom.length / 2)),
                400, "malformed_document", "Syft JSON at /artifactRelationships/29: the document ends early (truncated?)");
        byte[] report = RunningHub.fixture("vulns/alpine-3.17.2.grype.json");
        assertError(hub.post("/api/v1/vulnerability-reports", ingest, "application/json", Arrays.copyOf(report, report.length - 10)),
                400, "malformed_document", "Grype JSON at /descriptor/timestamp: the document ends early (truncated?)");
    }

    @Test
    void unsupportedDocumentIs422NamingTheFormats()
    {
        assertError(hub.post("/api/v1/sboms", ingest, "application/json", bytes("{\"hello\": \"world\"}")),
                422, "unsupported_document", "input at /: not a supported format: found a JSON object with keys [hello]; expected an SBOM (Syft, CycloneDX, SPDX 2.3, Trivy JSON), a scan report (Grype, Trivy, CycloneDX JSON) or runtime events (Runlight NDJSON, Falco, Tetragon, Tracee, Kubescape, /proc/<pid>/maps)");
        assertError(hub.post("/api/v1/vulnerability-reports", ingest, "application/json", bytes("{\"hello\": \"world\"}")),
                422, "unsupported_document", "input at /: not a supported format: found a JSON object with keys [hello]; expected an SBOM (Syft, CycloneDX, SPDX 2.3, Trivy JSON), a scan report (Grype, Trivy, CycloneDX JSON) or runtime events (Runlight NDJSON, Falco, Tetragon, Tracee, Kubescape, /proc/<pid>/maps)");
        assertError(hub.post("/api/v1/vulnerability-reports", ingest, "application/json", bytes("[1, 2, 3]")),
                422, "unsupported_document", "input at /: not a supported format: found a JSON array whose first element is not an object; expected an SBOM (Syft, CycloneDX, SPDX 2.3, Trivy JSON), a scan report (Grype, Trivy, CycloneDX JSON) or runtime events (Runlight NDJSON, Falco, Tetragon, Tracee, Kubescape, /proc/<pid>/maps)");
    }

    @Test
    void documentThatNamesNoImageIs422()
    {
        assertError(hub.post("/api/v1/sboms", ingest, "application/json", bytes("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"version\": 1, \"components\": []}")),
                422, "unprocessable_entity", "The CycloneDX JSON document names no image digest (config, manifest or repo digest); "
                        + "Runlight keys images by digest: name the image with ?image=sha256:... or ?image=name@sha256:... (runlight ingest sbom --image), or generate the SBOM from an image (for example 'syft <image> -o syft-json').");
    }

    @Test
    void documentOfTheWrongKindIs422()
    {
        assertError(hub.post("/api/v1/sboms", ingest, "application/json", RunningHub.fixture("vulns/alpine-3.17.2.grype.json")),
                422, "unsupported_document", "input at /: not an SBOM: found Grype JSON (a vulnerability report); expected an SBOM: Syft JSON, CycloneDX JSON, SPDX 2.3 JSON or Trivy JSON");
    }

    @Test
    void documentOfTheWrongKindIs422Too()
    {
        assertError(hub.post("/api/v1/vulnerability-reports", ingest, "application/json", RunningHub.fixture("sbom/alpine-3.17.2.syft.json")),
                422, "unsupported_document", "input at /: not a vulnerability report: found Syft JSON; expected Grype JSON, Trivy JSON or CycloneDX JSON with vulnerabilities");
    }

    @Test
    void invalidAdminBodiesAre422()
    {
        assertError(hub.postJson("/api/v1/tokens", admin, "{\"name\": \"x\", \"expiresIn\": \"P2W\"}"),
                422, "unprocessable_entity", "Field 'expiresIn' must be P1M, P3M, P6M or P1Y, not 'P2W'.");
        assertError(hub.postJson("/api/v1/tokens", admin, "{\"name\": \"x\", \"expiresIn\": \"P1M\", \"secret\": \"mine\"}"),
                422, "unprocessable_entity", "Unknown field 'secret': the fields are [expiresIn, integrationId, name, scope].");
        assertError(hub.postJson("/api/v1/tokens", admin, "{\"expiresIn\": \"P1M\"}"),
                422, "unprocessable_entity", "Field 'name' is required.");
        assertError(hub.postJson("/api/v1/tokens", admin, "[]"),
                422, "unprocessable_entity", "The body must be a JSON object, not an array.");
        assertError(hub.postJson("/api/v1/tokens", admin, "null"),
                422, "unprocessable_entity", "The body must be a JSON object, not null.");
        assertError(hub.postJson("/api/v1/tokens", admin, ""),
                400, "bad_request", "The body is empty: send a JSON object.");
        assertError(hub.postJson("/api/v1/tokens", admin, "{\"name\": \"x\", \"expiresIn\": \"P1M\", \"integrationId\": \"int_missing\"}"),
                404, "not_found", "No integration 'int_missing'.");
    }

    @Test
    void oversizedBodyWithContentLengthIs413()
    {
        String message = "The request body is larger than this endpoint's limit of " + MAX_DOCUMENT + " bytes.";
        assertError(hub.post("/api/v1/sboms", ingest, "application/json", oversizedJson(MAX_DOCUMENT + 1)), 413, "payload_too_large", message);
        assertError(hub.post("/api/v1/vulnerability-reports", ingest, "application/json", oversizedJson(3 * MAX_DOCUMENT)), 413, "payload_too_large", message);
        assertError(hub.post("/api/v1/runtime/events", ingest, "application/x-ndjson", oversizedJson(MAX_EVENTS + 1)),
                413, "payload_too_large", "The request body is larger than this endpoint's limit of " + MAX_EVENTS + " bytes.");
        // the connection stays usable
        assertThat(hub.get("/api/v1/images", read).status()).isEqualTo(200);
    }

    @Test
    void oversizedBodyWithoutContentLengthIs413()
    {
        String message = "The request body is larger than this endpoint's limit of " + MAX_DOCUMENT + " bytes.";
        assertError(chunked("/api/v1/sboms", ingest, "application/json", oversizedJson(MAX_DOCUMENT + 1)), 413, "payload_too_large", message);
        assertError(chunked("/api/v1/vulnerability-reports", ingest, "application/json", oversizedJson(5 * MAX_DOCUMENT)), 413, "payload_too_large", message);
        assertError(chunked("/api/v1/runtime/events", ingest, "application/x-ndjson", oversizedJson(4 * MAX_EVENTS)),
                413, "payload_too_large", "The request body is larger than this endpoint's limit of " + MAX_EVENTS + " bytes.");
        assertError(chunked("/api/v1/tokens", admin, "application/json", oversizedJson(300 * 1024)),
                413, "payload_too_large", "The request body is larger than this endpoint accepts.");
        assertThat(hub.get("/api/v1/images", read).status()).isEqualTo(200);
    }

    @Test
    void wrongContentTypeIs415()
    {
        byte[] sbom = RunningHub.fixture("sbom/alpine-3.17.2.syft.json");
        assertError(hub.post("/api/v1/sboms", ingest, "text/csv", sbom), 415, "unsupported_media_type",
                "Content-Type 'text/csv' is not accepted here; send one of [application/json, application/vnd.cyclonedx+json, application/spdx+json, application/octet-stream].");
        assertError(hub.post("/api/v1/sboms", ingest, null, sbom), 415, "unsupported_media_type",
                "Content-Type '(none)' is not accepted here; send one of [application/json, application/vnd.cyclonedx+json, application/spdx+json, application/octet-stream].");
        assertError(hub.post("/api/v1/runtime/events", ingest, "application/xml", bytes("<events/>")), 415, "unsupported_media_type",
                "Content-Type 'application/xml' is not accepted here; send one of [application/x-ndjson, application/jsonl, application/json, text/plain, application/octet-stream].");
        assertError(hub.post("/api/v1/runtime/falco", ingest, "application/x-ndjson", bytes("{}")), 415, "unsupported_media_type",
                "Content-Type 'application/x-ndjson' is not accepted here; send one of [application/json].");
        assertError(hub.post("/api/v1/tokens", admin, "text/plain", bytes("{\"name\": \"x\", \"expiresIn\": \"P1M\"}")), 415, "unsupported_media_type",
                "Send the body as application/json, not 'text/plain'.");
    }

    @Test
    void undecodableQueryStringIs400()
            throws IOException
    {
        // the JDK's HttpClient refuses such a URI, so the request is written by hand
        for (String target : List.of("/api/v1/images?cluster=%ZZ", "/api/v1/workloads?namespace=shop%2", "/api/v1/tokens?x=%G1")) {
            String token = target.startsWith("/api/v1/tokens") ? admin : read;
            String response;
            try (Socket socket = new Socket("127.0.0.1", hub.httpBase().getPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(response).as(target).startsWith("HTTP/1.1 400 ");
            assertThat(RunningHub.parse(response.substring(response.indexOf("\r\n\r\n") + 4))).as(target).isEqualTo(RunningHub.parse(
                    "{\"error\": \"bad_request\", \"message\": \"The request is malformed: check that its query string is percent-encoded"
                            + " (a '%' must be followed by two hex digits).\"}"));
        }
    }

    @Test
    void unknownTokenIs404()
    {
        assertError(hub.delete("/api/v1/tokens/tok_doesnotexist0000", admin), 404, "not_found", "No token 'tok_doesnotexist0000'.");
        assertError(hub.postJson("/api/v1/tokens/tok_doesnotexist0000/renew", admin, "{\"expiresIn\": \"P1M\"}"), 404, "not_found", "No token 'tok_doesnotexist0000'.");
    }

    @Test
    void badPagingIs400()
    {
        assertError(hub.get("/api/v1/images?limit=abc", read), 400, "bad_request", "limit 'abc' is not a number: use 1 to 1000.");
        assertError(hub.get("/api/v1/images?limit=0", read), 400, "bad_request", "limit 0 is out of range: use 1 to 1000.");
        assertError(hub.get("/api/v1/workloads?limit=1001", read), 400, "bad_request", "limit 1001 is out of range: use 1 to 1000.");
        assertError(hub.get("/api/v1/images?cursor=garbage", read), 400, "bad_request",
                "cursor 'garbage' is not one this hub issued: start again without a cursor");
        assertError(hub.get("/api/v1/workloads?cursor=garbage", read), 400, "bad_request",
                "cursor 'garbage' is not one this hub issued: start again without a cursor");
        assertError(hub.get("/api/v1/images?inUse=maybe", read), 400, "bad_request", "inUse 'maybe' is not true or false.");
    }

    @Test
    void badDigestIs400()
    {
        assertError(hub.get("/api/v1/images/sha256:xyz", read), 400, "bad_request", "'sha256:xyz' is not an image digest: use sha256:<64 hex digits>.");
        assertError(hub.get("/api/v1/images/alpine/vex", read), 400, "bad_request", "'alpine' is not an image digest: use sha256:<64 hex digits>.");
        assertError(hub.get("/api/v1/images/" + "sha256:" + "0".repeat(64) + "/vex?format=spdx", read), 400, "bad_request",
                "format 'spdx' is not a VEX format: use openvex or cyclonedx.");
    }

    @Test
    void unknownImageIs404()
    {
        String digest = "sha256:" + "0".repeat(64);
        String message = "No image with digest '" + digest + "' has insights yet: post its SBOM to /api/v1/sboms first.";
        assertError(hub.get("/api/v1/images/" + digest, read), 404, "not_found", message);
        assertError(hub.get("/api/v1/images/" + digest + "/vex", read), 404, "not_found", message);
    }

    @Test
    void unknownPathAndMethod()
    {
        assertError(hub.get("/api/v1/nothing-here", admin), 404, "not_found", "No such resource.");
        assertError(hub.send("PUT", "/api/v1/tokens", admin, "application/json", bytes("{}")), 405, "method_not_allowed", "This method is not allowed on this path.");
    }

    private static void assertError(RunningHub.Response response, int status, String error, String message)
    {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).contains("application/json");
        assertThat(response.json()).isEqualTo(RunningHub.errorJson(error, message));
    }

    /** A POST without Content-Length: the JDK client sends a body of unknown length chunked. */
    private static RunningHub.Response chunked(String path, String token, String contentType, byte[] body)
    {
        HttpRequest request = HttpRequest.newBuilder(hub.httpBase().resolve(URI.create(path)))
                .version(HttpClient.Version.HTTP_1_1)
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new RunningHub.Response(response.statusCode(), response.headers().map(), response.body());
        }
        catch (IOException e) {
            throw new UncheckedIOException("POST " + path + " failed", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Valid JSON of exactly {@code size} bytes: the limit is about size, not content. */
    private static byte[] oversizedJson(int size)
    {
        StringBuilder json = new StringBuilder("{\"padding\": \"");
        json.append("x".repeat(size - json.length() - 2));
        json.append("\"}");
        return bytes(json.toString());
    }

    private static byte[] bytes(String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static long spooledFiles(Path spool)
            throws IOException
    {
        if (!Files.isDirectory(spool)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(spool)) {
            return files.count();
        }
    }
}
