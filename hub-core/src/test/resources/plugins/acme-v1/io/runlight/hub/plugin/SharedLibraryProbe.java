package io.runlight.hub.plugin;

/**
 * The plugin's own copy of a library class the hub has too: loaded child-first, this one wins inside the plugin.
 */
public final class SharedLibraryProbe
{
    private SharedLibraryProbe() {}

    public static String origin()
    {
        return "plugin";
    }
}
