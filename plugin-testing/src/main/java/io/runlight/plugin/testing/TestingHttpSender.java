package io.runlight.plugin.testing;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.runlight.plugin.api.connector.InboundResponse;
import io.runlight.plugin.api.connector.OutboundRequest;

/**
 * Sends an {@link OutboundRequest} for real with the JDK's HTTP client, as the hub
 * would, and turns the answer into the {@link InboundResponse} the connector interprets.
 * Point the connector at a local stand-in of the third party (WireMock) and assert the
 * exact requests it received.
 */
public final class TestingHttpSender
{
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** @throws IllegalStateException if the request cannot be sent (nothing listens, a timeout) */
    public InboundResponse send(OutboundRequest request)
    {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri());
        if (request.body().isEmpty()) {
            builder.method(request.method(), HttpRequest.BodyPublishers.noBody());
        }
        else {
            builder.method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body().toArray()));
        }
        request.timeout().ifPresent(builder::timeout);
        request.headers().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        try {
            HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, List<String>> headers = new TreeMap<>();
            response.headers().map().forEach((name, values) -> {
                // HTTP/2 pseudo-headers are no headers
                if (!name.startsWith(":")) {
                    headers.put(name, values);
                }
            });
            return InboundResponse.of(response.statusCode(), headers, response.body());
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot send " + request + ": " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending " + request, e);
        }
    }
}
