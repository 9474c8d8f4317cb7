package io.runlight.hub.plugin;

import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.plugin.api.connector.ConnectorFactory;

import static java.util.Objects.requireNonNull;

/**
 * The hub's plugin manager (docs/architecture.md, decision 1): loads the connector plugin jars of
 * the plugins folder with PF4J, one class loader per plugin, and keeps following the
 * folder. A new jar is loaded and started; a jar replaced by new content (same file
 * name, or another file with the same {@code Plugin-Id}) is stopped and unloaded and
 * the new one loaded; a removed jar is stopped and unloaded. Jars are read only once
 * their size and time have settled, from a private copy. Jars that break a rule are
 * refused and failing plugins are marked failed; both stay in {@link #plugins()} with
 * their reason, and the hub keeps running.
 * <p>
 * Every call into plugin code goes through the plugin's {@link PluginCalls}: the
 * factories of {@link #connector} and the connectors and pushers they create do that
 * themselves.
 * <p>
 * The host reconciles: {@link PluginFolder} says which jars the folder holds (settled,
 * staged and inspected), {@link PluginLifecycle} starts and stops them in PF4J, and the
 * host decides which jar of a plugin id runs, keeps failures from being retried until a
 * jar changes, tells listeners, and publishes what {@link #plugins()} and
 * {@link #connector} answer.
 */
