package io.runlight.hub.integration;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import io.runlight.plugin.api.connector.InboundResponse;
import io.runlight.plugin.api.connector.OutboundRequest;

import static java.util.Objects.requireNonNull;

/**
 * Sends a connector's connection-test request with the hub's HTTP client (plugins open
 * no sockets) and says what came back. Waits for the answer: call from a worker.
 */
final class ConnectionTester
        implements AutoCloseable
{
    /** The timeout of a test request that does not give one. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final WebClient client;

    ConnectionTester(Vertx vertx)
    {
        requireNonNull(vertx, "vertx is null");
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setFollowRedirects(false)
                .setUserAgent("runlight-hub")
                .setConnectTimeout((int) DEFAULT_TIMEOUT.toMillis()));
    }

    ConnectionTestResult send(OutboundRequest request)
    {
        requireNonNull(request, "request is null");
        Duration timeout = request.timeout().orElse(DEFAULT_TIMEOUT);
        HttpRequest<Buffer> http = client.requestAbs(HttpMethod.valueOf(request.method()), request.uri().toString())
                .timeout(timeout.toMillis());
        request.headers().forEach((name, values) -> http.putHeader(name, values));
        String target = request.method() + " " + request.uri().getScheme() + "://" + request.uri().getAuthority() + request.uri().getRawPath();
        try {
            HttpResponse<Buffer> response = http.sendBuffer(Buffer.buffer(request.body().toArray()))
                    .toCompletionStage().toCompletableFuture()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            byte[] body = response.body() == null ? new byte[0] : response.body().getBytes();
            InboundResponse inbound = InboundResponse.of(response.statusCode(), Map.of(), body);
            if (inbound.isSuccess()) {
                return new ConnectionTestResult(true, OptionalInt.of(inbound.status()), target + " answered HTTP " + inbound.status() + ".");
            }
            return new ConnectionTestResult(false, OptionalInt.of(inbound.status()), target + " answered " + inbound.summary());
        }
        catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new ConnectionTestResult(false, OptionalInt.empty(), target + " failed: " + describe(cause));
        }
        catch (TimeoutException e) {
            return new ConnectionTestResult(false, OptionalInt.empty(), target + " did not answer within " + timeout.toMillis() + " ms.");
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ConnectionTestResult(false, OptionalInt.empty(), target + " was not tested: the hub is stopping.");
        }
    }

    @Override
    public void close()
    {
        client.close();
    }

    private static String describe(Throwable cause)
    {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.lines().findFirst().orElse(message) + ".";
    }
}
