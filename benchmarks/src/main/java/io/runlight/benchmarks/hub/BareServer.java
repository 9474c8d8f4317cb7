package io.runlight.benchmarks.hub;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/**
 * The baseline: a bare Vert.x Web server on the same machine, with the hub's Vert.x defaults
 * (event loops, compression off unless asked), and only what a server must do for the same
 * requests: {@code POST /ingest} reads the whole body and answers 202; {@code GET /page/<name>}
 * answers the bytes the hub served for that request, as they were captured.
 */
final class BareServer
        implements AutoCloseable
{
    private static final Buffer ACCEPTED = Buffer.buffer("{\"accepted\":50,\"rejected\":0}");

    private final Vertx vertx;
    private final HttpServer server;
    private final Map<String, Buffer> pages = new ConcurrentHashMap<>();

    private BareServer(Vertx vertx, HttpServer server)
    {
        this.vertx = vertx;
        this.server = server;
    }

    static BareServer start()
    {
        Vertx vertx = Vertx.vertx();
        BareServer[] holder = new BareServer[1];
        Router router = Router.router(vertx);
        router.post("/ingest").handler(context -> context.request().body()
                .onSuccess(body -> context.response().setStatusCode(202).putHeader("Content-Type", "application/json").end(ACCEPTED))
                .onFailure(context::fail));
        router.get("/page/:name").handler(context -> {
            Buffer page = holder[0].pages.get(context.pathParam("name"));
            if (page == null) {
                context.response().setStatusCode(404).end();
                return;
            }
            context.response().putHeader("Content-Type", "application/json").end(page);
        });
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        holder[0] = new BareServer(vertx, server);
        return holder[0];
    }

    /** Serves {@code body} at {@code /page/<name>}. */
    void page(String name, Buffer body)
    {
        pages.put(name, body.copy());
    }

    int port()
    {
        return server.actualPort();
    }

    @Override
    public void close()
    {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
