package io.runlight.hub.integration;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.runlight.plugin.api.connector.ConfigError;
import io.runlight.plugin.api.connector.ConfigProperty;
import io.runlight.plugin.api.connector.ConfigType;
import io.runlight.plugin.api.connector.ConnectorConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every config type: defaults and mapping, and every error at once.
 */
final class TestConfigValidator
{
    private static final List<ConfigProperty> PROPERTIES = List.of(
            ConfigProperty.required("url", ConfigType.URL, "where"),
            ConfigProperty.required("key", ConfigType.STRING, "secret key").asSecret(),
            ConfigProperty.optional("flag", ConfigType.BOOLEAN, "true", "a flag"),
            ConfigProperty.optional("count", ConfigType.INTEGER, "7", "a count"),
            ConfigProperty.optional("every", ConfigType.DURATION, "30m", "a period"),
            ConfigProperty.optional("tags", ConfigType.LIST, "a,b", "tags"),
            ConfigProperty.optional("labels", ConfigType.MAP, "team=sec,env=prod", "labels"));

    @Test
    void appliesDefaults()
    {
        ConnectorConfig config = ConfigValidator.validate("demo", PROPERTIES, Map.of("url", "https://example.com/x", "key", "s3cret"));
        assertThat(config.values()).isEqualTo(Map.of(
                "url", URI.create("https://example.com/x"),
                "key", "s3cret",
                "flag", true,
                "count", 7L,
                "every", Duration.ofMinutes(30),
                "tags", List.of("a", "b"),
                "labels", Map.of("team", "sec", "env", "prod")));
    }

    @Test
    void mapsEveryType()
    {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("url", "http://127.0.0.1:8080/hook");
        given.put("key", "s3cret");
        given.put("flag", "FALSE");
        given.put("count", "-12");
        given.put("every", "PT2H");
        given.put("tags", " x , y ,, z ");
        given.put("labels", Map.of("a", "1"));
        ConnectorConfig config = ConfigValidator.validate("demo", PROPERTIES, given);
        assertThat(config.values()).isEqualTo(Map.of(
                "url", URI.create("http://127.0.0.1:8080/hook"),
                "key", "s3cret",
                "flag", false,
                "count", -12L,
                "every", Duration.ofHours(2),
                "tags", List.of("x", "y", "z"),
                "labels", Map.of("a", "1")));

        given.put("flag", true);
        given.put("count", 42);
        given.put("every", "1h30m");
        given.put("tags", List.of("p", "q"));
        given.put("labels", null);
        config = ConfigValidator.validate("demo", PROPERTIES, given);
        assertThat(config.bool("flag")).contains(true);
        assertThat(config.integer("count")).contains(42L);
        assertThat(config.duration("every")).contains(Duration.ofMinutes(90));
        assertThat(config.list("tags")).containsExactly("p", "q");
        assertThat(config.map("labels")).isEqualTo(Map.of("team", "sec", "env", "prod"));
    }

    @Test
    void reportsEveryErrorAtOnceWithoutSecretValues()
    {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("url", "ftp://example.com");
        given.put("key", 12345);
        given.put("flag", "yes");
        given.put("count", 1.5);
        given.put("every", "P1M");
        given.put("tags", List.of("a", 2));
        given.put("labels", List.of());
        given.put("zeta", 1);
        given.put("alpha", "x");
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> ConfigValidator.validate("demo", PROPERTIES, given));
        assertThat(e).hasMessage("The configuration for connector 'demo' has 9 errors; fix every property listed in 'errors'.");
        String properties = "[count, every, flag, key, labels, tags, url]";
        assertThat(e.errors()).containsExactly(
                new ConfigError("url", "must be an absolute http or https URL such as https://example.com/path, not 'ftp://example.com'"),
                new ConfigError("key", "must be a string"),
                new ConfigError("flag", "must be true or false, not 'yes'"),
                new ConfigError("count", "must be a whole number between -9223372036854775808 and 9223372036854775807, not 1.5"),
                new ConfigError("every", "must be a duration in ISO-8601 (PT30M, P14D) or a number with a unit (30s, 15m, 12h, 14d), not 'P1M'"),
                new ConfigError("tags", "must be a list of strings (a JSON array of strings or a comma-separated string), not an array"),
                new ConfigError("labels", "must be a JSON object of string values, not an array"),
                new ConfigError("alpha", "is not a property of connector 'demo'; the properties are " + properties),
                new ConfigError("zeta", "is not a property of connector 'demo'; the properties are " + properties));
    }

    @Test
    void requiresRequiredProperties()
    {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> ConfigValidator.validate("demo", PROPERTIES, Map.of("key", " ")));
        assertThat(e.errors()).containsExactly(new ConfigError("url", "is required"), new ConfigError("key", "is required"));
        assertThat(ConfigValidator.secretKeys(PROPERTIES)).containsExactly("key");
    }
}
