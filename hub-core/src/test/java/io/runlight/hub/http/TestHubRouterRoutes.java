package io.runlight.hub.http;

import java.util.Optional;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.runlight.hub.auth.Role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link HubRouter#routes} is the table the OpenAPI check and the authorisation matrix are
 * generated from: a route it could not list must stop the hub's router from being read,
 * never be left out of the table.
 */
final class TestHubRouterRoutes
{
    private static final String ACCESS = "runlight.access";

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx()
    {
        vertx.close();
    }

    @Test
    void listsEachMethodAndPathWithItsRole()
    {
        Router router = Router.router(vertx);
        router.route().handler(context -> context.next());
        router.get("/health/live").putMetadata(ACCESS, "public").handler(context -> context.end());
        router.get("/api/v1/images/:digest").putMetadata(ACCESS, Role.READ.claimValue()).handler(context -> context.end());
        // the serve fallback: the routes behind it are the connectors'
        router.routeWithRegex("^/v1/.*").last().putMetadata(ACCESS, "integration").handler(context -> context.end());

        assertThat(HubRouter.routes(router)).containsExactly(
                new HubRouter.RouteSpec("GET", "/health/live", Optional.empty()),
                new HubRouter.RouteSpec("GET", "/api/v1/images/:digest", Optional.of(Role.READ)));
    }

    @Test
    void refusesARouteThatSaysNothingAboutItsAccess()
    {
        Router router = Router.router(vertx);
        router.post("/api/v1/new").handler(context -> context.end());

        assertThatThrownBy(() -> HubRouter.routes(router))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("route '[POST] /api/v1/new' says nothing about its access: register it through open(...) or guarded(...) in HubRouter");
    }

    @Test
    void refusesARouteWithoutAMethodOrWithoutAPlainPath()
    {
        Router anyMethod = Router.router(vertx);
        anyMethod.route("/api/v1/new").putMetadata(ACCESS, Role.ADMIN.claimValue()).handler(context -> context.end());
        assertThatThrownBy(() -> HubRouter.routes(anyMethod))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("route 'any method /api/v1/new' has no method or no plain path: register it with both, such as router.get(\"/api/v1/...\")");

        Router regex = Router.router(vertx);
        regex.getWithRegex("^/api/v1/new/.*").putMetadata(ACCESS, Role.ADMIN.claimValue()).handler(context -> context.end());
        assertThatThrownBy(() -> HubRouter.routes(regex))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("route '[GET] (a regular expression)' has no method or no plain path: register it with both, such as router.get(\"/api/v1/...\")");
    }
}
