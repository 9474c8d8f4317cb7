package io.runlight.hub.plugin;

/**
 * Where a plugin jar stands, as {@code GET /api/v1/plugins} shows it.
 */
public enum PluginStatus
{
    /** Loaded by PF4J, not started yet (only seen while a load is in progress). */
    LOADED,
    /** Started: its connector factories can be used. */
    STARTED,
    /** Not loaded: the jar breaks a rule (bundles the API, needs another hub version, has no PF4J manifest, is superseded). */
    REFUSED,
    /** Loaded but its code failed (start threw or hung, a factory could not be created or described). */
    FAILED,
    /** Stopped because the hub is stopping. */
    STOPPED
}
