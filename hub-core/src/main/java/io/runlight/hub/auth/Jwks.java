package io.runlight.hub.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON Web Key Sets an identity provider publishes, from a file or a URL: read, checked,
 * and their signing keys added to the hub's verification options.
 */
final class Jwks
{
    private static final Logger log = LoggerFactory.getLogger(Jwks.class);
    private static final Duration JWKS_TIMEOUT = Duration.ofSeconds(10);

    private Jwks() {}

    static JsonObject readFile(Path file)
    {
        try {
            return new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read JWKS file '" + file + "': check that it exists and is readable", e);
        }
        catch (DecodeException e) {
            throw new IllegalArgumentException("JWKS file '" + file + "' is not a JSON object: expected {\"keys\": [...]}", e);
        }
    }

    static JsonObject fetch(URI url)
    {
        HttpClient client = HttpClient.newBuilder().connectTimeout(JWKS_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(JWKS_TIMEOUT).header("Accept", "application/json").GET().build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot fetch the JWKS from URL '" + url + "': " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching the JWKS from URL '" + url + "'", e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the JWKS URL '" + url + "' answered HTTP " + response.statusCode() + ": check the URL");
        }
        try {
            return new JsonObject(response.body());
        }
        catch (DecodeException e) {
            throw new IllegalArgumentException("the JWKS URL '" + url + "' did not return a JSON object: expected {\"keys\": [...]}", e);
        }
    }

    static void addTo(JWTAuthOptions options, JsonObject jwks, String source)
    {
        Object keys = jwks.getValue("keys");
        if (!(keys instanceof JsonArray)) {
            throw new IllegalArgumentException("the JWKS " + source + " has no \"keys\" array");
        }
        int added = 0;
        for (Object key : (JsonArray) keys) {
            if (!(key instanceof JsonObject)) {
                throw new IllegalArgumentException("the JWKS " + source + " has a key that is not a JSON object");
            }
            JsonObject jwk = (JsonObject) key;
            if ("enc".equals(jwk.getString("use"))) {
                continue;
            }
            options.addJwk(jwk.copy());
            added++;
        }
        if (added == 0) {
            throw new IllegalArgumentException("the JWKS " + source + " has no signing key");
        }
        log.info("JWTs signed by {} key(s) of the JWKS {} are accepted", added, source);
    }
}
