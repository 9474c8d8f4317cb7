package io.runlight.hub.plugin;

/**
 * Told when plugins come and go, so integrations can close their connectors before a
 * plugin is unloaded and create them again from its replacement. Called on the plugin
 * host's watcher thread, one event at a time; a listener must not block for long, and
 * what it throws is logged and otherwise ignored.
 */
public interface PluginListener
{
    /** The plugin started; its connectors are available from {@link PluginHost#connector}. */
    default void pluginStarted(PluginInfo plugin) {}

    /**
     * The plugin is about to be stopped and unloaded (removed, replaced, or the hub is
     * stopping). Close its connectors now; the host closes any left open afterwards and
     * every later call to them fails with {@link PluginCallException.Category#UNAVAILABLE}.
     */
    default void pluginStopping(PluginInfo plugin) {}
}
