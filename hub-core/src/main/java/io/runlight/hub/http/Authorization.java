package io.runlight.hub.http;

import io.runlight.hub.auth.AuthException;
import io.runlight.hub.auth.BearerAuthenticator;
import io.runlight.hub.auth.Principal;
import io.runlight.hub.auth.PrincipalKind;
import io.runlight.hub.auth.Role;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import static java.util.Objects.requireNonNull;

/**
 * Route guards: authenticate the bearer token, then require a role. An integration
 * token opens nothing here (only its integration's serve routes); an ingest token opens
 * the ingest endpoints only.
 */
public final class Authorization
{
    /** The routing-context key under which the authenticated principal is kept. */
    public static final String PRINCIPAL = "runlight.principal";

    private final BearerAuthenticator authenticator;

    public Authorization(BearerAuthenticator authenticator)
    {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
    }

    /** A handler that lets the request through only for a principal holding {@code role}. */
    public Handler<RoutingContext> require(Role role)
    {
        return guard(role, false);
    }

    /**
     * As {@link #require}, also taking a Runlight token as the password of HTTP Basic
     * credentials (see {@link BearerAuthenticator#authenticateAllowingBasic}).
     */
    public Handler<RoutingContext> requireAllowingBasic(Role role)
    {
        return guard(role, true);
    }

    private Handler<RoutingContext> guard(Role role, boolean basicAllowed)
    {
        requireNonNull(role, "role is null");
        return context -> {
            // authentication is asynchronous: hold the body until a body handler takes it
            // (unless a body handler before this guard has read it already)
            if (!context.request().isEnded()) {
                context.request().pause();
            }
            String header = context.request().getHeader("Authorization");
            String remote = context.request().remoteAddress() == null ? "unknown" : context.request().remoteAddress().hostAddress();
            (basicAllowed ? authenticator.authenticateAllowingBasic(header, remote) : authenticator.authenticate(header, remote))
                    .onSuccess(principal -> {
                        if (principal.kind() == PrincipalKind.INTEGRATION_TOKEN || !principal.hasRole(role)) {
                            refuse(context, AuthException.forbidden(role));
                            return;
                        }
                        context.put(PRINCIPAL, principal);
                        context.next();
                    })
                    .onFailure(error -> refuse(context, error));
        };
    }

    private static void refuse(RoutingContext context, Throwable error)
    {
        // the body is not wanted: let it drain so the connection can be reused
        if (!context.request().isEnded()) {
            context.request().resume();
        }
        context.fail(error);
    }

    /** The principal a guard admitted. */
    public static Principal principal(RoutingContext context)
    {
        Principal principal = context.get(PRINCIPAL);
        if (principal == null) {
            throw new IllegalStateException("route '" + context.request().path() + "' has no authorization guard");
        }
        return principal;
    }
}
