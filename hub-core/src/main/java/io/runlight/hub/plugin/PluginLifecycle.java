package io.runlight.hub.plugin;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.plugin.api.connector.ConnectorFactory;

import static java.util.Objects.requireNonNull;

/**
 * The PF4J side of the host: starts an inspected jar (PF4J load and start, a
 * {@link PluginCalls} executor, its connector factories found and described) and stops
 * it again (connectors closed, calls refused, PF4J stop and unload, so that its class
 * loader can go). Follows every started plugin's calls for {@link StoppedTheHub}. Not
 * thread-safe: the host uses it under its lock.
 */
final class PluginLifecycle
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(PluginLifecycle.class);

    private final PluginHostOptions options;
    private final HostPluginManager manager;
    private final StoppedTheHub stoppedTheHub;
    private final Thread exitRecorder;

    PluginLifecycle(PluginHostOptions options, Path stagingDir, String comparableHubVersion)
    {
        this.options = requireNonNull(options, "options is null");
        this.manager = new HostPluginManager(stagingDir, comparableHubVersion);
        this.stoppedTheHub = StoppedTheHub.open(options.stagingDir());
        this.exitRecorder = new Thread(stoppedTheHub::recordExits, "runlight-plugin-exit-recorder");
        Runtime.getRuntime().addShutdownHook(exitRecorder);
    }

    /** The jar refused because its content stopped the hub during an earlier run, or the jar as it is. */
    PluginJar refuseIfItStoppedTheHub(PluginJar jar)
    {
        if (!jar.accepted()) {
            return jar;
        }
        return stoppedTheHub.refusal(jar).map(jar::refused).orElse(jar);
    }

    /**
     * Loads and starts a jar as its plugin's {@code generation}.
     *
     * @param connectorOwners connector id to who provides it already (a plugin may not provide a connector another one does)
     * @throws LoadFailure if it does not start, whatever PF4J or the plugin threw; nothing of it is left behind
     */
    Started start(PluginJar jar, long generation, Map<String, String> connectorOwners)
    {
        String pluginId = jar.id();
        PluginCalls calls = null;
        try {
            String loadedId = manager.loadPlugin(jar.staged());
            PluginWrapper wrapper = manager.getPlugin(loadedId);
            if (!loadedId.equals(pluginId)) {
                throw new LoadFailure("PF4J read Plugin-Id '" + loadedId + "' from jar '" + jar.jar() + "', the host read '" + pluginId + "'");
            }
            if (wrapper.getPluginState() == PluginState.DISABLED) {
                throw new LoadFailure("PF4J disabled plugin '" + pluginId + "' from jar '" + jar.jar() + "' (Plugin-Requires not met by " + manager.getSystemVersion() + ")");
            }
            calls = new PluginCalls(pluginId, generation, wrapper.getPluginClassLoader(), options.callTimeout(), options.maxConcurrentCalls());
            stoppedTheHub.track(calls, jar);
            manager.registerCalls(pluginId, calls);
            PluginState state = manager.startPlugin(pluginId);
            if (state != PluginState.STARTED) {
                throw new LoadFailure("PF4J did not start plugin '" + pluginId + "' from jar '" + jar.jar() + "': it is " + state);
            }
            List<GuardedConnectorFactory> factories = discover(jar, calls, connectorOwners);
            List<ConnectorInfo> infos = factories.stream().map(factory -> new ConnectorInfo(factory.id(), factory.displayName(), factory.description(),
                    List.copyOf(factory.capabilities()), factory.configProperties())).toList();
            PluginInfo info = new PluginInfo(jar.id(), jar.version(), jar.provider(), jar.description(), jar.jar(), PluginStatus.STARTED, Optional.empty(),
                    infos, generation);
            log.info("Plugin '{}' {} started from jar '{}' (generation {}), connectors {}", pluginId, jar.version(), jar.jar(), generation,
                    infos.stream().map(ConnectorInfo::id).toList());
            return new Started(jar, generation, calls, factories, info);
        }
        catch (Throwable e) {
            // PF4J reads the jar too (its extension finder, its class loader): nothing it throws may escape the host
            String reason = e instanceof PluginCallException || e instanceof LoadFailure ? e.getMessage()
                    : "plugin '" + pluginId + "' from jar '" + jar.jar() + "' failed to load: " + e;
            log.error("Plugin jar '{}' failed: {}", jar.jar(), reason, e);
            abandon(pluginId, calls);
            throw new LoadFailure(reason);
        }
    }

    private List<GuardedConnectorFactory> discover(PluginJar jar, PluginCalls calls, Map<String, String> connectorOwners)
    {
        String pluginId = jar.id();
        // loading the classes runs no plugin code (no static initialisers); creating and describing them does
        List<Class<? extends ConnectorFactory>> types = manager.getExtensionClasses(ConnectorFactory.class, pluginId);
        if (types.isEmpty()) {
            Set<String> listed = manager.getExtensionClassNames(pluginId);
            throw new LoadFailure(listed.isEmpty()
                    ? "plugin '" + pluginId + "' from jar '" + jar.jar() + "' lists no extensions in META-INF/extensions.idx: annotate its ConnectorFactory with @Extension and let the PF4J annotation processor write the index"
                    : "plugin '" + pluginId + "' from jar '" + jar.jar() + "' lists " + new TreeSet<>(listed) + " in META-INF/extensions.idx, but none is a ConnectorFactory that can be loaded");
        }
        Map<String, String> owners = new HashMap<>(connectorOwners);
        List<GuardedConnectorFactory> factories = new ArrayList<>();
        for (Class<? extends ConnectorFactory> type : types.stream().sorted(Comparator.comparing(Class::getName)).toList()) {
            ConnectorFactory factory = calls.call("ConnectorFactory.<init> (" + type.getName() + ")", () -> instantiate(type));
            ConnectorInfo info = calls.call("ConnectorFactory.describe (" + type.getName() + ")", () -> new ConnectorInfo(factory.id(), factory.displayName(),
                    factory.description(), List.copyOf(factory.capabilities()), factory.configProperties()));
            if (!info.id().matches("[a-z0-9][a-z0-9._-]*")) {
                throw new LoadFailure("plugin '" + pluginId + "': connector id '" + info.id() + "' of " + type.getName()
                        + " is invalid: use lower-case letters, digits, '.', '_' and '-'");
            }
            String owner = owners.putIfAbsent(info.id(), "plugin '" + pluginId + "' (jar '" + jar.jar() + "')");
            if (owner != null) {
                throw new LoadFailure("plugin '" + pluginId + "': connector '" + info.id() + "' is already provided by " + owner + ": remove one of the jars");
            }
            factories.add(new GuardedConnectorFactory(calls.hold(factory), info));
        }
        return List.copyOf(factories);
    }

    private static ConnectorFactory instantiate(Class<? extends ConnectorFactory> type)
            throws Exception
    {
        try {
            return type.getDeclaredConstructor().newInstance();
        }
        catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Stops a started plugin: closes its connectors, refuses further calls, and stops and unloads it in PF4J. */
    void stop(Started plugin)
    {
        String pluginId = plugin.jar().id();
        for (GuardedConnectorFactory factory : plugin.factories()) {
            for (GuardedConnector connector : factory.openConnectors()) {
                try {
                    connector.close();
                }
                catch (RuntimeException e) {
                    log.warn("A connector of plugin '{}' did not close cleanly: {}", pluginId, e.getMessage());
                }
            }
        }
        int runaway = plugin.calls().abandonedCalls();
        abandon(pluginId, plugin.calls());
        if (runaway > 0) {
            // the JVM cannot stop a thread that ignores interruption; say so rather than pretend
            log.warn("Plugin '{}' leaves {} call thread(s) running that ignored interruption; they end only with the hub process", pluginId, runaway);
        }
    }

    /** Tears down what a failed load left behind, so that its class loader can go. */
    private void abandon(String pluginId, PluginCalls calls)
    {
        if (manager.getPlugin(pluginId) != null) {
            try {
                manager.stopPlugin(pluginId);
            }
            catch (RuntimeException | LinkageError e) {
                log.warn("Plugin '{}' did not stop cleanly: {}", pluginId, e.getMessage());
            }
        }
        if (calls != null) {
            stoppedTheHub.untrack(calls);
            calls.close();
        }
        if (manager.getPlugin(pluginId) != null) {
            try {
                manager.unloadPlugin(pluginId);
            }
            catch (RuntimeException | LinkageError e) {
                log.warn("Plugin '{}' did not unload cleanly: {}", pluginId, e.getMessage());
            }
        }
        manager.unregisterCalls(pluginId);
    }

    /** Stops recording exits (the host is closing normally). */
    @Override
    public void close()
    {
        try {
            Runtime.getRuntime().removeShutdownHook(exitRecorder);
        }
        catch (IllegalStateException shuttingDown) {
            // the JVM is exiting and runs the hook anyway: it records nothing unless a plugin call is exiting
        }
    }

    /** A started plugin. */
    record Started(PluginJar jar, long generation, PluginCalls calls, List<GuardedConnectorFactory> factories, PluginInfo info) {}

    /** A plugin that did not start; its message is the whole reason. */
    static final class LoadFailure
            extends RuntimeException
    {
        LoadFailure(String message)
        {
            super(message);
        }
    }
}
