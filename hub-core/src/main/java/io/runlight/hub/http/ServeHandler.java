package io.runlight.hub.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.hub.auth.BearerAuthenticator;
import io.runlight.hub.auth.PrincipalKind;
import io.runlight.hub.integration.ServeDecision;
import io.runlight.hub.integration.ServeRouting;
import io.runlight.hub.token.TokenSecrets;
import io.runlight.plugin.api.connector.ServeRequest;
import io.runlight.plugin.api.connector.ServeResponse;

import static java.util.Objects.requireNonNull;

/**
 * The router's fallback for the routes serve connectors declare (docs/architecture.md, decision 2): a
 * request no hub route matched is authenticated with its bearer token, which must be an
 * integration token; that token's integration must be active and its connector must
 * declare the method and path; the connector then answers on a worker, through the
 * plugin's guarded calls. Anything else falls through to the router's 404. A request this
 * member can decide from memory skips the worker for the decision, and a request to an
 * insights-only route whose page is kept for the insights of now is answered on the event
 * loop ({@link ServeRouting#pageAtHand}).
 * <p>
 * A request without an integration token to a path no connector of this member declared
 * is not authenticated at all (it is an ordinary 404), so unknown paths do not count as
 * failed authentication attempts.
 */
public final class ServeHandler
        implements Handler<RoutingContext>
{
    /** The largest request body passed to a connector. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(ServeHandler.class);
    private static final Set<String> HOP_BY_HOP = Set.of("content-length", "transfer-encoding", "connection", "keep-alive", "upgrade");

    private final Vertx vertx;
    private final BearerAuthenticator authenticator;
    private final ServeRouting integrations;

    public ServeHandler(Vertx vertx, BearerAuthenticator authenticator, ServeRouting integrations)
    {
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.integrations = requireNonNull(integrations, "integrations is null");
    }

    @Override
    public void handle(RoutingContext context)
    {
        HttpServerRequest request = context.request();
        String path;
        try {
            path = decode(context.normalizedPath());
        }
        catch (IllegalArgumentException e) {
            context.next();
            return;
        }
        if (isHubPath(path)) {
            context.next();
            return;
        }
        String method = request.method().name();
        boolean declared = integrations.isServedRoute(method, path);
        String header = request.getHeader("Authorization");
        if (!declared && (header == null || !header.contains(TokenSecrets.PREFIX))) {
            context.next();
            return;
        }
        if (!request.isEnded()) {
            request.pause();
        }
        String remote = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        authenticator.authenticate(header, remote)
                .onFailure(error -> {
                    if (declared) {
                        refuse(context, error);
                    }
                    else {
                        pass(context);
                    }
                })
                .onSuccess(principal -> {
                    if (principal.kind() != PrincipalKind.INTEGRATION_TOKEN) {
                        if (declared) {
                            refuse(context, ApiException.forbidden("This route answers only the token of the integration that serves it."));
                        }
                        else {
                            pass(context);
                        }
                        return;
                    }
                    String integrationId = principal.integrationId().orElseThrow();
                    Optional<ServeDecision.Accepted> atHand = integrations.acceptedAtHand(integrationId, method, path);
                    if (atHand.isPresent()) {
                        serveAtHand(context, atHand.get(), method, path);
                        return;
                    }
                    vertx.executeBlocking(() -> integrations.serveDecision(integrationId, method, path), false)
                            .onFailure(error -> refuse(context, error))
                            .onSuccess(decision -> {
                                if (decision instanceof ServeDecision.Refused refused) {
                                    resumeQuietly(request);
                                    writeError(context, refused.status(), refused.error(), refused.message());
                                    return;
                                }
                                serve(context, (ServeDecision.Accepted) decision, method, path);
                            });
                });
    }

    /**
     * A request whose acceptance this member had at hand: answered at once from the kept page of
     * an insights-only route when there is one for the insights of now, by the connector on a
     * worker otherwise.
     */
    private void serveAtHand(RoutingContext context, ServeDecision.Accepted target, String method, String path)
    {
        if (target.route().insightsOnly()) {
            Optional<ServeResponse> page;
            try {
                page = integrations.pageAtHand(target, path, query(context));
            }
            catch (IllegalArgumentException e) {
                // a query that cannot be decoded is no kept page: the connector's path gives the clear error
                page = Optional.empty();
            }
            if (page.isPresent()) {
                // an insights-only answer depends on no body: whatever came is not read
                resumeQuietly(context.request());
                write(context, page.get());
                if (integrations.successDue(target.integrationId())) {
                    vertx.executeBlocking(() -> {
                        integrations.recordSuccess(target.integrationId());
                        return null;
                    }, false).onFailure(error -> log.warn("Could not record the last success of integration '{}'", target.integrationId(), error));
                }
                return;
            }
        }
        serve(context, target, method, path);
    }

    private void serve(RoutingContext context, ServeDecision.Accepted target, String method, String path)
    {
        readBody(context.request())
                .compose(body -> {
                    ServeRequest serveRequest;
                    try {
                        serveRequest = ServeRequest.of(method, path, query(context), headers(context.request().headers()), body);
                    }
                    catch (IllegalArgumentException e) {
                        return Future.failedFuture(ApiException.badRequest("The request cannot be passed to the connector: " + e.getMessage()));
                    }
                    return vertx.executeBlocking(() -> integrations.serve(target, serveRequest), false);
                })
                .onSuccess(response -> write(context, response))
                .onFailure(context::fail);
    }

    private static Future<byte[]> readBody(HttpServerRequest request)
    {
        String length = request.getHeader("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > MAX_BODY_BYTES) {
                    resumeQuietly(request);
                    return Future.failedFuture(tooLarge());
                }
            }
            catch (NumberFormatException e) {
                return Future.failedFuture(ApiException.badRequest("The Content-Length header is not a number."));
            }
        }
        if (request.isEnded()) {
            return Future.succeededFuture(new byte[0]);
        }
        Promise<byte[]> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BODY_BYTES) {
                promise.tryFail(tooLarge());
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(promise::tryFail);
        request.endHandler(ignored -> promise.tryComplete(body.getBytes()));
        request.resume();
        return promise.future();
    }

    private static void write(RoutingContext context, ServeResponse served)
    {
        HttpServerResponse response = context.response();
        response.setStatusCode(served.status());
        served.headers().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                response.putHeader(name, values);
            }
        });
        response.end(Buffer.buffer(served.body().toArray()));
    }

    private static Map<String, List<String>> query(RoutingContext context)
    {
        MultiMap params;
        try {
            params = context.queryParams();
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("its query string cannot be decoded", e);
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (String name : params.names()) {
            query.put(name, List.copyOf(params.getAll(name)));
        }
        return query;
    }

    private static Map<String, List<String>> headers(MultiMap headers)
    {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(headers.names());
        Map<String, List<String>> copy = new LinkedHashMap<>();
        for (String name : names) {
            if (!name.equalsIgnoreCase("Authorization")) {
                copy.put(name, new ArrayList<>(headers.getAll(name)));
            }
        }
        return copy;
    }

    private static void refuse(RoutingContext context, Throwable error)
    {
        resumeQuietly(context.request());
        context.fail(error);
    }

    private static void pass(RoutingContext context)
    {
        resumeQuietly(context.request());
        context.next();
    }

    private static void resumeQuietly(HttpServerRequest request)
    {
        if (!request.isEnded()) {
            request.resume();
        }
    }

    private static void writeError(RoutingContext context, int status, String error, String message)
    {
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", error).put("message", message).encode());
    }

    private static ApiException tooLarge()
    {
        return new ApiException(413, "payload_too_large", "The request body is larger than " + MAX_BODY_BYTES + " bytes, the most a serve route accepts.");
    }

    private static String decode(String rawPath)
    {
        if (rawPath == null) {
            throw new IllegalArgumentException("no path");
        }
        return URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static boolean isHubPath(String path)
    {
        return path.equals("/api/v1") || path.startsWith("/api/v1/") || path.startsWith("/health") || path.startsWith("/metrics") || path.equals("/openapi.yaml");
    }
}
