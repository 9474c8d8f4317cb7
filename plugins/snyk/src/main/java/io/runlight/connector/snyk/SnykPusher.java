package io.runlight.connector.snyk;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runlight.plugin.api.WorkloadInsights;
import io.runlight.plugin.api.connector.ConnectorState;
import io.runlight.plugin.api.connector.DeliveryAttempt;
import io.runlight.plugin.api.connector.DeliveryOutcome;
import io.runlight.plugin.api.connector.InboundResponse;
import io.runlight.plugin.api.connector.InsightsChange;
import io.runlight.plugin.api.connector.OutboundRequest;
import io.runlight.plugin.api.connector.PushMessage;
import io.runlight.plugin.api.connector.Pusher;

import static java.util.Objects.requireNonNull;

/**
 * Sends Runlight's in-use packages to Snyk's upstream runtime-results API exactly as
 * Snyk's Kubernetes monitor does (formats/snyk.md, section C): one POST per page of at
 * most ten items of one cluster and one image.
 *
 * <p>A message's payload is the JSON array of its items; {@link #prepare} wraps it in
 * the envelope (identity, target, facts) with the configuration current at that attempt.
 */
final class SnykPusher
        implements Pusher
{
    static final int PAGE_SIZE = 10;
    static final String RESULTS_PATH = "/api/v1/runtime-results";
    static final String RESULTS_VERSION = "2023-02-10";
    /** Snyk's REST "get my details": it only authenticates the token and stores nothing. */
    static final String SELF_PATH = "/rest/self";
    static final String SELF_VERSION = "2024-06-10";
    static final String CONNECTION_TEST = "connection-test";
    /** What Snyk's monitor waits after a 429 that names no delay. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(60);

    static final String ATTRIBUTE_CLUSTER = "cluster";
    static final String ATTRIBUTE_IMAGE = "imageID";
    static final String ATTRIBUTE_PAGE = "page";
    private static final String SENT_PREFIX = "sent/";

    private final SnykConfig config;
    private final String agentId;
    private final String integrationId;
    private final String token;
    private final String snykClusterName;
    private final RuntimeImageItems items;
    private final ObjectMapper mapper;
    private final ConnectorState state;
    private final Clock clock;

    /**
     * @param config a configuration with push on (integration id, token and cluster name present)
     * @param runlightIntegrationId this Runlight integration's id: the stable agent id of this sender
     */
    SnykPusher(SnykConfig config, String runlightIntegrationId, RuntimeImageItems items, ObjectMapper mapper, ConnectorState state, Clock clock)
    {
        this.config = requireNonNull(config, "config is null");
        this.agentId = "runlight-" + requireNonNull(runlightIntegrationId, "runlightIntegrationId is null");
        this.integrationId = config.integrationId().orElseThrow(() -> new IllegalArgumentException("'integrationId' is required when 'push' is true"));
        this.token = config.serviceAccountToken().orElseThrow(() -> new IllegalArgumentException("'serviceAccountToken' is required when 'push' is true"));
        this.snykClusterName = config.snykClusterName().orElseThrow(() -> new IllegalArgumentException("'snykClusterName' is required when 'push' is true"));
        this.items = requireNonNull(items, "items is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.state = requireNonNull(state, "state is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public List<PushMessage> translate(InsightsChange change)
    {
        requireNonNull(change, "change is null");
        Map<String, List<ObjectNode>> itemsByCluster = new TreeMap<>();
        for (WorkloadInsights workload : change.workloads()) {
            String cluster = workload.workload().cluster();
            if (!config.clusters().isEmpty() && !config.clusters().contains(cluster)) {
                continue;
            }
            if (config.excludedNamespaces().contains(workload.workload().namespace())) {
                continue;
            }
            items.item(workload).ifPresent(item -> itemsByCluster.computeIfAbsent(cluster, ignored -> new ArrayList<>()).add(item));
        }

        String image = change.insights().digest().value();
        Instant now = clock.instant();
        List<PushMessage> messages = new ArrayList<>();
        itemsByCluster.forEach((cluster, clusterItems) -> {
            for (int start = 0, page = 0; start < clusterItems.size(); start += PAGE_SIZE, page++) {
                ArrayNode data = mapper.createArrayNode();
                clusterItems.subList(start, Math.min(start + PAGE_SIZE, clusterItems.size())).forEach(data::add);
                byte[] payload = write(data);
                String key = cluster + "|" + image + "|" + page;
                if (sentRecently(key, payload, now)) {
                    continue;
                }
                messages.add(PushMessage.of(change.type().eventType(), key, payload, Map.of(
                        ATTRIBUTE_CLUSTER, cluster,
                        ATTRIBUTE_IMAGE, image,
                        ATTRIBUTE_PAGE, String.valueOf(page))));
            }
        });
        return List.copyOf(messages);
    }

    @Override
    public OutboundRequest prepare(PushMessage message, DeliveryAttempt attempt)
    {
        requireNonNull(message, "message is null");
        requireNonNull(attempt, "attempt is null");
        JsonNode data;
        try {
            data = mapper.readTree(message.payload().toArray());
        }
        catch (IOException e) {
            throw new IllegalStateException("Cannot read the items of message '" + message.key() + "'", e);
        }
        ObjectNode body = mapper.createObjectNode();
        ObjectNode identity = body.putObject("identity");
        identity.put("type", "sysdig");
        identity.put("sysdigVersion", 2);
        ObjectNode target = body.putObject("target");
        target.put("agentId", agentId);
        target.put("userLocator", integrationId);
        target.put("cluster", snykClusterName);
        ObjectNode fact = body.putArray("facts").addObject();
        fact.put("type", "loadedPackages");
        fact.set("data", data);

        URI uri = URI.create(base(config.upstreamUrl()) + RESULTS_PATH + "?version=" + RESULTS_VERSION);
        return OutboundRequest.postJson(uri, Map.of(
                "Authorization", List.of("token " + token),
                "Content-Type", List.of("application/json")), write(body));
    }

    @Override
    public DeliveryOutcome interpret(PushMessage message, OutboundRequest request, InboundResponse response)
    {
        requireNonNull(request, "request is null");
        requireNonNull(response, "response is null");
        Instant now = clock.instant();
        int status = response.status();
        if (response.isSuccess()) {
            return DeliveryOutcome.delivered();
        }
        String what = request.purpose().equals(CONNECTION_TEST) ? "Snyk's API" : "Snyk's runtime-results API";
        String reason = what + " answered " + response.summary();
        if (status == 429) {
            return DeliveryOutcome.retry(reason, Optional.of(response.retryAfter(now).orElse(DEFAULT_RETRY_AFTER)));
        }
        if (status == 408 || status >= 500) {
            return DeliveryOutcome.retry(reason, response.retryAfter(now));
        }
        if (status == 401 || status == 403) {
            return DeliveryOutcome.failed(reason + " (check 'serviceAccountToken' and its permission on integration '" + integrationId + "')");
        }
        return DeliveryOutcome.failed(reason);
    }

    /**
     * {@code GET <upstream host>/rest/self?version=2024-06-10} with the service account
     * token: Snyk answers 200 for a valid token and 401 otherwise, and stores nothing.
     */
    @Override
    public Optional<OutboundRequest> connectionTest()
    {
        URI upstream = config.upstreamUrl();
        URI uri = URI.create(upstream.getScheme() + "://" + upstream.getRawAuthority() + SELF_PATH + "?version=" + SELF_VERSION);
        return Optional.of(OutboundRequest.builder("GET", uri)
                .header("Authorization", "token " + token)
                .header("Accept", "application/vnd.api+json")
                .purpose(CONNECTION_TEST)
                .build());
    }

    @Override
    public int maxConcurrentRequests()
    {
        return 2;
    }

    /**
     * Whether the same page went out less than {@code interval} ago; records it as sent
     * now otherwise. A changed page is always sent.
     */
    private boolean sentRecently(String key, byte[] payload, Instant now)
    {
        String stateKey = SENT_PREFIX + sha256(key.getBytes(StandardCharsets.UTF_8));
        String fingerprint = sha256(payload);
        Optional<String> previous = state.get(stateKey);
        if (previous.isPresent()) {
            int space = previous.get().indexOf(' ');
            if (space > 0 && previous.get().substring(space + 1).equals(fingerprint)) {
                Instant sentAt = Instant.ofEpochMilli(Long.parseLong(previous.get().substring(0, space)));
                if (now.isBefore(sentAt.plus(config.interval()))) {
                    return true;
                }
            }
        }
        state.put(stateKey, now.toEpochMilli() + " " + fingerprint);
        return false;
    }

    private static String base(URI upstreamUrl)
    {
        String text = upstreamUrl.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }

    private byte[] write(JsonNode node)
    {
        try {
            return mapper.writeValueAsBytes(node);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the runtime results", e);
        }
    }

    private static String sha256(byte[] bytes)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
