package io.runlight.plugin.api.connector;

import java.util.List;
import java.util.Locale;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static io.runlight.plugin.api.Preconditions.requireNonBlank;

/**
 * A route a serving connector answers: an exact method and path (no patterns).
 * Paths under {@code /api/v1/}, {@code /health/}, {@code /metrics}, {@code /console} (the
 * hub's web console) and {@code /} itself (which leads to the console) belong to the hub.
 *
 * @param method GET, POST, PUT, PATCH or DELETE
 * @param path an absolute path, for example {@code /v1/runtimeimages}
 */
public record Route(String method, String path)
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
    }

    public static Route get(String path)
    {
        return new Route("GET", path);
    }
}
