package io.runlight.connector.webhook;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.runlight.plugin.api.connector.ConnectorConfig;

/**
 * Configurations as the hub hands them to the connector: given values plus the declared
 * defaults, already converted to their Java types.
 */
final class WebhookTesting
{
    /** The secret of the Standard Webhooks test vector (24 bytes). */
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    /** A 32-byte secret, as 'whsec_' + 'openssl rand -base64 32' gives. */
    static final String PREVIOUS_SECRET = "whsec_" + Base64.getEncoder().encodeToString("runlight-previous-signing-key-32".getBytes(StandardCharsets.US_ASCII));
    static final String API_KEY = "sk_live_8fJq2ZxR4vN7tY1w";

    private WebhookTesting() {}

    static Map<String, Object> defaults()
    {
        Map<String, Object> values = new TreeMap<>();
        values.put("events", List.of("runlight.image.insights.changed", "runlight.image.profile.completed", "runlight.package.first_used"));
        values.put("payload", "runlight");
        values.put("batchSize", 1L);
        values.put("timeout", Duration.ofSeconds(10));
        return values;
    }

    /** The defaults, a URL and the secret, overridden by {@code given}. */
    static ConnectorConfig config(URI url, Map<String, Object> given)
    {
        Map<String, Object> values = defaults();
        values.put("url", url);
        values.put("secret", SECRET);
        values.putAll(given);
        return new ConnectorConfig(values);
    }
}
