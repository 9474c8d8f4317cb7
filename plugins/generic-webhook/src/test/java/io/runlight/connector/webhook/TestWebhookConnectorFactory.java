package io.runlight.connector.webhook;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.runlight.plugin.api.connector.Capability;
import io.runlight.plugin.api.connector.ConfigProperty;
import io.runlight.plugin.api.connector.ConfigType;
import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.testing.TestingConnectorContext;
import org.junit.jupiter.api.Test;

import static io.runlight.connector.webhook.WebhookTesting.PREVIOUS_SECRET;
import static io.runlight.connector.webhook.WebhookTesting.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

final class TestWebhookConnectorFactory
{
    private static final URI URL = URI.create("https://hooks.example.com/runlight");
    private final WebhookConnectorFactory factory = new WebhookConnectorFactory();

    @Test
    void describesItself()
    {
        assertThat(factory.id()).isEqualTo("webhook");
        assertThat(factory.displayName()).isEqualTo("Generic webhook");
        assertThat(factory.capabilities()).isEqualTo(Set.of(Capability.PUSH));
        assertThat(factory.description()).contains("Standard Webhooks");
    }

    @Test
    void declaresEveryPropertyWithTypeDefaultAndSecrecy()
    {
        assertThat(factory.configProperties())
                .extracting(ConfigProperty::name, ConfigProperty::type, ConfigProperty::defaultValue, ConfigProperty::required, ConfigProperty::secret)
                .containsExactly(
                        tuple("url", ConfigType.URL, Optional.empty(), true, false),
                        tuple("secret", ConfigType.STRING, Optional.empty(), false, true),
                        tuple("previousSecret", ConfigType.STRING, Optional.empty(), false, true),
                        tuple("events", ConfigType.LIST, Optional.of("runlight.image.insights.changed,runlight.image.profile.completed,runlight.package.first_used"), false, false),
                        tuple("payload", ConfigType.STRING, Optional.of("runlight"), false, false),
                        tuple("headers", ConfigType.MAP, Optional.empty(), false, true),
                        tuple("batchSize", ConfigType.INTEGER, Optional.of("1"), false, false),
                        tuple("timeout", ConfigType.DURATION, Optional.of("10s"), false, false));
        assertThat(factory.configProperties().get(1).description()).contains("openssl rand -base64 32");
    }

    @Test
    void defaultsMapToTheTypedConfiguration()
    {
        WebhookConfig config = WebhookConfig.from(WebhookTesting.config(URL, Map.of()));

        assertThat(factory.validate(WebhookTesting.config(URL, Map.of()))).isEmpty();
        assertThat(config.url()).isEqualTo(URL);
        assertThat(config.secret()).isEqualTo(SigningSecret.parse(SECRET));
        assertThat(config.previousSecret()).isEmpty();
        assertThat(config.events()).containsExactly("runlight.image.insights.changed", "runlight.image.profile.completed", "runlight.package.first_used");
        assertThat(config.payload()).isEqualTo(PayloadForm.RUNLIGHT);
        assertThat(config.headers()).isEmpty();
        assertThat(config.batchSize()).isEqualTo(1);
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void everyGivenValueMaps()
    {
        WebhookConfig config = WebhookConfig.from(WebhookTesting.config(URL, Map.of(
                "previousSecret", PREVIOUS_SECRET,
                "events", List.of("runlight.image.profile.completed"),
                "payload", "cyclonedx-vex",
                "headers", Map.of("X-Api-Key", WebhookTesting.API_KEY, "X-Tenant", "acme"),
                "timeout", Duration.ofSeconds(3))));

        assertThat(config.previousSecret()).contains(SigningSecret.parse(PREVIOUS_SECRET));
        assertThat(config.events()).containsExactly("runlight.image.profile.completed");
        assertThat(config.payload()).isEqualTo(PayloadForm.CYCLONEDX_VEX);
        assertThat(config.headers()).isEqualTo(new TreeMap<>(Map.of("X-Api-Key", WebhookTesting.API_KEY, "X-Tenant", "acme")));
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.toString()).isEqualTo("WebhookConfig[url=https://hooks.example.com/runlight, secret=whsec_****, previousSecret=whsec_****, "
                + "events=[runlight.image.profile.completed], payload=cyclonedx-vex, headers=[X-Api-Key, X-Tenant], batchSize=1, timeout=PT3S]");
    }