public final class PluginHost
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(PluginHost.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final PluginHostOptions options;
    private final PluginJarInspector inspector;
    private final PluginFolder folder;
    private final PluginLifecycle lifecycle;
    private final Thread watcher;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<PluginListener> listeners = new CopyOnWriteArrayList<>();

    // guarded by lock
    private final Map<String, PluginJar> jars = new HashMap<>();
    private final Map<String, PluginLifecycle.Started> loaded = new HashMap<>();
    private final Map<String, Failure> failures = new HashMap<>();
    private final Map<String, Long> generations = new HashMap<>();

    private volatile boolean waitingForSettle;
    private volatile boolean closed;
    private volatile List<PluginInfo> snapshot = List.of();
    private volatile Map<String, LoadedConnector> connectors = Map.of();

    private PluginHost(PluginHostOptions options, PluginJarInspector inspector, PluginFolder folder)
    {
        this.options = options;
        this.inspector = inspector;
        this.folder = folder;
        this.lifecycle = new PluginLifecycle(options, folder.stagingDir(), inspector.comparableHubVersion());
        this.watcher = new Thread(this::watch, "runlight-plugin-watcher");
        this.watcher.setDaemon(true);
    }

    /**
     * Loads the plugins in the folder now and starts following it.
     *
     * @throws IllegalStateException if the plugins or staging folder cannot be created
     */
    public static PluginHost start(PluginHostOptions options)
    {
        requireNonNull(options, "options is null");
        PluginJarInspector inspector = new PluginJarInspector(options.hubVersion(), PluginJarLimits.DEFAULT);
        PluginHost host = new PluginHost(options, inspector, PluginFolder.open(options, inspector));
        try {
            host.rescan();
        }
        catch (RuntimeException e) {
            host.close();
            throw e;
        }
        host.watcher.start();
        log.info("Plugin host following '{}' (hub version {}): {}", options.pluginsDir(), options.hubVersion(), host.summary());
        return host;
    }

    /** The plugins folder this host follows. */
    public Path pluginsDir()
    {
        return options.pluginsDir();
    }

    /**
     * Every jar of the plugins folder and its state, sorted by plugin id, then jar file name.
     * A started plugin with a call that still runs after its timeout is FAILED (it gets no
     * calls) until that call returns. Never runs plugin code or blocks.
     */
    public List<PluginInfo> plugins()
    {
        List<PluginInfo> infos = snapshot;
        Map<String, LoadedConnector> started = connectors;
        List<PluginInfo> current = new ArrayList<>(infos.size());
        for (PluginInfo info : infos) {
            current.add(info.state() == PluginStatus.STARTED ? withRunawayCalls(info, started) : info);
        }
        return List.copyOf(current);
    }

    private static PluginInfo withRunawayCalls(PluginInfo info, Map<String, LoadedConnector> started)
    {
        for (LoadedConnector connector : started.values()) {
            if (connector.pluginId().equals(info.id()) && connector.generation() == info.generation()) {
                int running = connector.calls().abandonedCalls();
                if (running > 0) {
                    return new PluginInfo(info.id(), info.version(), info.provider(), info.description(), info.jar(), PluginStatus.FAILED,
                            Optional.of("plugin '" + info.id() + "' has " + running + (running == 1 ? " call" : " calls")
                                    + " still running after the call timeout; it gets no calls until they return: fix or remove the plugin"),
                            info.connectors(), info.generation());
                }
                return info;
            }
        }
        return info;
    }

    /** The factory of a started connector, by connector id; its methods run the plugin's code through {@link PluginCalls}. */
    public Optional<ConnectorFactory> factory(String connectorId)
    {
        return connector(connectorId).map(LoadedConnector::factory);
    }

    /** A started connector, by connector id, with its plugin, generation and call executor. */
    public Optional<LoadedConnector> connector(String connectorId)
    {
        requireNonNull(connectorId, "connectorId is null");
        return Optional.ofNullable(connectors.get(connectorId));
    }

    /** Every started connector, sorted by connector id. */
    public List<LoadedConnector> connectors()
    {
        return List.copyOf(connectors.values());
    }

    /**
     * Adds a listener and tells it at once about every plugin started so far, so that it
     * misses nothing.
     */
    public void addListener(PluginListener listener)
    {
        requireNonNull(listener, "listener is null");
        lock.lock();
        try {
            listeners.add(listener);
            for (PluginLifecycle.Started plugin : sortedLoaded()) {
                notify(listener, plugin.info(), true);
            }
        }
        finally {
            lock.unlock();
        }
    }

    public void removeListener(PluginListener listener)
    {
        listeners.remove(requireNonNull(listener, "listener is null"));
    }

    /**
     * Scans the plugins folder now and applies what changed (jars still being written are
     * left for a later scan). The watcher does this on its own; tests and admin commands
     * may call it to not wait.
     */
    public void rescan()
    {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            folder.ensureWatching();
            scan();
        }
        finally {
            lock.unlock();
        }
    }

    /** Stops following the folder, stops and unloads every plugin (closing their connectors) and deletes the staged copies. */
    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        lifecycle.close();
        folder.close();
        watcher.interrupt();
        if (watcher.isAlive()) {
            try {
                watcher.join(CLOSE_WAIT.toMillis());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.lock();
        try {
            List<PluginInfo> last = snapshot;
            for (PluginLifecycle.Started plugin : sortedLoaded()) {
                unload(plugin, "the hub is stopping");
            }
            connectors = Map.of();
            snapshot = last.stream()
                    .map(info -> info.state() == PluginStatus.STARTED ? info.withState(PluginStatus.STOPPED) : info)
                    .toList();
        }
        finally {
            lock.unlock();
        }
        log.info("Plugin host of '{}' stopped", options.pluginsDir());
    }

    private void watch()
    {
        while (!closed) {
            long waitMillis = waitingForSettle ? Math.max(25, options.settleTime().toMillis() / 4) : options.rescanInterval().toMillis();
            try {
                folder.awaitChange(waitMillis);
            }
            catch (InterruptedException | ClosedWatchServiceException e) {
                if (closed) {
                    return;
                }
                // not closing: an interrupt from elsewhere; keep following the folder
            }
            try {
                rescan();
            }
            catch (Throwable e) {
                // whatever one scan throws (even an Error), the watcher must live on: later jars depend on it
                log.error("Scanning the plugins folder '{}' failed; trying again in {}", options.pluginsDir(), options.rescanInterval(), e);
            }
        }
    }

    private void scan()
    {
        long now = System.nanoTime();
        Map<String, BasicFileAttributes> present = folder.listJars();
        boolean waiting = false;

        failures.keySet().retainAll(present.keySet());
        for (String name : new ArrayList<>(jars.keySet())) {
            if (!present.containsKey(name)) {
                discard(jars.remove(name));
            }
        }
        for (Map.Entry<String, BasicFileAttributes> entry : present.entrySet()) {
            String name = entry.getKey();
            long size = entry.getValue().size();
            FileTime modified = entry.getValue().lastModifiedTime();
            PluginJar known = jars.get(name);
            if (known != null && known.size() == size && known.modified().equals(modified)) {
                continue;
            }
            if (!folder.settled(name, entry.getValue(), now)) {
                waiting = true;
                continue;
            }
            Optional<PluginJar> staged = folder.stage(name, size, modified);
            if (staged.isEmpty()) {
                waiting = true;
                continue;
            }
            PluginJar jar = staged.get();
            if (known != null && known.sha256().equals(jar.sha256())) {
                folder.delete(jar.staged());
                jars.put(name, known.touched(size, modified));
                continue;
            }
            if (known != null) {
                discard(known);
            }
            jar = lifecycle.refuseIfItStoppedTheHub(jar);
            jars.put(name, jar);
            jar.refusal().ifPresent(reason -> log.warn("Plugin jar '{}' refused: {}", name, reason));
        }
        waitingForSettle = waiting;

        Map<String, PluginJar> winners = winners();
        for (PluginLifecycle.Started current : sortedLoaded()) {
            PluginJar wanted = winners.get(current.jar().id());
            if (wanted == null) {
                unload(current, "its jar '" + current.jar().jar() + "' was removed");
            }
            else if (!wanted.jar().equals(current.jar().jar()) || !wanted.sha256().equals(current.jar().sha256())) {
                unload(current, "it is replaced by jar '" + wanted.jar() + "' (version " + wanted.version() + ")");
            }
        }
        for (PluginJar wanted : winners.values()) {
            if (loaded.containsKey(wanted.id())) {
                continue;
            }
            Failure failed = failures.get(wanted.jar());
            if (failed != null && failed.sha256().equals(wanted.sha256())) {
                continue;
            }
            load(wanted);
        }
        publish(winners);
    }

    /** Per plugin id, the jar to run: the most recently modified, then the higher version, then the first name. */
    private Map<String, PluginJar> winners()
    {
        Comparator<PluginJar> preference = Comparator.comparing(PluginJar::modified)
                .thenComparing(PluginJar::version, this::compareVersions)
                .thenComparing(PluginJar::jar, Comparator.reverseOrder());
        Map<String, PluginJar> winners = new TreeMap<>();
        for (PluginJar jar : jars.values()) {
            if (jar.accepted()) {
                winners.merge(jar.id(), jar, (first, second) -> preference.compare(first, second) >= 0 ? first : second);
            }
        }
        return winners;
    }

    private int compareVersions(String first, String second)
    {
        try {
            return inspector.versions().compareVersions(first, second);
        }
        catch (RuntimeException notSemantic) {
            return first.compareTo(second);
        }
    }

    private void load(PluginJar jar)
    {
        String pluginId = jar.id();
        long generation = generations.merge(pluginId, 1L, Long::sum);
        Map<String, String> owners = new HashMap<>();
        for (PluginLifecycle.Started other : loaded.values()) {
            for (GuardedConnectorFactory factory : other.factories()) {
                owners.put(factory.id(), "plugin '" + other.jar().id() + "' (jar '" + other.jar().jar() + "')");
            }
        }
        PluginLifecycle.Started plugin;
        try {
            plugin = lifecycle.start(jar, generation, owners);
        }
        catch (PluginLifecycle.LoadFailure e) {
            failures.put(jar.jar(), new Failure(jar.sha256(), jar.info(PluginStatus.FAILED, Optional.of(e.getMessage()), generation)));
            return;
        }
        loaded.put(pluginId, plugin);
        failures.remove(jar.jar());
        for (PluginListener listener : listeners) {
            notify(listener, plugin.info(), true);
        }
    }

    private void unload(PluginLifecycle.Started plugin, String why)
    {
        String pluginId = plugin.jar().id();
        for (PluginListener listener : listeners) {
            notify(listener, plugin.info(), false);
        }
        loaded.remove(pluginId);
        lifecycle.stop(plugin);
        if (!stagedInUse(plugin.jar().staged())) {
            folder.delete(plugin.jar().staged());
        }
        log.info("Plugin '{}' {} (jar '{}', generation {}) unloaded: {}", pluginId, plugin.jar().version(), plugin.jar().jar(), plugin.generation(), why);
    }

    private void publish(Map<String, PluginJar> winners)
    {
        List<PluginInfo> infos = new ArrayList<>();
        for (PluginJar jar : jars.values()) {
            long generation = generations.getOrDefault(jar.id(), 0L);
            if (jar.refusal().isPresent()) {
                infos.add(jar.info(PluginStatus.REFUSED, jar.refusal(), generation));
                continue;
            }
            PluginLifecycle.Started plugin = loaded.get(jar.id());
            Failure failure = failures.get(jar.jar());
            PluginJar winner = winners.get(jar.id());
            if (plugin != null && plugin.jar().jar().equals(jar.jar()) && plugin.jar().sha256().equals(jar.sha256())) {
                infos.add(plugin.info());
            }
            else if (failure != null && failure.sha256().equals(jar.sha256())) {
                infos.add(failure.info());
            }
            else if (winner != null && winner != jar) {
                infos.add(jar.info(PluginStatus.REFUSED, Optional.of("plugin jar '" + jar.jar() + "' is superseded by '" + winner.jar()
                        + "' with the same Plugin-Id '" + jar.id() + "' (the most recently modified jar is used): remove one of them"), generation));
            }
            else {
                infos.add(jar.info(PluginStatus.LOADED, Optional.empty(), generation));
            }
        }
        infos.sort(PluginInfo.ORDER);
        Map<String, LoadedConnector> started = new TreeMap<>();
        for (PluginLifecycle.Started plugin : loaded.values()) {
            for (GuardedConnectorFactory factory : plugin.factories()) {
                ConnectorInfo info = plugin.info().connectors().stream().filter(connector -> connector.id().equals(factory.id())).findFirst().orElseThrow();
                started.put(factory.id(), new LoadedConnector(plugin.jar().id(), plugin.generation(), info, factory, plugin.calls()));
            }
        }
        snapshot = List.copyOf(infos);
        connectors = Collections.unmodifiableMap(new LinkedHashMap<>(started));
    }

    private void discard(PluginJar jar)
    {
        if (!stagedInUse(jar.staged())) {
            folder.delete(jar.staged());
        }
    }

    private boolean stagedInUse(Path staged)
    {
        return loaded.values().stream().anyMatch(plugin -> plugin.jar().staged().equals(staged))
                || jars.values().stream().anyMatch(jar -> jar.staged().equals(staged));
    }

    private List<PluginLifecycle.Started> sortedLoaded()
    {
        return loaded.values().stream().sorted(Comparator.comparing(plugin -> plugin.jar().id())).toList();
    }

    private void notify(PluginListener listener, PluginInfo info, boolean started)
    {
        try {
            if (started) {
                listener.pluginStarted(info);
            }
            else {
                listener.pluginStopping(info);
            }
        }
        catch (RuntimeException e) {
            log.error("Plugin listener {} failed on plugin '{}'", listener, info.id(), e);
        }
    }

    private String summary()
    {
        List<String> parts = new ArrayList<>();
        for (PluginInfo info : snapshot) {
            parts.add(info.jar() + "=" + info.state());
        }
        return parts.isEmpty() ? "no plugin jars" : String.join(", ", parts);
    }


    /** A jar whose plugin failed to load, so the same content is not tried again at every scan. */
    private record Failure(String sha256, PluginInfo info) {}
}
