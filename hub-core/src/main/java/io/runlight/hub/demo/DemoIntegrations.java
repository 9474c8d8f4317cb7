package io.runlight.hub.demo;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.runlight.hub.client.HubApiClient;

import static java.util.Objects.requireNonNull;

/**
 * The demo's three integrations, one per bundled connector, with every push target
 * pointed at the local {@link DemoReceiver}. Each run deletes the demo integrations of
 * an earlier run (found by name) and creates them again, because the receiver listens on
 * a new port every time and a token secret is shown only at creation: so there are never
 * duplicates, and every run prints new tokens.
 */
final class DemoIntegrations
{
    static final String SNYK_NAME = "demo-snyk";
    static final String SCOUT_NAME = "demo-docker-scout";
    static final String WEBHOOK_NAME = "demo-webhook";
    static final Set<String> NAMES = Set.of(SNYK_NAME, SCOUT_NAME, WEBHOOK_NAME);
    /** The connector ids the demo needs, as the bundled plugins register them. */
    static final List<String> CONNECTORS = List.of("snyk", "docker-scout", "webhook");
    static final String EXPIRES_IN = "P1M";
    /** The cluster whose workloads Snyk push sends, under the same name in Snyk. */
    static final String SNYK_PUSH_CLUSTER = "prod-eu";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PLUGIN_WAIT = Duration.ofSeconds(30);

    private final HubApiClient api;

    DemoIntegrations(HubApiClient api)
    {
        this.api = requireNonNull(api, "api is null");
    }

    /** Waits until the hub has loaded the three bundled connectors. */
    void awaitConnectors(String pluginsDir)
            throws InterruptedException
    {
        Instant deadline = Instant.now().plus(PLUGIN_WAIT);
        while (true) {
            Set<String> missing = new TreeSet<>(CONNECTORS);
            for (JsonNode plugin : api.get("/api/v1/plugins")) {
                for (JsonNode connector : plugin.path("connectors")) {
                    missing.remove(connector.path("id").asText());
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the demo needs the bundled connector plugins, but connector(s) " + missing + " are not loaded from '"
                        + pluginsDir + "': run the demo from the distribution (bin/runlight demo, or ./runlight demo in a source checkout), "
                        + "or put the plugin jars into that folder");
            }
            Thread.sleep(200);
        }
    }

    /** Deletes the demo integrations of earlier runs; returns how many there were. */
    int deleteEarlier()
    {
        int deleted = 0;
        for (JsonNode integration : api.get("/api/v1/integrations")) {
            if (NAMES.contains(integration.path("name").asText())) {
                api.delete("/api/v1/integrations/" + integration.path("id").asText());
                deleted++;
            }
        }
        return deleted;
    }

    /** Creates the three integrations against the receiver at {@code receiver}. */
    List<DemoIntegration> create(URI receiver, String webhookSecret)
    {
        requireNonNull(receiver, "receiver is null");
        requireNonNull(webhookSecret, "webhookSecret is null");
        List<DemoIntegration> created = new ArrayList<>();

        ObjectNode snyk = JSON.createObjectNode()
                .put("push", true)
                .put("upstreamUrl", receiver + DemoReceiver.SNYK_UPSTREAM)
                .put("integrationId", "runlight-demo")
                .put("serviceAccountToken", "demo-local-stand-in")
                .put("snykClusterName", SNYK_PUSH_CLUSTER);
        snyk.putArray("clusters").add(SNYK_PUSH_CLUSTER);
        created.add(create("snyk", SNYK_NAME, snyk, "serve: Snyk monitor API on this hub; push: cluster " + SNYK_PUSH_CLUSTER + " to the receiver"));

        ObjectNode scout = JSON.createObjectNode()
                .put("organization", "runlight-demo")
                .put("username", "runlight-demo")
                .put("accessToken", "dckr_pat_demo-local-stand-in")
                .put("hubUrl", receiver + DemoReceiver.DOCKER_HUB)
                .put("scoutUrl", receiver + DemoReceiver.SCOUT)
                .put("vexUrl", receiver + DemoReceiver.SCOUT_VEX);
        scout.putObject("environments").put("prod-eu", "production").put("staging", "staging");
        created.add(create("docker-scout", SCOUT_NAME, scout, "push: environments and VEX exceptions to the receiver"));

        ObjectNode webhook = JSON.createObjectNode()
                .put("url", receiver + DemoReceiver.WEBHOOK)
                .put("secret", webhookSecret);
        created.add(create("webhook", WEBHOOK_NAME, webhook, "push: signed events to the receiver"));
        return created;
    }

    /** Runs the integration's connection test (a request to the receiver); its one-line outcome. */
    String test(DemoIntegration integration)
    {
        JsonNode result = api.post("/api/v1/integrations/" + integration.id() + "/test");
        return (result.path("ok").asBoolean() ? "ok" : "FAILED") + ": " + result.path("message").asText("");
    }

    private DemoIntegration create(String connector, String name, ObjectNode config, String role)
    {
        ObjectNode request = JSON.createObjectNode()
                .put("plugin", connector)
                .put("name", name)
                .put("expiresIn", EXPIRES_IN);
        request.set("config", config);
        JsonNode created = api.post("/api/v1/integrations", request);
        JsonNode token = created.path("token");
        return new DemoIntegration(created.path("id").asText(), name, connector, token.path("secret").asText(), token.path("expiresAt").asText(), role);
    }

    /**
     * @param id the hub's integration id
     * @param token the integration token's secret, shown this once
     * @param role what the integration does in the demo
     */
    record DemoIntegration(String id, String name, String connector, String token, String expiresAt, String role)
    {
        DemoIntegration
        {
            requireNonNull(id, "id is null");
            requireNonNull(name, "name is null");
            requireNonNull(connector, "connector is null");
            requireNonNull(token, "token is null");
            requireNonNull(expiresAt, "expiresAt is null");
            requireNonNull(role, "role is null");
        }
    }
}
