package io.runlight.hub.http;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.runlight.hub.insights.ImageSummary;
import io.runlight.hub.insights.InsightsReader;
import io.runlight.insights.report.DurationFormat;
import io.runlight.insights.report.InsightsJsonWriter;
import io.runlight.insights.vex.VexDocuments;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.connector.Page;
import io.runlight.plugin.api.connector.PageRequest;
import io.runlight.plugin.api.connector.VexFormat;
import io.runlight.plugin.api.connector.WorkloadQuery;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import static java.util.Objects.requireNonNull;

/**
 * The read endpoints: images, one image (the same document as {@code runlight analyze}),
 * its VEX, and the per-container view (of every image or of one).
 */
public final class ReadHandlers
{
    private static final int DEFAULT_LIMIT = 50;

    private final Vertx vertx;
    private final InsightsReader reader;
    private final Duration learningWindow;
    private final InsightsJsonWriter writer = InsightsJsonWriter.compact();

    /**
     * @param learningWindow how long an image must be observed before its verdicts are final
     */
    public ReadHandlers(Vertx vertx, InsightsReader reader, Duration learningWindow)
    {
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.reader = requireNonNull(reader, "reader is null");
        this.learningWindow = requireNonNull(learningWindow, "learningWindow is null");
    }

    public void listImages(RoutingContext context)
    {
        PageRequest page = page(context);
        Optional<String> cluster = query(context, "cluster");
        Optional<String> namespace = query(context, "namespace");
        Optional<Boolean> inUse = query(context, "inUse").map(ReadHandlers::bool);
        vertx.executeBlocking(() -> reader.summaries(page, cluster, namespace, inUse), false)
                .onSuccess(result -> {
                    JsonArray images = new JsonArray();
                    for (ImageSummary image : result.items()) {
                        JsonObject item = new JsonObject(image.listItemJson());
                        image.finalIn(learningWindow).ifPresent(left -> item.put("finalIn", DurationFormat.iso(left)));
                        images.add(item);
                    }
                    json(context, 200, new JsonObject().put("images", images).put("page", pageJson(result)));
                })
                .onFailure(error -> context.fail(translate(error)));
    }

    public void getImage(RoutingContext context)
    {
        String digest = digest(context);
        vertx.executeBlocking(() -> reader.imageJson(digest), false)
                .onSuccess(found -> {
                    if (found.isEmpty()) {
                        context.fail(notFound(digest));
                        return;
                    }
                    context.response().putHeader("Content-Type", "application/json").end(found.get());
                })
                .onFailure(context::fail);
    }

    /**
     * Whether the hub has an SBOM of an image, under any of its digests: what a node agent asks
     * before it catalogs an image it sees running (an ingest token may ask; the answer tells
     * nothing of the image's contents).
     */
    public void getSbom(RoutingContext context)
    {
        String digest = digest(context);
        vertx.executeBlocking(() -> reader.canonical(digest).flatMap(canonical -> reader.sbom(canonical).map(sbom -> Map.entry(canonical, sbom))), false)
                .onSuccess(found -> {
                    if (found.isEmpty()) {
                        context.fail(ApiException.notFound("The hub has no SBOM of image '" + digest + "': post one to /api/v1/sboms."));
                        return;
                    }
                    JsonObject body = new JsonObject()
                            .put("imageDigest", found.get().getKey())
                            .put("format", found.get().getValue().format())
                            .put("sha256", found.get().getValue().sha256())
                            .put("receivedAt", found.get().getValue().receivedAt().toString());
                    context.response().putHeader("Content-Type", "application/json").end(body.encode());
                })
                .onFailure(context::fail);
    }

