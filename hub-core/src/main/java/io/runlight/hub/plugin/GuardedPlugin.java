package io.runlight.hub.plugin;

import java.lang.reflect.Constructor;

import org.pf4j.Plugin;
import org.pf4j.PluginWrapper;

import static java.util.Objects.requireNonNull;

/**
 * What PF4J starts and stops for a plugin: the plugin's own {@code Plugin-Class} (if it
 * names one) is created, started and stopped through its {@link PluginCalls}, so a
 * plugin that throws or hangs in {@code start()} or {@code stop()} fails alone.
 * Connector plugins usually have no plugin class: their extensions are enough.
 */
final class GuardedPlugin
        extends Plugin
{
    private final String pluginClass;
    private final ClassLoader loader;
    private final PluginWrapper wrapper;
    private final PluginCalls calls;
    private Plugin delegate;

    GuardedPlugin(PluginWrapper wrapper, PluginCalls calls)
    {
        this.wrapper = requireNonNull(wrapper, "wrapper is null");
        this.calls = requireNonNull(calls, "calls is null");
        String declared = wrapper.getDescriptor().getPluginClass();
        this.pluginClass = declared == null ? "" : declared.strip();
        this.loader = wrapper.getPluginClassLoader();
    }

    @Override
    public void start()
    {
        if (pluginClass.isEmpty()) {
            return;
        }
        if (delegate == null) {
            delegate = calls.call("Plugin.<init> (" + pluginClass + ")", this::instantiate);
        }
        Plugin plugin = delegate;
        calls.run("Plugin.start", plugin::start);
    }

    @Override
    public void stop()
    {
        Plugin plugin = delegate;
        if (plugin == null || !calls.isOpen()) {
            // nothing was started, or the host gave up on this plugin already
            return;
        }
        calls.run("Plugin.stop", plugin::stop);
    }

    @SuppressWarnings("deprecation")
    private Plugin instantiate()
            throws ReflectiveOperationException
    {
        Class<?> type = Class.forName(pluginClass, true, loader);
        if (!Plugin.class.isAssignableFrom(type)) {
            throw new IllegalStateException("Plugin-Class '" + pluginClass + "' does not extend org.pf4j.Plugin");
        }
        try {
            Constructor<?> withWrapper = type.getConstructor(PluginWrapper.class);
            return (Plugin) withWrapper.newInstance(wrapper);
        }
        catch (NoSuchMethodException noWrapperConstructor) {
            return (Plugin) type.getConstructor().newInstance();
        }
    }
}
