package io.runlight.connector.snyk;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runlight.plugin.api.WorkloadInsights;
import io.runlight.plugin.api.connector.InsightsQuery;
import io.runlight.plugin.api.connector.Page;
import io.runlight.plugin.api.connector.PageRequest;
import io.runlight.plugin.api.connector.Route;
import io.runlight.plugin.api.connector.ServeRequest;
import io.runlight.plugin.api.connector.ServeResponse;
import io.runlight.plugin.api.connector.WorkloadQuery;

import static java.util.Objects.requireNonNull;

/**
 * The runtime-images API that Snyk's Kubernetes monitor pulls (formats/snyk.md,
 * sections A and B): v2 lists the cluster its request names; v1 requests name none, so v1
 * lists the one cluster set on the integration. Listing every cluster would mix them: the
 * monitor tags everything with its own cluster name, so one workload would be sent twice
 * with different packages. Both page with an opaque, URL-safe cursor (the hub's own
 * listing cursor, passed through).
 */
final class RuntimeImagesEndpoint
{
    static final String V2_PATH = "/api/scanning/eveintegration/v2/runtimeimages";
    static final String V1_PATH = "/v1/runtimeimages";
    static final int DEFAULT_LIMIT = 10;

    private final InsightsQuery insights;
    private final RuntimeImageItems items;
    private final ObjectMapper mapper;
    private final Optional<String> v1Cluster;

    RuntimeImagesEndpoint(InsightsQuery insights, RuntimeImageItems items, ObjectMapper mapper, Optional<String> v1Cluster)
    {
        this.insights = requireNonNull(insights, "insights is null");
        this.items = requireNonNull(items, "items is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.v1Cluster = requireNonNull(v1Cluster, "v1Cluster is null");
    }

    List<Route> routes()
    {
        // a page is a function of the request line and the insights only: the hub may answer a repeated poll with a copy
        return List.of(Route.insightsOnlyGet(V2_PATH), Route.insightsOnlyGet(V1_PATH));
    }

    ServeResponse serve(ServeRequest request)
    {
        requireNonNull(request, "request is null");
        boolean v2 = request.path().equals(V2_PATH);
        if (!v2 && !request.path().equals(V1_PATH)) {
            return ServeResponse.error(404, "not_found", "No route " + request.method() + " " + request.path() + " in the Snyk connector");
        }
        if (!request.method().equalsIgnoreCase("GET")) {
            return ServeResponse.error(405, "method_not_allowed", "'" + request.path() + "' answers GET only, not " + request.method());
        }

        WorkloadQuery query;
        if (v2) {
            Optional<String> clusterName = request.queryParam("clusterName").filter(value -> !value.isBlank());
            if (clusterName.isEmpty()) {
                return ServeResponse.error(400, "bad_request", "Query parameter 'clusterName' is required");
            }
            query = WorkloadQuery.cluster(clusterName.get());
        }
        else if (v1Cluster.isPresent()) {
            query = WorkloadQuery.cluster(v1Cluster.get());
        }
        else {
            return ServeResponse.error(422, "unprocessable_entity", "The v1 route serves one cluster and this integration names none: "
                    + "set '" + SnykConfig.V1_CLUSTER + "' in its configuration to the Runlight cluster the monitor watches, "
                    + "or configure the monitor for v2 (SNYK_SYSDIG_ENDPOINT_URL and SNYK_SYSDIG_CLUSTER_NAME)");
        }

        Optional<String> limitText = request.queryParam("limit").filter(value -> !value.isEmpty());
        int limit = DEFAULT_LIMIT;
        if (limitText.isPresent()) {
            Optional<Integer> parsed = parseLimit(limitText.get());
            if (parsed.isEmpty()) {
                return ServeResponse.error(400, "bad_request",
                        "Query parameter 'limit' must be an integer from 1 to " + PageRequest.MAX_LIMIT + ", not '" + abbreviate(limitText.get()) + "'");
            }
            limit = parsed.get();
        }

        Page<WorkloadInsights> page;
        try {
            page = insights.workloads(query, new PageRequest(limit, request.queryParam("cursor")));
        }
        catch (IllegalArgumentException e) {
            return ServeResponse.error(400, "bad_request", "Query parameter 'cursor' is not a cursor of this listing: start again without it");
        }
        return ServeResponse.json(200, body(page));
    }

    private byte[] body(Page<WorkloadInsights> page)
    {
        ObjectNode root = mapper.createObjectNode();
        ArrayNode data = root.putArray("data");
        for (WorkloadInsights workload : page.items()) {
            items.item(workload).ifPresent(data::add);
        }
        ObjectNode pageNode = root.putObject("page");
        pageNode.put("returned", data.size());
        page.next().filter(next -> !next.isEmpty()).ifPresent(next -> pageNode.put("next", next));
        try {
            return mapper.writeValueAsBytes(root);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the runtime-images page", e);
        }
    }

    private static Optional<Integer> parseLimit(String text)
    {
        if (text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        int value = Integer.parseInt(text);
        if (value < 1 || value > PageRequest.MAX_LIMIT) {
            return Optional.empty();
        }
        return Optional.of(value);
    }

    private static String abbreviate(String text)
    {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
