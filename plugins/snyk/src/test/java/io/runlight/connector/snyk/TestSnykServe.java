package io.runlight.connector.snyk;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.api.connector.Route;
import io.runlight.plugin.api.connector.ServeRequest;
import io.runlight.plugin.api.connector.ServeResponse;
import org.junit.jupiter.api.BeforeEach;
import io.runlight.plugin.testing.TestingConnectorContext;
import io.runlight.plugin.testing.TestingInsightsQuery;
import org.junit.jupiter.api.Test;

import static io.runlight.connector.snyk.TestingWorkloads.ALPINE;
import static io.runlight.connector.snyk.TestingWorkloads.GOOF;
import static io.runlight.connector.snyk.TestingWorkloads.alpineInUse;
import static io.runlight.connector.snyk.TestingWorkloads.goofInUse;
import static io.runlight.connector.snyk.TestingWorkloads.workload;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the requests of Snyk's Kubernetes monitor (formats/snyk.md, sections A and B)
 * as the hub hands them to the connector: authenticated, {@code Authorization} removed,
 * query decoded.
 */
final class TestSnykServe
{
    private static final String V2 = "/api/scanning/eveintegration/v2/runtimeimages";

    private static final String GOOF_ITEM = """
            {"imageID": "sha256:1111111111111111111111111111111111111111111111111111111111111111",
             "namespace": "default", "workloadName": "goof", "workloadKind": "Deployment", "container": "goof",
             "packages": [
               {"purl": "pkg:deb/debian/openssl@1.1.1n-0+deb11u3?arch=amd64&distro=debian-11", "name": "openssl",
                "version": "1.1.1n-0+deb11u3", "installedViaPackageManager": true, "osFamily": "debian", "osVersion": "11", "arch": "amd64"},
               {"purl": "pkg:golang/golang.org/x/net@v0.7.0", "name": "net", "version": "v0.7.0", "installedViaPackageManager": true, "type": "golang"},
               {"purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "name": "log4j-core", "version": "2.14.1",
                "installedViaPackageManager": true, "type": "maven"},
               {"purl": "pkg:npm/lodash@4.17.4", "name": "lodash", "version": "4.17.4", "installedViaPackageManager": true, "type": "npm"}]}
            """;
    private static final String ALPINE_PACKAGES = """
            [{"purl": "pkg:apk/alpine/busybox@1.35.0-r29?arch=x86_64&distro=alpine-3.17.2", "name": "busybox", "version": "1.35.0-r29",
              "installedViaPackageManager": true, "osFamily": "alpine", "osVersion": "3.17.2", "arch": "x86_64"},
             {"purl": "pkg:apk/alpine/libcrypto3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2&upstream=openssl", "name": "libcrypto3", "version": "3.0.8-r0",
              "installedViaPackageManager": true, "osFamily": "alpine", "osVersion": "3.17.2", "arch": "x86_64"},
             {"purl": "pkg:apk/alpine/musl@1.2.3-r4?arch=x86_64&distro=alpine-3.17.2", "name": "musl", "version": "1.2.3-r4",
              "installedViaPackageManager": true, "osFamily": "alpine", "osVersion": "3.17.2", "arch": "x86_64"}]
            """;
    private static final String SHELL_ITEM = """
            {"imageID": "sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d",
             "namespace": "default", "workloadName": "shell", "workloadKind": "Deployment", "container": "shell", "packages": %s}
            """.formatted(ALPINE_PACKAGES);
    private static final String NODE_AGENT_ITEM = """
            {"imageID": "sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d",
             "namespace": "kube-system", "workloadName": "node-agent", "workloadKind": "DaemonSet", "container": "agent", "packages": %s}
            """.formatted(ALPINE_PACKAGES);
    private static final String DB_ITEM = """
            {"imageID": "sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d",
             "namespace": "prod", "workloadName": "db", "workloadKind": "StatefulSet", "container": "postgres", "packages": %s}
            """.formatted(ALPINE_PACKAGES);

    private final ObjectMapper mapper = new ObjectMapper();
    private TestingConnectorContext context;
    private Connector connector;

