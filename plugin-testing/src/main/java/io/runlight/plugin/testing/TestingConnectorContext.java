package io.runlight.plugin.testing;

import java.time.Instant;
import java.util.List;

import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.WorkloadInsights;
import io.runlight.plugin.api.connector.ConnectorContext;
import io.runlight.plugin.api.connector.VexFormat;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * The {@link ConnectorContext} a connector's tests hand to {@code create(config, context)}
 * in place of the hub's: insights from records the test adds ({@link TestingInsightsQuery}),
 * an in-memory state with the hub's limits ({@link TestingConnectorState}) and a clock that
 * moves only when the test moves it ({@link TestingClock}). As Trino ships its
 * {@code TestingConnectorContext}, Runlight ships this one so that plugins need not copy it.
 */
public final class TestingConnectorContext
        implements ConnectorContext
{
    /** Where the clock starts unless the test says otherwise. */
    public static final Instant DEFAULT_NOW = Instant.parse("2026-11-28T12:00:00Z");

    private final TestingClock clock;
    private final TestingInsightsQuery insights = new TestingInsightsQuery();
    private final TestingConnectorState state = new TestingConnectorState();
    private String integrationId = "int-test";
    private String integrationName = "test-integration";
    private String hubVersion = "0.1.0";

    /** A context whose clock stands at {@link #DEFAULT_NOW}. */
    public TestingConnectorContext()
    {
        this(DEFAULT_NOW);
    }

    public TestingConnectorContext(Instant now)
    {
        this.clock = new TestingClock(now);
    }

    /** The integration the connector belongs to, as the admin named it. */
    public TestingConnectorContext withIntegration(String id, String name)
    {
        this.integrationId = requireNonBlank(id, "id");
        this.integrationName = requireNonBlank(name, "name");
        return this;
    }

    public TestingConnectorContext withHubVersion(String version)
    {
        this.hubVersion = requireNonBlank(version, "version");
        return this;
    }

    /** Adds an image that no container was seen running. */
    public TestingConnectorContext withImage(ImageInsights image)
    {
        return withImage(image, List.of());
    }

    /** Adds an image and the per-container views of it. */
    public TestingConnectorContext withImage(ImageInsights image, List<WorkloadInsights> workloads)
    {
        insights.add(image);
        requireNonNull(workloads, "workloads is null").forEach(insights::add);
        return this;
    }

    /** Makes {@code insights().vex(digest, format)} return this document. */
    public TestingConnectorContext withVex(ImageDigest digest, VexFormat format, byte[] document)
    {
        insights.addVex(digest, format, document);
        return this;
    }

    @Override
    public String integrationId()
    {
        return integrationId;
    }

    @Override
    public String integrationName()
    {
        return integrationName;
    }

    @Override
    public String hubVersion()
    {
        return hubVersion;
    }

    @Override
    public TestingInsightsQuery insights()
    {
        return insights;
    }

    @Override
    public TestingConnectorState state()
    {
        return state;
    }

    @Override
    public TestingClock clock()
    {
        return clock;
    }
}
