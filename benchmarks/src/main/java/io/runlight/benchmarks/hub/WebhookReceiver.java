package io.runlight.benchmarks.hub;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;

/**
 * A webhook receiver for the exec → webhook trials: answers every POST with 204 and
 * remembers when each body arrived.
 */
final class WebhookReceiver
        implements AutoCloseable
{
    private final Vertx vertx;
    private final HttpServer server;
    private final List<Arrival> arrivals = new ArrayList<>();

    record Arrival(long nanos, String body) {}

    private WebhookReceiver(Vertx vertx, HttpServer server)
    {
        this.vertx = vertx;
        this.server = server;
    }

    static WebhookReceiver start()
    {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        WebhookReceiver[] holder = new WebhookReceiver[1];
        HttpServer server = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    holder[0].arrived(new Arrival(System.nanoTime(), body.toString()));
                    request.response().setStatusCode(204).end();
                }))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        holder[0] = new WebhookReceiver(vertx, server);
        return holder[0];
    }

    private synchronized void arrived(Arrival arrival)
    {
        arrivals.add(arrival);
        notifyAll();
    }

    /** The first arrival after {@code afterNanos} whose body contains {@code text}, waiting up to {@code timeoutNanos}; -1 if none came. */
    synchronized long awaitArrival(long afterNanos, String text, long timeoutNanos)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeoutNanos;
        int checked = 0;
        while (true) {
            for (; checked < arrivals.size(); checked++) {
                Arrival arrival = arrivals.get(checked);
                if (arrival.nanos() >= afterNanos && arrival.body().contains(text)) {
                    return arrival.nanos();
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return -1;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    String url()
    {
        return "http://127.0.0.1:" + server.actualPort() + "/webhook";
    }

    @Override
    public void close()
    {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
