package io.runlight.plugin.api.connector;

import java.util.List;
import java.util.Locale;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static io.runlight.plugin.api.Preconditions.requireNonBlank;

/**
 * A route a serving connector answers: an exact method and path (no patterns).
 * Paths under {@code /api/v1/}, {@code /health/}, {@code /metrics}, {@code /console} (the
 * hub's web console) and {@code /} itself (which leads to the console) belong to the hub.
 * <p>
 * A route is {@linkplain #insightsOnly() insights-only} when the connector's answer to it is a
 * function of the request's path and query string and of what it reads through
 * {@link InsightsQuery}, and of nothing else: not the request's headers or body, not
 * {@link ConnectorState}, not the clock, not a remote system. The hub may then answer a
 * repeated request with a copy of the connector's last answer to the same path and query
 * for as long as the insights have not changed anywhere in the cluster (a monitor that polls
 * every few seconds would otherwise rebuild the same page each time). The connector is still
 * the one that answers the first request and every request after a change; a route that
 * reads anything else must not be declared insights-only, or its callers may get a stale
 * answer.
 *
 * @param method GET, POST, PUT, PATCH or DELETE
 * @param path an absolute path, for example {@code /v1/runtimeimages}
 * @param insightsOnly whether the answer depends on the path, the query and the insights only
 *         (GET routes only)
 */
public record Route(String method, String path, boolean insightsOnly)
{
    public Route
    {
        requireNonBlank(method, "method");
        method = method.toUpperCase(Locale.ROOT);
        checkArgument(List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method), "unsupported method '" + method + "'");
        requireNonBlank(path, "path");
        checkArgument(path.startsWith("/") && !path.contains("?") && !path.contains("#") && !path.contains(".."), "invalid route path '" + path + "'");
        checkArgument(!path.startsWith("/api/v1/") && !path.startsWith("/health") && !path.startsWith("/metrics") && !path.equals("/openapi.yaml")
                        && !path.equals("/") && !path.equals("/console") && !path.startsWith("/console/"),
                "route path '" + path + "' belongs to the hub");
        checkArgument(!insightsOnly || method.equals("GET"), "only a GET route can be insights-only, not " + method + " '" + path + "'");
    }

    /** A route whose answer may depend on anything the connector reads. */
    public Route(String method, String path)
    {
        this(method, path, false);
    }

    /** A {@code GET} route whose answer may depend on anything the connector reads. */
    public static Route get(String path)
    {
        return new Route("GET", path);
    }

    /** A {@code GET} route whose answer depends on the path, the query and the insights only (see the class comment). */
    public static Route insightsOnlyGet(String path)
    {
        return new Route("GET", path, true);
    }

    /** Whether this route is {@code method path}, insights-only or not. */
    public boolean matches(String method, String path)
    {
        return this.method.equalsIgnoreCase(method) && this.path.equals(path);
    }
}
