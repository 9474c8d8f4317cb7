package io.runlight.connector.scout;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.runlight.plugin.api.connector.Capability;
import io.runlight.plugin.api.connector.ConfigError;
import io.runlight.plugin.api.connector.ConfigProperty;
import io.runlight.plugin.api.connector.ConfigType;
import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.testing.TestingConnectorContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestDockerScoutConnectorFactory
{
    private final DockerScoutConnectorFactory factory = new DockerScoutConnectorFactory();

    @Test
    void describesItself()
    {
        assertThat(factory.id()).isEqualTo("docker-scout");
        assertThat(factory.displayName()).isEqualTo("Docker Scout");
        assertThat(factory.capabilities()).containsExactly(Capability.PUSH);
        assertThat(factory.configProperties()).containsExactly(
                new ConfigProperty("organization", ConfigType.STRING, Optional.empty(), true, false, "The Docker organization whose Scout environments and exceptions are written"),
                new ConfigProperty("username", ConfigType.STRING, Optional.empty(), true, false, "The Docker ID that logs in to Docker Hub"),
                new ConfigProperty("accessToken", ConfigType.STRING, Optional.empty(), true, true, "A personal or organisation access token of that Docker ID"),
                new ConfigProperty("environments", ConfigType.MAP, Optional.empty(), true, false,
                        "Runlight cluster, or cluster/namespace, to Docker Scout environment name, for example {\"prod-eu/shop\": \"production\"}"),
                new ConfigProperty("vexExceptions", ConfigType.BOOLEAN, Optional.of("true"), false, false,
                        "Whether to record a VEX exception for each vulnerability of a package not in use in a complete profile"),
                new ConfigProperty("hubUrl", ConfigType.URL, Optional.of("https://hub.docker.com"), false, false, "Docker Hub base URL, for the login"),
                new ConfigProperty("scoutUrl", ConfigType.URL, Optional.of("https://api.scout.docker.com"), false, false, "Docker Scout API base URL, for GraphQL"),
                new ConfigProperty("author", ConfigType.STRING, Optional.of("Runlight"), false, false, "Author named in exception details and OpenVEX documents"),
                new ConfigProperty("vexUrl", ConfigType.URL, Optional.empty(), false, false,
                        "If set, each image's OpenVEX document is also PUT to <vexUrl>/<digest>.openvex.json"));
    }

    @Test
    void defaults()
    {
        ScoutConfig config = ScoutConfig.from(new ConnectorConfig(Map.of(
                "organization", "myorg", "username", "ci-bot", "accessToken", "dckr_pat_secret", "environments", Map.of("prod-eu", "production"))));
        assertThat(config).isEqualTo(new ScoutConfig("myorg", "ci-bot", "dckr_pat_secret", new TreeMap<>(Map.of("prod-eu", "production")), true,
                URI.create("https://hub.docker.com"), URI.create("https://api.scout.docker.com"), "Runlight", Optional.empty()));
        assertThat(config.loginUri()).isEqualTo(URI.create("https://hub.docker.com/v2/users/login"));
        assertThat(config.graphqlUri()).isEqualTo(URI.create("https://api.scout.docker.com/v1/graphql"));
        assertThat(config.toString()).doesNotContain("dckr_pat_secret");
    }

    @Test
    void fullMapping()
    {
        ScoutConfig config = ScoutConfig.from(new ConnectorConfig(Map.of(
                "organization", "myorg", "username", "ci-bot", "accessToken", "dckr_pat_secret",
                "environments", Map.of("prod-eu/shop", "production", "staging", "staging"),
                "vexExceptions", false,
                "hubUrl", URI.create("http://127.0.0.1:9000/hub/"),
                "scoutUrl", URI.create("http://127.0.0.1:9000/scout"),
                "author", "Platform team",
                "vexUrl", URI.create("https://vex.example/docs"))));
        assertThat(config).isEqualTo(new ScoutConfig("myorg", "ci-bot", "dckr_pat_secret",
                new TreeMap<>(Map.of("prod-eu/shop", "production", "staging", "staging")), false,
                URI.create("http://127.0.0.1:9000/hub/"), URI.create("http://127.0.0.1:9000/scout"), "Platform team", Optional.of(URI.create("https://vex.example/docs"))));
        assertThat(config.loginUri()).isEqualTo(URI.create("http://127.0.0.1:9000/hub/v2/users/login"));
        assertThat(config.graphqlUri()).isEqualTo(URI.create("http://127.0.0.1:9000/scout/v1/graphql"));
    }

    @Test
    void validatesEnvironmentMappings()
    {
        ConnectorConfig config = new ConnectorConfig(Map.of(
                "organization", "myorg", "username", "ci-bot", "accessToken", "t",
                "environments", new TreeMap<>(Map.of("prod-eu/shop", "production", "a/b/c", "x", "/ns", "y", "ok", "with|bar"))));
        assertThat(factory.validate(config)).containsExactly(
                ConfigError.of("environments", "key '/ns' is not a cluster or cluster/namespace"),
                ConfigError.of("environments", "key 'a/b/c' is not a cluster or cluster/namespace"),
                ConfigError.of("environments", "environment name 'with|bar' of 'ok' is blank or contains '|'"));

        ConnectorConfig empty = new ConnectorConfig(Map.of("organization", "myorg", "username", "ci-bot", "accessToken", "t", "environments", Map.of()));
        assertThat(factory.validate(empty)).containsExactly(
                ConfigError.of("environments", "map at least one cluster (or cluster/namespace) to a Docker Scout environment"));
        assertThatThrownBy(() -> factory.create(empty, new TestingConnectorContext(Instant.EPOCH).withIntegration("int-1", "scout-test")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid configuration of Docker Scout integration 'scout-test': "
                        + List.of(ConfigError.of("environments", "map at least one cluster (or cluster/namespace) to a Docker Scout environment")));
    }

    @Test
    void architecturesUseOciNames()
    {
        assertThat(EnvironmentAssignments.scoutArchitecture("x86_64")).isEqualTo("amd64");
        assertThat(EnvironmentAssignments.scoutArchitecture("aarch64")).isEqualTo("arm64");
        assertThat(EnvironmentAssignments.scoutArchitecture("amd64")).isEqualTo("amd64");
        assertThat(EnvironmentAssignments.scoutArchitecture("s390x")).isEqualTo("s390x");
    }
}
