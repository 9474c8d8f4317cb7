package io.runlight.hub.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves the web console: a handful of hand-written files read from the hub-core jar once,
 * at start, and held in memory. Only the files listed in {@link #FILES} are served, so
 * neither a request path nor a {@code console} folder in the working directory can reach
 * anything else. Every answer carries a strict Content-Security-Policy: the console talks
 * to this hub only and loads nothing from elsewhere.
 */
public final class ConsoleHandlers
{
    /** Where the console lives; {@code /} redirects here. */
    public static final String BASE_PATH = "/console/";
    /** The console's files, below {@code console/} on the class path. */
    public static final List<String> FILES = List.of(
            "index.html", "console.css", "icon.svg",
            "app.js", "api.js", "dom.js", "dialogs.js",
            "tokens.js", "integrations.js", "plugins.js", "images.js", "overview.js", "vulnerabilities.js");
    /** Inline SVG charts and {@code data:} images are the only exceptions to "this origin only". */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";
    /** The files carry no version in their names, so browsers revalidate them (a cheap 304) on every load. */
    private static final String CACHE_CONTROL = "no-cache";
    private static final String RESOURCE_FOLDER = "/console/";

    private final Map<String, Asset> assets;

    /** One file: its bytes, content type and entity tag. */
    private record Asset(Buffer body, String contentType, String etag) {}

    /** Reads the console's files from the class path; call at start, not on an event loop. */
    public ConsoleHandlers()
    {
        Map<String, Asset> loaded = new LinkedHashMap<>();
        for (String file : FILES) {
            byte[] bytes = read(RESOURCE_FOLDER + file);
            loaded.put(file, new Asset(Buffer.buffer(bytes), contentType(file), "\"" + sha256(bytes) + "\""));
        }
        this.assets = Map.copyOf(loaded);
    }

    /** {@code GET /}: to the console's start page. */
    public void redirect(RoutingContext context)
    {
        securityHeaders(context.response())
                .setStatusCode(302)
                .putHeader("Location", BASE_PATH)
                .putHeader("Cache-Control", CACHE_CONTROL)
                .end();
    }

    /**
     * {@code GET /console/*}: one of the console's files ({@code /console/} is its start page),
     * otherwise the hub's 404. {@code /console} redirects, so that the page's relative links work.
     */
    public void file(RoutingContext context)
    {
        String path = context.normalizedPath();
        if (path.equals(BASE_PATH.substring(0, BASE_PATH.length() - 1))) {
            redirect(context);
            return;
        }
        String name = path.length() <= BASE_PATH.length() ? "index.html" : path.substring(BASE_PATH.length());
        Optional<Asset> asset = Optional.ofNullable(assets.get(name));
        if (asset.isEmpty()) {
            context.next();
            return;
        }
        HttpServerResponse response = securityHeaders(context.response())
                .putHeader("Cache-Control", CACHE_CONTROL)
                .putHeader("ETag", asset.get().etag());
        if (asset.get().etag().equals(context.request().getHeader("If-None-Match"))) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader("Content-Type", asset.get().contentType()).end(asset.get().body());
    }

    private static HttpServerResponse securityHeaders(HttpServerResponse response)
    {
        return response
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY");
    }

    private static String contentType(String file)
    {
        String extension = file.substring(file.lastIndexOf('.') + 1);
        return switch (extension) {
            case "html" -> "text/html; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "svg" -> "image/svg+xml";
            default -> throw new IllegalStateException("console file '" + file + "' has no known content type: add its extension to ConsoleHandlers");
        };
    }

    private static byte[] read(String resource)
    {
        try (InputStream in = ConsoleHandlers.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource '" + resource + "' is missing from the hub-core jar");
            }
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read '" + resource + "'", e);
        }
    }

    private static String sha256(byte[] bytes)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