    @BeforeEach
    void setUp()
    {
        context = new TestingConnectorContext().withIntegration("int-7f3a", "snyk-prod");
        TestingInsightsQuery insights = context.insights();
        insights.add(workload("My cluster", "default", "Deployment", "goof", "goof", GOOF, goofInUse()));
        // kinds arrive in any case; the monitor wants them capitalised
        insights.add(workload("My cluster", "default", "deployment", "shell", "shell", ALPINE, alpineInUse()));
        // a kind the monitor does not know is not served
        insights.add(workload("My cluster", "default", "widget", "odd", "odd", ALPINE, alpineInUse()));
        insights.add(workload("My cluster", "kube-system", "daemonset", "node-agent", "agent", ALPINE, alpineInUse()));
        insights.add(workload("other", "prod", "StatefulSet", "db", "postgres", ALPINE, alpineInUse()));
        connector = new SnykConnectorFactory().create(new ConnectorConfig(Map.of()), context);
    }

    @Test
    void declaresTheMonitorsRoutesAndNoPusherWithoutPush()
    {
        // a page depends on the request line and the insights only, so the hub may keep it
        assertThat(connector.routes()).containsExactly(Route.insightsOnlyGet(V2), Route.insightsOnlyGet("/v1/runtimeimages"));
        assertThat(connector.pusher()).isEmpty();
    }

    @Test
    void listsTheClusterOfAUrlEncodedName()
            throws IOException
    {
        ServeResponse response = connector.serve(monitorRequest(V2 + "?clusterName=My%20cluster&limit=10"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).contains("application/json");
        assertJson(response, "{\"data\": [%s, %s, %s], \"page\": {\"returned\": 3}}".formatted(GOOF_ITEM, SHELL_ITEM, NODE_AGENT_ITEM));
    }

    @Test
    void answersTheConnectivityProbe()
            throws IOException
    {
        ServeResponse response = connector.serve(monitorRequest(V2 + "?clusterName=My%20cluster&limit=1"));

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = mapper.readTree(response.body().toArray());
        assertThat(body.path("data")).isEqualTo(mapper.readTree("[" + GOOF_ITEM + "]"));
        assertThat(body.path("page").path("returned").asInt()).isEqualTo(1);
        assertThat(body.path("page").path("next").asText()).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void pagesToTheEndWithTheCursorAsTheMonitorAppendsIt()
            throws IOException
    {
        List<JsonNode> items = new ArrayList<>();
        List<Integer> returned = new ArrayList<>();
        String url = V2 + "?clusterName=My%20cluster&limit=1";
        Optional<String> next = Optional.empty();
        do {
            // the monitor appends the cursor without encoding it
            ServeResponse response = connector.serve(monitorRequest(url + next.map(cursor -> "&cursor=" + cursor).orElse("")));
            assertThat(response.status()).isEqualTo(200);
            JsonNode body = mapper.readTree(response.body().toArray());
            body.path("data").forEach(items::add);
            returned.add(body.path("page").path("returned").asInt());
            assertThat(body.path("page").path("returned").asInt()).isEqualTo(body.path("data").size());
            next = Optional.ofNullable(body.path("page").get("next")).map(JsonNode::asText).filter(cursor -> !cursor.isEmpty());
            next.ifPresent(cursor -> assertThat(cursor).matches("[A-Za-z0-9_-]+"));
        }
        while (next.isPresent());

        // the page of the unknown kind comes back empty, with a cursor to go on
        assertThat(returned).containsExactly(1, 1, 0, 1);
        assertThat(items).containsExactly(mapper.readTree(GOOF_ITEM), mapper.readTree(SHELL_ITEM), mapper.readTree(NODE_AGENT_ITEM));
    }

    @Test
    void listsTheIntegrationsClusterOnV1WithTheEmptyFirstCursor()
            throws IOException
    {
        // v1 requests name no cluster, and the monitor tags everything with its own: listing every cluster would send
        // the same workload of two clusters twice, with different packages
        Connector scoped = v1Connector("My cluster");
        ServeResponse response = scoped.serve(monitorRequest("/v1/runtimeimages?limit=10&cursor="));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).contains("application/json");
        assertJson(response, "{\"data\": [%s, %s, %s], \"page\": {\"returned\": 3}}".formatted(GOOF_ITEM, SHELL_ITEM, NODE_AGENT_ITEM));
        assertJson(v1Connector("other").serve(monitorRequest("/v1/runtimeimages?limit=10&cursor=")), "{\"data\": [%s], \"page\": {\"returned\": 1}}".formatted(DB_ITEM));
        // v2 still lists the cluster its request names
        assertJson(scoped.serve(monitorRequest(V2 + "?clusterName=other&limit=10")), "{\"data\": [%s], \"page\": {\"returned\": 1}}".formatted(DB_ITEM));
    }

    @Test
    void refusesV1WhenTheIntegrationNamesNoCluster()
            throws IOException
    {
        ServeResponse response = connector.serve(monitorRequest("/v1/runtimeimages?limit=10&cursor="));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.header("Content-Type")).contains("application/json");
        assertJson(response, """
                {"error": "unprocessable_entity", "message": "The v1 route serves one cluster and this integration names none: \
                set 'v1Cluster' in its configuration to the Runlight cluster the monitor watches, \
                or configure the monitor for v2 (SNYK_SYSDIG_ENDPOINT_URL and SNYK_SYSDIG_CLUSTER_NAME)"}
                """);
    }

