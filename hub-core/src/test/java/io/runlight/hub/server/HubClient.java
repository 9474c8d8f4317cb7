package io.runlight.hub.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.runlight.hub.auth.AdminTokens;
import io.runlight.hub.auth.JwtKeySettings;
import io.runlight.hub.auth.JwtKeys;
import io.runlight.hub.auth.Role;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import static java.util.Objects.requireNonNull;

/**
 * A plain-HTTP client of one hub member, as collectors and admins use it: bearer token,
 * JSON or NDJSON bodies, the status and body back. Calls block with a bounded timeout.
 */
final class HubClient
{
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final String UNATTRIBUTABLE_EVENT = "{\"time\":\"2026-01-05T08:00:00Z\",\"kind\":\"exec\",\"path\":\"/bin/sh\"}\n";

    private final HttpClient http;
    private final URI base;

    HubClient(HttpClient http, String baseUrl)
    {
        this.http = requireNonNull(http, "http is null");
        this.base = URI.create(requireNonNull(baseUrl, "baseUrl is null"));
    }

    static HttpClient newHttpClient()
    {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** An admin JWT signed with the hub's own key in {@code dataDir/keys} (made by the hub at its first start). */
    static String adminToken(Path dataDir)
    {
        Vertx vertx = Vertx.vertx();
        try {
            JwtKeys keys = JwtKeys.load(JwtKeySettings.ownKeyOnly(dataDir));
            return new AdminTokens(keys.createAuth(vertx), Clock.systemUTC()).mint(Role.ADMIN, Duration.ofHours(1), "h9-test");
        }
        finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    HttpResponse<String> get(String path, String token)
            throws IOException, InterruptedException
    {
        return http.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String token, String contentType, String body)
            throws IOException, InterruptedException
    {
        return http.send(request(path, token)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> put(String path, String token, String contentType, String body)
            throws IOException, InterruptedException
    {
        return http.send(request(path, token)
                .header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts a body streamed from {@code body} (chunked), as a collector sending a long batch does. */
    HttpResponse<String> postStreamed(String path, String token, String contentType, Supplier<InputStream> body)
            throws IOException, InterruptedException
    {
        return http.send(request(path, token)
                .header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofInputStream(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(String path, String token)
            throws IOException, InterruptedException
    {
        return http.send(request(path, token).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Creates an ingest token through {@code POST /api/v1/tokens}; the response has the only copy of the secret. */
    CreatedIngestToken createIngestToken(String adminToken, String name)
            throws IOException, InterruptedException
    {
        HttpResponse<String> response = post("/api/v1/tokens", adminToken, "application/json",
                new JsonObject().put("name", name).put("expiresIn", "P1M").encode());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("creating token '" + name + "' answered " + response.statusCode() + ": " + response.body());
        }
        JsonObject json = new JsonObject(response.body());
        return new CreatedIngestToken(json.getString("id"), json.getString("secret"));
    }

    /**
     * Presents {@code token} on the ingest events endpoint with an event that names no
     * image: once authenticated it is answered 202 with the event rejected (nothing is
     * stored); a refused token gets 401.
     */
    int presentIngestToken(String token)
            throws IOException, InterruptedException
    {
        return post("/api/v1/runtime/events", token, "application/x-ndjson", UNATTRIBUTABLE_EVENT).statusCode();
    }

    /** The image document, if the hub has insights for {@code digest}. */
    Optional<JsonObject> image(String digest, String token)
            throws IOException, InterruptedException
    {
        HttpResponse<String> response = get("/api/v1/images/" + digest, token);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET image '" + digest + "' answered " + response.statusCode() + ": " + response.body());
        }
        return Optional.of(new JsonObject(response.body()));
    }

    /** Whether {@code GET /api/v1/plugins} lists plugin {@code pluginId} as STARTED. */
    boolean pluginStarted(String token, String pluginId)
            throws IOException, InterruptedException
    {
        HttpResponse<String> response = get("/api/v1/plugins", token);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /api/v1/plugins answered " + response.statusCode() + ": " + response.body());
        }
        for (Object plugin : new JsonArray(response.body())) {
            JsonObject json = (JsonObject) plugin;
            if (json.getString("id").equals(pluginId) && json.getString("state").equals("STARTED")) {
                return true;
            }
        }
        return false;
    }

    /** The ids of the deliveries in {@code state} (pending, failed, dead) of every integration of {@code integrationIds}. */
    List<String> deliveryIds(String token, List<String> integrationIds, String state)
            throws IOException, InterruptedException
    {
        List<String> ids = new ArrayList<>();
        for (String integrationId : integrationIds) {
            HttpResponse<String> response = get("/api/v1/integrations/" + integrationId + "/deliveries?state=" + state, token);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("deliveries of integration '" + integrationId + "' answered " + response.statusCode() + ": " + response.body());
            }
            new JsonArray(response.body()).forEach(item -> ids.add(((JsonObject) item).getString("id")));
        }
        return ids;
    }

    private HttpRequest.Builder request(String path, String token)
    {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    /** What {@code POST /api/v1/tokens} returned: the token id and its secret. */
    record CreatedIngestToken(String id, String secret)
    {
        CreatedIngestToken
        {
            requireNonNull(id, "id is null");
            requireNonNull(secret, "secret is null");
        }
    }

    static UncheckedIOException unchecked(IOException e)
    {
        return new UncheckedIOException(e);
    }
}
