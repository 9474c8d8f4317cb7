package io.runlight.examples.summary;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.runlight.plugin.api.connector.Capability;
import io.runlight.plugin.api.connector.ConfigError;
import io.runlight.plugin.api.connector.ConfigProperty;
import io.runlight.plugin.api.connector.ConfigType;
import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.api.connector.Route;
import io.runlight.plugin.testing.TestingConnectorContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The factory's declarations (what {@code GET /api/v1/plugins} shows and the hub
 * validates against) and its own checks.
 */
final class TestSummaryConnectorFactory
{
    private final SummaryConnectorFactory factory = new SummaryConnectorFactory();

    @Test
    void declaresItsIdCapabilitiesAndConfigForm()
    {
        assertThat(factory.id()).isEqualTo("http-summary");
        assertThat(factory.displayName()).isEqualTo("HTTP summary");
        assertThat(factory.capabilities()).containsExactlyInAnyOrder(Capability.PUSH, Capability.SERVE);
        assertThat(factory.configProperties())
                .extracting(ConfigProperty::name, ConfigProperty::type, ConfigProperty::defaultValue, ConfigProperty::required, ConfigProperty::secret)
                .containsExactly(
                        tuple("url", ConfigType.URL, Optional.empty(), true, false),
                        tuple("token", ConfigType.STRING, Optional.empty(), true, true),
                        tuple("timeout", ConfigType.DURATION, Optional.of("10s"), false, false));
    }

    @Test
    void acceptsHttpsAndLoopbackHttp()
    {
        assertThat(factory.validate(config("https://chat.example.com/hooks/T1", "s3cr3t-token", Duration.ofSeconds(5)))).isEmpty();
        assertThat(factory.validate(config("http://127.0.0.1:9000/hooks", "s3cr3t-token", Duration.ofSeconds(10)))).isEmpty();
        assertThat(factory.validate(config("http://localhost/hooks", "s3cr3t-token", Duration.ofSeconds(60)))).isEmpty();
    }

    @Test
    void reportsEveryProblemAtOnceWithoutShowingTheToken()
    {
        List<ConfigError> errors = factory.validate(config("http://chat.example.com/hooks", "two words", Duration.ofMinutes(5)));

        assertThat(errors).extracting(ConfigError::property, ConfigError::message).containsExactly(
                tuple("url", "must use https: the token would travel in clear text (plain http is allowed for 127.0.0.1 and localhost only)"),
                tuple("token", "must not be empty or contain spaces, line breaks or control characters"),
                tuple("timeout", "must be more than 0s and at most 60s, not PT5M"));
        assertThat(errors).noneMatch(error -> error.message().contains("two words"));
    }

    @Test
    void createsAConnectorThatPushesAndServesOneRoute()
    {
        Connector connector = factory.create(config("https://chat.example.com/hooks/T1", "s3cr3t-token", Duration.ofSeconds(10)),
                new TestingConnectorContext(SampleInsights.CHANGED_AT).withIntegration("int_7Hq2", "team-chat"));

        assertThat(connector.pusher()).isPresent();
        assertThat(connector.routes()).containsExactly(Route.insightsOnlyGet("/summary/v1/images"));
        assertThat(connector.toString()).doesNotContain("s3cr3t-token").contains("token=****");
        connector.close();
    }

    static ConnectorConfig config(String url, String token, Duration timeout)
    {
        return new ConnectorConfig(Map.of("url", URI.create(url), "token", token, "timeout", timeout));
    }
}
