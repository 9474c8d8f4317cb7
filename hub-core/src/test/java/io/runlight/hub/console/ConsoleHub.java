package io.runlight.hub.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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

import io.runlight.hub.auth.AdminTokens;
import io.runlight.hub.auth.Role;
import io.runlight.hub.config.ConfigLoader;
import io.runlight.hub.config.HubConfig;
import io.runlight.hub.server.Hub;

/**
 * A real hub for the console tests: started in this JVM on free loopback ports (plain HTTP
 * only, learning window 0, H2 under the given folder), with a JDK HTTP client to seed it
 * through its API.
 */
final class ConsoleHub
        implements AutoCloseable
{
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private final Hub hub;
    private final URI base;
    private final HttpClient http;

    private ConsoleHub(Hub hub, URI base, HttpClient http)
    {
        this.hub = hub;
        this.base = base;
        this.http = http;
    }

    static ConsoleHub start(Path dataDir)
    {
        return start(dataDir, Map.of());
    }

    /** A hub as {@link #start(Path)} makes it, with {@code settings} (configuration keys such as {@code delivery.max-attempts}) on top. */
    static ConsoleHub start(Path dataDir, Map<String, String> settings)
    {
        Map<String, String> values = new HashMap<>();
        values.put("data-dir", dataDir.toString());
        values.put("http.port", "0");
        values.put("https.enabled", "false");
        values.put("cluster.port", "0");
        values.put("insights.learning-window", "0");
        // what a test ingests shows in insights after 50 ms, not after up to the default 500
        values.put("insights.refresh-interval", "50ms");
        values.putAll(settings);
        HubConfig config = new ConfigLoader(Map.of()).load(Optional.empty(), values);
        Hub hub = Hub.start(config, Clock.systemUTC());
        // HTTP/1.1: the JDK client's h2c upgrade is not what these tests are about (see RunningHub)
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        return new ConsoleHub(hub, URI.create("http://127.0.0.1:" + hub.httpPort().orElseThrow()), http);
    }

    Hub hub()
    {
        return hub;
    }

    /** The hub's base URL, such as {@code http://127.0.0.1:41234}. */
    URI base()
    {
        return base;
    }

    /** A JWT of {@code role} signed by the hub's own key, valid for an hour. */
    String jwt(Role role)
    {
        return new AdminTokens(hub.jwt(), Clock.systemUTC()).mint(role, Duration.ofHours(1), "console-test");
    }

    /** An admin JWT that expired a minute ago. */
    String expiredJwt()
    {
        Clock past = Clock.fixed(Clock.systemUTC().instant().minus(Duration.ofHours(2)), Clock.systemUTC().getZone());
        return new AdminTokens(hub.jwt(), past).mint(Role.ADMIN, Duration.ofMinutes(119), "console-test-expired");
    }

    /** A request over plain HTTP; a null token sends no Authorization header, a null body none either. */
    HttpResponse<String> send(String method, String path, String token, Map<String, String> headers, String contentType, byte[] body)
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }

    HttpResponse<String> get(String path, String token)
    {
        return send("GET", path, token, Map.of(), null, null);
    }

    HttpResponse<String> postJson(String path, String token, String json)
    {
        return send("POST", path, token, Map.of(), "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close()
    {
        hub.close();
    }

    /** A test resource's bytes, such as {@code /fixtures/sbom/alpine-3.17.2.syft.json}. */
    static byte[] resource(String name)
    {
        try (InputStream in = ConsoleHub.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource '" + name + "' is missing");
            }
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read '" + name + "'", e);
        }
    }
}
