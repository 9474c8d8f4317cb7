package io.runlight.hub.http;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.hub.auth.Role;
import io.runlight.hub.token.TokenSecrets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A burst of requests that each check a token (most from the near cache, the unknown ones
 * through a map call to the key's owner) and call a connector starts no thread per request
 * or per map call: Hazelcast's async completions, the token check and the plugin calls all
 * run on bounded pools (on a 2-core machine Hazelcast's default would start one thread per
 * completion). The client is a Vert.x client on one event loop: the JDK's HTTP client would
 * itself start a thread per request on such a machine.
 */
final class TestThreadsUnderBurst
{
    private static final int REQUESTS_OF_EACH_KIND = 300;
    private static final int IN_FLIGHT = 100;
    /**
     * Pools may still grow to their bounds during the burst: Vert.x workers (20), the echo
     * plugin's call pool and Hazelcast's completions. A thread per request or per map call
     * would start at least {@link #REQUESTS_OF_EACH_KIND}.
     */
    private static final int MOST_NEW_THREADS = 80;

    @TempDir
    Path dataDir;

    @Test
    void aBurstOfTokenCheckedRequestsStartsFewThreads()
            throws Exception
    {
        Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        try (RunningHub hub = RunningHub.start(dataDir, Clock.systemUTC())) {
            TestIntegrationEndpoints.installEcho(hub);
            RunningHub.Response created = hub.postJson("/api/v1/integrations", hub.jwt(Role.ADMIN), "{\"plugin\": \"echo\", \"name\": \"Burst\", "
                    + "\"expiresIn\": \"P1M\", \"config\": {\"target\": \"http://127.0.0.1:9/\", \"apiKey\": \"key-burst\", \"mode\": \"normal\"}}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            JsonNode integration = created.json();
            String token = integration.path("token").path("secret").asText();
            // a well-formed token the hub never issued: every check of it is a map call that finds nothing
            String unknown = new TokenSecrets(new SecureRandom()).generate();
            HttpClientAgent client = clientVertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(hub.httpBase().getPort()),
                    new PoolOptions().setHttp1MaxSize(IN_FLIGHT));
            // warm-up: the connector, the client's connections and the pools' first threads exist before counting
            assertThat(echo(client, token).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(echo(client, unknown).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS)).isEqualTo(401);

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long startedBefore = threads.getTotalStartedThreadCount();
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (int wave = 0; wave < 2 * REQUESTS_OF_EACH_KIND / IN_FLIGHT; wave++) {
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < IN_FLIGHT / 2; i++) {
                    answers.add(echo(client, token));
                    answers.add(echo(client, unknown));
                }
                for (Future<Integer> answer : answers) {
                    statuses.merge(answer.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS), 1, Integer::sum);
                }
            }
            long started = threads.getTotalStartedThreadCount() - startedBefore;

            assertThat(statuses.get(200)).isEqualTo(REQUESTS_OF_EACH_KIND);
            // the unknown token is refused (401), and once its address failed too often, throttled (429)
            assertThat(statuses.getOrDefault(401, 0) + statuses.getOrDefault(429, 0)).isEqualTo(REQUESTS_OF_EACH_KIND);
            assertThat(started).as("threads started during %s requests", 2 * REQUESTS_OF_EACH_KIND).isLessThan(MOST_NEW_THREADS);
        }
        finally {
            clientVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static Future<Integer> echo(HttpClientAgent client, String token)
    {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setURI("/v1/echo").putHeader("Authorization", "Bearer " + token);
        return client.request(request)
                .compose(sent -> sent.send())
                .compose(response -> response.body().map(ignored -> response.statusCode()));
    }
}
