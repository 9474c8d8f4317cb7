package io.runlight.hub.plugin;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.InsightsSummary;
import io.runlight.plugin.api.ProfileSummary;
import io.runlight.plugin.api.connector.ChangeType;
import io.runlight.plugin.api.connector.ConnectorConfig;
import io.runlight.plugin.api.connector.ConnectorContext;
import io.runlight.plugin.api.connector.ConnectorState;
import io.runlight.plugin.api.connector.InsightsChange;
import io.runlight.plugin.api.connector.InsightsQuery;

/**
 * What the plugin tests share: the change they push, a connector context, waiting.
 */
final class PluginTesting
{
    static final String DIGEST = "sha256:" + "ab".repeat(32);

    private PluginTesting() {}

    static InsightsChange change()
    {
        ImageInsights insights = new ImageInsights(ImageDigest.parse(DIGEST), List.of(), List.of("docker.io/acme/app:1"), Optional.empty(),
                ProfileSummary.NONE, new InsightsSummary(3, 2, 1, 0, 0, 0), List.of(), List.of());
        return new InsightsChange(ChangeType.IMAGE_INSIGHTS_CHANGED, insights, List.of(), List.of(), Instant.parse("2025-01-02T03:04:05Z"));
    }

    static ConnectorConfig config(String mode)
    {
        return new ConnectorConfig(Map.of("url", URI.create("http://127.0.0.1:9/"), "apiKey", "k-123", "mode", mode));
    }

    static ConnectorContext context()
    {
        return new ConnectorContext()
        {
            @Override
            public String integrationId()
            {
                return "int-1";
            }

            @Override
            public String integrationName()
            {
                return "ACME production";
            }

            @Override
            public String hubVersion()
            {
                return "1.2.0";
            }

            @Override
            public InsightsQuery insights()
            {
                throw new UnsupportedOperationException("the test plugin does not query insights");
            }

            @Override
            public ConnectorState state()
            {
                throw new UnsupportedOperationException("the test plugin keeps no state");
            }

            @Override
            public Clock clock()
            {
                return Clock.systemUTC();
            }
        };
    }
}
