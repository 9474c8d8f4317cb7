package io.runlight.hub.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the hub serves the console: redirects to it, its files with their content types,
 * security headers and revalidation, and nothing else under {@code /console/}.
 */
final class TestConsoleAssets
{
    @TempDir
    static Path dataDir;

    private static ConsoleHub hub;

    @BeforeAll
    static void start()
    {
        hub = ConsoleHub.start(dataDir);
    }

    @AfterAll
    static void stop()
    {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void rootAndBarePathRedirectToTheConsole()
    {
        for (String path : List.of("/", "/console")) {
            HttpResponse<String> response = hub.get(path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(302);
            assertThat(response.headers().firstValue("Location")).as(path).contains("/console/");
        }
    }

    @Test
    void startPageCarriesTheSecurityHeaders()
    {
        HttpResponse<String> response = hub.get("/console/", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(response.headers().firstValue("Content-Security-Policy"))
                .contains("default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(response.body()).contains("<script type=\"module\" src=\"app.js\"></script>");
    }

    @Test
    void everyFileIsServedWithItsTypeAndRevalidated()
    {
        Map<String, String> types = Map.of("html", "text/html; charset=utf-8", "css", "text/css; charset=utf-8",
                "js", "text/javascript; charset=utf-8", "svg", "image/svg+xml");
        for (String file : ConsoleHandlers.FILES) {
            HttpResponse<String> response = hub.get("/console/" + file, null);
            assertThat(response.statusCode()).as(file).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).as(file).contains(types.get(file.substring(file.lastIndexOf('.') + 1)));
            assertThat(response.headers().firstValue("X-Content-Type-Options")).as(file).contains("nosniff");
            String etag = response.headers().firstValue("ETag").orElseThrow();

            HttpResponse<String> again = hub.send("GET", "/console/" + file, null, Map.of("If-None-Match", etag), null, null);
            assertThat(again.statusCode()).as(file).isEqualTo(304);
            assertThat(again.body()).isEmpty();
        }
    }

    @Test
    void everyFileOfTheConsoleFolderIsListed()
            throws URISyntaxException
    {
        URL index = ConsoleHandlers.class.getResource("/console/index.html");
        assertThat(index).isNotNull();
        assertThat(index.getProtocol()).as("the tests read the console from target/classes").isEqualTo("file");
        try (Stream<Path> files = Files.list(Path.of(index.toURI()).getParent())) {
            assertThat(files.map(file -> file.getFileName().toString()).sorted().toList())
                    .isEqualTo(ConsoleHandlers.FILES.stream().sorted().toList());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void nothingElseIsServedUnderTheConsolePath()
    {
        for (String path : List.of("/console/missing.js", "/console/../openapi.yaml.js", "/console/ConsoleHandlers.class", "/console/sub/index.html")) {
            HttpResponse<String> response = hub.get(path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).as(path).contains("application/json");
        }
        // the console's paths are the hub's own: no plugin serves them, a wrong method is 405
        assertThat(hub.send("POST", "/console/", null, Map.of(), "application/json", "{}".getBytes(StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(405);
    }
}
