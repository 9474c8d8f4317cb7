package io.runlight.hub.http;

import io.runlight.hub.auth.Role;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import static java.util.Objects.requireNonNull;

/**
 * Builds the hub's router: every route of the OpenAPI document, each guarded by its
 * role and handled by its resource's handler class. It wires; it does not handle.
 */
public final class HubRouter
{
    /** Admin bodies are small JSON documents. */
    private static final long ADMIN_BODY_LIMIT = 256 * 1024;

    private final Vertx vertx;
    private final Authorization authorization;
    private final IngestHandlers ingest;
    private final ReadHandlers reads;
    private final TokenHandlers tokens;
    private final OperationsHandlers operations;

    public HubRouter(Vertx vertx, Authorization authorization, IngestHandlers ingest, ReadHandlers reads, TokenHandlers tokens, OperationsHandlers operations)
    {
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.authorization = requireNonNull(authorization, "authorization is null");
        this.ingest = requireNonNull(ingest, "ingest is null");
        this.reads = requireNonNull(reads, "reads is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.operations = requireNonNull(operations, "operations is null");
    }

    public Router build()
    {
        Router router = Router.router(vertx);
        // Vert.x runs body handlers before user handlers; admin bodies are small, so they are read before authentication
        BodyHandler adminBody = BodyHandler.create(false).setBodyLimit(ADMIN_BODY_LIMIT);

        router.get("/health/live").handler(operations::live);
        router.get("/health/ready").handler(operations::ready);
        router.get("/metrics").handler(operations::metrics);
        router.get("/openapi.yaml").handler(operations::openApi);

        router.post("/api/v1/sboms").handler(authorization.require(Role.INGEST)).handler(ingest::postSbom);
        router.post("/api/v1/vulnerability-reports").handler(authorization.require(Role.INGEST)).handler(ingest::postReport);
        router.post("/api/v1/runtime/events").handler(authorization.require(Role.INGEST)).handler(ingest::postEvents);
        router.post("/api/v1/runtime/falco").handler(authorization.require(Role.INGEST)).handler(ingest::postFalco);

        router.get("/api/v1/images").handler(authorization.require(Role.READ)).handler(reads::listImages);
        router.get("/api/v1/images/:digest").handler(authorization.require(Role.READ)).handler(reads::getImage);
        router.get("/api/v1/images/:digest/vex").handler(authorization.require(Role.READ)).handler(reads::getVex);
        router.get("/api/v1/workloads").handler(authorization.require(Role.READ)).handler(reads::listWorkloads);

        router.post("/api/v1/tokens").handler(adminBody).handler(authorization.require(Role.ADMIN)).handler(tokens::create);
        router.get("/api/v1/tokens").handler(authorization.require(Role.ADMIN)).handler(tokens::list);
        router.post("/api/v1/tokens/:id/renew").handler(adminBody).handler(authorization.require(Role.ADMIN)).handler(tokens::renew);
        router.delete("/api/v1/tokens/:id").handler(authorization.require(Role.ADMIN)).handler(tokens::delete);

        router.route().failureHandler(new ApiFailureHandler());
        return router;
    }
}
