package io.runlight.examples.summary;

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
 * Sends an {@link OutboundRequest} for real, as the hub does, and turns the answer into
 * the {@link InboundResponse} the connector interprets. Test code only: a connector
 * itself never sends anything.
 */
final class JdkHttpSender
{
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    InboundResponse send(OutboundRequest request)
    {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
                .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.timeout().ifPresent(builder::timeout);
        request.headers().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        try {
            HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, List<String>> headers = new TreeMap<>();
            response.headers().map().forEach((name, values) -> {
                if (!name.startsWith(":")) {
                    headers.put(name, values);
                }
            });
            return new InboundResponse(response.statusCode(), headers, response.body());
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot send " + request, e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending " + request, e);
        }
    }
}
