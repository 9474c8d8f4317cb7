package io.runlight.hub.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import static java.util.Objects.requireNonNull;

/**
 * Liveness, readiness, Prometheus metrics and the OpenAPI document: the unauthenticated
 * endpoints that orchestrators and scrapers call.
 */
public final class OperationsHandlers
{
    private static final String OPENAPI_RESOURCE = "/io/runlight/hub/http/openapi.yaml";

    private final Vertx vertx;
    private final BooleanSupplier ready;
    private final PrometheusMeterRegistry metrics;
    private final Supplier<JsonObject> cluster;
    private final Buffer openApi;

    /**
     * @param ready whether this member has joined its cluster and the database answers (blocking check)
     * @param cluster the cluster's members and each map's state on this member, as JSON (blocking)
     */
    public OperationsHandlers(Vertx vertx, BooleanSupplier ready, PrometheusMeterRegistry metrics, Supplier<JsonObject> cluster)
    {
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.ready = requireNonNull(ready, "ready is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.cluster = requireNonNull(cluster, "cluster is null");
        this.openApi = Buffer.buffer(openApiDocument());
    }

    public void live(RoutingContext context)
    {
        ReadHandlers.json(context, 200, new JsonObject().put("status", "UP"));
    }

    public void ready(RoutingContext context)
    {
        vertx.executeBlocking(ready::getAsBoolean, false)
                .onComplete(result -> {
                    if (result.succeeded() && result.result()) {
                        ReadHandlers.json(context, 200, new JsonObject().put("status", "UP"));
                    }
                    else {
                        ReadHandlers.json(context, 503, new JsonObject().put("status", "DOWN")
                                .put("message", "The cluster member has not joined yet, the database does not answer, or entries lost with other members "
                                        + "are being loaded back (GET /api/v1/cluster shows which maps)."));
                    }
                });
    }

    /** {@code GET /api/v1/cluster}: the members this member sees and each durable map's state here. */
    public void cluster(RoutingContext context)
    {
        vertx.executeBlocking(cluster::get, false)
                .onSuccess(json -> ReadHandlers.json(context, 200, json))
                .onFailure(context::fail);
    }

    public void metrics(RoutingContext context)
    {
        vertx.executeBlocking(metrics::scrape, false)
                .onSuccess(text -> context.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(text))
                .onFailure(context::fail);
    }

    public void openApi(RoutingContext context)
    {
        context.response().putHeader("Content-Type", "application/yaml").end(openApi);
    }

    /** The OpenAPI document this hub serves. */
    public static byte[] openApiDocument()
    {
        try (InputStream in = OperationsHandlers.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource '" + OPENAPI_RESOURCE + "' is missing from the hub-core jar");
            }
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read '" + OPENAPI_RESOURCE + "'", e);
        }
    }
}
