package io.runlight.examples.summary;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import static java.util.Objects.requireNonNull;

/**
 * A real HTTP receiver on 127.0.0.1 (the JDK's own server): records every request and
 * answers with the status, headers and body the test sets.
 */
final class Receiver
        implements AutoCloseable
{
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int status = 204;
    private volatile Map<String, String> headers = Map.of();
    private volatile String body = "";

    /** One request as it arrived; header names in lower case. */
    record Received(String method, String path, Map<String, String> headers, String body)
    {
        Received
        {
            requireNonNull(method, "method is null");
            requireNonNull(path, "path is null");
            headers = Map.copyOf(headers);
            requireNonNull(body, "body is null");
        }
    }

    Receiver()
            throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url(String path)
    {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    void answer(int newStatus, Map<String, String> newHeaders, String newBody)
    {
        this.status = newStatus;
        this.headers = Map.copyOf(newHeaders);
        this.body = newBody;
    }

    List<Received> received()
    {
        return List.copyOf(received);
    }

    @Override
    public void close()
    {
        server.stop(0);
    }

    private void handle(HttpExchange exchange)
            throws IOException
    {
        byte[] requestBody;
        try (InputStream in = exchange.getRequestBody()) {
            requestBody = in.readAllBytes();
        }
        Map<String, String> requestHeaders = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> requestHeaders.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), requestHeaders,
                new String(requestBody, StandardCharsets.UTF_8)));
        byte[] answer = body.getBytes(StandardCharsets.UTF_8);
        headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }
}
