package io.runlight.hub.http;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;


import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.runlight.hub.config.HubConfig;
import io.runlight.hub.insights.ImageIngest;
import io.runlight.hub.insights.IngestResults;
import io.runlight.hub.insights.ReceivedDocument;
import io.runlight.insights.runtime.IdentityNames;
import io.runlight.insights.sbom.GivenImage;
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
    private static final int MAX_ROOT_LENGTH = 4096;

    private final Vertx vertx;
    private final BodySpooler spooler;
    private final ImageIngest ingest;
    private final HubConfig.Ingest limits;
    private final Counter sboms;
    private final Counter reports;
    private final Counter acceptedEvents;
    private final Counter rejectedEvents;

    /**
     * @param metrics where the ingest counters are registered: {@code runlight_ingest_documents_total{kind}}
     * counts stored SBOMs and reports, {@code runlight_ingest_events_total{result}} accepted and rejected events
     */
    public IngestHandlers(Vertx vertx, BodySpooler spooler, ImageIngest ingest, HubConfig.Ingest limits, MeterRegistry metrics)
    {
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.spooler = requireNonNull(spooler, "spooler is null");
        this.ingest = requireNonNull(ingest, "ingest is null");
        this.limits = requireNonNull(limits, "limits is null");
        requireNonNull(metrics, "metrics is null");
        this.sboms = documentCounter(metrics, "sbom");
        this.reports = documentCounter(metrics, "report");
        this.acceptedEvents = eventCounter(metrics, "accepted");
        this.rejectedEvents = eventCounter(metrics, "rejected");
    }

    /**
     * An SBOM. {@code ?image=sha256:...} or {@code ?image=name@sha256:...} names the image
     * when the document names none (refused with 422 when it names another);
     * {@code ?root=/app} says where the scanned folder is in the container.
     */
    public void postSbom(RoutingContext context)
    {
        // checked before the body is read: a bad URL stores nothing
        Optional<GivenImage> image = imageParameter(context);
        Optional<String> root = rootParameter(context);
        handle(context, limits.maxDocumentBytes(), DOCUMENT_TYPES, in -> ingest.readSbom(in, root), (read, document) -> ingest.storeSbom(read, document, image, root),
                result -> sboms.increment(), result -> new JsonObject()
                .put("imageDigest", result.imageDigest())
                .put("packages", result.packages())
                .put("format", result.format()), 201);
    }

    /** A scan report; {@code ?image=} as for SBOMs. */
    public void postReport(RoutingContext context)
    {
        Optional<GivenImage> image = imageParameter(context);
        handle(context, limits.maxDocumentBytes(), DOCUMENT_TYPES, ingest::readReport, (read, document) -> ingest.storeReport(read, document, image),
                result -> reports.increment(), result -> new JsonObject()
                .put("imageDigest", result.imageDigest())
                .put("vulnerabilities", result.vulnerabilities())
                .put("format", result.format()), 201);
    }

    public void postEvents(RoutingContext context)
    {
        handleEvents(context, limits.maxEventsBytes(), EVENT_TYPES, in -> ingest.ingestEvents(in, Optional.empty()));
    }

    /**
     * Falco's http_output posts one alert per request as application/json. An alert names
     * no cluster, so the URL may: {@code ?cluster=prod-eu} files every event of the request
     * that names none under that cluster.
     */
    public void postFalco(RoutingContext context)
    {
        // checked before the body is read: a bad URL stores nothing
        Optional<String> cluster = clusterParameter(context);
        handleEvents(context, Math.min(limits.maxEventsBytes(), 1024 * 1024), List.of("application/json"), in -> ingest.ingestFalcoAlerts(in, cluster));
    }

    /** The optional {@code cluster} query parameter: given once, a name as {@link IdentityNames#CLUSTER_NAME_RULE} says. */
    private static Optional<String> clusterParameter(RoutingContext context)
    {
        // a query string that cannot be decoded never gets here: HubRouter refuses it first
        List<String> values = context.queryParam("cluster");
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw ApiException.badRequest("Query parameter 'cluster' is given " + values.size() + " times; give it once, "
                    + "with the name of the cluster the sending Falco runs in.");
        }
        String cluster = values.get(0);
        if (cluster.isBlank()) {
            throw ApiException.badRequest("Query parameter 'cluster' is empty; give the name of the cluster the sending Falco runs in "
                    + "(for example '?cluster=prod-eu') or leave the parameter out.");
        }
        if (!IdentityNames.isClusterName(cluster)) {
            throw ApiException.badRequest("Query parameter 'cluster' is not a cluster name: '" + abbreviate(cluster) + "'; use "
                    + IdentityNames.CLUSTER_NAME_RULE + " (for example 'prod-eu').");
        }
        return Optional.of(cluster);
    }

    private static Optional<GivenImage> imageParameter(RoutingContext context)
    {
        Optional<String> value = singleParameter(context, "image", "the image the document describes, as sha256:<digest> or name@sha256:<digest>");
        try {
            return value.map(GivenImage::parse);
        }
        catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Query parameter 'image' is not a digest: '" + abbreviate(value.get())
                    + "'; give sha256:<64 hex digits> or name@sha256:<64 hex digits> (a tag is a name, not an identity).");
        }
    }

    private static Optional<String> rootParameter(RoutingContext context)
    {
        Optional<String> value = singleParameter(context, "root", "the absolute path of the scanned folder in the container, such as /app");
        if (value.isPresent() && (!value.get().startsWith("/") || value.get().length() > MAX_ROOT_LENGTH || value.get().chars().anyMatch(c -> c < 0x20))) {
            throw ApiException.badRequest("Query parameter 'root' is not an absolute path: '" + abbreviate(value.get())
                    + "'; give the folder where the scanned project is in the container, such as /app.");
        }
        return value;
    }

    private static Optional<String> singleParameter(RoutingContext context, String name, String what)
    {
        List<String> values = context.queryParam(name);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw ApiException.badRequest("Query parameter '" + name + "' is given " + values.size() + " times; give it once, with " + what + ".");
        }
        if (values.get(0).isBlank()) {
            throw ApiException.badRequest("Query parameter '" + name + "' is empty; give " + what + " or leave the parameter out.");
        }
        return Optional.of(values.get(0).strip());
    }

    // the first 80 characters, control characters as '?': the value is echoed to the caller
    private static String abbreviate(String text)
    {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 80; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return text.length() > 80 ? out + "..." : out.toString();
    }

    /**
     * A document: read while it arrives ({@link BodySpooler#spoolAndRead}), then stored on a
     * worker thread from what was read and the spooled bytes, which are deleted after.
     */
    private <R, T> void handle(RoutingContext context, long limit, List<String> types, Function<InputStream, R> read, BiFunction<R, ReceivedDocument, T> store,
            Consumer<T> count, Function<T, JsonObject> render, int status)
    {
        spooler.spoolAndRead(context.request(), limit, types, read)
                .compose(body -> vertx.executeBlocking(() -> {
                    try {
                        return store.apply(body.value(), body.document());
                    }
                    finally {
                        Files.deleteIfExists(body.document().file());
                    }
                }, false))
                .onSuccess(result -> {
                    count.accept(result);
                    context.response()
                            .setStatusCode(status)
                            .putHeader("Content-Type", "application/json")
                            .end(render.apply(result).encode());
                })
                .onFailure(context::fail);
    }

    /** As {@link #handle}, for event bodies: a small one is read into memory, not spooled ({@link BodySpooler#receive}). */
    private void handleEvents(RoutingContext context, long limit, List<String> types, Function<InputStream, IngestResults.Events> action)
    {
        spooler.receive(context.request(), limit, types)
                .compose(body -> vertx.executeBlocking(() -> {
                    try (InputStream in = body.open()) {
                        return action.apply(in);
                    }
                    finally {
                        body.release();
                    }
                }, false))
                .onSuccess(result -> {
                    countEvents(result);
                    context.response()
                            .setStatusCode(202)
                            .putHeader("Content-Type", "application/json")
                            .end(eventsJson(result).encode());
                })
                .onFailure(context::fail);
    }

    private void countEvents(IngestResults.Events result)
    {
        acceptedEvents.increment(result.accepted());
        rejectedEvents.increment(result.rejected());
    }

    private static Counter documentCounter(MeterRegistry metrics, String kind)
    {
        return Counter.builder("runlight.ingest.documents")
                .description("SBOMs and scan reports stored")
                .tag("kind", kind)
                .register(metrics);
    }

    private static Counter eventCounter(MeterRegistry metrics, String result)
    {
        return Counter.builder("runlight.ingest.events")
                .description("Runtime events received, by whether they were kept")
                .tag("result", result)
                .register(metrics);
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
