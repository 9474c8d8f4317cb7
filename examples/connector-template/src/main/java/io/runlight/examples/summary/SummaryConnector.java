package io.runlight.examples.summary;

import java.util.List;
import java.util.Optional;

import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.InsightsQuery;
import io.runlight.plugin.api.connector.Page;
import io.runlight.plugin.api.connector.PageRequest;
import io.runlight.plugin.api.connector.Pusher;
import io.runlight.plugin.api.connector.Route;
import io.runlight.plugin.api.connector.ServeRequest;
import io.runlight.plugin.api.connector.ServeResponse;

import static java.util.Objects.requireNonNull;

/**
 * One integration of the HTTP summary connector: it pushes (through {@link SummaryPusher})
 * and serves {@code GET /summary/v1/images}, the summary line of every image, paged. The
 * hub authenticates the caller with this integration's token before {@link #serve} runs.
 */
final class SummaryConnector
        implements Connector
{
    static final String IMAGES_PATH = "/summary/v1/images";
    static final int DEFAULT_LIMIT = 50;

    private final SummaryPusher pusher;
    private final InsightsQuery insights;
    private final SummaryJson json = new SummaryJson();

    SummaryConnector(SummaryPusher pusher, InsightsQuery insights)
    {
        this.pusher = requireNonNull(pusher, "pusher is null");
        this.insights = requireNonNull(insights, "insights is null");
    }

    @Override
    public Optional<Pusher> pusher()
    {
        return Optional.of(pusher);
    }

    @Override
    public List<Route> routes()
    {
        // the page is a function of the path, the query and the insights only: the hub may answer repeated requests with a copy
        return List.of(Route.insightsOnlyGet(IMAGES_PATH));
    }

    @Override
    public ServeResponse serve(ServeRequest request)
    {
        requireNonNull(request, "request is null");
        if (!request.method().equals("GET") || !request.path().equals(IMAGES_PATH)) {
            return ServeResponse.error(404, "not_found", "No route " + request.method() + " " + request.path() + " in this integration");
        }
        int limit;
        try {
            limit = request.queryParam("limit").map(Integer::parseInt).orElse(DEFAULT_LIMIT);
        }
        catch (NumberFormatException e) {
            return ServeResponse.error(400, "bad_request", "limit must be a whole number between 1 and " + PageRequest.MAX_LIMIT);
        }
        if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
            return ServeResponse.error(400, "bad_request", "limit must be between 1 and " + PageRequest.MAX_LIMIT + ", not " + limit);
        }
        Page<ImageInsights> page;
        try {
            page = insights.images(new PageRequest(limit, request.queryParam("cursor")));
        }
        catch (IllegalArgumentException e) {
            // the hub throws this for a cursor it did not issue: the caller's mistake, not ours
            return ServeResponse.error(400, "bad_request", "cursor is not one this listing issued: start again without it");
        }
        List<SummaryJson.ImageLine> lines = page.items().stream()
                .map(image -> new SummaryJson.ImageLine(image.digest().value(), SummaryLine.of(image)))
                .toList();
        return ServeResponse.json(200, json.page(lines, page.next()));
    }

    @Override
    public String toString()
    {
        return "SummaryConnector[" + pusher + "]";
    }
}
