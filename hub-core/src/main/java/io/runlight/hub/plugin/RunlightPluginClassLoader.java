package io.runlight.hub.plugin;

import java.util.List;

import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

import static java.util.Objects.requireNonNull;

/**
 * A plugin's class loader (docs/architecture.md, decision 1). Its parent is the JDK's platform class
 * loader, not the hub's application class loader, so a plugin sees the JDK and its own
 * jar, and of the hub only what it is meant to share: the Runlight plugin API (so that
 * its factory is a {@code ConnectorFactory} the hub knows), PF4J and SLF4J (so that its
 * log lines go where the hub's go). Vert.x, Hazelcast, Jackson and {@code io.runlight.hub}
 * do not resolve from a plugin; a plugin bundles what it needs, and its copy never meets
 * the hub's. The same list as Trino's {@code PluginClassLoader} keeps for its SPI.
 */
final class RunlightPluginClassLoader
        extends PluginClassLoader
{
    /** Shared with the hub, from the hub's class loader: the contract, the plugin framework and the logging facade. */
    static final List<String> SHARED_PACKAGES = List.of("io.runlight.plugin.api.", "org.pf4j.", "org.slf4j.");
    /** The JDK's own, always from the platform (and boot) class loader. */
    private static final List<String> JDK_ONLY = List.of("java.");
    /** From the JDK if it has them (platform modules), otherwise from the plugin. */
    private static final List<String> JDK_FIRST = List.of("javax.", "jdk.", "sun.", "com.sun.", "org.w3c.", "org.xml.", "org.ietf.");

    private final ClassLoader hub;

    static {
        registerAsParallelCapable();
    }

    /**
     * @param hub the class loader the shared packages come from (the hub's own)
     */
    RunlightPluginClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader hub)
    {
        super(manager, descriptor, ClassLoader.getPlatformClassLoader(), ClassLoadingStrategy.PDA);
        this.hub = requireNonNull(hub, "hub is null");
    }

    @Override
    public Class<?> loadClass(String className)
            throws ClassNotFoundException
    {
        if (startsWithAny(className, SHARED_PACKAGES)) {
            return hub.loadClass(className);
        }
        if (startsWithAny(className, JDK_ONLY)) {
            return getParent().loadClass(className);
        }
        synchronized (getClassLoadingLock(className)) {
            Class<?> loaded = findLoadedClass(className);
            if (loaded != null) {
                return loaded;
            }
            if (startsWithAny(className, JDK_FIRST)) {
                try {
                    return getParent().loadClass(className);
                }
                catch (ClassNotFoundException notInJdk) {
                    return findClass(className);
                }
            }
            try {
                return findClass(className);
            }
            catch (ClassNotFoundException notInPlugin) {
                // the JDK's packages not listed above; the parent is the platform loader, never the hub's
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
