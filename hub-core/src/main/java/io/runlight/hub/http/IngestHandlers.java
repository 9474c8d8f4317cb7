package io.runlight.hub.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import io.runlight.hub.config.HubConfig;
import io.runlight.hub.insights.ImageIngest;
import io.runlight.hub.insights.IngestResults;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import static java.util.Objects.requireNonNull;

/**
 * The ingest endpoints: the body is spooled to a file (bounded, typed), parsed and
 * stored on a worker thread, and answered only once everything is written through to
 * the database.
 */
public final class IngestHandlers
{
    /** Media types SBOMs and reports are accepted as. */
    static final List<String> DOCUMENT_TYPES = List.of("application/json", "application/vnd.cyclonedx+json", "application/spdx+json", "application/octet-stream");
    /** Media types runtime events are accepted as. */
    static final List<String> EVENT_TYPES = List.of("application/x-ndjson", "application/jsonl", "application/json", "text/plain", "application/octet-stream");

    private final Vertx vertx;
    private final BodySpooler spooler;
    private final ImageIngest ingest;
    private final HubConfig.Ingest limits;

    public IngestHandlers(Vertx vertx, BodySpooler spooler, ImageIngest ingest, HubConfig.Ingest limits)
    {
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.spooler = requireNonNull(spooler, "spooler is null");
        this.ingest = requireNonNull(ingest, "ingest is null");
        this.limits = requireNonNull(limits, "limits is null");
    }

    public void postSbom(RoutingContext context)
    {
        handle(context, limits.maxDocumentBytes(), DOCUMENT_TYPES, ingest::ingestSbom, result -> new JsonObject()
                .put("imageDigest", result.imageDigest())
                .put("packages", result.packages())
                .put("format", result.format()), 201);
    }

    public void postReport(RoutingContext context)
    {
        handle(context, limits.maxDocumentBytes(), DOCUMENT_TYPES, ingest::ingestReport, result -> new JsonObject()
                .put("imageDigest", result.imageDigest())
                .put("vulnerabilities", result.vulnerabilities())
                .put("format", result.format()), 201);
    }

    public void postEvents(RoutingContext context)
    {
        handle(context, limits.maxEventsBytes(), EVENT_TYPES, ingest::ingestEvents, IngestHandlers::eventsJson, 202);
    }

    /** Falco's http_output posts one alert per request as application/json. */
    public void postFalco(RoutingContext context)
    {
        handle(context, Math.min(limits.maxEventsBytes(), 1024 * 1024), List.of("application/json"), ingest::ingestEvents, IngestHandlers::eventsJson, 202);
    }

    private <T> void handle(RoutingContext context, long limit, List<String> types, Function<Path, T> action, Function<T, JsonObject> render, int status)
    {
        spooler.spool(context.request(), limit, types)
                .compose(file -> vertx.executeBlocking(() -> {
                    try {
                        return action.apply(file);
                    }
                    finally {
                        Files.deleteIfExists(file);
                    }
                }, false))
                .onSuccess(result -> context.response()
                        .setStatusCode(status)
                        .putHeader("Content-Type", "application/json")
                        .end(render.apply(result).encode()))
                .onFailure(context::fail);
    }

    private static JsonObject eventsJson(IngestResults.Events result)
    {
        JsonArray errors = new JsonArray();
        result.errors().forEach(error -> errors.add(new JsonObject().put("location", error.location()).put("message", error.message())));
        return new JsonObject()
                .put("accepted", result.accepted())
                .put("rejected", result.rejected())
                .put("errors", errors);
    }
}
