package io.runlight.hub.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runlight.hub.auth.AdminTokens;
import io.runlight.hub.auth.Role;
import io.runlight.hub.config.ConfigLoader;
import io.runlight.hub.config.HubConfig;
import io.runlight.hub.server.Hub;

import static java.util.Objects.requireNonNull;

/**
 * A real hub started in this JVM on free loopback ports (H2 file under the given folder,
 * one Hazelcast member, HTTP and HTTPS with the self-signed certificate), with a JDK
 * HTTP client for each listener. Tests share one per class.
 */
final class RunningHub
        implements AutoCloseable
{
    /** The alpine 3.17.2 fixtures' image digest (the Syft SBOM's repo digest of the manifest). */
    static final String ALPINE_DIGEST = "sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private final Hub hub;
    private final Path dataDir;
    private final HttpClient http;
    private final HttpClient https;
    private final URI httpBase;
    private final URI httpsBase;

    private RunningHub(Hub hub, Path dataDir, HttpClient http, HttpClient https, URI httpBase, URI httpsBase)
    {
        this.hub = hub;
        this.dataDir = dataDir;
        this.http = http;
        this.https = https;
        this.httpBase = httpBase;
        this.httpsBase = httpsBase;
    }

    static RunningHub start(Path dataDir, Clock clock)
    {
        return start(dataDir, clock, Map.of());
    }

    /** Starts a hub with learning window 0 and any free ports; {@code overrides} replace or add configuration keys. */
    static RunningHub start(Path dataDir, Clock clock, Map<String, String> overrides)
    {
        Map<String, String> values = new HashMap<>();
        values.put("data-dir", dataDir.toString());
        values.put("http.port", "0");
        values.put("https.port", "0");
        // a member alone takes any free port itself: no other test JVM can take it between a look and the bind
        values.put("cluster.port", "0");
        values.put("insights.learning-window", "0");
        // what a test ingests shows in insights after 50 ms, not after up to the default 500
        values.put("insights.refresh-interval", "50ms");
        values.putAll(overrides);
        HubConfig config = new ConfigLoader(Map.of()).load(Optional.empty(), values);
        Hub hub = Hub.start(config, clock);
        try {
            // HTTP/1.1: the JDK 17 client's h2c upgrade (its default on plain HTTP) can hang when the hub
            // answers the upgrade and the request in one read, and h2c is not what these tests are about
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            HttpClient https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                    .sslContext(trusting(dataDir.resolve("tls").resolve("cert.pem"))).build();
            return new RunningHub(hub, dataDir, http, https,
                    URI.create("http://127.0.0.1:" + hub.httpPort().orElseThrow()),
                    URI.create("https://127.0.0.1:" + hub.httpsPort().orElseThrow()));
        }
        catch (RuntimeException e) {
            hub.close();
            throw e;
        }
    }

    Hub hub()
    {
        return hub;
    }

    Path dataDir()
    {
        return dataDir;
    }

    /** A JWT of {@code role} signed by the hub's own key, valid for an hour of real time (JWT expiry is checked against the system clock). */
    String jwt(Role role)
    {
        return new AdminTokens(hub.jwt(), Clock.systemUTC()).mint(role, Duration.ofHours(1), "test-" + role.claimValue());
    }

    /** A JWT of {@code role} that expired a minute ago. */
    String expiredJwt(Role role)
    {
        Clock past = Clock.fixed(Clock.systemUTC().instant().minus(Duration.ofHours(2)), Clock.systemUTC().getZone());
        return new AdminTokens(hub.jwt(), past).mint(role, Duration.ofMinutes(119), "test-expired");
    }

    Response get(String path, String token)
    {
        return send("GET", path, token, null, null);
    }

    Response delete(String path, String token)
    {
        return send("DELETE", path, token, null, null);
    }

    Response postJson(String path, String token, String body)
    {
        return send("POST", path, token, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    Response post(String path, String token, String contentType, byte[] body)
    {
        return send("POST", path, token, contentType, body);
    }

    /** Over plain HTTP; a null token sends no Authorization header, a null content type none either. */
    Response send(String method, String path, String token, String contentType, byte[] body)
    {
        return send(http, httpBase, method, path, token, contentType, body);
    }

    /** Over HTTPS, trusting the hub's self-signed certificate. */
    Response sendTls(String method, String path, String token, String contentType, byte[] body)
    {
        return send(https, httpsBase, method, path, token, contentType, body);
    }

    static Response send(HttpClient client, URI base, String method, String path, String token, String contentType, byte[] body)
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.headers().map(), response.body());
        }
        catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }

    URI httpBase()
    {
        return httpBase;
    }

    /**
     * Polls {@code GET /api/v1/images/{digest}} until it answers 200 and {@code done} holds
     * for the document (insights are recomputed asynchronously after ingest).
     */
    JsonNode awaitImage(String digest, String token, java.util.function.Predicate<JsonNode> done)
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Response last = null;
        while (System.nanoTime() < deadline) {
            last = get("/api/v1/images/" + digest, token);
            if (last.status() == 200 && done.test(last.json())) {
                return last.json();
            }
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for image '" + digest + "'", e);
            }
        }
        throw new AssertionError("image '" + digest + "' was not ready within 10 s; last answer: " + last);
    }

    /** The number of entries of every durable map, by name (sorted). */
    Map<String, Integer> mapSizes()
    {
        Map<String, Integer> sizes = new TreeMap<>();
        for (String name : hub.store().durableMaps()) {
            sizes.put(name, hub.store().map(name).size());
        }
        return sizes;
    }

    /** The number of rows of the blob table. */
    int blobCount()
    {
        try (java.sql.Connection connection = hub.store().database().connection();
                java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + io.runlight.hub.store.Database.BLOB_TABLE)) {
            rows.next();
            return rows.getInt(1);
        }
        catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot count the blobs", e);
        }
    }

    @Override
    public void close()
    {
        hub.close();
    }

    static byte[] fixture(String name)
    {
        String resource = "/fixtures/" + name;
        try (InputStream in = RunningHub.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource '" + resource + "' is missing");
            }
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read '" + resource + "'", e);
        }
    }

    static Path fixtureFile(String name, Path folder)
    {
        Path file = folder.resolve(Path.of(name).getFileName().toString());
        try {
            Files.write(file, fixture(name));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write '" + file + "'", e);
        }
        return file;
    }

    static JsonNode parse(String json)
    {
        try {
            return JSON.readTree(json);
        }
        catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** The hub's error body. */
    static JsonNode errorJson(String error, String message)
    {
        return JSON.createObjectNode().put("error", error).put("message", message);
    }

    static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }

    private static SSLContext trusting(Path certificatePem)
    {
        try (InputStream in = Files.newInputStream(certificatePem)) {
            Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("runlight-hub", certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read '" + certificatePem + "'", e);
        }
        catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust '" + certificatePem + "'", e);
        }
    }

    /** One HTTP answer. */
    record Response(int status, Map<String, java.util.List<String>> headers, String body)
    {
        Response
        {
            requireNonNull(headers, "headers is null");
            requireNonNull(body, "body is null");
        }

        JsonNode json()
        {
            return parse(body);
        }

        Optional<String> header(String name)
        {
            for (Map.Entry<String, java.util.List<String>> entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                    return Optional.of(entry.getValue().get(0));
                }
            }
            return Optional.empty();
        }

        /** The error body, as {@code error: message}. */
        String error()
        {
            JsonNode json = json();
            return json.path("error").asText() + ": " + json.path("message").asText();
        }
    }
}
