package io.runlight.hub.plugin;

import java.lang.ref.WeakReference;

/**
 * Lets whole-hub tests outside this package hold a loaded plugin's class loader weakly,
 * to check that unloading the plugin lets it be garbage-collected.
 */
public final class PluginClassLoaders
{
    private PluginClassLoaders() {}

    /** A weak reference to the class loader of the plugin that provides {@code loaded}. */
    public static WeakReference<ClassLoader> weakly(LoadedConnector loaded)
    {
        return new WeakReference<>(loaded.calls().classLoader()
                .orElseThrow(() -> new IllegalStateException("plugin '" + loaded.pluginId() + "' is unloaded already: take the reference while it is loaded")));
    }
}