    @Test
    void refusesAMissingSecretAndSaysHowToMakeOne()
    {
        Map<String, Object> values = WebhookTesting.defaults();
        values.put("url", URL);
        ConnectorConfig config = new ConnectorConfig(values);

        assertThat(factory.validate(config))
                .extracting(error -> error.property() + " " + error.message())
                .containsExactly("secret is required: generate one with 'openssl rand -base64 32' and give 'whsec_' followed by its output "
                        + "(Runlight does not generate it, because the hub shows secrets only masked and the receiver needs the value)");
        assertThatThrownBy(() -> factory.create(config, new TestingConnectorContext()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid configuration of connector 'webhook': secret is required: generate one with 'openssl rand -base64 32'");
    }

    @Test
    void reportsEveryProblemAtOnce()
    {
        ConnectorConfig config = new ConnectorConfig(Map.of(
                "url", URI.create("ftp://files.example.com/drop"),
                "secret", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "previousSecret", "whsec_c2hvcnQ=",
                "events", List.of("runlight.image.insights.changed", "image.deleted"),
                "payload", "xml",
                "headers", Map.of("webhook-signature", "v1,forged", "Bad Name", "x", "Content-Type", "text/plain"),
                "batchSize", 0L,
                "timeout", Duration.ZERO));

        assertThat(factory.validate(config))
                .extracting(error -> error.property() + " " + error.message())
                .containsExactly(
                        "url must be an absolute http or https URL with a host, not 'ftp://files.example.com/drop'",
                        "secret must start with 'whsec_' followed by the base64 of 24 to 64 random bytes, for example 'whsec_' + the output of 'openssl rand -base64 32'",
                        "previousSecret must decode to 24 to 64 bytes after 'whsec_', not 5",
                        "events has unknown event types [image.deleted]; the event types are [runlight.image.insights.changed, runlight.image.profile.completed, runlight.package.first_used]",
                        "payload must be one of [runlight, openvex, cyclonedx-vex], not 'xml'",
                        "headers has an invalid header name 'Bad Name'",
                        "headers must not set 'Content-Type': the connector or the HTTP client sets it",
                        "headers must not set 'webhook-signature': the connector or the HTTP client sets it",
                        "batchSize must be between 1 and 100, not 0",
                        "timeout must be positive, not PT0S");
    }

    @Test
    void refusesBatchesOfVexDocumentsEmptyEventsAndAnUnchangedRotation()
    {
        ConnectorConfig config = WebhookTesting.config(URL, Map.of(
                "payload", "openvex", "batchSize", 5L, "events", List.of(), "previousSecret", " " + SECRET));

        assertThat(factory.validate(config))
                .extracting(error -> error.property() + " " + error.message())
                .containsExactly(
                        "previousSecret must differ from 'secret'",
                        "events must name at least one event type of [runlight.image.insights.changed, runlight.image.profile.completed, runlight.package.first_used]",
                        "batchSize must be 1 with payload 'openvex': a VEX document is one image's and is sent alone");
    }

    @Test
    void createsAPushingConnector()
    {
        Connector connector = factory.create(WebhookTesting.config(URL, Map.of()),
                new TestingConnectorContext(Instant.parse("2026-11-28T12:00:05Z")).withIntegration("int_7Hq2", "security-lake"));

        assertThat(connector.pusher()).isPresent();
        assertThat(connector.routes()).isEmpty();
        assertThat(connector.pusher().orElseThrow().translate(AlpineInsights.change())).hasSize(2);
        connector.close();
    }
}
