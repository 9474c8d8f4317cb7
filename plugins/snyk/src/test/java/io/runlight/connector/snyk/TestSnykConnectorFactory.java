package io.runlight.connector.snyk;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.runlight.plugin.api.connector.Capability;
import io.runlight.plugin.api.connector.ConfigError;
import io.runlight.plugin.api.connector.ConfigProperty;
import io.runlight.plugin.api.connector.ConfigType;
import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.testing.TestingConnectorContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

final class TestSnykConnectorFactory
{
    private final SnykConnectorFactory factory = new SnykConnectorFactory();

    @Test
    void describesTheConnector()
    {
        assertThat(factory.id()).isEqualTo("snyk");
        assertThat(factory.displayName()).isEqualTo("Snyk");
        assertThat(factory.capabilities()).isEqualTo(Set.of(Capability.SERVE, Capability.PUSH));
    }

    @Test
    void declaresTheKeysOfTheFormatWithTheirDefaults()
    {
        assertThat(factory.configProperties())
                .extracting(ConfigProperty::name, ConfigProperty::type, ConfigProperty::defaultValue, ConfigProperty::required, ConfigProperty::secret)
                .containsExactly(
                        tuple("push", ConfigType.BOOLEAN, Optional.of("false"), false, false),
                        tuple("upstreamUrl", ConfigType.URL, Optional.of("https://api.snyk.io/v2/kubernetes-upstream"), false, false),
                        tuple("integrationId", ConfigType.STRING, Optional.empty(), false, false),
                        tuple("serviceAccountToken", ConfigType.STRING, Optional.empty(), false, true),
                        tuple("snykClusterName", ConfigType.STRING, Optional.empty(), false, false),
                        tuple("clusters", ConfigType.LIST, Optional.empty(), false, false),
                        tuple("excludedNamespaces", ConfigType.LIST, Optional.of("kube-system,kube-public,kube-node-lease,local-path-storage"), false, false),
                        tuple("interval", ConfigType.DURATION, Optional.of("30m"), false, false),
                        tuple("v1Cluster", ConfigType.STRING, Optional.empty(), false, false));
    }

    @Test
    void readsTheDefaults()
    {
        SnykConfig config = SnykConfig.from(new ConnectorConfig(Map.of()));

        assertThat(config).isEqualTo(new SnykConfig(false, URI.create("https://api.snyk.io/v2/kubernetes-upstream"), Optional.empty(), Optional.empty(), Optional.empty(),
                Set.of(), Set.of("kube-system", "kube-public", "kube-node-lease", "local-path-storage"), Duration.ofMinutes(30), Optional.empty()));
    }

    @Test
    void readsEveryKey()
    {
        SnykConfig config = SnykConfig.from(new ConnectorConfig(Map.of(
                "push", true,
                "upstreamUrl", URI.create("https://api.eu.snyk.io/v2/kubernetes-upstream"),
                "integrationId", "5f7c2d1e",
                "serviceAccountToken", "secret-token",
                "snykClusterName", "prod-eu-1",
                "clusters", List.of("prod", " staging "),
                "excludedNamespaces", List.of("kube-system"),
                "interval", Duration.ofHours(1),
                "v1Cluster", " prod ")));

        assertThat(config).isEqualTo(new SnykConfig(true, URI.create("https://api.eu.snyk.io/v2/kubernetes-upstream"), Optional.of("5f7c2d1e"), Optional.of("secret-token"),
                Optional.of("prod-eu-1"), Set.of("prod", "staging"), Set.of("kube-system"), Duration.ofHours(1), Optional.of("prod")));
    }

    @Test
    void reportsEveryValueThatPushLacksAtOnce()
    {
        ConnectorConfig config = new ConnectorConfig(Map.of("push", true, "snykClusterName", " "));

        assertThat(factory.validate(config)).containsExactly(
                ConfigError.of("integrationId", "'integrationId' is required when 'push' is true"),
                ConfigError.of("serviceAccountToken", "'serviceAccountToken' is required when 'push' is true"),
                ConfigError.of("snykClusterName", "'snykClusterName' is required when 'push' is true"));
        assertThatThrownBy(() -> factory.create(config, new TestingConnectorContext().withIntegration("int-7f3a", "snyk-prod")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid Snyk configuration: 'integrationId' is required when 'push' is true; "
                        + "'serviceAccountToken' is required when 'push' is true; 'snykClusterName' is required when 'push' is true");
    }

    @Test
    void needsNothingToServe()
    {
        assertThat(factory.validate(new ConnectorConfig(Map.of("push", false)))).isEmpty();
        assertThat(factory.create(new ConnectorConfig(Map.of()), new TestingConnectorContext().withIntegration("int-7f3a", "snyk-prod")).pusher()).isEmpty();
    }

    @Test
    void capitalisesTheKindsTheMonitorKnows()
    {
        assertThat(SnykWorkloadKind.fromKind("deployment")).contains(SnykWorkloadKind.DEPLOYMENT);
        assertThat(SnykWorkloadKind.fromKind("REPLICASET").map(SnykWorkloadKind::wireName)).contains("ReplicaSet");
        assertThat(SnykWorkloadKind.fromKind("stateful-set").map(SnykWorkloadKind::wireName)).contains("StatefulSet");
        assertThat(SnykWorkloadKind.fromKind("deploymentconfig").map(SnykWorkloadKind::wireName)).contains("DeploymentConfig");
        assertThat(SnykWorkloadKind.fromKind("cronjob").map(SnykWorkloadKind::wireName)).contains("CronJob");
        assertThat(SnykWorkloadKind.fromKind("Rollout").map(SnykWorkloadKind::wireName)).contains("Rollout");
        assertThat(SnykWorkloadKind.fromKind("VirtualMachine")).isEmpty();
    }
}
