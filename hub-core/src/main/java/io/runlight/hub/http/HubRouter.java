package io.runlight.hub.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.runlight.hub.auth.Role;
import io.runlight.hub.console.ConsoleHandlers;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
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
    /** Route metadata: the role a route requires, or {@value #PUBLIC}. */
    private static final String ACCESS = "runlight.access";
    private static final String PUBLIC = "public";
    /** Route metadata of the serve fallback: an integration's token, for the routes its connector declares (see {@link ServeHandler}). */
    private static final String INTEGRATION = "integration";
    static final String MALFORMED_QUERY = "The request is malformed: check that its query string is percent-encoded (a '%' must be followed by two hex digits).";
    /** Every path but the hub's own (which plugin routes may not use either, see {@code Route}): the API, operations and the console. */
    private static final String SERVE_PATHS = "^(?!/api/v1(/|$)|/health(/|$)|/metrics$|/openapi\\.yaml$|/$|/console(/|$))/.*";

    private final Vertx vertx;
    private final Authorization authorization;
    private final IngestHandlers ingest;
    private final ReadHandlers reads;
    private final VulnerabilityHandlers vulnerabilities;
    private final TokenHandlers tokens;
    private final OperationsHandlers operations;
    private final PluginHandlers plugins;
    private final IntegrationHandlers integrations;
    private final ServeHandler serve;
    private final DeliveryHandlers deliveries;
    private final ConsoleHandlers console;

    public HubRouter(Vertx vertx, Authorization authorization, IngestHandlers ingest, ReadHandlers reads, VulnerabilityHandlers vulnerabilities, TokenHandlers tokens, OperationsHandlers operations,
            PluginHandlers plugins, IntegrationHandlers integrations, ServeHandler serve, DeliveryHandlers deliveries, ConsoleHandlers console)
    {
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.authorization = requireNonNull(authorization, "authorization is null");
        this.ingest = requireNonNull(ingest, "ingest is null");
        this.reads = requireNonNull(reads, "reads is null");
        this.vulnerabilities = requireNonNull(vulnerabilities, "vulnerabilities is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.operations = requireNonNull(operations, "operations is null");
        this.plugins = requireNonNull(plugins, "plugins is null");
        this.integrations = requireNonNull(integrations, "integrations is null");
        this.serve = requireNonNull(serve, "serve is null");
        this.deliveries = requireNonNull(deliveries, "deliveries is null");
        this.console = requireNonNull(console, "console is null");
    }

    public Router build()
    {
        Router router = Router.router(vertx);
        // Vert.x decodes the query string on first use, wherever that is; decode it here, once, so a
        // malformed '%' escape is the same 400 on every route instead of a failure inside a handler
        router.route().handler(HubRouter::requireDecodableQuery);
        router.route().handler(HubRouter::securityHeaders);
        // Vert.x runs body handlers before user handlers; admin bodies are small, so they are read before authentication
        BodyHandler adminBody = BodyHandler.create(false).setBodyLimit(ADMIN_BODY_LIMIT);

        open(router.get("/health/live")).handler(operations::live);
        open(router.get("/health/ready")).handler(operations::ready);
        open(router.get("/metrics")).handler(operations::metrics);
        open(router.get("/openapi.yaml")).handler(operations::openApi);

        // the web console: static files that call the API above with the signed-in admin's JWT
        open(router.get("/")).handler(console::redirect);
        open(router.get("/console/*")).handler(console::file);

        guarded(router.post("/api/v1/sboms"), Role.INGEST).handler(ingest::postSbom);
        guarded(router.get("/api/v1/sboms/:digest"), Role.INGEST).handler(reads::getSbom);
        guarded(router.post("/api/v1/vulnerability-reports"), Role.INGEST).handler(ingest::postReport);
        guarded(router.post("/api/v1/runtime/events"), Role.INGEST).handler(ingest::postEvents);
        // Falco's http_output can set a URL but no header: https://falco:<token>@hub/... arrives as Basic credentials
        router.post("/api/v1/runtime/falco").putMetadata(ACCESS, Role.INGEST.claimValue())
                .handler(authorization.requireAllowingBasic(Role.INGEST)).handler(ingest::postFalco);

        guarded(router.get("/api/v1/images"), Role.READ).handler(reads::listImages);
        guarded(router.get("/api/v1/images/:digest"), Role.READ).handler(reads::getImage);
        guarded(router.get("/api/v1/images/:digest/vex"), Role.READ).handler(reads::getVex);
        guarded(router.get("/api/v1/workloads"), Role.READ).handler(reads::listWorkloads);
        guarded(router.get("/api/v1/vulnerabilities"), Role.READ).handler(vulnerabilities::list);
        guarded(router.get("/api/v1/vulnerabilities/:id"), Role.READ).handler(vulnerabilities::get);
        guarded(router.get("/api/v1/overview"), Role.READ).handler(vulnerabilities::overview);
        guarded(router.get("/api/v1/plugins"), Role.READ).handler(plugins::list);
        guarded(router.get("/api/v1/cluster"), Role.READ).handler(operations::cluster);

        guarded(router.post("/api/v1/tokens").handler(adminBody), Role.ADMIN).handler(tokens::create);
        guarded(router.get("/api/v1/tokens"), Role.ADMIN).handler(tokens::list);
        guarded(router.post("/api/v1/tokens/:id/renew").handler(adminBody), Role.ADMIN).handler(tokens::renew);
        guarded(router.delete("/api/v1/tokens/:id"), Role.ADMIN).handler(tokens::delete);

        guarded(router.post("/api/v1/integrations").handler(adminBody), Role.ADMIN).handler(integrations::create);
        guarded(router.get("/api/v1/integrations"), Role.READ).handler(integrations::list);
        guarded(router.get("/api/v1/integrations/:id"), Role.READ).handler(integrations::get);
        guarded(router.put("/api/v1/integrations/:id").handler(adminBody), Role.ADMIN).handler(integrations::update);
        guarded(router.delete("/api/v1/integrations/:id"), Role.ADMIN).handler(integrations::delete);
        guarded(router.post("/api/v1/integrations/:id/pause"), Role.ADMIN).handler(integrations::pause);
        guarded(router.post("/api/v1/integrations/:id/resume"), Role.ADMIN).handler(integrations::resume);
        guarded(router.post("/api/v1/integrations/:id/test"), Role.ADMIN).handler(integrations::test);
        guarded(router.get("/api/v1/integrations/:id/deliveries"), Role.READ).handler(deliveries::list);
        guarded(router.post("/api/v1/integrations/:id/deliveries/:did/retry"), Role.ADMIN).handler(deliveries::retry);

        // the serve routes of connector plugins: whatever no route above matched, before the 404; the hub's own paths are left
        // out so that a wrong method on them still gets 405
        router.routeWithRegex(SERVE_PATHS).last().putMetadata(ACCESS, INTEGRATION).handler(serve);

        ApiFailureHandler failures = new ApiFailureHandler();
        router.route().failureHandler(failures);
        // no route matched (404) or none for this method (405): the same JSON error body
        router.errorHandler(404, failures);
        router.errorHandler(405, failures);
        return router;
    }

    /**
     * The API routes of a router this class built, as registered: method, path and the role
     * its guard requires. The OpenAPI document and the authorisation matrix are checked against
     * this table. The serve fallback is not in it: the routes behind it are the connectors'
     * ({@link io.runlight.hub.integration.ServeRouting#servedRoutes()}).
     *
     * @throws IllegalStateException for a route registered without {@code open} or {@code guarded}, or without a method and a path
     */
    public static List<RouteSpec> routes(Router router)
    {
        requireNonNull(router, "router is null");
        List<RouteSpec> routes = new ArrayList<>();
        for (Route route : router.getRoutes()) {
            if (route.getPath() == null && !route.isRegexPath()) {
                // a handler every request passes (the query check, the security headers) and the failure route
                continue;
            }
            String access = route.getMetadata(ACCESS);
            if (access == null) {
                throw new IllegalStateException("route '" + describe(route) + "' says nothing about its access: register it through open(...) or guarded(...) in HubRouter");
            }
            if (access.equals(INTEGRATION)) {
                continue;
            }
            if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
                // the table could not name it, so the OpenAPI check and the authorisation matrix would miss it
                throw new IllegalStateException("route '" + describe(route) + "' has no method or no plain path: register it with both, such as router.get(\"/api/v1/...\")");
            }
            Optional<Role> role = access.equals(PUBLIC) ? Optional.empty() : Optional.of(Role.parse(access));
            for (HttpMethod method : route.methods()) {
                routes.add(new RouteSpec(method.name(), route.getPath(), role));
            }
        }
        return List.copyOf(routes);
    }

    private static String describe(Route route)
    {
        String methods = route.methods() == null || route.methods().isEmpty() ? "any method" : route.methods().toString();
        return methods + " " + (route.getPath() == null ? "(a regular expression)" : route.getPath());
    }

    /** One route: {@code method} and Vert.x {@code path} ({@code :digest} for a parameter), and the role it requires (empty: no authentication). */
    public record RouteSpec(String method, String path, Optional<Role> role)
    {
        public RouteSpec
        {
            requireNonNull(method, "method is null");
            requireNonNull(path, "path is null");
            requireNonNull(role, "role is null");
        }
    }

    /**
     * On HTTPS, {@code Strict-Transport-Security}: a browser that reached the hub over TLS
     * never falls back to plain HTTP. On the API, {@code Cache-Control: no-store}: answers
     * carry token secrets (shown once), integration configuration and verdicts, none of
     * which a browser or proxy may keep.
     */
    private static void securityHeaders(RoutingContext context)
    {
        if (context.request().isSSL()) {
            context.response().putHeader("Strict-Transport-Security", "max-age=31536000");
        }
        if (context.request().path().startsWith("/api/")) {
            context.response().putHeader("Cache-Control", "no-store");
        }
        context.next();
    }

    private static void requireDecodableQuery(RoutingContext context)
    {
        try {
            context.request().params();
        }
        catch (IllegalArgumentException e) {
            context.fail(new ApiException(400, "bad_request", MALFORMED_QUERY, e));
            return;
        }
        context.next();
    }

    private static Route open(Route route)
    {
        return route.putMetadata(ACCESS, PUBLIC);
    }

    private Route guarded(Route route, Role role)
    {
        return route.putMetadata(ACCESS, role.claimValue()).handler(authorization.require(role));
    }
}