    @Test
    void usesTenItemsWhenTheLimitIsAbsent()
            throws IOException
    {
        ServeResponse response = v1Connector("My cluster").serve(monitorRequest("/v1/runtimeimages?cursor="));

        assertThat(mapper.readTree(response.body().toArray()).path("page").path("returned").asInt()).isEqualTo(3);
    }

    private Connector v1Connector(String cluster)
    {
        return new SnykConnectorFactory().create(new ConnectorConfig(Map.of("v1Cluster", cluster)), context);
    }

    @Test
    void answersAnUnknownClusterWithAnEmptyPage()
            throws IOException
    {
        ServeResponse response = connector.serve(monitorRequest(V2 + "?clusterName=nope&limit=10"));

        assertThat(response.status()).isEqualTo(200);
        assertJson(response, "{\"data\": [], \"page\": {\"returned\": 0}}");
    }

    @Test
    void rejectsABadLimit()
            throws IOException
    {
        for (String limit : List.of("0", "1001", "ten", "-1", "99999999999")) {
            ServeResponse response = connector.serve(monitorRequest(V2 + "?clusterName=My%20cluster&limit=" + limit));

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("Content-Type")).contains("application/json");
            assertJson(response, """
                    {"error": "bad_request", "message": "Query parameter 'limit' must be an integer from 1 to 1000, not '%s'"}
                    """.formatted(limit));
        }
    }

    @Test
    void rejectsAMissingClusterName()
            throws IOException
    {
        ServeResponse response = connector.serve(monitorRequest(V2 + "?limit=10"));

        assertThat(response.status()).isEqualTo(400);
        assertJson(response, "{\"error\": \"bad_request\", \"message\": \"Query parameter 'clusterName' is required\"}");
    }

    @Test
    void rejectsACursorTheListingDidNotIssue()
            throws IOException
    {
        ServeResponse response = connector.serve(monitorRequest(V2 + "?clusterName=My%20cluster&limit=10&cursor=bm90LWEtY3Vyc29y"));

        assertThat(response.status()).isEqualTo(400);
        assertJson(response, "{\"error\": \"bad_request\", \"message\": \"Query parameter 'cursor' is not a cursor of this listing: start again without it\"}");
    }

    @Test
    void answersOtherPathsWithNotFound()
            throws IOException
    {
        ServeResponse response = connector.serve(monitorRequest("/v2/runtimeimages?limit=10"));

        assertThat(response.status()).isEqualTo(404);
        assertJson(response, "{\"error\": \"not_found\", \"message\": \"No route GET /v2/runtimeimages in the Snyk connector\"}");
    }

    private void assertJson(ServeResponse response, String expected)
            throws IOException
    {
        assertThat(mapper.readTree(response.body().toArray())).isEqualTo(mapper.readTree(expected));
    }

    /**
     * The monitor's request as the hub passes it on: its headers without
     * {@code Authorization}, the query split and decoded.
     */
    private static ServeRequest monitorRequest(String pathAndQuery)
    {
        int question = pathAndQuery.indexOf('?');
        String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (question >= 0) {
            for (String pair : pathAndQuery.substring(question + 1).split("&")) {
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                query.computeIfAbsent(name, ignored -> new ArrayList<>()).add(value);
            }
        }
        Map<String, List<String>> headers = Map.of(
                "Accept", List.of("application/json"),
                "Accept-Encoding", List.of("gzip, deflate, br"));
        return ServeRequest.of("GET", path, query, headers, new byte[0]);
    }
}
