package io.runlight.hub.plugin;

import java.util.List;

import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin's class loader (docs/architecture.md, decision 1): the JDK, PF4J and the Runlight plugin
 * API come from the hub, so that the plugin's factory is a {@code ConnectorFactory}
 * the hub knows; everything else is looked up in the plugin's jar first, so a plugin's
 * own copy of a library (Jackson, an HTTP signing library) wins over the hub's.
 * Resources are likewise the plugin's first.
 */
final class RunlightPluginClassLoader
        extends PluginClassLoader
{
    /** Only ever from the hub: the contract between hub and plugin, and the platform. */
    private static final List<String> HUB_ONLY = List.of("java.", "io.runlight.plugin.api.", "org.pf4j.");
    /** From the hub if it has them (platform modules), otherwise from the plugin. */
    private static final List<String> HUB_FIRST = List.of("javax.", "jdk.", "sun.", "com.sun.");

    static {
        registerAsParallelCapable();
    }

    RunlightPluginClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader hub)
    {
        super(manager, descriptor, hub, ClassLoadingStrategy.PDA);
    }

    @Override
    public Class<?> loadClass(String className)
            throws ClassNotFoundException
    {
        if (startsWithAny(className, HUB_ONLY)) {
            return getParent().loadClass(className);
        }
        synchronized (getClassLoadingLock(className)) {
            Class<?> loaded = findLoadedClass(className);
            if (loaded != null) {
                return loaded;
            }
            if (startsWithAny(className, HUB_FIRST)) {
                try {
                    return getParent().loadClass(className);
                }
                catch (ClassNotFoundException notInHub) {
                    return findClass(className);
                }
            }
            try {
                return findClass(className);
            }
            catch (ClassNotFoundException notInPlugin) {
                return getParent().loadClass(className);
            }
        }
    }

    static boolean startsWithAny(String name, List<String> prefixes)
    {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
