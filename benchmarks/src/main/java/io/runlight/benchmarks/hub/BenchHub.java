package io.runlight.benchmarks.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runlight.hub.auth.AdminTokens;
import io.runlight.hub.auth.Role;
import io.runlight.hub.config.ConfigLoader;
import io.runlight.hub.config.HubConfig;
import io.runlight.hub.server.Hub;

/**
 * A hub member started in the bench's JVM, as {@code runlight serve} starts one (H2 file in its
 * data folder, the bundled plugins' folder), on plain HTTP and free ports, with an admin JWT
 * minted from its own key and a JDK client for setting things up.
 */
final class BenchHub
        implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Hub hub;
    private final URI base;
    private final String admin;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    private BenchHub(Hub hub)
    {
        this.hub = hub;
        this.base = URI.create("http://127.0.0.1:" + hub.httpPort().orElseThrow());
        this.admin = new AdminTokens(hub.jwt(), Clock.systemUTC()).mint(Role.ADMIN, Duration.ofHours(8), "runlight-bench");
    }

    static BenchHub start(Path dataDir, Path pluginsDir, Map<String, String> overrides)
    {
        Map<String, String> values = new HashMap<>();
        values.put("data-dir", dataDir.toString());
        values.put("http.port", "0");
        values.put("https.enabled", "false");
        values.put("cluster.port", String.valueOf(freePort()));
        values.put("plugins.dir", pluginsDir.toString());
        values.putAll(overrides);
        HubConfig config = new ConfigLoader(Map.of()).load(Optional.empty(), values);
        return new BenchHub(Hub.start(config, Clock.systemUTC()));
    }

    URI base()
    {
        return base;
    }

    Hub hub()
    {
        return hub;
    }

    /** {@code Bearer <admin JWT>}. */
    String adminAuthorization()
    {
        return "Bearer " + admin;
    }

    /** Creates an ingest token, as a sensor would use; its secret. */
    String createIngestToken(String name)
    {
        return post("/api/v1/tokens", "application/json", ("{\"name\": \"" + name + "\", \"scope\": \"ingest\", \"expiresIn\": \"P1M\"}").getBytes(StandardCharsets.UTF_8), 201)
                .path("secret").asText();
    }

    /** Creates an integration of {@code plugin} with this configuration (JSON object); its id and token secret. */
    Integration createIntegration(String plugin, String name, String configJson)
    {
        JsonNode created = post("/api/v1/integrations", "application/json",
                ("{\"plugin\": \"" + plugin + "\", \"name\": \"" + name + "\", \"expiresIn\": \"P1M\", \"config\": " + configJson + "}").getBytes(StandardCharsets.UTF_8), 201);
        return new Integration(created.path("id").asText(), created.path("token").path("secret").asText());
    }

    record Integration(String id, String token) {}

    /** Waits until the plugin's connector is loaded from the plugins folder. */
    void awaitPlugin(String pluginId)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (hub.plugins().connector(pluginId).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("plugin '" + pluginId + "' did not load from " + hub.plugins().pluginsDir() + ": " + hub.plugins().plugins());
            }
            hub.plugins().rescan();
            Thread.sleep(100);
        }
    }

    /** POSTs with the admin JWT and expects {@code status}; the answer's JSON. */
    JsonNode post(String path, String contentType, byte[] body, int status)
    {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", adminAuthorization())
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), status);
    }

    /** GETs with the admin JWT and expects 200; the answer's JSON. */
    JsonNode get(String path)
    {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", adminAuthorization()).GET(), 200);
    }

    /** GETs with this {@code Authorization}; status and body. */
    HttpResponse<String> get(String path, String authorization)
    {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(5)).header("Authorization", authorization).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + path, e);
        }
    }

    private JsonNode send(HttpRequest.Builder request, int status)
    {
        HttpRequest built = request.timeout(Duration.ofMinutes(10)).build();
        try {
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != status) {
                throw new IllegalStateException(built.method() + " " + built.uri().getPath() + " answered " + response.statusCode() + ", not " + status + ": " + response.body());
            }
            return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        }
        catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.uri().getPath() + " failed", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + built.method() + " " + built.uri().getPath(), e);
        }
    }

    /** A file of the bundled demo sample (hub-core's {@code demo/} resources). */
    static byte[] demoFile(String name)
    {
        try (InputStream in = BenchHub.class.getResourceAsStream("/demo/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the demo sample '" + name + "' is not on the classpath");
            }
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the demo sample '" + name + "'", e);
        }
    }

    static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }

    @Override
    public void close()
    {
        hub.close();
    }
}
