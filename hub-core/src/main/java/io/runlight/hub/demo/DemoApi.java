package io.runlight.hub.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import static java.util.Objects.requireNonNull;

/**
 * The demo's client of its own hub's HTTP API: everything the demo loads and creates goes
 * through the same endpoints, authentication and validation as a user's requests.
 */
final class DemoApi
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final String token;
    private final HttpClient client;

    DemoApi(URI base, String token, HttpClient client)
    {
        this.base = requireNonNull(base, "base is null");
        this.token = requireNonNull(token, "token is null");
        this.client = requireNonNull(client, "client is null");
    }

    URI base()
    {
        return base;
    }

    JsonNode get(String path)
    {
        return send("GET", path, HttpRequest.newBuilder(uri(path)).GET());
    }

    JsonNode post(String path, String contentType, byte[] body)
    {
        return send("POST", path, HttpRequest.newBuilder(uri(path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    JsonNode post(String path, JsonNode body)
    {
        return post(path, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    void delete(String path)
    {
        send("DELETE", path, HttpRequest.newBuilder(uri(path)).DELETE());
    }

    private URI uri(String path)
    {
        return URI.create(base + path);
    }

    private JsonNode send(String method, String path, HttpRequest.Builder request)
    {
        HttpResponse<String> response;
        try {
            response = client.send(request.timeout(TIMEOUT)
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json")
                    .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new IllegalStateException("the demo could not reach its own hub at " + base + " (" + method + " " + path + "): " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the demo waited for " + method + " " + path, e);
        }
        String body = response.body();
        if (response.statusCode() < 200 || response.statusCode() >= 300) {
            throw new IllegalStateException("the hub refused the demo's " + method + " " + path + " with HTTP " + response.statusCode() + ": " + excerpt(body));
        }
        if (body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("the hub answered the demo's " + method + " " + path + " with a body that is not JSON: " + excerpt(body), e);
        }
    }

    private static String excerpt(String body)
    {
        String line = body.strip().replaceAll("\\s+", " ");
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
