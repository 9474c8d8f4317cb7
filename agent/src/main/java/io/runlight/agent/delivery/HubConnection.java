package io.runlight.agent.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.runlight.plugin.api.ImageDigest;

import static java.util.Objects.requireNonNull;

/**
 * The agent's side of the hub's ingest API, with an ingest token: runtime events, the question
 * whether the hub has an SBOM for a digest, and SBOM uploads.
 */
public final class HubConnection
{
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_MESSAGE = 300;

    private final URI base;
    private final String bearer;
    private final HttpClient http;

    /**
     * @param base the hub's base URL, such as {@code https://runlight:8443}
     * @param bearer an ingest token ({@code rlt_…}) or a JWT with the ingest role
     */
    public HubConnection(URI base, String bearer, HttpClient http)
    {
        this.base = requireNonNull(base, "base is null");
        this.bearer = requireNonNull(bearer, "bearer is null");
        this.http = requireNonNull(http, "http is null");
    }

    /** The hub's base URL, for messages. */
    public URI base()
    {
        return base;
    }

    /** Posts NDJSON runtime events; the hub has stored them once this returns. */
    public void postEvents(byte[] ndjson)
    {
        send(request("/api/v1/runtime/events")
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ndjson))
                .build(), "runtime events");
    }

    /** Whether the hub has an SBOM of the image with this digest (any of its digests). */
    public boolean hasSbom(ImageDigest digest)
    {
        HttpResponse<String> response = exchange(request("/api/v1/sboms/" + digest.value()).GET().build(), "the SBOM of " + digest.value());
        if (response.statusCode() == 404) {
            return false;
        }
        check(response, "the SBOM of " + digest.value());
        return true;
    }

    /** Uploads an SBOM of the image with this digest (CycloneDX JSON). */
    public void postSbom(ImageDigest digest, byte[] cycloneDx)
    {
        String query = "?image=" + URLEncoder.encode(digest.value(), StandardCharsets.UTF_8);
        send(request("/api/v1/sboms" + query)
                .header("Content-Type", "application/vnd.cyclonedx+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(cycloneDx))
                .build(), "the SBOM of " + digest.value());
    }

    private HttpRequest.Builder request(String path)
    {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + bearer)
                .header("Accept", "application/json");
    }

    private void send(HttpRequest request, String what)
    {
        check(exchange(request, what), what);
    }

    private HttpResponse<String> exchange(HttpRequest request, String what)
    {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new HubUnavailableException("cannot reach the hub at " + base + " with " + what + ": " + describe(e), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubUnavailableException("interrupted while sending " + what + " to the hub at " + base, e);
        }
    }

    private void check(HttpResponse<String> response, String what)
    {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String message = "the hub at " + base + " answered " + status + " to " + what + ": " + abbreviate(response.body());
        if (status == 429 || status >= 500) {
            throw new HubUnavailableException(message);
        }
        throw new HubRefusalException(status, message);
    }

    private static String describe(IOException e)
    {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + " " + e.getMessage();
    }

    private static String abbreviate(String body)
    {
        String text = body == null ? "" : body.strip();
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }
}
