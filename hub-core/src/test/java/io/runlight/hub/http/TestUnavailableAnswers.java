package io.runlight.hub.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.Supplier;

import io.runlight.hub.UnavailableException;
import io.runlight.hub.store.StoreException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A passing state of the hub (a list still being built after a start, entries lost with members
 * still being put back) is answered 503 with its own code, its message and a Retry-After, where a
 * failure of the hub's own is a 500 with a generic message: a client can tell "try again in a
 * moment" from "something is broken". The real failure handler on a real server on a free port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestUnavailableAnswers
{
    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private HttpServer server;

    @BeforeAll
    void start()
    {
        Router router = Router.router(vertx);
        router.route().failureHandler(new ApiFailureHandler());
        failWith(router, "/recovering", () -> new UnavailableException("recovering", "The cluster is still checking for, or reloading, entries lost with members (of [tokens])"));
        failWith(router, "/fleet", () -> new UnavailableException("fleet_not_ready", "The fleet-wide list is still being built from the stored images"));
        failWith(router, "/database", () -> new StoreException("Cannot read map 'tokens' in database 'db': connection refused"));
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    }

    @AfterAll
    void stop()
    {
        vertx.close().await();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            /recovering | recovering      | The cluster is still checking for, or reloading, entries lost with members (of [tokens])
            /fleet      | fleet_not_ready | The fleet-wide list is still being built from the stored images
            """)
    void aPassingStateIs503WithItsCodeMessageAndRetryAfter(String path, String code, String message)
            throws Exception
    {
        HttpResponse<String> response = get(path);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(new JsonObject(response.body()).getMap()).containsExactlyInAnyOrderEntriesOf(Map.of("error", code, "message", message));
    }

    @Test
    void theHubsOwnFailureStaysA500WithoutDetails()
            throws Exception
    {
        HttpResponse<String> response = get("/database");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        assertThat(new JsonObject(response.body()).getString("error")).isEqualTo("internal_error");
        assertThat(response.body()).doesNotContain("tokens", "connection refused");
    }

    private static void failWith(Router router, String path, Supplier<RuntimeException> failure)
    {
        router.get(path).handler(context -> context.fail(failure.get()));
    }

    private HttpResponse<String> get(String path)
            throws Exception
    {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
