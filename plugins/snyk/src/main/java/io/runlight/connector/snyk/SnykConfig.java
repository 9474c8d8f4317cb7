package io.runlight.connector.snyk;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.runlight.plugin.api.connector.ConfigError;
import io.runlight.plugin.api.connector.ConfigProperty;
import io.runlight.plugin.api.connector.ConfigType;
import io.runlight.plugin.api.connector.ConnectorConfig;

import static java.util.Objects.requireNonNull;

/**
 * The Snyk connector's configuration (formats/snyk.md, section C). Serving v2 needs none
 * of it, serving v1 needs the cluster it serves; pushing needs the Snyk integration id, a service account token and the
 * cluster name Snyk shows.
 *
 * @param push whether to send runtime results to Snyk's upstream API
 * @param upstreamUrl Snyk's Kubernetes upstream API
 * @param integrationId Snyk's Kubernetes integration id, sent as {@code userLocator}
 * @param serviceAccountToken the Snyk service account token
 * @param snykClusterName the cluster name Snyk shows
 * @param clusters the Runlight clusters to send; empty for all
 * @param excludedNamespaces namespaces never sent
 * @param interval how long an unchanged page is not sent again
 * @param v1Cluster the Runlight cluster the v1 route serves; without it the v1 route refuses to answer
 */
record SnykConfig(
        boolean push,
        URI upstreamUrl,
        Optional<String> integrationId,
        Optional<String> serviceAccountToken,
        Optional<String> snykClusterName,
        Set<String> clusters,
        Set<String> excludedNamespaces,
        Duration interval,
        Optional<String> v1Cluster)
{
    static final String PUSH = "push";
    static final String UPSTREAM_URL = "upstreamUrl";
    static final String INTEGRATION_ID = "integrationId";
    static final String SERVICE_ACCOUNT_TOKEN = "serviceAccountToken";
    static final String SNYK_CLUSTER_NAME = "snykClusterName";
    static final String CLUSTERS = "clusters";
    static final String EXCLUDED_NAMESPACES = "excludedNamespaces";
    static final String INTERVAL = "interval";
    static final String V1_CLUSTER = "v1Cluster";

    static final String DEFAULT_UPSTREAM_URL = "https://api.snyk.io/v2/kubernetes-upstream";
    static final String DEFAULT_EXCLUDED_NAMESPACES = "kube-system,kube-public,kube-node-lease,local-path-storage";
    static final String DEFAULT_INTERVAL = "30m";

    SnykConfig
    {
        requireNonNull(upstreamUrl, "upstreamUrl is null");
        requireNonNull(integrationId, "integrationId is null");
        requireNonNull(serviceAccountToken, "serviceAccountToken is null");
        requireNonNull(snykClusterName, "snykClusterName is null");
        clusters = Set.copyOf(requireNonNull(clusters, "clusters is null"));
        excludedNamespaces = Set.copyOf(requireNonNull(excludedNamespaces, "excludedNamespaces is null"));
        requireNonNull(interval, "interval is null");
        requireNonNull(v1Cluster, "v1Cluster is null");
    }

    /** The properties the factory declares. */
    static List<ConfigProperty> properties()
    {
        return List.of(
                ConfigProperty.optional(PUSH, ConfigType.BOOLEAN, "false",
                        "Send runtime results straight to Snyk's upstream API, for clusters without Snyk's Kubernetes monitor"),
                ConfigProperty.optional(UPSTREAM_URL, ConfigType.URL, DEFAULT_UPSTREAM_URL,
                        "Snyk's Kubernetes upstream API (use your region's host)"),
                ConfigProperty.optional(INTEGRATION_ID, ConfigType.STRING,
                        "Snyk's Kubernetes integration id, sent as userLocator; required when push is true"),
                ConfigProperty.optional(SERVICE_ACCOUNT_TOKEN, ConfigType.STRING,
                        "A Snyk service account token allowed to publish to that integration; required when push is true").asSecret(),
                ConfigProperty.optional(SNYK_CLUSTER_NAME, ConfigType.STRING,
                        "The cluster name Snyk shows for the pushed workloads; required when push is true"),
                ConfigProperty.optional(CLUSTERS, ConfigType.LIST,
                        "Runlight cluster names whose workloads are pushed; all clusters when empty"),
                ConfigProperty.optional(EXCLUDED_NAMESPACES, ConfigType.LIST, DEFAULT_EXCLUDED_NAMESPACES,
                        "Namespaces whose workloads are never pushed, as Snyk's monitor excludes them"),
                ConfigProperty.optional(INTERVAL, ConfigType.DURATION, DEFAULT_INTERVAL,
                        "How long an unchanged page of results is not pushed again; changed pages go at once"),
                ConfigProperty.optional(V1_CLUSTER, ConfigType.STRING,
                        "The Runlight cluster that the v1 route (/v1/runtimeimages) serves, the one the monitor watches; "
                                + "required for v1, whose requests name no cluster (v2 requests do)"));
    }

    /** The checks that span properties: push needs its three Snyk values, every missing one reported. */
    static List<ConfigError> validate(ConnectorConfig config)
    {
        requireNonNull(config, "config is null");
        if (!config.bool(PUSH).orElse(false)) {
            return List.of();
        }
        List<ConfigError> errors = new ArrayList<>();
        for (String name : List.of(INTEGRATION_ID, SERVICE_ACCOUNT_TOKEN, SNYK_CLUSTER_NAME)) {
            if (config.string(name).filter(value -> !value.isBlank()).isEmpty()) {
                errors.add(ConfigError.of(name, "'" + name + "' is required when 'push' is true"));
            }
        }
        return List.copyOf(errors);
    }

    /**
     * Reads a configuration the hub validated.
     *
     * @throws IllegalArgumentException if it fails {@link #validate}
     */
    static SnykConfig from(ConnectorConfig config)
    {
        List<ConfigError> errors = validate(config);
        if (!errors.isEmpty()) {
            List<String> messages = errors.stream().map(ConfigError::message).toList();
            throw new IllegalArgumentException("invalid Snyk configuration: " + String.join("; ", messages));
        }
        return new SnykConfig(
                config.bool(PUSH).orElse(false),
                config.url(UPSTREAM_URL).orElse(URI.create(DEFAULT_UPSTREAM_URL)),
                nonBlank(config.string(INTEGRATION_ID)),
                nonBlank(config.string(SERVICE_ACCOUNT_TOKEN)),
                nonBlank(config.string(SNYK_CLUSTER_NAME)),
                entries(config.list(CLUSTERS)),
                config.has(EXCLUDED_NAMESPACES) ? entries(config.list(EXCLUDED_NAMESPACES)) : entries(List.of(DEFAULT_EXCLUDED_NAMESPACES.split(","))),
                config.duration(INTERVAL).orElse(Duration.ofMinutes(30)),
                nonBlank(config.string(V1_CLUSTER)));
    }

    private static Optional<String> nonBlank(Optional<String> value)
    {
        return value.map(String::strip).filter(text -> !text.isEmpty());
    }

    private static Set<String> entries(List<String> values)
    {
        TreeSet<String> result = new TreeSet<>();
        for (String value : values) {
            String stripped = value.strip();
            if (!stripped.isEmpty()) {
                result.add(stripped);
            }
        }
        return result;
    }
}
