package io.runlight.hub.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.runlight.hub.auth.Role;
import io.runlight.hub.insights.HubMaps;
import io.runlight.hub.insights.ImageRecord;
import io.runlight.hub.insights.StoredDocument;
import io.runlight.hub.store.JsonCodec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SBOM and report bodies: the document stored is named for exactly the bytes received (its
 * SHA-256 and size are taken as the body arrives), whether the client declares a length or
 * sends it in chunks, and no spool file is left behind.
 */
@ExtendWith(SharedHub.class)
final class TestDocumentBodies
{
    private static final JsonCodec<ImageRecord> IMAGE = JsonCodec.of(ImageRecord.class);

    private static RunningHub hub;
    private static String ingest;

    @BeforeAll
    static void useSharedHub(RunningHub shared)
    {
        hub = shared;
        ingest = hub.jwt(Role.INGEST);
    }

    @Test
    void storedDocumentIsNamedForTheBytesReceivedWithAndWithoutContentLength()
            throws Exception
    {
        for (boolean chunked : new boolean[] {false, true}) {
            String digest = randomDigest();
            // several megabytes: many buffers of the HTTP connection
            byte[] sbom = cycloneDx(20_000, "lib");
            RunningHub.Response answer = chunked
                    ? chunked("/api/v1/sboms?image=" + digest, "application/vnd.cyclonedx+json", sbom)
                    : hub.post("/api/v1/sboms?image=" + digest, ingest, "application/vnd.cyclonedx+json", sbom);
            assertThat(answer.status()).as(answer.body()).isEqualTo(201);
            assertThat(answer.json().path("packages").asInt()).isEqualTo(20_000);

            StoredDocument stored = storedSbom(digest);
            String sha256 = sha256(sbom);
            assertThat(stored.sha256()).isEqualTo(sha256);
            assertThat(stored.size()).isEqualTo(sbom.length);
            assertThat(stored.blobKey()).isEqualTo("sbom/" + sha256);
            assertThat(blob(stored.blobKey())).isEqualTo(sbom);
        }
        assertThat(spoolFiles()).isZero();
    }

    @Test
    void anUploadBrokenOffStoresNothingAndTheSameDocumentThenIsStored()
            throws Exception
    {
        String digest = randomDigest();
        byte[] sbom = cycloneDx(20_000, "broken");
        int blobs = hub.blobCount();
        try (java.net.Socket socket = new java.net.Socket(hub.httpBase().getHost(), hub.httpBase().getPort())) {
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/sboms?image=" + digest + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ingest
                    + "\r\nContent-Type: application/vnd.cyclonedx+json\r\nContent-Length: " + sbom.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // a well-formed start, read by the parser while it arrives, then the connection is gone
            out.write(sbom, 0, sbom.length / 2);
            out.flush();
        }
        assertThat(spoolFiles()).isZero();
        assertThat(hub.hub().store().<String, String>map(HubMaps.IMAGES).get(digest)).isNull();
        assertThat(hub.blobCount()).isEqualTo(blobs);

        RunningHub.Response answer = hub.post("/api/v1/sboms?image=" + digest, ingest, "application/vnd.cyclonedx+json", sbom);
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(storedSbom(digest).sha256()).isEqualTo(sha256(sbom));
    }

    @Test
    void aLargeDocumentMalformedFromItsStartIsRefusedWithTheParsersMessage()
            throws Exception
    {
        String digest = randomDigest();
        byte[] sbom = cycloneDx(20_000, "malformed");
        // the parser fails at once, while most of the body is still to come: the answer names the parser's finding
        sbom[0] = '[';
        sbom[1] = '}';
        int blobs = hub.blobCount();
        RunningHub.Response answer = hub.post("/api/v1/sboms?image=" + digest, ingest, "application/vnd.cyclonedx+json", sbom);
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.body()).contains("Unexpected close marker '}'");
        assertThat(hub.hub().store().<String, String>map(HubMaps.IMAGES).get(digest)).isNull();
        assertThat(hub.blobCount()).isEqualTo(blobs);
        assertThat(spoolFiles()).isZero();
    }

    static StoredDocument storedSbom(String digest)
    {
        String record = hub.hub().store().<String, String>map(HubMaps.IMAGES).get(digest);
        assertThat(record).as("the image record of " + digest).isNotNull();
        Optional<StoredDocument> sbom = IMAGE.decode(record).sbom();
        assertThat(sbom).isPresent();
        return sbom.get();
    }

    static byte[] blob(String key)
            throws IOException
    {
        Optional<InputStream> content = hub.hub().store().blobs().open(key);
        assertThat(content).as("blob " + key).isPresent();
        try (InputStream in = content.get()) {
            return in.readAllBytes();
        }
    }

    static String sha256(byte[] bytes)
            throws Exception
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static String randomDigest()
    {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "sha256:" + HexFormat.of().formatHex(bytes);
    }

    /** A CycloneDX SBOM of {@code components} npm components, each with a file, that names no image (it is given with ?image=). */
    static byte[] cycloneDx(int components, String prefix)
    {
        StringBuilder json = new StringBuilder("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"version\":1,\"components\":[");
        for (int i = 0; i < components; i++) {
            if (i > 0) {
                json.append(',');
            }
            String name = prefix + "-" + i;
            json.append("{\"type\":\"library\",\"bom-ref\":\"").append(name).append("\",\"name\":\"").append(name).append("\",\"version\":\"1.0.").append(i)
                    .append("\",\"purl\":\"pkg:npm/").append(name).append("@1.0.").append(i).append("\",\"evidence\":{\"occurrences\":[{\"location\":\"/app/node_modules/")
                    .append(name).append("/index.js\"}]}}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static long spoolFiles()
            throws Exception
    {
        Path spool = hub.dataDir().resolve("spool");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            long count;
            if (!Files.isDirectory(spool)) {
                count = 0;
            }
            else {
                try (Stream<Path> files = Files.list(spool)) {
                    count = files.count();
                }
            }
            // a refused body's file is deleted just after the answer
            if (count == 0 || System.nanoTime() > deadline) {
                return count;
            }
            Thread.sleep(20);
        }
    }

    /** A POST without Content-Length: the body arrives in chunks. */
    static RunningHub.Response chunked(String path, String contentType, byte[] body)
    {
        return chunked(path, contentType, () -> new ByteArrayInputStream(body));
    }

    static RunningHub.Response chunked(String path, String contentType, java.util.function.Supplier<InputStream> body)
    {
        HttpRequest request = HttpRequest.newBuilder(hub.httpBase().resolve(URI.create(path)))
                .version(HttpClient.Version.HTTP_1_1)
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + ingest)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofInputStream(body))
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
}
