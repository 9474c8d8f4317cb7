package io.runlight.hub.plugin;

import java.nio.file.Path;
import java.time.Duration;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * How a {@link PluginHost} runs.
 *
 * @param pluginsDir the watched folder of plugin jars (created if missing)
 * @param hubVersion the hub's version, checked against each jar's {@code Plugin-Requires}
 * @param stagingDir where jars are copied before they are loaded (each host uses a fresh folder inside it and deletes it on close)
 * @param callTimeout how long a call into plugin code may take
 * @param maxConcurrentCalls how many calls into one plugin may run at once
 * @param rescanInterval how often the folder is scanned even without file-system events (watch events can be missed)
 * @param settleTime how long a jar's size and modification time must stay the same before it is read (a copy may be in progress)
 */
public record PluginHostOptions(Path pluginsDir, String hubVersion, Path stagingDir, Duration callTimeout, int maxConcurrentCalls, Duration rescanInterval,
        Duration settleTime)
{
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONCURRENT_CALLS = 16;
    public static final Duration DEFAULT_RESCAN_INTERVAL = Duration.ofSeconds(3);
    public static final Duration DEFAULT_SETTLE_TIME = Duration.ofMillis(500);

    public PluginHostOptions
    {
        requireNonNull(pluginsDir, "pluginsDir is null");
        requireNonBlank(hubVersion, "hubVersion");
        requireNonNull(stagingDir, "stagingDir is null");
        requirePositive(callTimeout, "callTimeout");
        checkArgument(maxConcurrentCalls >= 1, "maxConcurrentCalls must be at least 1: " + maxConcurrentCalls);
        requirePositive(rescanInterval, "rescanInterval");
        requirePositive(settleTime, "settleTime");
        PluginJarInspector.comparable(hubVersion);
    }

    /** Defaults: calls time out after 10 s, 16 calls per plugin at once, a rescan every 3 s, jars settle for 500 ms, staging in the system temp folder. */
    public static PluginHostOptions defaults(Path pluginsDir, String hubVersion)
    {
        return new PluginHostOptions(pluginsDir, hubVersion, Path.of(System.getProperty("java.io.tmpdir"), "runlight-plugin-staging"),
                DEFAULT_CALL_TIMEOUT, DEFAULT_MAX_CONCURRENT_CALLS, DEFAULT_RESCAN_INTERVAL, DEFAULT_SETTLE_TIME);
    }

    public PluginHostOptions withStagingDir(Path newStagingDir)
    {
        return new PluginHostOptions(pluginsDir, hubVersion, newStagingDir, callTimeout, maxConcurrentCalls, rescanInterval, settleTime);
    }

    public PluginHostOptions withCallTimeout(Duration newCallTimeout)
    {
        return new PluginHostOptions(pluginsDir, hubVersion, stagingDir, newCallTimeout, maxConcurrentCalls, rescanInterval, settleTime);
    }

    public PluginHostOptions withMaxConcurrentCalls(int newMaxConcurrentCalls)
    {
        return new PluginHostOptions(pluginsDir, hubVersion, stagingDir, callTimeout, newMaxConcurrentCalls, rescanInterval, settleTime);
    }

    public PluginHostOptions withRescanInterval(Duration newRescanInterval)
    {
        return new PluginHostOptions(pluginsDir, hubVersion, stagingDir, callTimeout, maxConcurrentCalls, newRescanInterval, settleTime);
    }

    public PluginHostOptions withSettleTime(Duration newSettleTime)
    {
        return new PluginHostOptions(pluginsDir, hubVersion, stagingDir, callTimeout, maxConcurrentCalls, rescanInterval, newSettleTime);
    }

    private static void requirePositive(Duration duration, String name)
    {
        requireNonNull(duration, name + " is null");
        checkArgument(!duration.isNegative() && !duration.isZero(), name + " must be positive: " + duration);
    }
}