    public void getVex(RoutingContext context)
    {
        String digest = digest(context);
        VexFormat format = switch (query(context, "format").orElse("openvex").toLowerCase(Locale.ROOT)) {
            case "openvex" -> VexFormat.OPENVEX;
            case "cyclonedx" -> VexFormat.CYCLONEDX;
            default -> throw ApiException.badRequest("format '" + query(context, "format").orElse("") + "' is not a VEX format: use openvex or cyclonedx.");
        };
        vertx.executeBlocking(() -> reader.vex(new ImageDigest(digest), format), false)
                .onSuccess(found -> {
                    if (found.isEmpty()) {
                        context.fail(notFound(digest));
                        return;
                    }
                    context.response()
                            .putHeader("Content-Type", VexDocuments.contentType(format))
                            .putHeader("Content-Disposition", "attachment; filename=\"" + digest.replace(':', '-') + VexDocuments.fileExtension(format) + "\"")
                            .end(Buffer.buffer(found.get()));
                })
                .onFailure(context::fail);
    }

    public void listWorkloads(RoutingContext context)
    {
        PageRequest page = page(context);
        WorkloadQuery query = new WorkloadQuery(query(context, "cluster"), query(context, "namespace"));
        Optional<String> image = query(context, "image").map(ReadHandlers::imageParameter);
        vertx.executeBlocking(() -> reader.workloads(query, image, page), false)
                .onSuccess(result -> {
                    JsonArray items = new JsonArray();
                    result.items().forEach(item -> items.add(new JsonObject(Buffer.buffer(writer.workloadToBytes(item)))));
                    json(context, 200, new JsonObject().put("workloads", items).put("page", pageJson(result)));
                })
                .onFailure(error -> context.fail(translate(error)));
    }

    static PageRequest page(RoutingContext context)
    {
        Optional<String> limitText = query(context, "limit");
        int limit = DEFAULT_LIMIT;
        if (limitText.isPresent()) {
            try {
                limit = Integer.parseInt(limitText.get());
            }
            catch (NumberFormatException e) {
                throw ApiException.badRequest("limit '" + limitText.get() + "' is not a number: use 1 to " + PageRequest.MAX_LIMIT + ".");
            }
            if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
                throw ApiException.badRequest("limit " + limit + " is out of range: use 1 to " + PageRequest.MAX_LIMIT + ".");
            }
        }
        return new PageRequest(limit, query(context, "cursor"));
    }

    static Optional<String> query(RoutingContext context, String name)
    {
        return Optional.ofNullable(context.request().getParam(name)).map(String::strip).filter(value -> !value.isEmpty());
    }

    static JsonObject pageJson(Page<?> page)
    {
        JsonObject json = new JsonObject().put("returned", page.items().size());
        page.next().ifPresent(next -> json.put("next", next));
        return json;
    }

    static void json(RoutingContext context, int status, Object body)
    {
        String encoded = body instanceof JsonObject object ? object.encode() : ((JsonArray) body).encode();
        context.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(encoded);
    }

    private static Throwable translate(Throwable error)
    {
        if (error instanceof IllegalArgumentException && error.getMessage() != null && error.getMessage().startsWith("cursor ")) {
            return ApiException.badRequest(error.getMessage());
        }
        return error;
    }

    private static String digest(RoutingContext context)
    {
        String digest = context.pathParam("digest");
        if (!ImageDigest.isValid(digest)) {
            throw ApiException.badRequest("'" + digest + "' is not an image digest: use sha256:<64 hex digits>.");
        }
        return new ImageDigest(digest).value();
    }

    private static String imageParameter(String digest)
    {
        if (!ImageDigest.isValid(digest)) {
            throw ApiException.badRequest("image '" + abbreviate(digest) + "' is not an image digest: use sha256:<64 hex digits>.");
        }
        return new ImageDigest(digest).value();
    }

    private static String abbreviate(String text)
    {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    private static ApiException notFound(String digest)
    {
        return ApiException.notFound("No image with digest '" + digest + "' has insights yet: post its SBOM to /api/v1/sboms first.");
    }

    private static boolean bool(String text)
    {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest("inUse '" + text + "' is not true or false.");
        };
    }
}
