package io.runlight.hub.plugin;

import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.pf4j.DefaultPluginManager;
import org.pf4j.ExtensionFinder;
import org.pf4j.LegacyExtensionFinder;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginFactory;
import org.pf4j.PluginLoader;
import org.pf4j.PluginRepository;
import org.pf4j.PluginStatusProvider;
import org.pf4j.PluginWrapper;

/**
 * PF4J's plugin manager as the host uses it: it loads exactly the staged jars the host
 * hands it (no folder scanning of its own, no enabled/disabled files), reads the PF4J
 * manifest, builds {@link RunlightPluginClassLoader}s, finds extensions through
 * {@code META-INF/extensions.idx}, and starts plugins through {@link GuardedPlugin}.
 * Not thread-safe: the host uses it under its lock.
 */
final class HostPluginManager
        extends DefaultPluginManager
{
    private final Map<String, PluginCalls> calls = new ConcurrentHashMap<>();

    HostPluginManager(Path stagingDir, String systemVersion)
    {
        super(stagingDir);
        setSystemVersion(systemVersion);
        ClassLoader hub = HostPluginManager.class.getClassLoader();
        this.pluginLoader = new PluginLoader()
        {
            @Override
            public boolean isApplicable(Path pluginPath)
            {
                return Files.isRegularFile(pluginPath) && pluginPath.getFileName().toString().endsWith(".jar");
            }

            @Override
            public ClassLoader loadPlugin(Path pluginPath, PluginDescriptor descriptor)
            {
                RunlightPluginClassLoader loader = new RunlightPluginClassLoader(HostPluginManager.this, descriptor, hub);
                try {
                    loader.addURL(pluginPath.toUri().toURL());
                }
                catch (MalformedURLException e) {
                    throw new UncheckedIOException("cannot turn plugin path '" + pluginPath + "' into a URL", e);
                }
                return loader;
            }
        };
        this.pluginFactory = this::createGuardedPlugin;
    }

    /** Registers the call executor of a plugin about to be started. */
    void registerCalls(String pluginId, PluginCalls pluginCalls)
    {
        calls.put(pluginId, pluginCalls);
    }

    void unregisterCalls(String pluginId)
    {
        calls.remove(pluginId);
    }

    private GuardedPlugin createGuardedPlugin(PluginWrapper wrapper)
    {
        PluginCalls pluginCalls = calls.get(wrapper.getPluginId());
        if (pluginCalls == null) {
            throw new IllegalStateException("plugin '" + wrapper.getPluginId() + "' has no call executor: the host must register it before starting the plugin");
        }
        return new GuardedPlugin(wrapper, pluginCalls);
    }

    @Override
    protected PluginDescriptorFinder createPluginDescriptorFinder()
    {
        return new ManifestPluginDescriptorFinder();
    }

    @Override
    protected ExtensionFinder createExtensionFinder()
    {
        LegacyExtensionFinder finder = new LegacyExtensionFinder(this);
        addPluginStateListener(finder);
        return finder;
    }

    @Override
    protected PluginFactory createPluginFactory()
    {
        // replaced in the constructor, once the call executors exist
        return wrapper -> {
            throw new IllegalStateException("plugin factory used before the host manager was constructed");
        };
    }

    @Override
    protected PluginRepository createPluginRepository()
    {
        return new PluginRepository()
        {
            @Override
            public List<Path> getPluginPaths()
            {
                return List.of();
            }

            @Override
            public boolean deletePluginPath(Path pluginPath)
            {
                return false;
            }
        };
    }

    @Override
    protected PluginStatusProvider createPluginStatusProvider()
    {
        return new PluginStatusProvider()
        {
            @Override
            public boolean isPluginDisabled(String pluginId)
            {
                return false;
            }

            @Override
            public void disablePlugin(String pluginId)
            {
                throw new UnsupportedOperationException("plugins are disabled by removing their jar from the plugins folder");
            }

            @Override
            public void enablePlugin(String pluginId)
            {
                // every loaded plugin is enabled
            }
        };
    }
}
