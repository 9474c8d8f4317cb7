package io.runlight.hub.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import io.runlight.hub.ConfigException;
import io.runlight.hub.auth.AdminTokens;
import io.runlight.hub.store.StoreConfig;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestConfigLoader
{
    @TempDir
    Path folder;

    @Test
    void defaultsRunASingleLocalHub()
    {
        HubConfig config = new ConfigLoader(Map.of()).load(Optional.empty(), Map.of());

        assertThat(config.dataDir()).isEqualTo(Path.of("./runlight-data"));
        assertThat(config.http()).isEqualTo(new HubConfig.Http("127.0.0.1", true, 8080, true, 8443, Optional.empty(), Duration.ofSeconds(60)));
        assertThat(config.ingest()).isEqualTo(new HubConfig.Ingest(256L * 1024 * 1024, 32L * 1024 * 1024));
        assertThat(config.database()).isEmpty();
        assertThat(config.cluster().join()).isEqualTo(HubConfig.JoinMode.NONE);
        assertThat(config.cluster().port()).isEqualTo(5701);
        assertThat(config.insights()).isEqualTo(new HubConfig.Insights(Duration.ofHours(24), false, Duration.ofMillis(500)));
        assertThat(config.pluginsDir()).isEqualTo(Path.of("./runlight-data").resolve("plugins"));
        assertThat(config.shutdownGracePeriod()).isEqualTo(Duration.ofSeconds(20));
        // the issuer of the hub's own JWTs
        assertThat(config.auth().issuers()).isEqualTo(List.of(AdminTokens.ISSUER));
    }

    @Test
    void secretsKeyIsBase64Of32BytesAndEveryClusterMemberNeedsIt()
    {
        String key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
        assertThat(new ConfigLoader(Map.of()).load(Optional.empty(), Map.of()).secrets()).isEqualTo(new HubConfig.Secrets(Optional.empty()));
        HubConfig configured = new ConfigLoader(Map.of("RUNLIGHT_SECRETS_KEY", key)).load(Optional.empty(), Map.of());
        assertThat(configured.secrets().key()).contains(key);
        assertThat(configured.toString()).doesNotContain(key);

        assertThatThrownBy(() -> new ConfigLoader(Map.of("RUNLIGHT_SECRETS_KEY", "c2hvcnQ=")).load(Optional.empty(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: secrets.key is not base64 of 32 bytes: make one with 'openssl rand -base64 32'")
                .hasMessageNotContaining("c2hvcnQ=");

        Map<String, String> cluster = Map.of("cluster.join", "tcp", "cluster.members", "10.0.0.2:5701",
                "database.url", "jdbc:postgresql://db/runlight", "database.user", "runlight");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Optional.empty(), cluster))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: cluster mode needs secrets.key: every member must seal integration secrets with the same key; "
                        + "make one with 'openssl rand -base64 32' and give it to every member as RUNLIGHT_SECRETS_KEY");
        assertThat(new ConfigLoader(Map.of("RUNLIGHT_SECRETS_KEY", key)).load(Optional.empty(), cluster).secrets().key()).contains(key);
    }

    @Test
    void jwtIssuersAreAListThatMayNotBeEmpty()
    {
        HubConfig config = new ConfigLoader(Map.of("RUNLIGHT_AUTH_JWT_ISSUERS", "runlight,https://idp.example.com/")).load(Optional.empty(), Map.of());
        assertThat(config.auth().issuers()).isEqualTo(List.of("runlight", "https://idp.example.com/"));

        assertThatThrownBy(() -> new ConfigLoader(Map.of("RUNLIGHT_AUTH_JWT_ISSUERS", "")).load(Optional.empty(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: auth.jwt-issuers is empty: list the issuers whose JWTs are accepted, such as runlight");
    }

    @Test
    void fileThenEnvironmentThenFlags()
            throws IOException
    {
        Path file = folder.resolve("runlight.yaml");
        Files.writeString(file, """
                data-dir: /var/lib/runlight
                http:
                  port: 9080
                  address: 0.0.0.0
                https:
                  port: 9443
                insights:
                  learning-window: 14d
                  refresh-interval: 2s
                cluster:
                  name: prod
                """);
        Map<String, String> environment = Map.of("RUNLIGHT_HTTPS_PORT", "10443", "RUNLIGHT_INSIGHTS_DATA_OPENS_COUNT", "true");

        HubConfig config = new ConfigLoader(environment).load(Optional.of(file), Map.of("http.port", "7000"));

        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/runlight"));
        assertThat(config.http().address()).isEqualTo("0.0.0.0");
        assertThat(config.http().httpPort()).isEqualTo(7000);
        assertThat(config.http().httpsPort()).isEqualTo(10443);
        assertThat(config.insights()).isEqualTo(new HubConfig.Insights(Duration.ofDays(14), true, Duration.ofSeconds(2)));
        assertThat(config.cluster().name()).isEqualTo("prod");
    }

    @Test
    void aDistributionsBundledPluginsAreTheDefaultThatPluginsDirOverrides()
            throws IOException
    {
        Map<String, String> environment = Map.of(ConfigLoader.DISTRIBUTION_HOME, "/opt/runlight");

        assertThat(new ConfigLoader(environment).load(Optional.empty(), Map.of()).pluginsDir()).isEqualTo(Path.of("/opt/runlight/plugins"));

        Path file = folder.resolve("runlight.yaml");
        Files.writeString(file, "plugins:\n  dir: /srv/connectors\n");
        assertThat(new ConfigLoader(environment).load(Optional.of(file), Map.of()).pluginsDir()).isEqualTo(Path.of("/srv/connectors"));
    }

    @Test
    void everyProblemIsReportedAtOnce()
            throws IOException
    {
        Path file = folder.resolve("runlight.yaml");
        Files.writeString(file, """
                htp:
                  port: 80
                https:
                  port: 99999
                  cert: /nonexistent/cert.pem
                insights:
                  learning-window: soon
                cluster:
                  join: tcp
                """);

        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Optional.of(file), Map.of()))
                .isInstanceOf(ConfigException.class)
                .satisfies(error -> assertThat(((ConfigException) error).errors()).containsExactly(
                        "unknown setting 'htp.port' in '" + file + "': did you mean 'http.port'?",
                        "https.cert and https.key go together: set both, or neither for a self-signed certificate",
                        "https.port: 99999 is not a port (0-65535)",
                        "cluster.join is tcp but cluster.members is empty: list the other members as host:port",
                        StoreConfig.CLUSTER_NEEDS_SHARED_DATABASE,
                        "insights.learning-window: duration 'soon' is not valid: use ISO-8601 (PT15M, P14D) or a number with a unit (30s, 15m, 12h, 14d)"))
                .hasMessageStartingWith("invalid configuration (6 problems):");
    }

    @Test
    void refreshIntervalIsFromTenMillisecondsToAMinute()
    {
        assertThat(new ConfigLoader(Map.of("RUNLIGHT_INSIGHTS_REFRESH_INTERVAL", "10ms")).load(Optional.empty(), Map.of()).insights().refreshInterval())
                .isEqualTo(Duration.ofMillis(10));
        assertThat(new ConfigLoader(Map.of("RUNLIGHT_INSIGHTS_REFRESH_INTERVAL", "PT1M")).load(Optional.empty(), Map.of()).insights().refreshInterval())
                .isEqualTo(Duration.ofMinutes(1));

        String advice = ": give from 10ms (a shorter pass mostly finds nothing to do) to 1m (until a pass, a package just used can still read 'not in use')";
        assertThatThrownBy(() -> new ConfigLoader(Map.of("RUNLIGHT_INSIGHTS_REFRESH_INTERVAL", "9ms")).load(Optional.empty(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: insights.refresh-interval is 9ms" + advice);
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Optional.empty(), Map.of("insights.refresh-interval", "61s")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: insights.refresh-interval is 61s" + advice);
        assertThatThrownBy(() -> new ConfigLoader(Map.of("RUNLIGHT_INSIGHTS_REFRESH_INTERVAL", "")).load(Optional.empty(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: insights.refresh-interval is empty: give a value, or leave it out for the default PT0.5S");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("RUNLIGHT_INSIGHTS_REFRESH_INTERVAL", "often")).load(Optional.empty(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: insights.refresh-interval: duration 'often' is not valid: use ISO-8601 (PT15M, P14D) or a number with a unit (30s, 15m, 12h, 14d)");
        assertThatThrownBy(() -> new HubConfig.Insights(Duration.ZERO, false, Duration.ofMillis(9)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("refreshInterval PT0.009S is not from PT0.01S to PT1M");
    }

    @Test
    void secretsAreNotEchoedInErrors()
    {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("RUNLIGHT_AUTH_HS256_SECRET", "short-secret")).load(Optional.empty(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: auth.hs256-secret is shorter than 32 characters: use a long random secret")
                .hasMessageNotContaining("short-secret");
    }

    @Test
    void invalidYamlIsNamed()
            throws IOException
    {
        Path file = folder.resolve("broken.yaml");
        Files.writeString(file, "http: [unclosed\n");

        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Optional.of(file), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid configuration: configuration file '" + file + "' is not valid YAML: ");
    }

    @Test
    void everyOptionHasAnEnvironmentVariableAndDescription()
    {
        assertThat(HubOptions.ALL).extracting(ConfigOption::environmentVariable).doesNotHaveDuplicates();
        assertThat(HubOptions.HTTP_PORT.environmentVariable()).isEqualTo("RUNLIGHT_HTTP_PORT");
        assertThat(HubOptions.LEARNING_WINDOW.environmentVariable()).isEqualTo("RUNLIGHT_INSIGHTS_LEARNING_WINDOW");
    }

    @Test
    void idleTimeoutIsADurationAndZeroKeepsConnectionsOpen()
    {
        assertThat(new ConfigLoader(Map.of("RUNLIGHT_HTTP_IDLE_TIMEOUT", "5m")).load(Optional.empty(), Map.of()).http().idleTimeout())
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(new ConfigLoader(Map.of()).load(Optional.empty(), Map.of("http.idle-timeout", "0")).http().idleTimeout()).isZero();

        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Optional.empty(), Map.of("http.idle-timeout", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: http.idle-timeout is empty: give a value, or leave it out for the default PT60S");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Optional.empty(), Map.of("http.idle-timeout", "PT0.0001S")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: http.idle-timeout is PT0.0001S: give 0 (never) or a duration of at least 1ms");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Optional.empty(), Map.of("http.idle-timeout", "-1s")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid configuration: http.idle-timeout: duration '-1s' is not valid");
    }

    @Test
    void sizesAndDurationsInEveryForm()
    {
        assertThat(ValueParsers.bytes("64MiB")).isEqualTo(64L * 1024 * 1024);
        assertThat(ValueParsers.bytes("1GB")).isEqualTo(1_000_000_000L);
        assertThat(ValueParsers.bytes("4096")).isEqualTo(4096L);
        assertThat(ValueParsers.duration("PT15M")).isEqualTo(Duration.ofMinutes(15));
        assertThat(ValueParsers.duration("P14D")).isEqualTo(Duration.ofDays(14));
        assertThat(ValueParsers.duration("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(ValueParsers.duration("0")).isEqualTo(Duration.ZERO);
    }
}
