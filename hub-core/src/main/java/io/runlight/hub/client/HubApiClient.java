package io.runlight.hub.client;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

import javax.net.ssl.SSLException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;

import static java.util.Objects.requireNonNull;

/**
 * A client of the hub's HTTP API (JDK {@link HttpClient}, HTTP/1.1), for the CLI's commands
 * and for the demo, which loads its sample through the same endpoints as a user. It turns every
 * answer into either the JSON body (2xx) or one exception whose message is a sentence for
 * the terminal: {@link HubRefusedException} when the hub said no, {@link HubUnreachableException}
 * when it could not be asked.
 */
public final class HubApiClient
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration API_TIMEOUT = Duration.ofSeconds(60);
    private static final int BODY_EXCERPT = 200;

    private final URI base;
    private final String token;
    private final HttpClient client;

    /**
     * @param base the hub's base URL without a trailing slash, such as {@code https://127.0.0.1:8443}
     * @param token the bearer token sent with every request
     */
    public HubApiClient(URI base, String token, HttpClient client)
    {
        this.base = requireNonNull(base, "base is null");
        this.token = requireNonNull(token, "token is null");
        this.client = requireNonNull(client, "client is null");
    }

    public URI base()
    {
        return base;
    }

    /** {@code GET path}; the JSON answer. */
    public JsonNode get(String path)
    {
        return send(request(path).timeout(API_TIMEOUT).GET());
    }

    /** {@code POST path} with {@code body} as JSON; the JSON answer. */
    public JsonNode post(String path, JsonNode body)
    {
        return send(request(path).timeout(API_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)));
    }

    /** {@code POST path} with {@code body} of the given content type; the JSON answer. */
    public JsonNode post(String path, String contentType, byte[] body)
    {
        return send(request(path).timeout(API_TIMEOUT)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** {@code POST path} without a body (actions such as pause); the JSON answer. */
    public JsonNode post(String path)
    {
        return send(request(path).timeout(API_TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** {@code DELETE path}; the JSON answer, usually missing (204). */
    public JsonNode delete(String path)
    {
        return send(request(path).timeout(API_TIMEOUT).DELETE());
    }

    /**
     * {@code POST path} with the file streamed as the body; {@code sent} hears the number of
     * bytes handed to the connection so far. No overall time-out: a large file on a slow link
     * may take long, and the connection itself has one.
     */
    public JsonNode upload(String path, Path file, String contentType, LongConsumer sent)
    {
        HttpRequest.BodyPublisher body;
        try {
            body = new CountingBodyPublisher(HttpRequest.BodyPublishers.ofFile(file), sent);
        }
        catch (FileNotFoundException e) {
            throw new UncheckedIOException("cannot read '" + file + "': " + e.getMessage(), e);
        }
        return send(request(path).header("Content-Type", contentType).POST(body));
    }

    /** {@code value} as one path segment. */
    public static String segment(String value)
    {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path)
    {
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest.Builder request)
    {
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw unreachable(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubUnreachableException("interrupted while waiting for the hub at " + base + ".", e);
        }
        int status = response.statusCode();
        String body = response.body();
        if (status >= 200 && status < 300) {
            if (body.isBlank()) {
                return MissingNode.getInstance();
            }
            try {
                return JSON.readTree(body);
            }
            catch (JsonProcessingException e) {
                throw new HubUnreachableException("the hub at " + base + " answered HTTP " + status + " with a body that is not JSON; is "
                        + base + " a Runlight hub?", e);
            }
        }
        throw refused(status, body);
    }

    private static HubRefusedException refused(int status, String body)
    {
        JsonNode json;
        try {
            json = body.isBlank() ? MissingNode.getInstance() : JSON.readTree(body);
        }
        catch (JsonProcessingException e) {
            json = MissingNode.getInstance();
        }
        JsonNode message = json.path("message");
        if (!message.isTextual()) {
            String excerpt = oneLine(body);
            String detail = excerpt.isEmpty() ? "" : ": " + excerpt;
            return new HubRefusedException("the hub refused the request with HTTP " + status + detail, status, new TextNode(body));
        }
        StringBuilder text = new StringBuilder(withoutFinalPeriod(message.asText()));
        List<String> errors = new ArrayList<>();
        for (JsonNode error : json.path("errors")) {
            errors.add(error.path("property").asText() + " " + withoutFinalPeriod(error.path("message").asText()));
        }
        if (!errors.isEmpty()) {
            text.append(": ").append(String.join("; ", errors));
        }
        return new HubRefusedException("the hub refused the request: " + text + " (HTTP " + status + ")", status, json);
    }

    private HubUnreachableException unreachable(IOException failure)
    {
        String where = "cannot reach the hub at " + base + ": ";
        if (has(failure, UnresolvedAddressException.class) || has(failure, UnknownHostException.class)) {
            return new HubUnreachableException(where + "unknown host '" + base.getHost() + "'. Check --hub or RUNLIGHT_HUB.", failure);
        }
        if (has(failure, HttpConnectTimeoutException.class)) {
            return new HubUnreachableException(where + "the connection timed out. Check --hub and any firewall between here and the hub.", failure);
        }
        if (has(failure, ConnectException.class)) {
            return new HubUnreachableException(where + "connection refused. Is `runlight serve` running?", failure);
        }
        if (has(failure, CertificateException.class) || String.valueOf(failure.getMessage()).contains("PKIX")) {
            return new HubUnreachableException(where + "its TLS certificate is not trusted. Give --ca-cert FILE with the hub's certificate, "
                    + "--data-dir DIR of the hub (its tls/cert.pem is trusted) or --insecure.", failure);
        }
        if (has(failure, SSLException.class)) {
            return new HubUnreachableException(where + "the TLS handshake failed (" + oneLine(String.valueOf(rootMessage(failure)))
                    + "). Does the hub serve HTTPS on that port? Use an http:// URL for its plain HTTP port.", failure);
        }
        if (failure instanceof HttpTimeoutException) {
            return new HubUnreachableException("the hub at " + base + " did not answer within " + API_TIMEOUT.toSeconds() + " seconds.", failure);
        }
        return new HubUnreachableException(where + oneLine(String.valueOf(rootMessage(failure))) + ".", failure);
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type)
    {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure)
    {
        String message = failure.getClass().getSimpleName();
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current.getMessage() != null) {
                message = current.getMessage();
            }
        }
        return message;
    }

    private static String withoutFinalPeriod(String text)
    {
        String stripped = text.strip();
        return stripped.endsWith(".") ? stripped.substring(0, stripped.length() - 1) : stripped;
    }

    private static String oneLine(String text)
    {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() > BODY_EXCERPT ? line.substring(0, BODY_EXCERPT) + "…" : line;
    }
}
