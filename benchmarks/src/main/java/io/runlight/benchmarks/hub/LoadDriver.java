package io.runlight.benchmarks.hub;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import static java.util.Objects.requireNonNull;

/**
 * A closed-loop HTTP load generator, like {@code wrk}: a fixed number of connections, each
 * sending its next request as soon as the previous answer is read, for a fixed time after a
 * warm-up. It runs on one event loop of its own Vert.x instance, so the hub and the bare
 * server under test get the same client and the same share of the machine.
 */
final class LoadDriver
        implements AutoCloseable
{
    private final Vertx vertx;

    LoadDriver()
    {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    }

    /**
     * One request to send.
     *
     * @param path path and query
     * @param authorization the {@code Authorization} header, if any
     * @param contentType the body's type, if it has one
     * @param body the body; empty for none
     */
    record Request(HttpMethod method, String path, String authorization, String contentType, Buffer body)
    {
        Request
        {
            requireNonNull(method, "method is null");
            requireNonNull(path, "path is null");
            requireNonNull(body, "body is null");
        }

        static Request get(String path, String authorization)
        {
            return new Request(HttpMethod.GET, path, authorization, null, Buffer.buffer());
        }

        static Request post(String path, String authorization, String contentType, Buffer body)
        {
            return new Request(HttpMethod.POST, path, authorization, contentType, body);
        }
    }

    /** Drives {@code base} with request {@code requests.apply(i)} for the i-th request sent; answers other than {@code expectedStatus} count as errors. */
    LoadResult run(String name, URI base, IntFunction<Request> requests, int expectedStatus, int connections, Duration warmUp, Duration measured)
            throws InterruptedException
    {
        return run(name, List.of(base), requests, expectedStatus, connections, warmUp, measured);
    }

    /**
     * As {@link #run(String, URI, IntFunction, int, int, Duration, Duration)}, with the
     * connections spread over {@code bases} in turn (connection i talks to base i mod n): the
     * same requests shared by several servers, such as the members of a cluster.
     */
    LoadResult run(String name, List<URI> bases, IntFunction<Request> requests, int expectedStatus, int connections, Duration warmUp, Duration measured)
            throws InterruptedException
    {
        if (bases.isEmpty() || connections < bases.size()) {
            throw new IllegalArgumentException("load run '" + name + "': " + connections + " connections cannot reach " + bases.size() + " servers; use at least one per server");
        }
        List<HttpClientAgent> clients = new ArrayList<>();
        for (int i = 0; i < bases.size(); i++) {
            URI base = bases.get(i);
            int share = connections / bases.size() + (i < connections % bases.size() ? 1 : 0);
            clients.add(vertx.createHttpClient(new HttpClientOptions()
                            .setDefaultHost(base.getHost())
                            .setDefaultPort(base.getPort())
                            .setKeepAlive(true)
                            .setPipelining(false),
                    new PoolOptions().setHttp1MaxSize(share)));
        }
        try {
            Run run = new Run(clients, requests, expectedStatus, connections, warmUp, measured);
            CompletableFuture<Void> done = new CompletableFuture<>();
            vertx.runOnContext(ignored -> run.start(done));
            try {
                done.get(warmUp.plus(measured).plusMinutes(2).toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("load run '" + name + "' did not finish: " + e.getMessage(), e);
            }
            return run.result(name);
        }
        finally {
            clients.forEach(HttpClientAgent::close);
        }
    }

    /** Sends one request and waits for its answer; the status and body. */
    Response send(URI base, Request request)
            throws InterruptedException
    {
        HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(base.getHost()).setDefaultPort(base.getPort()));
        try {
            CompletableFuture<Response> answer = new CompletableFuture<>();
            vertx.runOnContext(ignored -> send(client, request)
                    .compose(response -> response.body().map(body -> new Response(response.statusCode(), body)))
                    .onComplete(result -> {
                        if (result.succeeded()) {
                            answer.complete(result.result());
                        }
                        else {
                            answer.completeExceptionally(result.cause());
                        }
                    }));
            try {
                return answer.get(5, TimeUnit.MINUTES);
            }
            catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException(request.method() + " " + request.path() + " failed: " + e.getMessage(), e);
            }
        }
        finally {
            client.close();
        }
    }

    record Response(int status, Buffer body) {}

    private static Future<io.vertx.core.http.HttpClientResponse> send(HttpClientAgent client, Request request)
    {
        RequestOptions options = new RequestOptions().setMethod(request.method()).setURI(request.path());
        if (request.authorization() != null) {
            options.putHeader("Authorization", request.authorization());
        }
        if (request.contentType() != null) {
            options.putHeader("Content-Type", request.contentType());
        }
        return client.request(options).compose(sent -> sent.send(request.body()));
    }

    @Override
    public void close()
    {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** The state of one run; touched only on the driver's event loop. */
    private static final class Run
    {
        private final List<HttpClientAgent> clients;
        private final IntFunction<Request> requests;
        private final int expectedStatus;
        private final int connections;
        private final long warmUpEnd;
        private final long end;
        private long[] latencies = new long[1 << 16];
        private int recorded;
        private int sent;
        private int errors;
        private int active;
        private long measureStart;
        private long measureEnd;
        private long cpuAtStart;
        private long cpuAtEnd;
        private final Map<String, Integer> failures = new TreeMap<>();

        Run(List<HttpClientAgent> clients, IntFunction<Request> requests, int expectedStatus, int connections, Duration warmUp, Duration measured)
        {
            this.clients = List.copyOf(clients);
            this.requests = requests;
            this.expectedStatus = expectedStatus;
            this.connections = connections;
            long now = System.nanoTime();
            this.warmUpEnd = now + warmUp.toNanos();
            this.end = warmUpEnd + measured.toNanos();
        }

        void start(CompletableFuture<Void> done)
        {
            active = connections;
            for (int i = 0; i < connections; i++) {
                next(clients.get(i % clients.size()), done);
            }
        }

        private void next(HttpClientAgent client, CompletableFuture<Void> done)
        {
            long started = System.nanoTime();
            if (started >= end) {
                active--;
                if (active == 0) {
                    measureEnd = started;
                    cpuAtEnd = processCpuNanos();
                    done.complete(null);
                }
                return;
            }
            Request request = requests.apply(sent++);
            send(client, request)
                    .compose(response -> response.body().map(ignored -> response.statusCode()))
                    .onComplete(result -> {
                        long finished = System.nanoTime();
                        if (started >= warmUpEnd) {
                            if (measureStart == 0) {
                                measureStart = warmUpEnd;
                                cpuAtStart = processCpuNanos();
                            }
                            if (result.failed() || result.result() != expectedStatus) {
                                errors++;
                                String why = result.failed() ? result.cause().getClass().getSimpleName() + ": " + result.cause().getMessage() : "status " + result.result();
                                failures.merge(why, 1, Integer::sum);
                            }
                            record(finished - started);
                        }
                        next(client, done);
                    });
        }

        private void record(long nanos)
        {
            if (recorded == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[recorded++] = nanos;
        }

        LoadResult result(String name)
        {
            long[] sorted = Arrays.copyOf(latencies, recorded);
            Arrays.sort(sorted);
            double seconds = (measureEnd - warmUpEnd) / 1e9;
            return new LoadResult(name, recorded, errors, seconds, recorded / seconds,
                    percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6,
                    List.copyOf(failures.entrySet().stream().map(entry -> entry.getValue() + "× " + entry.getKey()).toList()),
                    recorded == 0 || cpuAtStart < 0 ? -1 : (cpuAtEnd - cpuAtStart) / 1e6 / recorded);
        }

        /** CPU time of the whole JVM (the server, the client and anything else in it); -1 if the JVM cannot tell. */
        private static long processCpuNanos()
        {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getProcessCpuTime();
            }
            return -1;
        }

        private static double percentile(long[] sorted, int percent)
        {
            if (sorted.length == 0) {
                return 0;
            }
            int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, index)] / 1e6;
        }
    }
}
