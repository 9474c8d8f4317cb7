package io.runlight.examples.summary;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.runlight.plugin.api.connector.ConfigError;
import io.runlight.plugin.api.connector.ConfigProperty;
import io.runlight.plugin.api.connector.ConfigType;
import io.runlight.plugin.api.connector.ConnectorConfig;

import static java.util.Objects.requireNonNull;

/**
 * One integration's configuration, typed. The hub has already checked types, required
 * keys and unknown keys against {@link #properties()}; {@link #errors} adds the checks
 * that need more than one value's type.
 *
 * @param url where summaries are POSTed
 * @param token the bearer token sent with every request
 * @param timeout how long the hub waits for the receiver's answer
 */
record SummaryConfig(URI url, String token, Duration timeout)
{
    static final String URL = "url";
    static final String TOKEN = "token";
    static final String TIMEOUT = "timeout";

    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    SummaryConfig
    {
        requireNonNull(url, "url is null");
        requireNonNull(token, "token is null");
        requireNonNull(timeout, "timeout is null");
    }

    /** What the connector accepts; the console and {@code GET /api/v1/plugins} show it as the integration's form. */
    static List<ConfigProperty> properties()
    {
        return List.of(
                ConfigProperty.required(URL, ConfigType.URL,
                        "Where each summary is POSTed as JSON; https, or http on this machine only"),
                ConfigProperty.required(TOKEN, ConfigType.STRING,
                        "Sent as 'Authorization: Bearer <token>' with every request").asSecret(),
                ConfigProperty.optional(TIMEOUT, ConfigType.DURATION, "10s",
                        "How long to wait for the receiver's answer, at most 60s"));
    }

    /** Every problem the declaration cannot express, all at once. */
    static List<ConfigError> errors(ConnectorConfig config)
    {
        List<ConfigError> errors = new ArrayList<>();
        config.url(URL).ifPresent(url -> {
            String scheme = url.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("http") && !LOOPBACK_HOSTS.contains(String.valueOf(url.getHost()).toLowerCase(Locale.ROOT))) {
                errors.add(ConfigError.of(URL, "must use https: the token would travel in clear text (plain http is allowed for 127.0.0.1 and localhost only)"));
            }
        });
        config.string(TOKEN).ifPresent(token -> {
            // the value is secret: say what is wrong, never what it is
            if (token.isBlank() || token.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                errors.add(ConfigError.of(TOKEN, "must not be empty or contain spaces, line breaks or control characters"));
            }
        });
        config.duration(TIMEOUT).ifPresent(timeout -> {
            if (timeout.isZero() || timeout.isNegative() || timeout.compareTo(MAX_TIMEOUT) > 0) {
                errors.add(ConfigError.of(TIMEOUT, "must be more than 0s and at most 60s, not " + timeout));
            }
        });
        return List.copyOf(errors);
    }

    /** The typed configuration of a configuration the hub validated. */
    static SummaryConfig from(ConnectorConfig config)
    {
        return new SummaryConfig(
                config.require(URL, URI.class),
                config.require(TOKEN, String.class),
                config.duration(TIMEOUT).orElse(Duration.ofSeconds(10)));
    }

    /** The token is never printed, not even in a log line of the hub. */
    @Override
    public String toString()
    {
        return "SummaryConfig[url=" + url + ", token=****, timeout=" + timeout + "]";
    }
}
