package io.runlight.hub.plugin;

/**
 * A class both the hub (this copy) and the test plugin (its own copy) have: a plugin's
 * class loader must give the plugin its own copy.
 */
public final class SharedLibraryProbe
{
    private SharedLibraryProbe() {}

    public static String origin()
    {
        return "hub";
    }
}
